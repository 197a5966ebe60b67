"""Development settings for mysite. They run with no environment at all.

Production (PROD_SETTINGS=True) runs mysite/settings_prod.py, which imports
everything here and changes only what production needs.
https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from pathlib import Path

from mysite import env

BASE_DIR = Path(__file__).resolve().parent.parent

# A throwaway key, good for development only: production refuses any key
# starting with "django-insecure" and requires SECRET_KEY from the environment.
SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105

DEBUG = True

# Empty means localhost only while DEBUG is on; set ALLOWED_HOSTS to reach the
# dev server by another name.
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # Static files are served by WhiteNoise in development as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guestbook",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mysite" / "templates"],
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

# SQLite in the repository unless DATABASE_URL names another database
# (docker compose points it at PostgreSQL).
DATABASES = {"default": env.database(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# image build time with these settings: no secret and no database needed.
# While DEBUG is on, templates link the unhashed names and WhiteNoise serves
# them straight from the apps; with DEBUG off, the hashed, compressed copies.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
