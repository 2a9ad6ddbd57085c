from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from people.forms import PasswordResetForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("people.urls")),
    path("conversations/", include("conversations.urls")),
    path("grid/", include("grid.urls")),
    path("pdp/", include("pdp.urls")),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
]
