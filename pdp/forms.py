from django import forms
from django.core.exceptions import ValidationError

from core.forms import SpecificErrors
from people.forms import SearchField
from people.models import Department

from .models import Action, Objective, Plan
from .services import ActionData

TEXT_LIMIT = 5_000
SUPPORT_LIMIT = 500  # it prints in a narrow column of the PDF's actions table, where a row must fit a page


class LongText(forms.CharField):
    """Optional long text, limited on the server so that pasted text is never cut silently."""

    def __init__(self, *, limit: int = TEXT_LIMIT, rows: int = 4, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                f"This is {len(value):,} characters long; the limit is {self.limit:,}. "
                "Shorten it, then save: your text is still here."
            )


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2_147_483_647, **kwargs)


class WayForwardForm(SpecificErrors, forms.Form):
    way_forward = LongText(
        label="Agreed way forward",
        rows=6,
        help_text="What you agreed to do next, in a few sentences: it heads the plan and its PDF.",
    )
    version = VersionField()


class CommentsForm(SpecificErrors, forms.Form):
    employee_comments = LongText(
        label="Your comments",
        rows=6,
        help_text="Anything you would like to add: what you agree with, what you see differently, what is missing.",
    )
    version = VersionField()


class ObjectiveForm(SpecificErrors, forms.Form):
    title = forms.CharField(
        label="Objective",
        max_length=300,
        help_text="A development objective in a sentence, e.g. “Be ready to apply for a band 6 post within a year”.",
    )
    version = VersionField()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(SpecificErrors, forms.Form):
    """A manager adds or changes an action."""

    description = forms.CharField(
        label="What will be done",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(), required=False, empty_label="No particular objective"
    )
    type = forms.ChoiceField(
        choices=[(value, f"{label}: {Action.TYPE_HELP[value]}") for value, label in Action.Type.choices],
        widget=forms.RadioSelect,
    )
    owner = forms.ChoiceField(label="Who does it", choices=Action.Owner.choices, widget=forms.RadioSelect)
    owner_name = forms.CharField(
        label="Name of who does it", max_length=150, required=False, help_text="When it is someone else."
    )
    due_on = forms.DateField(label="Due by", required=False, widget=DateInput())
    support_needed = LongText(label="Support needed", limit=SUPPORT_LIMIT, rows=2)
    status = forms.ChoiceField(choices=Action.Status.choices, initial=Action.Status.NOT_STARTED)
    progress_notes = LongText(label="Progress notes", rows=3)
    version = VersionField()

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = plan.objectives.all()
        self.fields["objective"].widget.attrs["class"] = "form-select"
        self.fields["status"].widget.attrs["class"] = "form-select"
        owners = dict(Action.Owner.choices)
        if plan.employee_id:
            owners[Action.Owner.EMPLOYEE] = f"{plan.employee.full_name} (the employee)"
        if plan.manager_id:
            owners[Action.Owner.MANAGER] = f"{plan.manager.full_name} (the manager)"
        self.fields["owner"].choices = list(owners.items())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner") == Action.Owner.OTHER and not cleaned.get("owner_name", "").strip():
            self.add_error("owner_name", "Say who does it: a name, a role or a team.")
        if cleaned.get("owner") != Action.Owner.OTHER:
            cleaned["owner_name"] = ""
        return cleaned

    def data_for_service(self) -> ActionData:
        data = self.cleaned_data
        return ActionData(
            description=data["description"].strip(),
            type=data["type"],
            owner=data["owner"],
            owner_name=data["owner_name"].strip(),
            due_on=data["due_on"],
            support_needed=data["support_needed"].strip(),
            objective=data["objective"],
            status=data["status"],
            progress_notes=data["progress_notes"].strip(),
        )

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        return {
            "description": action.description,
            "objective": action.objective_id,
            "type": action.type,
            "owner": action.owner,
            "owner_name": action.owner_name,
            "due_on": action.due_on,
            "support_needed": action.support_needed,
            "status": action.status,
            "progress_notes": action.progress_notes,
            "version": action.version,
        }


class ProgressForm(SpecificErrors, forms.Form):
    """The employee (or a manager) records progress on an action."""

    status = forms.ChoiceField(choices=Action.Status.choices)
    progress_notes = LongText(label="Progress notes", rows=4, help_text="What has happened so far, and what next.")
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select"


class SignOffForm(SpecificErrors, forms.Form):
    version = VersionField()


class DeleteForm(SpecificErrors, forms.Form):
    version = VersionField()


class PlanFilterForm(SpecificErrors, forms.Form):
    STATUSES = [
        ("", "Any"),
        ("none", "No plan yet"),
        *[(v, label) for v, label in Plan.Status.choices if v != "closed"],
    ]

    q = SearchField(label="Name or staff number", required=False, max_length=100)
    status = forms.ChoiceField(label="Plan", choices=STATUSES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs["class"] = "form-control"


class ExportForm(SpecificErrors, forms.Form):
    department = forms.TypedChoiceField(
        label="Part of the organisation",
        coerce=int,
        help_text="A directorate or a department: every current plan of the people in it, its teams included.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {department.pk: department for department in departments_in_tree_order()}
        field = self.fields["department"]
        field.choices = [("", "Choose…")] + [
            (pk, f"{NBSP * 2 * (department.level - 1)}{department.name}") for pk, department in self.departments.items()
        ]
        field.widget.attrs["class"] = "form-select"

    def clean_department(self) -> Department:
        return self.departments[self.cleaned_data["department"]]


NBSP = "\u00a0"


def departments_in_tree_order() -> list[Department]:
    """Directorates, each followed by its departments. An export takes in the teams of what is chosen;
    listing every team would make the list too long to use (and slow) in a large organisation."""
    rows = list(
        Department.objects.filter(level__in=[Department.Level.DIRECTORATE, Department.Level.DEPARTMENT]).order_by(
            "name"
        )
    )
    children: dict[int | None, list[Department]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Department] = []

    def walk(parent_id):
        for row in children.get(parent_id, []):
            ordered.append(row)
            walk(row.pk)

    for row in rows:
        if row.level == Department.Level.DIRECTORATE:
            ordered.append(row)
            walk(row.pk)
    return ordered
