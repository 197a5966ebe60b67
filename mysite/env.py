"""Configuration read from the environment, strictly (twelve-factor, factor III).

Every reader raises ConfigurationError with one line that names the variable,
says what is wrong with it and how to fix it. Entry points print that line and
stop (see mysite/settings_switch.py); nobody has to read a traceback.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("True", "true", "1")
FALSE_WORDS = ("False", "false", "0")

# PostgreSQL: give up connecting after this many seconds, so a database outage
# fails requests fast instead of holding every worker for the kernel's TCP
# timeout (minutes), far past the router's 30 s.
POSTGRES_CONNECT_TIMEOUT = 3
# The server ends a statement at its statement timeout; when the server itself has stopped
# answering, the client gives up this much later (mysite/postgresql/deadline.py).
DEADLINE_MARGIN_SECONDS = 1

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5
KEY_ADVICE = (
    "set it to a random string of at least 50 characters, e.g. the output of "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


class ConfigurationError(ImproperlyConfigured):
    """A variable in the environment is missing or wrong. The message is one line."""


def boolean(name, default=False, environ=os.environ):
    """True/true/1 or False/false/0; unset or empty gives the default; anything else is an error."""
    value = environ.get(name, "")
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigurationError(
        f"{name}={value!r} is not a boolean: use True or False (true/false and 1/0 also work)"
    )


def missing(name, howto, environ=os.environ):
    """The error for a variable that is needed but not given (unset, or set to nothing)."""
    state = "is empty" if name in environ else "is not set"
    return ConfigurationError(f"{name} {state}: {howto}")


def required(name, howto, environ=os.environ):
    """The value of a variable that must be set and not blank."""
    value = environ.get(name, "")
    if not value.strip():
        raise missing(name, howto, environ)
    return value


def seconds(name, default=None, environ=os.environ):
    """A positive number of seconds, or the default when unset or empty."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise ConfigurationError(f"{name}={value!r} is not a number of seconds: use e.g. 15")
    return number


def listing(name, environ=os.environ):
    """A comma-separated list; spaces around items and empty items are ignored."""
    return [item.strip() for item in environ.get(name, "").split(",") if item.strip()]


def secret_key(name="SECRET_KEY", environ=os.environ):
    """A production secret key: the same rules as Django's own deploy check (security.W009)."""
    value = required(name, KEY_ADVICE, environ)
    if value.startswith("django-insecure"):
        problem = "starts with 'django-insecure' (a development key)"
    elif len(value) < SECRET_KEY_MIN_LENGTH:
        problem = f"is only {len(value)} characters long"
    elif len(set(value)) < SECRET_KEY_MIN_UNIQUE:
        problem = f"has fewer than {SECRET_KEY_MIN_UNIQUE} distinct characters"
    else:
        return value
    raise ConfigurationError(f"{name} {problem}: {KEY_ADVICE}")


# Every Heroku app's default domain lies under this suffix (a public suffix: each name is another
# site). Heroku's router delivers to a dyno only requests for that app's own domains.
HEROKU_APP_DOMAINS = ".herokuapp.com"


def allowed_hosts(name="ALLOWED_HOSTS", environ=os.environ):
    """Host names this site answers to: ALLOWED_HOSTS, plus the app's default Heroku domain when
    Heroku's dyno metadata gives it (HEROKU_APP_DEFAULT_DOMAIN_NAME). '*' and URLs are refused.

    On a Heroku dyno (DYNO set) with neither, names under .herokuapp.com answer: that is a
    Deploy-button or review app before anyone could know its domain, which ends in a random
    suffix. Heroku's router lets only the app's own domains reach it, so no other app's name can
    arrive there, and any other Host still gets 400. Anywhere else, ALLOWED_HOSTS is required.
    """
    howto = (
        "set it to the site's host names, comma-separated, e.g. myapp.herokuapp.com,www.example.com"
    )
    hosts = listing(name, environ)
    for host in hosts:
        if host == "*":
            raise ConfigurationError(
                f"{name} contains '*', which accepts any Host header (host-header poisoning): "
                f"{howto}"
            )
        if "/" in host:
            bare = host.split("://")[-1].split("/")[0]
            raise ConfigurationError(
                f"{name} contains the URL {host!r}: give host names only, e.g. {bare}"
            )
    default_domain = environ.get("HEROKU_APP_DEFAULT_DOMAIN_NAME", "").strip()
    if default_domain and default_domain not in hosts:
        hosts.append(default_domain)
    if not hosts and environ.get("DYNO"):
        hosts = [HEROKU_APP_DOMAINS]
    if not hosts:
        raise missing(name, howto, environ)
    return hosts


def https_origins(hosts):
    """CSRF trusted origins for host names: https only; '.example.com' means any subdomain.

    The shared .herokuapp.com suffix is left out: it would trust every other app's pages. A form
    posted to the host it came from needs no trusted origin anyway.
    """
    return [
        f"https://*{host}" if host.startswith(".") else f"https://{host}"
        for host in hosts
        if host != HEROKU_APP_DOMAINS
    ]


def database(
    default=None,
    *,
    conn_max_age=0,
    conn_health_checks=False,
    ssl_require=False,
    statement_timeout=None,
    name="DATABASE_URL",
    environ=os.environ,
):
    """The DATABASES['default'] entry for the URL in DATABASE_URL (or the default URL)."""
    url = environ.get(name, "").strip() or default
    if not url:
        raise missing(
            name,
            "set it to the database URL, e.g. postgres://user:password@host:5432/name",
            environ,
        )
    try:
        config = dj_database_url.parse(
            url, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks
        )
    except ValueError:
        # The URL holds a password: the message must not repeat it.
        raise ConfigurationError(
            f"{name} is not a database URL Django can use: "
            "use postgres://user:password@host:5432/name or sqlite:///path/to/file"
        ) from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with deadlines and a health check that costs no round trip.
        config["ENGINE"] = "mysite.postgresql"
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT)
        if ssl_require:
            options.setdefault("sslmode", "require")
        if statement_timeout:
            options.setdefault("options", f"-c statement_timeout={round(statement_timeout * 1000)}")
            options.setdefault("deadline", statement_timeout + DEADLINE_MARGIN_SECONDS)
    return config
