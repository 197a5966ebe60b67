"""ASGI config for mysite, for an ASGI server (uvicorn, daphne, gunicorn's asgi worker).

The settings come from PROD_SETTINGS through the same function manage.py uses.
"""

from mysite.settings_switch import activate_or_exit

activate_or_exit()

from django.core.asgi import get_asgi_application  # noqa: E402 - settings first

application = get_asgi_application()
