"""Development and production share base.py and nothing else: whatever development.py adds or
changes (a dev-only app, the debug switch, a setting added there later) never reaches
production, which is built from base.py alone."""

import ast
import json

from tests.support.environment import PYTHON, REPO, clean_environ, production_environ
from tests.support.processes import run, settings_through_manage

DEVELOPMENT = REPO / "mysite" / "settings" / "development.py"


def names_development_sets():
    """Every setting development.py assigns, at any depth (inside an `if` too)."""
    names = set()
    for node in ast.walk(ast.parse(DEVELOPMENT.read_text())):
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AugAssign) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id.isupper():
                    names.add(name.id)
    return sorted(names)


def base_settings(*names):
    code = (
        "import json, mysite.settings.base as base\n"
        f"print(json.dumps({{n: getattr(base, n, None) for n in {names!r}}}, default=str))"
    )
    result = run([PYTHON, "-c", code], clean_environ())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_development_sets_reaches_production():
    names = names_development_sets()
    assert {"DEBUG", "SECRET_KEY", "INSTALLED_APPS", "DATABASES"} <= set(names)
    development = settings_through_manage(clean_environ(), *names)
    production = settings_through_manage(production_environ("postgres://u:p@db.example/d"), *names)
    for name in names:
        if name == "INSTALLED_APPS":
            development_only = set(development[name]) - set(base_settings(name)[name])
            assert "whitenoise.runserver_nostatic" in development_only
            assert not development_only & set(production[name])
        else:
            assert production[name] != development[name], name


def test_whitenoise_takes_over_runservers_static_files_in_development():
    apps = settings_through_manage(clean_environ(), "INSTALLED_APPS")["INSTALLED_APPS"]
    assert apps.index("whitenoise.runserver_nostatic") < apps.index("django.contrib.staticfiles")
