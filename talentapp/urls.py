from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts import PasswordResetView

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("people.urls")),
    path("conversations/", include("conversations.urls")),
    path("grid/", include("grid.urls")),
    path("pdp/", include("pdp.urls")),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/keep-alive/", views.keep_alive, name="keep_alive"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
]
