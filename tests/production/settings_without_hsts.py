"""Production settings with HSTS switched off: proves the deploy-check test can fail."""

from mysite.settings.production import *  # noqa: F403

SECURE_HSTS_SECONDS = 0
