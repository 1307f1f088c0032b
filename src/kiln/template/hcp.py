"""The `hcp_packer_registry` block: accepted and checked, though kiln does not talk to HCP Packer.

Checking it keeps a template that HCP Packer would reject from passing `kiln validate`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kiln.hcl.diagnostics import Diagnostics, error
from kiln.hcl.schema import Block
from kiln.template import schemas

if TYPE_CHECKING:
    from kiln.template.config import PackerConfig

_BUCKET_NAME = re.compile(r"^[A-Za-z0-9-]{3,36}$")
MAX_DESCRIPTION_LENGTH = 255


def check_registry_block(config: PackerConfig, block: Block) -> Diagnostics:
    """Check a registry block's bucket name (3-36 letters, digits, dashes) and description length."""
    from kiln.template.values import evaluate, want_string

    content, problems = block.body.content(schemas.HCP_REGISTRY_SCHEMA)
    diagnostics = Diagnostics(problems)
    ctx = config.eval_context()
    for name in ("bucket_name", "description"):
        attribute = content.attributes.get(name)
        if attribute is None:
            continue
        value, problems = evaluate(attribute.expr, ctx)
        text, problems = want_string(value, attribute.expr.range, problems)
        diagnostics.extend(problems)
        if text is None:
            continue
        if name == "bucket_name" and text and not _BUCKET_NAME.match(text):
            diagnostics.append(
                error(
                    "Invalid bucket_name",
                    f'The bucket name "{text}" is invalid: use 3 to 36 letters, digits and dashes.',
                    attribute.expr.range,
                )
            )
        if name == "description" and len(text) > MAX_DESCRIPTION_LENGTH:
            diagnostics.append(
                error(
                    "Description too long",
                    f"The description is {len(text)} characters long; the limit is {MAX_DESCRIPTION_LENGTH}.",
                    attribute.expr.range,
                )
            )
    return diagnostics
