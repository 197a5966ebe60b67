"""Django's PostgreSQL backend with a deadline on every wait and a health check that costs no
round trip (ENGINE "mysite.postgresql"; see base.py)."""
