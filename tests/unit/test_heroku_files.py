"""Heroku's files say one thing: heroku.yml (container stack), the Procfile (buildpack),
app.json (review apps, the Deploy button), .python-version and the Dockerfile agree."""

import json
import re
import secrets
import shlex

import jsonschema
import pytest
import yaml

from mysite import env
from tests.support import app_setups
from tests.support.environment import REPO
from tests.support.makefile import dry_run

# app.json as Heroku documents it ("app.json Schema", Dev Center): every key it knows, and
# nothing else, so a typo cannot pass as a setting Heroku silently ignores.
URL = {"type": "string", "pattern": "^https?://"}
APP_JSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 3, "maxLength": 30},
        "description": {"type": "string", "maxLength": 140},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "website": URL,
        "repository": URL,
        "logo": URL,
        "success_url": {"type": "string"},
        "scripts": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"postdeploy": {"type": "string"}, "pr-predestroy": {"type": "string"}},
        },
        "env": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Z][A-Z0-9_]*$"},
            "additionalProperties": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["description"],
                        "properties": {
                            "description": {"type": "string", "minLength": 1},
                            "value": {"type": "string"},
                            "required": {"type": "boolean"},
                            "generator": {"enum": ["secret"]},
                        },
                    },
                ]
            },
        },
        "formation": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "quantity": {"type": "integer", "minimum": 0},
                    "size": {"type": "string"},
                },
            },
        },
        "image": {"type": "string"},
        "addons": {
            "type": "array",
            "items": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["plan"],
                        "properties": {
                            "plan": {"type": "string"},
                            "as": {"type": "string"},
                            "options": {"type": "object"},
                        },
                    },
                ]
            },
        },
        "buildpacks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["url"],
                "properties": {"url": {"type": "string"}},
            },
        },
        "environments": {"type": "object"},
        "stack": {"type": "string", "pattern": "^(container|heroku-[0-9]+)$"},
    },
}


def heroku_yml():
    return yaml.safe_load((REPO / "heroku.yml").read_text())


def app_json():
    return json.loads((REPO / "app.json").read_text())


def procfile():
    lines = (REPO / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def dockerfile():
    return (REPO / "Dockerfile").read_text()


def test_the_procfile_runs_the_same_web_command_as_heroku_yml():
    assert procfile()["web"] == heroku_yml()["run"]["web"]


def test_the_procfile_releases_with_the_same_command_as_heroku_yml():
    assert [procfile()["release"]] == heroku_yml()["release"]["command"]


def dockerfile_stages():
    """{stage name: [its instructions, continuation lines joined]}, comments left out."""
    stages, current = {}, None
    text = re.sub(r"\\\n", " ", dockerfile())
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "FROM":
            current = words[3] if len(words) == 4 and words[2].upper() == "AS" else words[1]
            stages[current] = []
        stages[current].append(line.strip())
    return stages


def stage_command(stage):
    """The stage's CMD, which must be exec form (a JSON array): no shell between it and
    Heroku's SIGTERM, and no shell words to split differently."""
    [command] = [line for line in dockerfile_stages()[stage] if line.startswith("CMD ")]
    return json.loads(command.removeprefix("CMD "))


def make_prod_release_command():
    """The command make prod runs in the image before gunicorn: its release step."""
    steps = [step for line in dry_run("prod") for step in line.split(" && ")]
    [step] = [step for step in steps if " run --rm prod " in step]
    words = shlex.split(step)
    return words[words.index("--rm") + 2 :]  # after `run --rm prod`


def test_the_release_image_runs_the_release_command_of_heroku_yml_and_the_procfile():
    # A Container Registry deploy ignores heroku.yml and the Procfile: Heroku runs the image
    # pushed as `release` with no command, so its CMD must be the same migration. make prod
    # runs the production way on your machine, so its release step is that command too.
    commands = {
        "Dockerfile (release stage CMD)": stage_command("release"),
        "Procfile (release:)": shlex.split(procfile()["release"]),
        "Makefile (make prod's release step)": make_prod_release_command(),
        **{
            f"heroku.yml (release.command[{index}])": shlex.split(command)
            for index, command in enumerate(heroku_yml()["release"]["command"])
        },
    }
    assert len({tuple(command) for command in commands.values()}) == 1, commands


def test_the_release_and_web_stages_differ_only_in_their_command():
    # The release phase migrates with the very code and dependencies the web dyno runs.
    stages = dockerfile_stages()
    assert list(stages)[-1] == "web"  # the last stage: what `docker build .` and heroku.yml build
    for stage in ("release", "web"):
        assert stages[stage][0] == f"FROM app AS {stage}"
        assert [line.split()[0] for line in stages[stage]] == ["FROM", "CMD"]


def test_the_web_stage_runs_heroku_ymls_web_command():
    words = shlex.split(heroku_yml()["run"]["web"])
    assert stage_command("web") == (words[1:] if words[0] == "exec" else words)


def test_app_json_has_the_shape_heroku_documents():
    jsonschema.validate(app_json(), APP_JSON_SCHEMA)


def test_the_shape_check_catches_an_unknown_or_misspelt_key():
    for broken in ({**app_json(), "enviroment": {}}, {**app_json(), "stack": "docker"}):
        errors = list(jsonschema.Draft202012Validator(APP_JSON_SCHEMA).iter_errors(broken))
        assert errors


def test_app_json_uses_the_container_stack_and_heroku_ymls_add_ons():
    assert app_json()["stack"] == "container"
    assert app_json()["addons"] == heroku_yml()["setup"]["addons"]


def test_production_is_declared_alike_in_app_json_heroku_yml_and_the_image():
    declared = {
        "app.json": app_json()["env"]["PROD_SETTINGS"]["value"],
        "heroku.yml": heroku_yml()["setup"]["config"]["PROD_SETTINGS"],
        "Dockerfile": re.search(r"^ENV PROD_SETTINGS=(\S+)$", dockerfile(), re.MULTILINE)[1],
    }
    assert set(declared.values()) == {"True"}, declared


def test_heroku_generates_a_secret_key_the_settings_accept():
    assert app_json()["env"]["SECRET_KEY"] == {
        "description": app_json()["env"]["SECRET_KEY"]["description"],
        "generator": "secret",
    }
    generated = secrets.token_hex(32)  # Heroku's secret generator: 64 hexadecimal characters
    assert env.secret_key(environ={"SECRET_KEY": generated}) == generated


@pytest.mark.parametrize("kind", ["button", "review"])
def test_an_app_created_from_app_json_starts_with_a_key_a_database_and_production(kind):
    config = app_setups.create(kind, "postgres://u:p@db:5432/d").config_vars
    assert set(config) == {"PROD_SETTINGS", "SECRET_KEY", "DATABASE_URL"}
    environ = {**config, "DYNO": "release.1"}
    assert env.secret_key(environ=environ) == config["SECRET_KEY"]
    assert env.allowed_hosts(environ=environ) == [".herokuapp.com"]


def test_the_model_refuses_a_variable_a_person_would_have_to_type_in():
    manifest = {**app_setups.app_json(), "env": {"API_TOKEN": {"description": "a token"}}}
    with pytest.raises(AssertionError, match="API_TOKEN with no value"):
        app_setups.create("button", "postgres://u:p@db:5432/d", manifest)


def test_a_review_app_takes_app_jsons_review_overrides_and_the_names_it_declares():
    manifest = {
        **app_setups.app_json(),
        "environments": {"review": {"env": {"PROD_SETTINGS": "True", "DEBUG_TOOLBAR": "off"}}},
    }
    manifest["env"] = {**manifest["env"], "HEROKU_PR_NUMBER": {"description": "the PR"}}
    review = app_setups.create("review", "postgres://u:p@db:5432/d", manifest).config_vars
    assert review["DEBUG_TOOLBAR"] == "off"
    assert review["HEROKU_PR_NUMBER"] == "7"
    with pytest.raises(AssertionError, match="HEROKU_PR_NUMBER with no value"):
        app_setups.create("button", "postgres://u:p@db:5432/d", manifest)


def test_a_new_apps_default_domain_ends_in_a_random_suffix():
    app = app_setups.create("button", "postgres://u:p@db:5432/d")
    assert re.fullmatch(rf"{app.name}-[0-9a-f]{{12}}\.herokuapp\.com", app.domain)


def test_every_variable_app_json_describes_is_in_the_readme_table():
    readme = (REPO / "README.md").read_text()
    for name in app_json()["env"]:
        assert f"| `{name}` |" in readme, name


def test_the_buildpack_python_is_the_images_python():
    base = re.search(r"^FROM python:(\d+\.\d+)-slim", dockerfile(), re.MULTILINE)[1]
    assert (REPO / ".python-version").read_text().strip() == base
