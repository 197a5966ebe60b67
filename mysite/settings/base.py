"""Settings every environment shares: the apps, the middleware, templates, static files, and the
protections that do not depend on https. development.py and production.py add only what they
change; neither is imported by the other.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mysite",
    "guestbook",
]

# Outermost first. WhiteNoise sits where its documentation puts it, directly after
# SecurityMiddleware: a static file gets Django's security headers (HSTS, nosniff, Referrer-Policy,
# COOP) and is sent before anything else runs. It is sent whatever the Host header says, as the
# same bytes for every host (no link or cookie in it depends on the host, so a forged Host poisons
# nothing); every page still gets 400 for a forged Host. Pages also get the Content-Security-Policy
# and X-Frame-Options, which govern documents. Oversized bodies are refused before anything reads
# them. Two sit above SecurityMiddleware so that static files get them too: the request id, and
# the localhost HSTS reset (it rewrites the header SecurityMiddleware sets, so must run after it).
MIDDLEWARE = [
    "mysite.middleware.request_id.RequestIdMiddleware",
    "mysite.middleware.local_hsts.LocalHostWithoutHstsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mysite.middleware.content_security_policy.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mysite.middleware.body_limit.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "mysite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "mysite.wsgi.application"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The largest request body accepted: a signed entry is under 5 KB and admin forms stay
# far below this. Anything bigger gets 413 unread (mysite/middleware/body_limit.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

# Content-Security-Policy, in Django 6.0's setting names (see
# mysite/middleware/content_security_policy.py): our own scripts, styles, images and fonts only;
# no inline code, no plugins, no framing; forms post only to us. Injected script cannot run (XSS)
# and no site can frame us. Enforced everywhere but in development (development.py says why).
SECURE_CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files are the same in both environments, so `collectstatic` runs at
# image build time with the development settings: no secret and no database needed.
# While DEBUG is on, templates link the unhashed names and WhiteNoise serves
# them straight from the apps; with DEBUG off, the hashed, compressed copies.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files served at the site's root, not under STATIC_URL: browsers ask for /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
