from django.contrib.auth.models import Group, Permission

from .access import HR_GROUP, SUPPORTER_GROUP

# HR administers the organisation's data (people, departments, equality data, the
# access log) and the accounts that go with it, e.g. to make someone a career supporter.
HR_AUTH_PERMISSIONS = ["add_user", "change_user", "view_user", "view_group"]


def role_groups_ensure() -> None:
    """Create the HR and career supporter groups, and give HR its administration permissions."""
    Group.objects.get_or_create(name=SUPPORTER_GROUP)
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(
        *Permission.objects.filter(content_type__app_label="people"),
        *Permission.objects.filter(content_type__app_label="auth", codename__in=HR_AUTH_PERMISSIONS),
    )
