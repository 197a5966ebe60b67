#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import sys


def main():
    """Run administrative tasks with the settings that PROD_SETTINGS selects."""
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment? (make dev creates one)"
        ) from exc
    from mysite.settings_switch import activate_or_exit

    activate_or_exit()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
