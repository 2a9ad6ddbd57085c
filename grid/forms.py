from datetime import date, timedelta

from django import forms
from django.utils import timezone

from core.forms import SpecificErrors
from people.access import roles_for
from people.line import line_places
from people.models import Band, Department, Employee
from people.picker import PersonField, pickable_people, resolve_person
from people.selectors import sites_in_use

from .models import Placement, Rating, Successor, suggested_potential
from .scope import Scope

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
TRACK_CHOICES = [("", "Everyone"), ("specialist", "Specialist track only"), ("other", "Not on the specialist track")]


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _date_field(label: str, *, example: str) -> forms.DateField:
    """A date typed as day/month/year, with the same example in its help and its error."""
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        help_text=f"For example, {example}",
        widget=_text(inputmode="numeric", autocomplete="off", size="10"),
        error_messages={"invalid": f"Enter a date as day/month/year, for example {example}."},
    )


def _active_staff():
    return Employee.objects.filter(user__is_active=True)


def _directorates_and_departments():
    return Department.objects.filter(level__in=[Department.Level.DIRECTORATE, Department.Level.DEPARTMENT]).order_by(
        "name"
    )


class MarksErrorsForm(SpecificErrors, forms.Form):
    """For forms laid out by hand: fields with errors are marked invalid and point to their messages
    (shown by grid/_field.html with the id "<field id>_error")."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field_id = self[name].auto_id
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} is-invalid".strip()
            field.widget.attrs["aria-invalid"] = "true"
            described_by = [f"{field_id}_helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"{field_id}_error"])


class ScopeForm(MarksErrorsForm):
    """The part of the organisation to look at. A manager's choices only ever narrow their line."""

    department = forms.ModelChoiceField(
        queryset=_directorates_and_departments(),
        label="Directorate or department",
        required=False,
        empty_label="Whole organisation",
        widget=_select(),
    )
    manager = PersonField(
        label="Line manager",
        required=False,
        help_text="Everyone in that person's line. Type part of their name or their staff number.",
    )
    site = forms.ChoiceField(label="Site", required=False, widget=_select())
    band = forms.ChoiceField(label="Band", required=False, choices=[("", "All bands"), *Band.choices], widget=_select())
    track = forms.ChoiceField(label="Specialist track", required=False, choices=TRACK_CHOICES, widget=_select())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        roles = roles_for(user)
        if roles.is_hr or roles.employee is None:
            sites = sites_in_use()
        else:
            # A manager is offered only the parts of the organisation and the sites of their line.
            places = line_places(roles.employee)
            sites = places.sites
            self.fields["department"].queryset = _directorates_and_departments().filter(pk__in=places.units)
            self.fields["department"].empty_label = "Your whole line"
        self.fields["site"].choices = [("", "All sites"), *((site, site) for site in sites)]

    def clean_manager(self) -> Employee | None:
        return resolve_person(self, "manager", pickable_people(self.user))

    def scope(self) -> Scope:
        """The scope from the fields that are valid; a field with an error is left out (and shown)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        track = data.get("track")
        return Scope(
            department=data.get("department"),
            line_manager=data.get("manager"),
            site=data.get("site") or "",
            band=data.get("band") or "",
            specialist_track={"specialist": True, "other": False}.get(track),
        )


class GridFilterForm(ScopeForm):
    pass


class InclusionScopeForm(ScopeForm):
    """The inclusion figures' scope: a part of the organisation, a line, a site or a band (the
    specialist track is a property of placements, not of the people counted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["track"]


class CalibrationOpenForm(ScopeForm):
    name = forms.CharField(
        label="Name of the session",
        max_length=120,
        help_text="For example: Emergency Department calibration, spring 2026.",
        widget=_text(),
    )
    field_order = ["name", "department", "manager", "site", "band", "track"]


class MovementForm(MarksErrorsForm):
    # Dates are looked up up to the end of their day: a far-future date (31/12/9999) has no
    # next day to end at, and no placement is ever made that late.
    LATEST = date(2099, 12, 31)

    start = _date_field("From", example="1/4/2025")
    end = _date_field("To", example="1/4/2026")

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"start": f"{today - timedelta(days=365):%d/%m/%Y}", "end": f"{today:%d/%m/%Y}"}
        merged = {**defaults, **{key: value for key, value in (data or {}).items() if key in defaults and value}}
        super().__init__(merged, **kwargs)

    def _not_too_late(self, name: str) -> date:
        day = self.cleaned_data[name]
        if day > self.LATEST:
            raise forms.ValidationError(f"Choose a date up to {self.LATEST:%d/%m/%Y}.")
        return day

    def clean_start(self) -> date:
        return self._not_too_late("start")

    def clean_end(self) -> date:
        return self._not_too_late("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start >= end:
                raise forms.ValidationError("The 'From' date must be before the 'To' date.")
            if start < date(2000, 1, 1):
                self.add_error("start", "Choose a date from 2000 onwards.")
        return cleaned


def _rating_field(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )


class ConversationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, conversation) -> str:
        if conversation.starts_at is None:
            return conversation.get_kind_display()
        day = timezone.localtime(conversation.starts_at)
        return f"{conversation.get_kind_display()}, {day.day} {day:%B %Y}"


class PlacementForm(SpecificErrors, forms.Form):
    conversation = ConversationChoiceField(
        queryset=None,
        required=False,
        label="From the conversation",
        empty_label="Not from a conversation",
        help_text="The talent conversation or review this placement follows.",
        widget=_select(),
    )
    performance = _rating_field("Performance", "From the appraisal: how well they do their current role.")
    aspiration = _rating_field("Aspiration", "How much they want to take on more or move up.")
    engagement = _rating_field("Engagement", "Their commitment to the team, the service and its patients.")
    ability = _rating_field("Ability", "Their capacity to handle more complex or senior work.")
    leadership_values = _rating_field(
        "Leadership values", "How they show compassionate, inclusive leadership and the organisation's values."
    )
    potential = forms.TypedChoiceField(
        label="Potential",
        help_text="The row the four criteria suggest, unless you have a reason to choose another.",
        choices=[("", "As the criteria suggest"), *Rating.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label="Reason for choosing a different row",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Needed only if potential differs from the suggestion.",
    )
    growth_direction = forms.ChoiceField(
        label="How they want to grow",
        required=False,
        choices=[("", "Not stated yet"), *Placement.GrowthDirection.choices],
        widget=forms.RadioSelect,
    )
    specialist_track = forms.BooleanField(
        label="Specialist track: wants to grow through their specialism rather than into management",
        required=False,
    )
    evidence = forms.CharField(
        label="Evidence",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text="What the ratings rest on: the appraisal, examples, feedback. The employee can read this.",
    )

    def __init__(self, *args, conversations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conversation"].queryset = conversations
        self.offers_conversations = conversations.exists()

    def clean(self):
        cleaned = super().clean()
        criteria = [cleaned.get(name) for name in ("aspiration", "engagement", "ability", "leadership_values")]
        if None in criteria:
            return cleaned
        suggested = suggested_potential(
            aspiration=criteria[0], engagement=criteria[1], ability=criteria[2], leadership_values=criteria[3]
        )
        cleaned["potential_suggested"] = suggested
        if cleaned.get("potential") is None:
            cleaned["potential"] = suggested
        if cleaned["potential"] != suggested and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                f"The criteria suggest {Rating(suggested).label.lower()} potential. "
                "Give a reason for choosing a different row, or choose 'As the criteria suggest'.",
            )
        return cleaned


class CommentForm(SpecificErrors, forms.Form):
    comment = forms.CharField(
        label="Your comment",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text="Your manager and HR can read it. Leave it empty to remove your comment.",
    )


class CalibrationMoveForm(SpecificErrors, forms.Form):
    """Move one person to another box. Lists the people on the board, or asks for a staff number
    when the session's scope is too large to list."""

    person = forms.CharField(label="Person", error_messages={"required": "Choose the person to move."})
    box = forms.TypedChoiceField(
        label="Move to box", coerce=str, error_messages={"required": "Choose the box to move them to."}
    )
    reason = forms.CharField(
        label="Reason for the move",
        error_messages={"required": "Give the reason for the move: it is recorded against the session."},
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Recorded against this session; the person's manager can read it.",
    )

    def __init__(self, *args, placements: list[Placement] | None, boxes, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else Employee.objects.none()
        self.placements = {str(placement.employee_id): placement for placement in placements or []}
        self.box_choices = {f"{box.performance}-{box.potential}": box for box in boxes}
        self.fields["box"].choices = [
            ("", "Choose a box"),
            *((key, f"{box.number}. {box.label}") for key, box in self.box_choices.items()),
        ]
        self.fields["box"].widget.attrs["class"] = "form-select"
        if placements is None:
            self.fields["person"] = PersonField(
                label="Person", error_messages={"required": "Choose the person to move."}
            )
        else:
            self.fields["person"] = forms.ChoiceField(
                label="Person",
                error_messages={"required": "Choose the person to move."},
                choices=[
                    ("", "Choose a person"),
                    *((key, placement.employee.full_name) for key, placement in self.placements.items()),
                ],
                widget=_select(),
            )

    def clean_person(self):
        if isinstance(self.fields["person"], PersonField):
            return resolve_person(self, "person", self.people)
        return self.cleaned_data["person"]

    def clean_box(self) -> tuple[int, int]:
        key = self.cleaned_data["box"]
        if key not in self.box_choices:
            raise forms.ValidationError("Choose one of the boxes.")
        box = self.box_choices[key]
        return box.performance, box.potential


class CriticalRoleForm(SpecificErrors, forms.Form):
    title = forms.CharField(label="Role", max_length=150, widget=_text())
    department = forms.ModelChoiceField(
        queryset=_directorates_and_departments(), label="Directorate or department", widget=_select()
    )
    incumbent = PersonField(
        label="Who holds the role now",
        required=False,
        help_text="Type part of their name or their staff number. Leave empty if the role is vacant.",
    )
    why_critical = forms.CharField(
        label="Why it is critical",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean_incumbent(self) -> Employee | None:
        return resolve_person(self, "incumbent", _active_staff())


class SuccessorForm(SpecificErrors, forms.Form):
    staff_number = PersonField(label="Successor")
    readiness = forms.TypedChoiceField(
        label="Ready",
        choices=Successor.Readiness.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean_staff_number(self) -> Employee:
        return resolve_person(self, "staff_number", _active_staff())
