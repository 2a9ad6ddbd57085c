from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("people.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
]
