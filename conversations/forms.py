from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from core.forms import SpecificErrors
from people.models import Employee

from .models import Conversation, SupporterProfile
from .services import Booking

REASON_MAX = 2000
STATEMENT_MAX = 2000


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employee: Employee) -> str:
        return f"{employee.full_name}, {employee.job_title}"


class HostChoiceField(EmployeeChoiceField):
    """The people one may ask, the line manager named as such."""

    line_manager_id: int | None = None

    def label_from_instance(self, employee: Employee) -> str:
        label = super().label_from_instance(employee)
        return f"{label} (your line manager)" if employee.pk == self.line_manager_id else label


class StartForm(SpecificErrors, forms.Form):
    employee = EmployeeChoiceField(queryset=Employee.objects.none(), label="Who is the conversation with?")

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (
            line.filter(user__is_active=True).select_related("user").order_by("user__last_name", "user__first_name")
        )  # nobody who has left
        self.fields["employee"].widget.attrs["class"] = "form-select"


class NominationForm(SpecificErrors, forms.Form):
    host = HostChoiceField(
        queryset=Employee.objects.none(),
        label="Who would you like to talk to?",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="Why now?",
        choices=Conversation.NominationReason.choices,
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label="In a few sentences, why would you like a talent conversation?",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your line manager or the supporter you choose reads this. Up to 2,000 characters.",
    )
    growth_direction = forms.ChoiceField(
        label="Which way would you like to grow?",
        choices=Conversation.GrowthDirection.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, hosts, line_manager_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts
        self.fields["host"].line_manager_id = line_manager_id


class BookingForm(SpecificErrors, forms.Form):
    DURATIONS = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours")]

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"))
    duration_minutes = forms.TypedChoiceField(label="Length", choices=DURATIONS, coerce=int, initial=60)
    venue = forms.CharField(
        max_length=200, help_text="A room where you will not be overheard or interrupted, or a video call link."
    )
    venue_is_private = forms.BooleanField(
        label="The venue is private: nobody else can overhear the conversation",
        error_messages={"required": "Talent conversations are confidential: choose a private venue and confirm it."},
    )
    # Set when warnings were shown for this exact slot; submitting it again books anyway.
    accepted_slot = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day and time:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            if starts_at <= timezone.now():
                self.add_error("date", "Choose a time in the future.")
            elif starts_at > timezone.now() + timedelta(days=366):
                self.add_error("date", "Choose a date within the next year.")
            cleaned["starts_at"] = starts_at
        return cleaned

    def slot(self) -> str:
        return f"{self.cleaned_data['starts_at'].isoformat()}/{self.cleaned_data['duration_minutes']}"

    def booking(self) -> Booking:
        data = self.cleaned_data
        return Booking(
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            venue=data["venue"],
            venue_is_private=data["venue_is_private"],
        )

    @classmethod
    def initial_for(cls, conversation: Conversation) -> dict:
        if conversation.starts_at is None:
            return {}
        local = timezone.localtime(conversation.starts_at)
        return {
            "date": local.date(),
            "time": local.time(),
            "duration_minutes": conversation.duration_minutes,
            "venue": conversation.venue,
            "venue_is_private": conversation.venue_is_private,
        }


class ReasonForm(SpecificErrors, forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


class ChecklistForm(SpecificErrors, forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["prep_read_last_review", "prep_framework", "prep_programmes", "prep_supporters"]
        widgets = {name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields}

    # A career supporter is not the person's manager: they have no last review or plan to read,
    # and bring what they know of careers beyond the person's line.
    SUPPORTER_LABELS = {
        "prep_read_last_review": "I have read their request and what they would like to talk about",
        "prep_framework": "I know the roles, routes and qualifications they are asking about",
        "prep_programmes": "I know the programmes and opportunities open to them",
        "prep_supporters": "I know who else in the organisation or region could help them",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == Conversation.Kind.CAREER:
            for name, label in self.SUPPORTER_LABELS.items():
                self.fields[name].label = label


class SupporterProfileForm(SpecificErrors, forms.ModelForm):
    class Meta:
        model = SupporterProfile
        fields = ["help_with", "has_capacity"]
        widgets = {"help_with": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def clean_help_with(self):
        text = self.cleaned_data["help_with"]
        if len(text) > 1000:
            raise forms.ValidationError("Keep it to 1,000 characters so the directory stays easy to read.")
        return text


class ConversationFilterForm(SpecificErrors, forms.Form):
    SHOW = [("", "All"), ("waiting", "Waiting for me"), ("upcoming", "Upcoming")]

    show = forms.ChoiceField(choices=SHOW, required=False, label="Show")
    status = forms.ChoiceField(choices=[("", "Any status"), *Conversation.Status.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class RescheduleForm(SpecificErrors, forms.Form):
    due_on = forms.DateField(label="New due date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the review's history, for example: long-term sickness, maternity leave.",
    )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if due_on < today:
            raise forms.ValidationError("Choose today or a later date.")
        if due_on > today + timedelta(days=2 * 366):
            raise forms.ValidationError("Choose a date within the next two years.")
        return due_on
