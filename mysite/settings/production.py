"""Production settings (PROD_SETTINGS=True): base.py plus what production sets, and why. Some
lines restate Django's defaults on purpose: this file is the list a security review reads (the
Content-Security-Policy and the request body limit are base.py's, enforced everywhere).

Everything comes from the environment (Heroku config vars). A missing or bad
variable stops the process with one line naming it (mysite/env.py).
https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from mysite import env
from mysite.settings.base import *  # noqa: F403 - production sets what follows

# Never show tracebacks, settings or SQL to visitors, whatever the environment says.
DEBUG = False

# Signs sessions, CSRF tokens and password-reset links: a guessable key lets anyone forge them.
SECRET_KEY = env.secret_key("SECRET_KEY")

# Answer only our own host names: a forged Host header could poison password-reset links and caches.
# A Deploy-button or review app starts with none (its domain ends in a random suffix, and no
# command or release phase serves a Host): on a Heroku dyno, names under .herokuapp.com then
# answer, because Heroku's router delivers only the app's own domains; any other Host gets 400.
# A custom domain must be listed; dyno metadata narrows it to the app's exact domain (README).
ALLOWED_HOSTS = env.allowed_hosts("ALLOWED_HOSTS")

# Cross-origin POSTs are accepted from our own hosts over https only (CSRF "Origin checking");
# never from the whole of .herokuapp.com, where every other app lives too.
CSRF_TRUSTED_ORIGINS = env.https_origins(ALLOWED_HOSTS)

# Heroku Postgres: required, reused across requests (600 s saves a connect per request),
# checked before reuse without a round trip (survives database restarts: mysite/postgresql/),
# over TLS (Heroku requires it; DATABASE_SSL_REQUIRE=False only for a local prod-like run
# against a database without SSL). A statement ends after DATABASE_STATEMENT_TIMEOUT seconds,
# 3 unless set, and a server that stops answering (frozen, cut off) is given up one second
# later: a page answers, with a 503 at worst, within 5 s, long before the router's 30 s (H12).
# The release phase lifts both for migrations (mysite/management/commands/release.py).
DATABASES = {
    "default": env.database(
        conn_max_age=600,
        conn_health_checks=True,
        ssl_require=env.boolean("DATABASE_SSL_REQUIRE", default=True),
        statement_timeout=env.seconds("DATABASE_STATEMENT_TIMEOUT", default=3),
    )
}

# TLS ends at Heroku's router, which says so in X-Forwarded-Proto: trust it, or every
# request looks like plain http (redirect loops, CSRF "Origin checking failed").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Send plain-http visitors to https, once, before anything is served.
SECURE_SSL_REDIRECT = True

# Probes answer on plain http: a platform health check must not get a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Browsers refuse plain http to us for a year after one visit (defeats SSL stripping).
SECURE_HSTS_SECONDS = 31_536_000

# ... and on every subdomain, which no one can then reach over plain http either (note: for a
# custom apex domain, that binds all its subdomains to https for a year).
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Preload lists are hard to leave again: only on explicit opt-in (SECURE_HSTS_PRELOAD=True).
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # The deploy check's "preload is off" warning (W021) restates that opt-in.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Session and CSRF cookies travel over https only, so they cannot be sniffed on the wire.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Page scripts never need the cookies: keep them away from injected JavaScript.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Cookies go with top-level navigation only, never with another site's form posts or frames.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# __Host- cookies are refused by browsers unless Secure, for Path=/ and set by this host:
# a compromised sibling subdomain cannot plant or overwrite them (cookie tossing).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
MESSAGE_STORAGE = "mysite.message_storage.HostPrefixedFallbackStorage"

# Browsers must not guess content types (a text upload run as a script).
SECURE_CONTENT_TYPE_NOSNIFF = True

# Our URLs do not leak to other sites through the Referer header.
SECURE_REFERRER_POLICY = "same-origin"

# No site may frame our pages (clickjacking).
X_FRAME_OPTIONS = "DENY"

# Our pages get a browsing context of their own: a page we open cannot reach back (tabnabbing).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# While the database is unreachable or too slow, pages answer a short 503, and recover.
MIDDLEWARE = [*MIDDLEWARE, "mysite.middleware.database_outage.DatabaseOutageMiddleware"]  # noqa: F405

# Heroku collects stdout into its log stream (a dyno has no log files worth keeping), one
# logfmt line per record, with the request id, tracebacks included (mysite/logfmt.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"logfmt": {"()": "mysite.logfmt.LogfmtFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "logfmt",
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
}
