"""mysite's settings: base.py holds what every environment shares; development.py and
production.py hold only what each changes, and neither sees the other's. PROD_SETTINGS picks one
for every entry point (mysite/settings_switch.py).
https://docs.djangoproject.com/en/5.2/ref/settings/
"""
