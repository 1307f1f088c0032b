"""The file provisioner: uploads, downloads, content and the trailing-slash rules."""

from __future__ import annotations

import asyncio

import pytest

from kiln.builtin.provisioners.file import FileProvisioner, FileProvisionerConfig
from kiln.sdk.communicator import CommunicatorError
from kiln.sdk.component import BuildInfo, ProvisionContext
from kiln.sdk.config import ConfigProblems
from kiln.sdk.testing import FakeCommunicator, recording_ui


def provision(config, communicator):
    provisioner = FileProvisioner()
    provisioner.prepare(config)
    ui, sink = recording_ui("null.x")
    asyncio.run(provisioner.provision(ProvisionContext(ui, communicator, BuildInfo())))
    return sink


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "dir" / "a.txt").write_text("a")
    (tmp_path / "dir" / "sub" / "b.txt").write_text("b")
    return tmp_path


def test_upload_file(tree):
    communicator = FakeCommunicator()
    sink = provision(
        FileProvisionerConfig(source=str(tree / "dir" / "a.txt"), destination="/etc/a"), communicator
    )
    assert communicator.files == {"/etc/a": b"a"}
    assert sink.texts() == [f"Uploading {tree / 'dir' / 'a.txt'} => /etc/a"]


def test_upload_file_into_directory(tree):
    communicator = FakeCommunicator()
    provision(FileProvisionerConfig(source=str(tree / "dir" / "a.txt"), destination="/etc/"), communicator)
    assert set(communicator.files) == {"/etc/a.txt"}


def test_upload_dir_without_slash_creates_basename(tree):
    communicator = FakeCommunicator()
    provision(FileProvisionerConfig(source=str(tree / "dir"), destination="/opt"), communicator)
    assert set(communicator.files) == {"/opt/dir/a.txt", "/opt/dir/sub/b.txt"}


def test_upload_dir_with_slash_copies_contents(tree):
    communicator = FakeCommunicator()
    provision(FileProvisionerConfig(source=f"{tree / 'dir'}/", destination="/opt"), communicator)
    assert set(communicator.files) == {"/opt/a.txt", "/opt/sub/b.txt"}


def test_content_upload():
    communicator = FakeCommunicator()
    provision(FileProvisionerConfig(content="hello", destination="/etc/motd"), communicator)
    assert communicator.files == {"/etc/motd": b"hello"}


def test_download_file(tmp_path):
    communicator = FakeCommunicator(files={"/var/log/x.log": b"log"})
    sink = provision(
        FileProvisionerConfig(source="/var/log/x.log", destination=f"{tmp_path}/logs/", direction="download"),
        communicator,
    )
    assert (tmp_path / "logs" / "x.log").read_bytes() == b"log"
    assert sink.texts() == [f"Downloading /var/log/x.log => {tmp_path}/logs/"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (FileProvisionerConfig(destination="/x"), "Source must be specified."),
        (FileProvisionerConfig(source="/nonexistent", destination="/x"), "Bad source '/nonexistent'"),
        (FileProvisionerConfig(content="c"), "Destination must be specified."),
        (
            FileProvisionerConfig(content="c", destination="/x", direction="sideways"),
            "Direction must be one of",
        ),
    ],
    ids=["no-source", "missing-source", "no-destination", "bad-direction"],
)
def test_config_problems(config, message):
    with pytest.raises(ConfigProblems) as caught:
        FileProvisioner().prepare(config)
    assert message in caught.value.problems[0].message


def test_generated_source_not_checked():
    FileProvisioner().prepare(FileProvisionerConfig(source="/made/later", destination="/x", generated=True))


def test_download_directory(tmp_path):
    communicator = FakeCommunicator(files={"/var/log/a.log": b"a", "/var/log/sub/b.log": b"b"})
    provision(
        FileProvisionerConfig(source="/var/log/", destination=f"{tmp_path}/logs/", direction="download"),
        communicator,
    )
    assert (tmp_path / "logs" / "a.log").read_bytes() == b"a"
    assert (tmp_path / "logs" / "sub" / "b.log").read_bytes() == b"b"


def test_failed_upload_message(tree):
    provisioner = FileProvisioner()
    provisioner.prepare(FileProvisionerConfig(source=str(tree / "dir" / "a.txt"), destination="/etc/a"))
    ui, sink = recording_ui("null.x")
    with pytest.raises(CommunicatorError):
        asyncio.run(
            provisioner.provision(ProvisionContext(ui, FakeCommunicator(fail_uploads=1), BuildInfo()))
        )
    assert sink.errors() == ["Upload failed: fake upload to /etc/a failed"]


def test_source_appended_after_sources(tree):
    config = FileProvisionerConfig(
        source=str(tree / "dir" / "a.txt"), sources=[str(tree / "dir" / "sub")], destination="/x/"
    )
    FileProvisioner().prepare(config)
    assert config.sources == [str(tree / "dir" / "sub"), str(tree / "dir" / "a.txt")]
