"""URL configuration for mysite."""

from django.contrib import admin
from django.urls import include, path

from mysite import probes

urlpatterns = [
    path("", include("guestbook.urls")),
    path("admin/", admin.site.urls),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
]
