from django.apps import AppConfig


class MysiteConfig(AppConfig):
    """The project package as an app: its templates and its management commands."""

    name = "mysite"
    verbose_name = "mysite"
