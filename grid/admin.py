"""HR edits the grid's wording (axes, levels, boxes) and its settings in administration."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from .models import BoxDefinition, GridDefinition, GridSettings


class NineBoxesFormSet(BaseInlineFormSet):
    """A grid definition has exactly nine boxes: one per position, numbered 1 to 9."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        positions = {(data["performance"], data["potential"]) for data in kept}
        numbers = {data["number"] for data in kept}
        if len(kept) != 9 or len(positions) != 9 or numbers != set(range(1, 10)):
            raise ValidationError(
                "A grid needs nine boxes: one in each column and row, numbered 1 to 9 with each number once."
            )


class BoxDefinitionInline(admin.StackedInline):
    model = BoxDefinition
    formset = NineBoxesFormSet
    fields = [("number", "performance", "potential"), "label", "description", "suggested_actions"]
    max_num = 9
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs):
        return 9 if obj is None else 0


@admin.register(GridDefinition)
class GridDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "x_axis_name", "y_axis_name", "in_use"]
    fieldsets = [
        (None, {"fields": ["name"]}),
        ("Columns", {"fields": ["x_axis_name", "x_axis_help", ("x_level_1", "x_level_2", "x_level_3")]}),
        ("Rows", {"fields": ["y_axis_name", "y_axis_help", ("y_level_1", "y_level_2", "y_level_3")]}),
    ]
    inlines = [BoxDefinitionInline]
    actions = ["copy_definitions"]

    @admin.display(boolean=True, description="in use")
    def in_use(self, definition: GridDefinition) -> bool:
        return GridSettings.objects.filter(pk=1, definition=definition).exists()

    @admin.action(description="Copy, to edit into a new grid")
    def copy_definitions(self, request, queryset):
        for definition in queryset.prefetch_related("boxes"):
            boxes = list(definition.boxes.all())
            with transaction.atomic():
                name = f"Copy of {definition.name}"[:100]
                suffix = 2
                while GridDefinition.objects.filter(name=name).exists():
                    name = f"Copy {suffix} of {definition.name}"[:100]
                    suffix += 1
                definition.pk = None
                definition.name = name
                definition.save()
                for box in boxes:
                    box.pk = None
                    box.definition = definition
                BoxDefinition.objects.bulk_create(boxes)
            self.message_user(request, f"Made {name}. Edit it, then choose it in the grid settings.", messages.SUCCESS)


@admin.register(GridSettings)
class GridSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "definition", "employee_view", "employee_comments"]
    fields = ["definition", "employee_view", "employee_comments"]

    def has_add_permission(self, request):
        return not GridSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
