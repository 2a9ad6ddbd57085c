from django.contrib.auth.models import Group, Permission

from .access import HR_GROUP, SUPPORTER_GROUP

# HR administers the organisation's data (people, departments, equality data, the
# access log) and the accounts that go with it, e.g. to make someone a career supporter.
# The account administration (talentapp.account_admin) narrows what changing a user allows.
HR_AUTH_PERMISSIONS = ["change_user", "view_user"]
# Failed sign-ins and lockouts (django-axes): read-only.
HR_AXES_PERMISSIONS = ["view_accessattempt", "view_accessfailurelog", "view_accesslog"]
# Given to HR by earlier versions; taken back so that no account is made or deleted by hand.
HR_REVOKED_AUTH_PERMISSIONS = ["add_user", "delete_user", "add_group", "change_group", "delete_group", "view_group"]


def role_groups_ensure() -> None:
    """Create the HR and career supporter groups, and give HR its administration permissions."""
    Group.objects.get_or_create(name=SUPPORTER_GROUP)
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(
        *Permission.objects.filter(content_type__app_label="people"),
        *Permission.objects.filter(content_type__app_label="auth", codename__in=HR_AUTH_PERMISSIONS),
        *Permission.objects.filter(content_type__app_label="axes", codename__in=HR_AXES_PERMISSIONS),
    )
    hr.permissions.remove(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=HR_REVOKED_AUTH_PERMISSIONS)
    )
