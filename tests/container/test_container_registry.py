"""The Container Registry path (`heroku container:push` and `container:release`), as Heroku
runs it: heroku.yml and the Procfile are ignored; the web dyno runs the web image's CMD through
`/bin/sh -c`; the release phase runs the image pushed as `release`, with no command; the
registry takes only Docker V2 schema 2 manifests for linux/amd64. The images are the ones
`make heroku-container-images` builds, pushed to a real registry and pulled back from it."""

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support import docker, requirements, waiting
from tests.support.environment import REPO, SITE_HOST, clean_environ, new_secret_key
from tests.support.servers import free_port

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
# Every kind of manifest a registry can hold: asked for all of them, it answers what was pushed.
ANY_MANIFEST = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        DOCKER_MANIFEST,
    ]
)
# An arbitrary UID with no passwd entry, as Heroku runs containers.
DYNO_USER = "54321"


# --- a real registry, and the images pushed to it -----------------------------------------

REGISTRY_CONFIG = """\
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {storage}
http:
  addr: {address}
"""


class Registry:
    def __init__(self, address):
        self.address = address  # what image names start with: 127.0.0.1:<port>
        self.url = f"http://{address}"

    def get(self, path, **headers):
        return requests.get(f"{self.url}/v2/{path}", headers=headers, timeout=10)


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """Docker's registry (Debian's docker-registry) on 127.0.0.1, storing in a temporary folder;
    stopped afterwards. The engine pushes to 127.0.0.0/8 over plain HTTP by default."""
    binary = shutil.which("docker-registry")
    requirements.require(binary, "docker-registry to push to (Debian's package docker-registry)")
    workdir = tmp_path_factory.mktemp("registry")
    address = f"127.0.0.1:{free_port()}"
    config = workdir / "config.yml"
    config.write_text(REGISTRY_CONFIG.format(storage=workdir / "storage", address=address))
    log_path = workdir / "registry.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
    started = Registry(address)

    def serving():
        if process.poll() is not None:  # it exited: it will never answer
            raise AssertionError(f"docker-registry exited:\n{log_path.read_text()}")
        return answers(started)

    try:
        waiting.until(serving, 20, 0.1, what=lambda: f"docker-registry:\n{log_path.read_text()}")
        yield started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(registry):
    try:
        return registry.get("").status_code == 200
    except requests.ConnectionError:
        return False


class PushedImages:
    def __init__(self, registry, app):
        self.registry = registry
        self.app = app

    def name(self, process_type):
        """The image's name in the registry, as Heroku names it: <app>/<process type>."""
        return f"{self.app}/{process_type}"

    def reference(self, process_type):
        return f"{self.registry.address}/{self.name(process_type)}"


@pytest.fixture(scope="module")
def pushed(registry, docker_engine):
    """The web and release images built by the make target for a test app, pushed with
    `docker push`, then removed and pulled back: what the tests run is what the registry holds."""
    images = PushedImages(registry, docker.unique("mysite-test-app"))
    references = [images.reference(kind) for kind in ("web", "release")]
    try:
        build = subprocess.run(
            ["make", "--no-print-directory", "heroku-container-images",
             f"APP={images.app}", f"HEROKU_REGISTRY={registry.address}"],
            cwd=REPO, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        assert build.returncode == 0, build.stdout + build.stderr
        for reference in references:
            docker.docker("push", reference)
            docker.docker("image", "rm", reference)
            docker.docker("pull", reference)
        yield images
    finally:
        for reference in references:
            docker.docker("image", "rm", "--force", reference, check=False)


def image_config(reference):
    return json.loads(docker.docker("image", "inspect", reference).stdout)[0]["Config"]


# --- what the registry holds ----------------------------------------------------------------


@pytest.mark.parametrize("process_type", ["web", "release"])
def test_the_registry_holds_a_docker_v2_schema_2_manifest_for_linux_amd64(
    registry, pushed, process_type
):
    name = pushed.name(process_type)
    response = registry.get(f"{name}/manifests/latest", Accept=ANY_MANIFEST)
    assert response.status_code == 200, response.text
    # Not an index or a manifest list (attestations would make one), and not OCI's types.
    assert response.headers["Content-Type"] == DOCKER_MANIFEST
    manifest = response.json()
    assert (manifest["schemaVersion"], manifest["mediaType"]) == (2, DOCKER_MANIFEST)
    assert manifest["config"]["mediaType"] == "application/vnd.docker.container.image.v1+json"
    layer_types = {layer["mediaType"] for layer in manifest["layers"]}
    assert layer_types == {"application/vnd.docker.image.rootfs.diff.tar.gzip"}
    config = registry.get(f"{name}/blobs/{manifest['config']['digest']}")
    assert config.status_code == 200, config.text
    assert (config.json()["architecture"], config.json()["os"]) == ("amd64", "linux")


def test_the_pushed_images_commands_are_heroku_ymls_release_and_web_commands(
    pushed, heroku_manifest
):
    [release_command] = heroku_manifest["release"]["command"]
    web_command = heroku_manifest["run"]["web"].removeprefix("exec ")
    assert image_config(pushed.reference("release"))["Cmd"] == shlex.split(release_command)
    assert image_config(pushed.reference("web"))["Cmd"] == shlex.split(web_command)
    for process_type in ("web", "release"):
        # Heroku hands the command to /bin/sh -c itself: an entrypoint would receive it instead.
        assert image_config(pushed.reference(process_type))["Entrypoint"] is None


# --- the release phase and the web dyno, run from those images ------------------------------


def config_vars(database_url):
    """The config vars of a new app: its database, a key, the host name it answers to."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": new_secret_key(),
        "ALLOWED_HOSTS": SITE_HOST,
    }


def env_options(variables):
    return [arg for name, value in variables.items() for arg in ("--env", f"{name}={value}")]


def run_release_phase(image, network, config, timeout=120):
    """The release phase as Heroku runs it from the release image: no command (its CMD), an
    arbitrary UID, the app's config vars and DYNO. An image whose CMD serves instead of
    migrating never exits: it is stopped after `timeout` seconds and the test fails."""
    name = docker.unique("mysite-test-release")
    options = ["--rm", "--name", name, "--network", network, "--user", DYNO_USER]
    options += env_options({**config, "DYNO": "release.1"})
    try:
        return docker.docker("run", *options, image, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        logs = docker.Container(name).logs()
        docker.docker("rm", "--force", name, check=False)
        pytest.fail(f"the release image still ran after {timeout} s:\n{logs}")


@pytest.fixture
def new_database(database_server):
    name = database_server.create_database()
    return name, database_server.url(name)


def test_the_release_image_run_with_no_command_migrates_an_empty_database(
    pushed, test_network, database_server, new_database
):
    name, url = new_database
    tables = "information_schema.tables WHERE table_schema = 'public'"
    assert database_server.count(tables, name) == 0
    result = run_release_phase(pushed.reference("release"), test_network, config_vars(url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Applying guestbook.0001_initial... OK" in result.stdout
    assert database_server.psql("SELECT to_regclass('guestbook_entry')", name) == "guestbook_entry"


def test_the_web_images_command_run_through_a_shell_serves_the_guestbook(
    pushed, test_network, new_database
):
    _, url = new_database
    config = config_vars(url)
    released = run_release_phase(pushed.reference("release"), test_network, config)
    assert released.returncode == 0, released.stdout + released.stderr
    image = pushed.reference("web")
    command = " ".join(image_config(image)["Cmd"])
    port = 20000 + int.from_bytes(os.urandom(2)) % 40000
    options = [
        "--network", test_network,
        "--user", DYNO_USER,
        "--publish", f"127.0.0.1::{port}",
        *env_options({**config, "DYNO": "web.1", "PORT": str(port)}),
    ]  # fmt: skip
    with docker.running(image, "/bin/sh", "-c", command, options=options) as dyno:
        page = first_answer(dyno, f"http://127.0.0.1:{dyno.host_port(port)}/", timeout=20)
    assert page.status_code == 200, page.text
    assert "<h1>Guestbook</h1>" in page.text


def first_answer(container, url, timeout):
    """The first response from the URL, as the router would ask (https, the site's host)."""
    headers = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}

    def answer():
        if not container.running():  # it exited: it will never answer
            raise AssertionError(f"the dyno exited before {url} answered:\n{container.logs()}")
        try:
            # In a tuple: a response is falsy when its status is an error, and that is an answer.
            return (requests.get(url, headers=headers, timeout=2),)
        except requests.ConnectionError:
            return None

    [response] = waiting.until(answer, timeout, 0.1, what=lambda: f"{url}:\n{container.logs()}")
    return response


# --- the deploy target says what is missing, before it builds or pushes anything ----------


def run_deploy(*make_args, path=None, home=None, timeout=120, **environ):
    """make heroku-container-deploy, with a PATH and HOME of the test's choosing."""
    env = clean_environ(**environ)
    env.pop("HEROKU_API_KEY", None)  # a login from the environment, not the test's
    env.pop("APP", None)
    if path is not None:
        env["PATH"] = path
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(
        ["make", "--no-print-directory", "heroku-container-deploy", *make_args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def deploy(*make_args, path=None, home=None, **environ):
    """A deploy that must stop at its check: its error lines, once nothing was built or pushed."""
    result = run_deploy(*make_args, path=path, home=home, **environ)
    assert result.returncode != 0, result.stdout + result.stderr
    for started in ("docker buildx", "container:login", "docker push", "container:release"):
        assert started not in result.stdout + result.stderr
    return result.stderr.splitlines()


def path_without_heroku(tmp_path):
    """The caller's PATH with no `heroku` on it: a folder that holds one (npm's global folder
    holds node too) is replaced by a folder of links to everything else in it."""
    folders = []
    for index, folder in enumerate(os.environ["PATH"].split(os.pathsep)):
        if (Path(folder) / "heroku").exists():
            copy = tmp_path / f"path-{index}"
            copy.mkdir()
            for entry in Path(folder).iterdir():
                if entry.name != "heroku":
                    (copy / entry.name).symlink_to(entry)
            folder = str(copy)
        folders.append(folder)
    return os.pathsep.join(folders)


def path_with_heroku(executable, tmp_path):
    """The caller's PATH with `heroku` being the given executable, and no other."""
    folder = tmp_path / "heroku-bin"
    folder.mkdir()
    (folder / "heroku").symlink_to(executable)
    return f"{folder}{os.pathsep}{path_without_heroku(tmp_path)}"


@pytest.fixture
def real_heroku_cli():
    """The pinned Heroku CLI (.ci/run installs heroku@11.10.0 and sets HEROKU_CLI)."""
    return requirements.heroku_cli()


def test_the_deploy_without_the_heroku_cli_says_how_to_install_it(tmp_path):
    lines = deploy("APP=my-app", path=path_without_heroku(tmp_path))
    [line] = [line for line in lines if line.startswith("The Heroku CLI is not installed: ")]
    assert "npm install --global heroku" in line
    assert "https://devcenter.heroku.com/articles/heroku-cli" in line


def test_the_deploy_when_not_logged_in_says_to_run_heroku_login(real_heroku_cli, tmp_path):
    home = tmp_path / "home"  # the CLI keeps its login under $HOME: an empty one has none
    home.mkdir()
    path = path_with_heroku(real_heroku_cli, tmp_path)
    lines = deploy("APP=my-app", path=path, home=home)
    assert "Not logged in to Heroku: run heroku login" in lines


def test_the_deploy_without_app_says_to_name_it(tmp_path):
    lines = deploy(path=path_without_heroku(tmp_path))
    [line] = [line for line in lines if line.startswith("APP is not set: ")]
    assert "make heroku-container-deploy APP=" in line


def test_the_deploy_without_a_docker_engine_says_to_start_one(tmp_path):
    path = path_without_heroku(tmp_path)
    lines = deploy("APP=my-app", path=path, DOCKER_HOST="unix:///nonexistent.sock")
    [line] = [line for line in lines if line.startswith("No Docker engine answers docker info: ")]
    assert "start Docker" in line


STAND_IN_HEROKU = """#!{python}
import json, sys

arguments = sys.argv[1:]
with open({calls!r}, "a") as calls:
    print(json.dumps(arguments), file=calls)
answers = json.loads({answers!r})
command = " ".join(arguments)
if command not in answers:
    sys.exit("stand-in heroku: no answer for: " + command)
print(answers[command], end="")
"""


class StandInHeroku:
    """A stand-in for the Heroku CLI, the one thing here that is not real: Heroku's API cannot be
    reached from here, and only a Heroku account could show an app on another stack. Logged in,
    it answers what the deploy runs, as the real CLI (heroku@11.10.0) prints it: `auth:whoami`,
    `apps:info --json --app <app>` (the platform's app under "app"), `container:login` (the
    `docker login` it runs says "Login Succeeded") and `container:release web release --app
    <app>`; it fails on anything else. Every call's arguments are recorded, in order."""

    def __init__(self, tmp_path, app, stack, build_stack):
        self.calls_file = tmp_path / "heroku-calls.jsonl"
        stacks = {"stack": {"name": stack}, "build_stack": {"name": build_stack}}
        info = {"app": {"name": app, **stacks}}
        answers = {
            "auth:whoami": "someone@example.com\n",
            f"apps:info --json --app {app}": json.dumps(info) + "\n",
            "container:login": "Login Succeeded\n",
            f"container:release web release --app {app}": (
                f"Releasing images web,release to {app}... done\n"
            ),
        }
        script = tmp_path / "stand-in-heroku"
        script.write_text(
            STAND_IN_HEROKU.format(
                python=sys.executable, calls=str(self.calls_file), answers=json.dumps(answers)
            )
        )
        script.chmod(0o755)
        self.path = path_with_heroku(script, tmp_path)

    def calls(self):
        """The argument lists the deploy called heroku with, in order."""
        if not self.calls_file.exists():
            return []
        return [json.loads(line) for line in self.calls_file.read_text().splitlines()]


def test_the_deploy_to_an_app_not_on_the_container_stack_says_to_switch_it(tmp_path):
    heroku = StandInHeroku(tmp_path, "my-app", "heroku-24", "heroku-24")
    lines = deploy("APP=my-app", path=heroku.path)
    assert lines[0] == (
        "my-app is on the heroku-24 stack, not container: "
        "run heroku stack:set container --app my-app"
    )
    assert heroku.calls() == [["auth:whoami"], ["apps:info", "--json", "--app", "my-app"]]


def test_an_app_whose_next_build_is_on_the_container_stack_passes_the_check(tmp_path):
    # `heroku stack:set container` changes the next build's stack; container:release takes it.
    heroku = StandInHeroku(tmp_path, "my-app", "heroku-24", "container")
    check = subprocess.run(
        [REPO / "scripts" / "heroku-container-check", "my-app"],
        env=clean_environ(PATH=heroku.path), capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert (check.returncode, check.stderr) == (0, "")


# --- the deploy, from its check to the release ------------------------------------------------


def test_the_deploy_pushes_both_images_and_then_releases_them_together(
    registry, docker_engine, heroku_manifest, tmp_path
):
    """make heroku-container-deploy from start to end: its check, the build, `docker push` of
    both images to a real registry, and last one `heroku container:release web release`. Docker,
    the build and the registry are real; the Heroku CLI is the stand-in, only because Heroku's
    API cannot be reached from here (so Heroku's own registry and release are not either)."""
    app = docker.unique("mysite-test-deploy")
    heroku = StandInHeroku(tmp_path, app, "container", "container")
    for process_type in ("web", "release"):
        before = registry.get(f"{app}/{process_type}/manifests/latest", Accept=ANY_MANIFEST)
        assert before.status_code == 404, before.text
    try:
        result = run_deploy(
            f"APP={app}", f"HEROKU_REGISTRY={registry.address}", path=heroku.path, timeout=900
        )
    finally:
        for process_type in ("web", "release"):
            reference = f"{registry.address}/{app}/{process_type}"
            docker.docker("image", "rm", "--force", reference, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # What the registry holds now is what each process type must run: the release image pushed
    # as `release` migrates; the web image, pushed as `web`, serves.
    [release_command] = heroku_manifest["release"]["command"]
    expected = {
        "release": shlex.split(release_command),
        "web": shlex.split(heroku_manifest["run"]["web"].removeprefix("exec ")),
    }
    for process_type, command in expected.items():
        manifest = registry.get(f"{app}/{process_type}/manifests/latest", Accept=DOCKER_MANIFEST)
        assert manifest.status_code == 200, manifest.text
        config = registry.get(f"{app}/{process_type}/blobs/{manifest.json()['config']['digest']}")
        assert config.json()["config"]["Cmd"] == command, process_type
    calls = heroku.calls()
    assert calls[-1] == ["container:release", "web", "release", "--app", app]
    assert calls.count(calls[-1]) == 1
    assert ["container:login"] in calls[:-1]
