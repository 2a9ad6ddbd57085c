"""The admin site (HR administration), open to HR only. The accounts in it are administered
through talentapp.account_admin, registered here once the apps are loaded."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class TalentAdminSite(admin.AdminSite):
    site_header = "Talent conversations administration"
    site_title = "Talent conversations administration"
    index_title = "HR administration"

    def has_permission(self, request) -> bool:
        """HR administers the organisation's data; nobody else reaches the admin."""
        from people.access import roles_for

        user = request.user
        return user.is_active and (user.is_superuser or roles_for(user).is_hr)


class TalentAdminConfig(AdminConfig):
    default_site = "talentapp.admin.TalentAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin.py, django.contrib.auth's included
        from . import account_admin, signin  # noqa: F401  (signin connects the failed sign-in log)

        account_admin.register(admin.site)
