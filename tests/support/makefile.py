"""The Makefile's commands as make would run them, read with `make --dry-run`: nothing runs."""

import shlex
import subprocess

from tests.support.environment import REPO, clean_environ


def dry_run(*targets, **variables):
    """The command lines make would run for the targets, given VARIABLE=value arguments."""
    assignments = [f"{name}={value}" for name, value in variables.items()]
    result = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", *targets, *assignments],
        cwd=REPO, env=clean_environ(), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.splitlines()


def image_builds(app="example-app", registry="registry.example.com"):
    """The `docker buildx build` commands of make heroku-container-images, each as
    {option: [values]} (`--name value` and `--name=value` alike) plus "context"."""
    builds = []
    for line in dry_run("heroku-container-images", APP=app, HEROKU_REGISTRY=registry):
        words = shlex.split(line)
        if words[:3] != ["docker", "buildx", "build"]:
            continue
        options, rest = {}, iter(words[3:])
        for word in rest:
            if not word.startswith("--"):
                options.setdefault("context", []).append(word)
                continue
            name, equals, value = word.partition("=")
            options.setdefault(name, []).append(value if equals else next(rest))
        builds.append(options)
    return builds
