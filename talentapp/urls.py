from django.contrib import admin
from django.urls import include, path

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("people.urls")),
    path("conversations/", include("conversations.urls")),
    path("grid/", include("grid.urls")),
    path("pdp/", include("pdp.urls")),
    path("accounts/keep-alive/", views.keep_alive, name="keep_alive"),
    path("accounts/", include(accounts.urlpatterns)),
    path("oidc/", include("talentapp.oidc.urls")),
    *accounts.admin_urlpatterns,
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
