"""WSGI config for mysite: what gunicorn serves (`gunicorn mysite.wsgi`).

The settings come from PROD_SETTINGS through the same function manage.py uses.
"""

from mysite.settings_switch import activate_or_exit

activate_or_exit()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - settings first

application = get_wsgi_application()
