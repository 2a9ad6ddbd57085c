from django.contrib import admin

from .models import AccessLog, Department, Employee, EqualityProfile


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


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: who read which confidential record, and when."""

    list_display = ["at", "user", "subject", "record_type", "record_id", "path"]
    list_filter = ["record_type"]
    search_fields = ["user__username", "subject__staff_number", "subject__user__last_name"]
    list_select_related = ["user", "subject__user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
