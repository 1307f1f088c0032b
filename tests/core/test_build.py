"""Build orchestration with constructed BuildPlans: output, summary, chains, errors and policies."""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import dataclass

import pytest

from kiln.builtin.builders.file import FileConfig
from kiln.builtin.builders.null import NullConfig
from kiln.builtin.post_processors.checksum import ChecksumConfig
from kiln.builtin.post_processors.manifest import ManifestConfig
from kiln.builtin.provisioners.shell import ShellConfig
from kiln.builtin.provisioners.sleep import SleepConfig
from kiln.builtin.shell_local import ShellLocalConfig
from kiln.communicator.config import CommunicatorConfig
from kiln.core import registry
from kiln.core.build import BuildOptions, make_ui, run_builds
from kiln.core.policy import OnError
from kiln.sdk.artifact import BasicArtifact
from kiln.sdk.component import BuildContext, Builder
from kiln.sdk.config import Duration
from kiln.sdk.plan import BuildPlan, ComponentSpec, PostProcessorSpec, ProvisionerSpec
from kiln.sdk.step import Step, StepAction, run_steps
from kiln.sdk.steps import MachineState, StepProvision
from kiln.sdk.testing import FakeCommunicator as FakeCommunicatorForTest


def null_plan(name: str = "example", **fields) -> BuildPlan:
    config = NullConfig(CommunicatorConfig(communicator="none"))
    return BuildPlan(f"null.{name}", ComponentSpec("null", config), source_name=name, **fields)


def shell_local(*commands: str, **meta) -> ProvisionerSpec:
    return ProvisionerSpec("shell-local", ShellLocalConfig(inline=list(commands)), name="shell-local", **meta)


def build(plans, **options) -> tuple[int, str]:
    stream = io.StringIO()
    build_options = BuildOptions(color=False, **options)
    code = asyncio.run(run_builds(plans, build_options, make_ui(build_options, stream)))
    return code, stream.getvalue()


def test_null_build_output_and_summary():
    code, output = build([null_plan(provisioners=[shell_local("echo hello from $PACKER_BUILD_NAME")])])
    lines = output.splitlines()
    assert code == 0
    assert lines[0].startswith("==> null.example: Running local shell script: ")
    assert lines[1] == "    null.example: hello from example"
    assert lines[2].startswith("Build 'null.example' finished after ")
    assert lines[4].startswith("==> Wait completed after ")
    assert lines[6:] == [
        "==> Builds finished. The artifacts of successful builds are:",
        "--> null.example: Did not export anything. This is the null builder",
    ]


def test_generated_data_rendered_into_provisioner():
    code, output = build([null_plan(provisioners=[shell_local("echo id={{ .ID }} {{ build `ID` }}")])])
    assert code == 0
    assert "    null.example: id=Null Null" in output


def test_failing_provisioner_errors_build():
    code, output = build([null_plan(provisioners=[shell_local("exit 3")])])
    assert code == 1
    assert "Build 'null.example' errored after " in output
    assert "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]" in output
    assert "==> Some builds didn't complete successfully and had errors:" in output
    assert "--> null.example: Script exited with non-zero exit status: 3." in output
    assert output.rstrip().endswith("==> Builds finished but no artifacts were created.")


def test_manifest_and_checksum_chains(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chains = [
        [PostProcessorSpec("manifest", ManifestConfig(output="m.json", strip_time=True), name="")],
        [PostProcessorSpec("checksum", ChecksumConfig(), name="")],
    ]
    code, output = build([null_plan(post_processor_chains=chains)], run_uuid="run-1")
    assert code == 0
    assert "==> null.example: Running post-processor:  (type manifest)" in output
    summary = output.split("The artifacts of successful builds are:\n")[1].splitlines()
    assert summary == [
        "--> null.example: Did not export anything. This is the null builder",
        "--> null.example: Did not export anything. This is the null builder",
        "--> null.example: Created artifact from files: ",
    ]
    manifest = (tmp_path / "m.json").read_text()
    assert manifest == (
        '{\n  "builds": [\n    {\n      "name": "example",\n      "builder_type": "null",\n'
        '      "files": null,\n      "artifact_id": "Null",\n      "packer_run_uuid": "run-1",\n'
        '      "custom_data": null\n    }\n  ],\n  "last_run_uuid": "run-1"\n}'
    )


def test_named_post_processor_announcement(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chains = [[PostProcessorSpec("manifest", ManifestConfig(), name="record")]]
    _, output = build([null_plan(post_processor_chains=chains)])
    assert "Running post-processor: record (type manifest)" in output


def test_unknown_builder_reported_other_builds_run():
    bad = BuildPlan("nope.x", ComponentSpec("nope", object()), source_name="x")
    code, output = build([bad, null_plan()])
    assert code == 1
    assert 'builder type "nope" is not known' in output
    assert "--> null.example: Did not export anything" in output


def test_file_builder_writes_target(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    plan = BuildPlan(
        "file.out", ComponentSpec("file", FileConfig(target=str(target), content="hi")), source_name="out"
    )
    code, output = build([plan])
    assert code == 0
    assert target.read_text() == "hi"
    assert f"--> file.out: Stored file: {target}" in output


def test_provisioner_timeout_fails_build():
    sleep = ProvisionerSpec("sleep", SleepConfig(duration=Duration(30)), name="sleep", timeout=0.05)
    code, output = build([null_plan(provisioners=[sleep])])
    assert code == 1
    assert "Setting a 50ms timeout for the next provisioner..." in output
    assert "sleep provisioner timed out" in output


def test_parallel_builds_overlap():
    plans = [
        null_plan(f"b{index}", provisioners=[ProvisionerSpec("sleep", SleepConfig(duration=Duration(0.3)))])
        for index in range(4)
    ]
    loop_start = asyncio.run(_timed(plans, 0))
    assert loop_start < 1.0
    sequential = asyncio.run(_timed(plans, 1))
    assert sequential >= 1.2


async def _timed(plans, parallel_builds) -> float:
    options = BuildOptions(color=False, parallel_builds=parallel_builds)
    started = asyncio.get_running_loop().time()
    await run_builds(plans, options, make_ui(options, io.StringIO()))
    return asyncio.get_running_loop().time() - started


@dataclass
class StepsConfig:
    fail: bool = True


class Recorder:
    events: list[str] = []


class StepCreate(Step[MachineState]):
    async def run(self, state):
        Recorder.events.append("run create")
        return StepAction.CONTINUE

    async def cleanup(self, state):
        Recorder.events.append("cleanup create")


class StepBreak(Step[MachineState]):
    async def run(self, state):
        state.error = RuntimeError("broken step")
        return StepAction.HALT

    async def cleanup(self, state):
        Recorder.events.append("cleanup break")


class StepsBuilder(Builder[StepsConfig]):
    config_class = StepsConfig

    async def run(self, context: BuildContext):
        state = MachineState()
        steps = [StepCreate(), StepProvision(context), StepBreak()]
        await run_steps(steps, state, context.step_policy)
        if state.error:
            raise state.error
        return BasicArtifact("test.steps")


@pytest.fixture
def steps_builder():
    Recorder.events = []
    registry.register("builder", "steps", StepsBuilder)
    yield
    registry.unregister("builder", "steps")


def steps_plan() -> BuildPlan:
    cleanup = shell_local("echo cleanup provisioner ran")
    return BuildPlan(
        "steps.x", ComponentSpec("steps", StepsConfig()), source_name="x", error_cleanup_provisioner=cleanup
    )


@pytest.mark.usefixtures("steps_builder")
def test_on_error_cleanup_runs_all_cleanups():
    code, output = build([steps_plan()])
    assert code == 1
    assert Recorder.events == ["run create", "cleanup break", "cleanup create"]
    assert "cleanup provisioner ran" in output
    assert "Build 'steps.x' errored after" in output
    assert "broken step" in output


@pytest.mark.usefixtures("steps_builder")
def test_failed_build_without_cleanup_provisioner_says_so():
    plan = BuildPlan("steps.x", ComponentSpec("steps", StepsConfig()), source_name="x")
    code, output = build([plan])
    assert code == 1
    assert "==> steps.x: Provisioning step had errors: Running the cleanup provisioner, if present..." in output


@pytest.mark.usefixtures("steps_builder")
def test_on_error_abort_skips_cleanups():
    code, output = build([steps_plan()], on_error=OnError.ABORT)
    assert code == 1
    assert Recorder.events == ["run create"]
    assert 'Step "StepBreak" failed, aborting...' in output
    assert 'aborted: skipping cleanup of step "StepCreate"' in output
    assert "cleanup provisioner ran" not in output


@pytest.mark.usefixtures("steps_builder")
def test_on_error_run_cleanup_provisioner():
    code, output = build([steps_plan()], on_error=OnError.RUN_CLEANUP_PROVISIONER)
    assert code == 1
    assert Recorder.events == ["run create"]
    assert "cleanup provisioner ran" in output


@pytest.mark.usefixtures("steps_builder")
def test_on_error_ask_without_terminal_cleans_up():
    code, _ = build([steps_plan()], on_error=OnError.ASK)
    assert code == 1
    assert Recorder.events == ["run create", "cleanup break", "cleanup create"]


def test_machine_readable_summary():
    code, output = build([null_plan()], machine_readable=True)
    records = [line.split(",", 1)[1] for line in output.splitlines()]
    assert code == 0
    assert "null.example,artifact-count,1" in records
    assert "null.example,artifact,0,builder-id,fnoeding.null" in records
    assert "null.example,artifact,0,files-count,0" in records
    assert "null.example,artifact,0,end" in records
    assert ",ui,say,--> null.example: Did not export anything. This is the null builder" in records


def test_manifest_appends_across_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chains = [[PostProcessorSpec("manifest", ManifestConfig(output="m.json"), name="")]]
    plans = [null_plan("a", post_processor_chains=chains), null_plan("b", post_processor_chains=chains)]
    build(plans, run_uuid="one", parallel_builds=1)
    build(plans[:1], run_uuid="two")
    manifest = json.loads((tmp_path / "m.json").read_text())
    assert [entry["name"] for entry in manifest["builds"]] == ["a", "b", "a"]
    assert manifest["last_run_uuid"] == "two"
    build(plans[:1], run_uuid="three", force=True)
    manifest = json.loads((tmp_path / "m.json").read_text())
    assert [entry["name"] for entry in manifest["builds"]] == ["a"]


def test_file_builder_copies_source_and_provisions(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("12345")
    target = tmp_path / "out.txt"
    shell = ProvisionerSpec("shell", ShellConfig(inline=["echo ignored"]), name="shell")
    plan = BuildPlan(
        "file.out",
        ComponentSpec("file", FileConfig(target=str(target), source=str(source))),
        provisioners=[shell],
        source_name="out",
    )
    code, output = build([plan])
    assert code == 0
    assert target.read_text() == "12345"
    assert f"==> file.out: Copying {source} to {target}" in output
    assert "==> file.out: Copied 5 bytes" in output
    assert "==> file.out: Provisioning with shell script: /tmp/packer-shell" in output


def test_prepare_warnings_listed_before_build(tmp_path):
    target = tmp_path / "empty.txt"
    plan = BuildPlan("file.empty", ComponentSpec("file", FileConfig(target=str(target))), source_name="empty")
    code, output = build([plan])
    assert code == 0
    assert output.startswith(
        "Warnings for build 'file.empty':\n\n"
        "* Both source file and contents are blank; target will have no content\n\n"
    )


def test_max_retries_reruns_provisioner(tmp_path):
    counter = tmp_path / "count"
    script = f"echo x >> {counter}; test $(wc -l < {counter}) -ge 2"
    code, output = build([null_plan(provisioners=[shell_local(script, max_retries=2)])])
    assert code == 0, output
    assert counter.read_text() == "x\nx\n"


def test_max_retries_exhausted_message():
    code, output = build([null_plan(provisioners=[shell_local("exit 1", max_retries=1)])])
    assert code == 1
    assert "retry count exhausted. Last err: Script exited with non-zero exit status: 1." in output


def test_pause_before_takes_precedence_over_timeout():
    sleep = ProvisionerSpec("sleep", SleepConfig(duration=Duration(0.2)), pause_before=0.01, timeout=0.05)
    code, output = build([null_plan(provisioners=[sleep])])
    assert code == 0
    assert "Pausing 10ms before the next provisioner..." in output
    assert "timeout" not in output


def test_generated_password_masked_in_provisioner_output():
    from kiln.core.secrets import SECRETS

    class PasswordBuilder(Builder[StepsConfig]):
        config_class = StepsConfig

        async def run(self, context: BuildContext):
            context.generated.password = "hunter2-generated"
            await context.hook.provision(FakeCommunicatorForTest(), context.generated)
            return None

    registry.register("builder", "password", PasswordBuilder)
    try:
        plan = BuildPlan(
            "password.x",
            ComponentSpec("password", StepsConfig()),
            provisioners=[shell_local("echo the password is {{ .Password }}")],
            source_name="x",
        )
        code, output = build([plan])
    finally:
        registry.unregister("builder", "password")
        SECRETS.clear()
    assert code == 0
    assert "    password.x: the password is <sensitive>" in output
    assert "hunter2" not in output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_announcements_on_terminal(monkeypatch):
    monkeypatch.delenv("PACKER_NO_COLOR", raising=False)
    stream = _Terminal()
    options = BuildOptions()
    code = asyncio.run(run_builds([null_plan("a"), null_plan("b")], options, make_ui(options, stream)))
    lines = stream.getvalue().splitlines()
    assert code == 0
    assert lines[:3] == [
        "\033[1;32mnull.a: output will be in this color.\033[0m",
        "\033[1;36mnull.b: output will be in this color.\033[0m",
        "",
    ]
    assert "\033[1;32mBuild 'null.a' finished after " in stream.getvalue()


def test_no_colour_when_packer_no_color_set(monkeypatch):
    monkeypatch.setenv("PACKER_NO_COLOR", "1")
    stream = _Terminal()
    options = BuildOptions()
    asyncio.run(run_builds([null_plan("a")], options, make_ui(options, stream)))
    assert "\033[" not in stream.getvalue()


def test_describe_error_drops_errno() -> None:
    from kiln.core.corebuild import describe_error

    assert describe_error(NotADirectoryError(20, "Not a directory", "out/sub")) == "Not a directory: out/sub"
    assert describe_error(OSError(18, "Invalid cross-device link", "a", None, "b")) == "Invalid cross-device link: a -> b"
    assert describe_error(OSError(5, "Input/output error")) == "Input/output error"
    assert describe_error(ValueError("plain")) == "plain"
