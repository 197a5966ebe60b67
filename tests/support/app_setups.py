"""Heroku's app setups: an app created from app.json (a "Deploy to Heroku" button, a review app
in a pipeline), modelled from app.json itself: the config vars it starts with, its default domain.

Heroku reads app.json once, when it creates the app ("app.json Schema", "Review Apps", "Creating
a 'Deploy to Heroku' Button" on Dev Center). The new app's config vars are exactly:
- each `env` entry's `value` (a bare string is a value), and a random 64-hex-digit string for
  `generator: secret`;
- the add-ons' config vars: Heroku Postgres attached `as` NAME sets NAME_URL (DATABASE_URL);
- HEROKU_APP_NAME and HEROKU_PARENT_APP_NAME (review apps also HEROKU_BRANCH and HEROKU_PR_NUMBER),
  only where app.json declares them.
An entry that is required (the schema's default) with neither value nor generator is a question
the Button's form asks a person: a manual step, which this model refuses. No labs feature, dyno
metadata included, can be on for an app that does not exist yet. A review app applies
`environments.review` over the top-level keys; its `env` entries replace the top-level ones of the
same name. New apps' default domains end in a random suffix: <name>-<12 hex digits>.herokuapp.com.
"""

import dataclasses
import json
import secrets

from tests.support.environment import REPO

PLATFORM_VARIABLES = {
    "button": ("HEROKU_APP_NAME",),
    "review": ("HEROKU_APP_NAME", "HEROKU_PARENT_APP_NAME", "HEROKU_BRANCH", "HEROKU_PR_NUMBER"),
}


def app_json():
    return json.loads((REPO / "app.json").read_text())


@dataclasses.dataclass
class CreatedApp:
    name: str
    domain: str
    config_vars: dict


def for_kind(manifest, kind):
    """app.json as Heroku applies it to this kind of app: a review app's overrides applied."""
    if kind == "button":
        return manifest
    overrides = manifest.get("environments", {}).get("review", {})
    applied = {**manifest, **overrides}
    applied["env"] = {**manifest.get("env", {}), **overrides.get("env", {})}
    return applied


def addon_config_vars(addons, database_url):
    config = {}
    for addon in addons:
        plan = addon if isinstance(addon, str) else addon["plan"]
        attachment = "DATABASE" if isinstance(addon, str) else addon.get("as", "DATABASE")
        assert plan.startswith("heroku-postgresql:"), f"no model for the add-on {plan}"
        config[f"{attachment}_URL"] = database_url
    return config


def create(kind, database_url, manifest=None):
    """The app Heroku creates from app.json: kind is "button" or "review"."""
    spec = for_kind(manifest or app_json(), kind)
    name = f"mysite-{kind}-{secrets.token_hex(2)}"
    platform = {
        "HEROKU_APP_NAME": name,
        "HEROKU_PARENT_APP_NAME": "mysite",
        "HEROKU_BRANCH": "a-feature",
        "HEROKU_PR_NUMBER": "7",
    }
    config = {}
    for variable, entry in spec.get("env", {}).items():
        entry = {"value": entry} if isinstance(entry, str) else entry
        if variable in PLATFORM_VARIABLES[kind]:
            config[variable] = platform[variable]
        elif "value" in entry:
            config[variable] = entry["value"]
        elif entry.get("generator") == "secret":
            config[variable] = secrets.token_hex(32)
        else:
            assert entry.get("required") is False, (
                f"app.json requires {variable} with no value: a person must type it in"
            )
    config.update(addon_config_vars(spec.get("addons", []), database_url))
    return CreatedApp(name, f"{name}-{secrets.token_hex(6)}.herokuapp.com", config)
