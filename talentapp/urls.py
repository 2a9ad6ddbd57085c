from django.contrib import admin
from django.urls import include, path

from . import accounts, person_hub, views

urlpatterns = [
    path("", views.home, name="home"),
    # The person as a hub gathers every app, so it is the project's page, at the staff record's address.
    path("people/<int:pk>/", person_hub.person_detail, name="person_detail"),
    path("", include("people.urls")),
    path("conversations/", include("conversations.urls")),
    path("grid/", include("grid.urls")),
    path("pdp/", include("pdp.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("accounts/keep-alive/", views.keep_alive, name="keep_alive"),
    path("accounts/", include(accounts.urlpatterns)),
    path("oidc/", include("talentapp.oidc.urls")),
    *accounts.admin_urlpatterns,
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
