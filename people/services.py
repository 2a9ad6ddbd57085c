from django.contrib.auth.models import Group, Permission

from .access import HR_GROUP, SUPPORTER_GROUP

# HR administers the organisation's data (people, departments, equality data, access log)
# and the accounts that go with it, e.g. to add career supporters.
HR_PERMISSIONS = [
    ("people", ["department", "employee", "equalityprofile", "accesslog"]),
    ("auth", ["user"]),
]


def role_groups_ensure() -> None:
    """Create the HR and career supporter groups, and give HR its administration permissions."""
    Group.objects.get_or_create(name=SUPPORTER_GROUP)
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    permissions = Permission.objects.none()
    for app_label, models in HR_PERMISSIONS:
        permissions |= Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
    hr.permissions.add(*permissions)
