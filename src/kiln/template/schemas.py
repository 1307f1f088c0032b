"""The block and argument schemas of an HCL2 template, as Packer declares them."""

from __future__ import annotations

from kiln.hcl.schema import AttributeSchema, BlockHeaderSchema, BodySchema

CONFIG_SCHEMA = BodySchema(
    blocks=[
        BlockHeaderSchema("packer"),
        BlockHeaderSchema("source", ("type", "name")),
        BlockHeaderSchema("variables"),
        BlockHeaderSchema("variable", ("name",)),
        BlockHeaderSchema("locals"),
        BlockHeaderSchema("local", ("name",)),
        BlockHeaderSchema("data", ("type", "name")),
        BlockHeaderSchema("build"),
        BlockHeaderSchema("hcp_packer_registry"),
        BlockHeaderSchema("communicator", ("type", "name")),
    ]
)

# Read first, alone, so that a template for a newer Packer fails on its version constraint
# before any block it uses is reported as unknown.
PACKER_SNIFF_SCHEMA = BodySchema(blocks=[BlockHeaderSchema("packer")])
PACKER_VERSION_SCHEMA = BodySchema(attributes=[AttributeSchema("required_version")])
PACKER_BLOCK_SCHEMA = BodySchema(
    attributes=[AttributeSchema("required_version")],
    blocks=[BlockHeaderSchema("required_plugins")],
)

VARIABLE_SCHEMA = BodySchema(
    attributes=[
        AttributeSchema("description"),
        AttributeSchema("default"),
        AttributeSchema("type"),
        AttributeSchema("sensitive"),
    ],
    blocks=[BlockHeaderSchema("validation")],
)
VALIDATION_SCHEMA = BodySchema(
    attributes=[AttributeSchema("condition", required=True), AttributeSchema("error_message", required=True)]
)
LOCAL_SCHEMA = BodySchema(attributes=[AttributeSchema("expression"), AttributeSchema("sensitive")])

BUILD_SCHEMA = BodySchema(
    attributes=[AttributeSchema("name"), AttributeSchema("description"), AttributeSchema("sources")],
    blocks=[
        BlockHeaderSchema("source", ("reference",)),
        BlockHeaderSchema("provisioner", ("type",)),
        BlockHeaderSchema("error-cleanup-provisioner", ("type",)),
        BlockHeaderSchema("post-processor", ("type",)),
        BlockHeaderSchema("post-processors"),
        BlockHeaderSchema("hcp_packer_registry"),
    ],
)
SOURCE_USE_SCHEMA = BodySchema(attributes=[AttributeSchema("name")])
POST_PROCESSORS_SCHEMA = BodySchema(blocks=[BlockHeaderSchema("post-processor", ("type",))])

PROVISIONER_META_ARGUMENTS = (
    "name",
    "only",
    "except",
    "override",
    "pause_before",
    "max_retries",
    "timeout",
    "continue_on_error",
)
POST_PROCESSOR_META_ARGUMENTS = ("name", "only", "except", "keep_input_artifact")


def meta_schema(names: tuple[str, ...]) -> BodySchema:
    return BodySchema(attributes=[AttributeSchema(name) for name in names])


HCP_REGISTRY_SCHEMA = BodySchema(
    attributes=[
        AttributeSchema("bucket_name"),
        AttributeSchema("description"),
        AttributeSchema("bucket_labels"),
        AttributeSchema("build_labels"),
        AttributeSchema("labels"),
        AttributeSchema("channels"),
    ]
)
