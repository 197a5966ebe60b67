"""The README cannot rot: every shell block marked `runnable` is run, command by command, on a
fresh copy of the repository; every other shell block deploys to Heroku, and each heroku
command in it, in the prose's inline code and in the Makefile's Heroku targets is checked
against the Heroku CLI's own help: the command exists and takes the flags the README gives it."""

import functools
import os
import re
import shlex
import shutil
import signal
import subprocess
import warnings

import pytest
import requests
import urllib3
import yaml

from tests.support import docker, requirements, waiting
from tests.support.environment import APP_VARIABLES, REPO
from tests.support.servers import free_port

README = REPO / "README.md"
BLOCK = re.compile(r"^```sh( runnable)?\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LOCAL_URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1):(\d+)\S*")
HEROKU_COMMAND = re.compile(r"(?:^|\$\()heroku\s+([a-z][a-z:-]*)([^|)\"]*)")
# What a shell block may do when it is not run here: deploy to Heroku.
PLATFORM_COMMAND = re.compile(r"^(heroku |git push heroku |make heroku-)")
# A heroku command anywhere in a script's line: one it runs, or one its messages tell you to
# run. Its flags are read up to a quote or punctuation, so a script writes them before a
# quoted argument.
SCRIPT_HEROKU_COMMAND = re.compile(r"(?<![\w./-])heroku ([a-z][a-z:-]*[^|;&)`'\",:]*)")
# Scripts that run heroku commands for a make target.
HEROKU_SCRIPTS = [REPO / "scripts" / "heroku-container-check"]
# Every fenced block, whatever its language, and the inline code spans of what is left.
FENCED_BLOCK = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`]+)`")


def shell_blocks():
    """(runnable, [command lines]) for each ```sh block, comments and blank lines left out."""
    for match in BLOCK.finditer(README.read_text()):
        lines = [line for line in match.group(2).splitlines() if line.strip()]
        yield bool(match.group(1)), [line for line in lines if not line.startswith("#")]


def split_comment(line):
    command, _, comment = line.partition(" #")
    return command.strip(), comment.strip()


def test_the_readme_has_runnable_blocks_and_heroku_blocks():
    kinds = [runnable for runnable, _ in shell_blocks()]
    assert kinds.count(True) >= 4
    assert kinds.count(False) >= 2


def test_every_block_not_run_here_only_deploys_to_heroku():
    for runnable, commands in shell_blocks():
        if not runnable:
            for command in commands:
                assert PLATFORM_COMMAND.match(command), command


def test_the_heroku_blocks_are_valid_shell():
    for runnable, commands in shell_blocks():
        if not runnable:
            check = subprocess.run(["bash", "-n"], input="\n".join(commands), text=True)
            assert check.returncode == 0


def test_the_readme_provisions_the_plan_heroku_yml_declares():
    plan = yaml.safe_load((REPO / "heroku.yml").read_text())["setup"]["addons"][0]["plan"]
    provisioned = {
        shlex.split(command)[2]
        for runnable, commands in shell_blocks()
        for command in commands
        if command.startswith("heroku addons:create")
    }
    assert provisioned == {plan}


def prose_heroku_commands():
    """The heroku commands the README's prose gives in inline code (`heroku releases:output`),
    tables included; a span that a line break splits is joined again."""
    prose = FENCED_BLOCK.sub("", README.read_text())
    spans = (" ".join(span.split()) for span in INLINE_CODE.findall(prose))
    return [span for span in spans if span.startswith("heroku ")]


def test_the_prose_names_heroku_commands_in_inline_code_line_breaks_and_flags_included():
    found = {command.split()[1] for command in prose_heroku_commands()}
    assert {"releases:output", "addons:wait", "pg:psql"} <= found  # addons:wait: split by a line
    assert "heroku create --manifest" in prose_heroku_commands()


def heroku_command_lines():
    """Heroku CLI command lines: the README's (its shell blocks and its prose), what the
    Makefile's Heroku targets run, and the heroku commands in the scripts those targets call."""
    lines = [
        command for runnable, commands in shell_blocks() if not runnable for command in commands
    ]
    lines += prose_heroku_commands()
    targets = ["heroku-create", "heroku-deploy", "heroku-logs", "heroku-container-deploy"]
    dry_run = subprocess.run(
        ["make", "--dry-run", *targets, "APP=example-app"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines += [line for line in dry_run.stdout.splitlines() if line.startswith("heroku ")]
    for script in HEROKU_SCRIPTS:
        for line in script.read_text().splitlines():
            if not line.lstrip().startswith("#"):
                lines += [f"heroku {command}" for command in SCRIPT_HEROKU_COMMAND.findall(line)]
    return lines


def test_the_scripts_heroku_commands_are_found_runs_and_advice_alike():
    found = {line.split()[1] for line in heroku_command_lines()}
    assert {"auth:whoami", "apps:info", "login", "stack:set", "container:release"} <= found


@pytest.fixture(scope="module")
def heroku_cli(tmp_path_factory):
    """The Heroku CLI's help for a subcommand: (exit status, usage)."""
    path = requirements.heroku_cli()
    home = tmp_path_factory.mktemp("heroku-home")  # the CLI keeps its state under $HOME

    @functools.cache  # each CLI start takes seconds; many lines share a subcommand
    def help_for(subcommand):
        result = subprocess.run(
            [path, subcommand, "--help"], capture_output=True, text=True, timeout=120,
            env={**os.environ, "HOME": str(home)}, check=False,
        )  # fmt: skip
        return result.returncode, result.stdout

    return help_for


def test_both_cis_install_the_one_pinned_heroku_cli():
    """The commands are checked against one version of the CLI: .ci/run's pin, which the
    public CI installs too."""
    ci_run = (REPO / ".ci" / "run").read_text()
    [pinned] = re.findall(r"^heroku_version=(\S+)$", ci_run, re.MULTILINE)
    assert set(re.findall(r"heroku@[\w.$]+", ci_run)) == {"heroku@$heroku_version"}
    workflow = (REPO / ".github" / "workflows" / "ci.yml").read_text()
    assert re.findall(r"npm install .*heroku\S*", workflow) == [
        f"npm install --global heroku@{pinned}"
    ]


@pytest.mark.heroku_cli
def test_every_heroku_command_exists_and_takes_the_flags_used(heroku_cli):
    checked = set()
    for line in heroku_command_lines():
        for subcommand, rest in HEROKU_COMMAND.findall(line):
            flags = re.findall(r"(?<!\S)(--?[a-z][a-z-]*)", rest)
            status, usage = heroku_cli(subcommand)
            assert status == 0, f"heroku {subcommand}: no such command"
            for flag in flags:
                # A flag hidden from the flags list is found in the examples, where the CLI
                # gives one (`heroku apps:create --manifest`).
                assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", usage), (
                    f"heroku {subcommand} has no {flag}"
                )
            checked.add(subcommand)
    assert {"create", "addons:create", "config:set", "domains", "ps:scale", "logs"} <= checked
    assert {"container:login", "container:release", "auth:whoami", "apps:info"} <= checked
    assert {"releases:output", "container:push", "pg:psql"} <= checked  # from the prose


# --- the runnable blocks, run -----------------------------------------------------------


def fresh_copy(destination):
    """The repository as a clone of the working tree: tracked and new files, nothing ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def answers(url):
    """Whether the URL answers 200 (make prod's router has a self-signed certificate)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        try:
            return requests.get(url, timeout=3, verify=False).status_code == 200  # noqa: S501
        except requests.RequestException:
            return False


class Runner:
    """Runs README commands as a newcomer would, on ports and a compose project of its own."""

    def __init__(self, checkout, log_dir):
        self.checkout = checkout
        self.log_dir = log_dir
        self.ports = {"8000": free_port(), "8443": free_port()}
        self.environ = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
        self.environ.update(
            COMPOSE_PROJECT_NAME=docker.unique("mysite-test-readme"),
            WEB_PORT=str(self.ports["8000"]),
            PROD_PORT=str(self.ports["8443"]),
            MYSITE_IMAGE=docker.unique("mysite-test-readme") + ":latest",
            VENV=str(REPO / ".venv"),  # the suite's virtualenv: make venv is CI's own check
            BENCH_ROUNDS="1",
            BENCH_ROUND_SECONDS="2",
            BENCH_WARMUP_SECONDS="1",
        )

    def url_in(self, comment):
        match = LOCAL_URL.search(comment)
        if not match:
            return None
        return match.group(0).replace(f":{match.group(1)}", f":{self.ports[match.group(1)]}")

    def run(self, line, timeout=1200):
        command, comment = split_comment(line)
        url = self.url_in(comment)
        log = self.log_dir / (re.sub(r"\W+", "-", command) + ".log")
        with log.open("w") as output:
            process = subprocess.Popen(
                ["bash", "-c", command], cwd=self.checkout, env=self.environ,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        # Until it exits, or answers at the URL its comment gives (a server never exits).
        try:
            waiting.until(
                lambda: process.poll() is not None or (url and answers(url)), timeout, 0.5,
                what=lambda: f"`{command}` to finish or serve:\n{log.read_text()[-3000:]}",
            )  # fmt: skip
        except AssertionError:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # Still running 15 s on, and serving what it said: a server (make dev). Stop it.
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
            return
        assert process.returncode == 0, f"`{command}` failed:\n{log.read_text()[-3000:]}"
        if url:
            assert answers(url), f"`{command}` exited but {url} does not answer"


@pytest.mark.container
def test_the_readmes_runnable_commands_work_on_a_fresh_copy(docker_engine, tmp_path):
    checkout = fresh_copy(tmp_path / "mysite")
    logs = tmp_path / "logs"
    logs.mkdir()
    runner = Runner(checkout, logs)
    ran = []
    try:
        for runnable, commands in shell_blocks():
            if runnable:
                for command in commands:
                    runner.run(command)
                    ran.append(split_comment(command)[0])
    finally:
        subprocess.run(["make", "clean"], cwd=checkout, env=runner.environ, capture_output=True)
        docker.docker("image", "rm", "--force", runner.environ["MYSITE_IMAGE"], check=False)
    for expected in ("make up", "make test", "make dev", "make prod", "make lint", "make bench"):
        assert expected in ran
