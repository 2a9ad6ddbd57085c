"""The restricted administration of accounts.

Administration is no way round the access rules. HR cannot set or learn anyone's password
(it can send a reset email, which goes to the person), cannot change the name, user name or
email that come from the HR system (an email changed here, then a reset, would hand HR the
account), cannot grant staff, superuser or permission rights, can give only the role groups
(HR, career supporters), and cannot change HR or superuser accounts at all. Accounts are
created by the staff import and never deleted here (deactivate instead). Every change made
here, and every reset email sent, is written to the account change log (people.AccountChange).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from conversations.notifications import password_reset_notify
from core.forms import SpecificErrors
from people.access import HR_GROUP, SUPPORTER_GROUP
from people.models import AccountChange, Employee

User = get_user_model()
ROLE_GROUPS = [HR_GROUP, SUPPORTER_GROUP]


def register(site: admin.AdminSite) -> None:
    """Put AccountAdmin in place of django.contrib.auth's user and group administration."""
    for model in (User, Group):
        if site.is_registered(model):
            site.unregister(model)
    site.register(User, AccountAdmin)


def _is_protected(account) -> bool:
    """Accounts HR may not change: superusers, staff and HR's own (itself included)."""
    return account.is_superuser or account.is_staff or account.groups.filter(name=HR_GROUP).exists()


class AccountForm(SpecificErrors, forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.filter(name__in=ROLE_GROUPS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles",
        help_text="Career supporters appear in the directory; HR administers the organisation's data.",
    )

    class Meta:
        model = User
        fields = ["is_active", "groups"]
        labels = {"is_active": "Can sign in"}
        help_texts = {"is_active": "Untick for someone who has left: they can no longer sign in or reset a password."}


class AccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ["username", "first_name", "last_name", "email", "is_active", "roles"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    readonly_fields = ["username", "first_name", "last_name", "email", "last_login", "date_joined"]
    fields = [*readonly_fields[:4], "is_active", "groups", *readonly_fields[4:]]
    actions = ["send_password_reset"]

    @admin.display(description="Roles")
    def roles(self, account) -> str:
        return ", ".join(group.name for group in account.groups.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_add_permission(self, request) -> bool:
        return False  # accounts come with their staff record, from the staff import

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # records are kept; a leaver's account is made inactive

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and _is_protected(obj):
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        account = form.instance
        before = {"is_active": form.initial.get("is_active"), "roles": self._role_names(account)}
        super().save_related(request, form, formsets, change)
        after = {"is_active": account.is_active, "roles": self._role_names(account)}
        if before["is_active"] != after["is_active"]:
            self._log(request, account, "Can sign in: " + ("yes" if after["is_active"] else "no"))
        if before["roles"] != after["roles"]:
            roles = ", ".join(sorted(after["roles"])) or "none"
            self._log(request, account, f"Roles: {', '.join(sorted(before['roles'])) or 'none'} → {roles}")

    @admin.action(description="Send a password reset email")
    def send_password_reset(self, request, queryset):
        sent = 0
        for employee in Employee.objects.filter(user__in=queryset, user__is_active=True).select_related("user"):
            if _is_protected(employee.user):
                continue
            if password_reset_notify(employee=employee):
                self._log(request, employee.user, "Password reset email sent")
                sent += 1
        self.message_user(
            request,
            f"{sent} password reset email{'s' if sent != 1 else ''} sent. Each goes to the person's own address; "
            "nobody else sees the link.",
            messages.SUCCESS if sent else messages.WARNING,
        )

    @staticmethod
    def _role_names(account) -> set[str]:
        return set(account.groups.values_list("name", flat=True)) if account.pk else set()

    @staticmethod
    def _log(request, account, summary: str) -> None:
        AccountChange.objects.create(by=request.user, account=account, summary=summary[:300])
