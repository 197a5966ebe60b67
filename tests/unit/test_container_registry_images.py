"""make heroku-container-images builds what Heroku's registry takes, read from the Makefile itself.

The images pushed in tests/container/test_container_registry.py come out right on this machine
(an amd64 host, an engine with the classic image store) even without these options, so only a
reading of the commands catches one that is dropped: its absence shows on another machine, such
as a Mac with Apple Silicon and Docker Desktop, as a deploy Heroku refuses.
"""

import pytest

from tests.support.makefile import image_builds

APP = "example-app"
REGISTRY = "registry.example.com"


@pytest.fixture(scope="module")
def builds():
    return image_builds(APP, REGISTRY)


def test_there_is_one_build_per_stage_tagged_as_heroku_names_process_types(builds):
    tagged = {build["--target"][0]: build["--tag"] for build in builds}
    assert tagged == {"web": [f"{REGISTRY}/{APP}/web"], "release": [f"{REGISTRY}/{APP}/release"]}
    assert all(build["context"] == ["."] for build in builds)


def test_both_builds_are_for_linux_amd64(builds):
    """Heroku's dynos run linux/amd64 only. Without the option a build is for the machine's own
    platform: arm64 on Apple Silicon, an image Heroku's dynos cannot start."""
    for build in builds:
        assert build["--platform"] == ["linux/amd64"], build


def test_both_builds_leave_out_provenance_attestations(builds):
    """BuildKit attaches a provenance attestation by default where the output can hold one (a
    registry, Docker Desktop's containerd image store): the image becomes an index of the image
    and its attestation, which Heroku's registry refuses. The classic image store here drops it."""
    for build in builds:
        assert build["--provenance"] == ["false"], build


def test_both_builds_leave_out_sbom_attestations(builds):
    """An SBOM attestation, like provenance, would turn the image into an index Heroku refuses.
    BuildKit adds none unless asked: stated, so the image does not rest on that default."""
    for build in builds:
        assert build["--sbom"] == ["false"], build


def test_both_builds_load_the_image_into_the_engine_in_dockers_media_types(builds):
    """Heroku's registry takes Docker V2 schema 2 manifests, not OCI's. The docker exporter's
    default is Docker's media types (OCI's for type=oci): stated, so the image does not rest
    on that default either."""
    for build in builds:
        [output] = build["--output"]
        assert set(output.split(",")) == {"type=docker", "oci-mediatypes=false"}, build
