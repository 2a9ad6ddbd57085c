from django.contrib import admin

from .access import log_read
from .models import AccountChange, Department, Employee, EqualityProfile


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class EqualityProfileInline(admin.StackedInline):
    model = EqualityProfile
    can_delete = True
    verbose_name = verbose_name_plural = "Equality monitoring (optional, HR administration only)"


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "staff_number", "job_title", "band", "department", "line_manager"]
    list_filter = ["band", "site"]
    search_fields = ["staff_number", "user__first_name", "user__last_name", "user__email", "job_title"]
    list_select_related = ["user", "department", "line_manager__user"]
    autocomplete_fields = ["user", "department", "line_manager"]
    inlines = [EqualityProfileInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = EqualityProfile.objects.filter(employee_id=object_id).select_related("employee").first()
        if profile is not None:  # the page shows the person's equality data
            log_read(request, profile, subject=profile.employee)
        return response

    def get_readonly_fields(self, request, obj=None):
        # Linking a staff record to another account would hand that account the person's
        # records (their unshared preparation among them): the link is made once, by the import.
        return ["user"] if obj is not None else []


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit trail: HR reads it; nobody adds, changes or deletes a row here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountChange)
class AccountChangeAdmin(ReadOnlyAdmin):
    """Every change made to an account in administration, and every reset email sent from it."""

    list_display = ["at", "by", "account", "summary"]
    search_fields = ["account__username", "account__last_name", "by__username"]
    list_select_related = ["by", "account"]
    date_hierarchy = "at"
