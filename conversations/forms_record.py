"""Forms for the pages where people write at length: preparation, the record, private
notes and comments.

Each form carries the `version` it was loaded at, so a save over someone's newer edit is
refused (see core.versions). Long text is limited on the server, not by a
`maxlength` in the browser, which would silently cut pasted text: an overlong answer is
kept in the form with a message beside it.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import SpecificErrors

from .models import Conversation, Preparation, PrivateNote

TEXT_LIMIT = 10_000


class LongTextField(forms.CharField):
    """Up to TEXT_LIMIT characters, optional, in a textarea."""

    def __init__(self, *, limit: int = TEXT_LIMIT, rows: int = 5, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-maxlength"] = str(self.limit)  # autosave.js counts characters as the limit nears
        return attrs

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                f"This is {len(value):,} characters long; the limit is {self.limit:,}. "
                "Shorten it, then save: your text is still here.",
                code="max_length",
            )


class VersionedForm(SpecificErrors, forms.ModelForm):
    """A form over one versioned row. The row is saved by a service, never by `save()`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    # field name -> prompt questions shown beside it (linked by aria-describedby)
    prompts: dict[str, list[str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_only = False
        for name, field in self.fields.items():
            field.prompts = self.prompts.get(name, [])
        self._describe_fields()

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self):
        """Bootstrap classes, and aria-describedby naming the prompts, help and error of each field."""
        for name, field in self.fields.items():
            widget = field.widget
            if widget.is_hidden:
                continue
            # Not self[name]: that would cache a bound field before subclasses finish setting fields.
            auto_id = self.auto_id % self.add_prefix(name) if self.auto_id and "%s" in str(self.auto_id) else name
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            has_errors = self._errors is not None and name in self._errors  # never triggers validation
            widget.attrs["class"] = css + (" is-invalid" if has_errors else "")
            described_by = []
            if field.prompts:
                described_by.append(f"{auto_id}_prompts")
            if field.help_text:
                described_by.append(f"{auto_id}_helptext")
            if has_errors:
                described_by.append(f"{auto_id}_error")
            if described_by:
                widget.attrs["aria-describedby"] = " ".join(described_by)
            else:
                widget.attrs.pop("aria-describedby", None)

    def make_read_only(self):
        """Show the text, still selectable to copy, without letting it be changed."""
        self.read_only = True
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea | forms.TextInput):
                field.widget.attrs["readonly"] = True
            else:
                field.widget.attrs["disabled"] = True

    def changes(self) -> dict:
        """The cleaned values to save, without the version."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


INTENTION_CHOICES = [
    ("", "Not asked yet"),
    (1, "1: not at all likely to act"),
    *[(n, str(n)) for n in range(2, 10)],
    (10, "10: certain to act"),
]


class RecordForm(VersionedForm):
    """The host's record of the conversation, in the TGROW structure, shared with the employee."""

    prompts = {
        "topic": [
            "What would you like to talk about today?",
            "Why does this matter to you now?",
            "What would make this conversation worthwhile for you?",
        ],
        "goal": [
            "What do you want to achieve, and by when?",
            "What would success look like? How would you, and others, know?",
            "How does this fit with where you want your career to go?",
        ],
        "reality": [
            "Where are you now in relation to that goal?",
            "What have you tried so far, and what happened?",
            "What is helping you, and what is getting in the way?",
            "What evidence or feedback do you have?",
        ],
        "options": [
            "What could you do? What else?",
            "Who could help: in your team, the organisation or the region?",
            "What would you do if nothing held you back?",
            "What are the benefits and costs of each option?",
        ],
        "way_forward": [
            "Which option will you take, and what is your first step?",
            "What exactly will you do, and by when?",
            "What support do you need, and from whom?",
            "On a scale of 1 to 10, how committed are you? What would make it a 10?",
        ],
    }

    topic = LongTextField(label="Topic")
    goal = LongTextField(label="Goal")
    reality = LongTextField(label="Reality")
    options = LongTextField(label="Options")
    way_forward = LongTextField(label="Way forward")
    intention_strength = forms.TypedChoiceField(
        label="How strong is the intention to act, from 1 to 10?",
        choices=INTENTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    support_needed = LongTextField(label="Support needed", rows=3)
    support_by = forms.DateField(label="Support needed by", required=False, widget=DateInput)
    discussed_performance = forms.BooleanField(label="Performance against the competency framework", required=False)
    competency_framework = forms.CharField(
        label="Which competency framework?",
        required=False,
        max_length=200,
        help_text="Choose one of the organisation's frameworks, or type another, such as your profession's.",
        # The choices: the frameworks HR keeps ({% framework_datalist %}, opportunities.templatetags).
        widget=forms.TextInput(attrs={"list": "competency-frameworks", "autocomplete": "off"}),
    )
    discussed_feedback = forms.BooleanField(label="Feedback from the manager and colleagues", required=False)
    discussed_shadowing = forms.BooleanField(label="Shadowing and mentoring", required=False)
    discussed_succession = forms.BooleanField(label="Succession for critical roles", required=False)
    recommended_next_role = forms.CharField(
        label="Recommended next role",
        required=False,
        max_length=200,
        help_text="If they are ready for a move; leave empty if not.",
    )
    longer_term_aspirations = LongTextField(label="Longer-term aspirations", rows=3)
    shared_notes = LongTextField(label="Shared notes", rows=6)

    class Meta:
        model = Conversation
        fields = [
            "topic",
            "goal",
            "reality",
            "options",
            "way_forward",
            "intention_strength",
            "support_needed",
            "support_by",
            "discussed_performance",
            "competency_framework",
            "discussed_feedback",
            "discussed_shadowing",
            "discussed_succession",
            "recommended_next_role",
            "longer_term_aspirations",
            "shared_notes",
        ]

    TGROW = ["topic", "goal", "reality", "options", "way_forward"]
    CHECKLIST = ["discussed_performance", "discussed_feedback", "discussed_shadowing", "discussed_succession"]


PREPARATION_HINTS = {
    "responsibilities": "In a few lines: what you are accountable for, and who you work with.",
    "achievements": "Examples and their evidence: feedback, audit results, projects, training completed.",
    "enjoyed": "What gives you energy at work?",
    "difficulties": "What got in the way, and what helped or would have helped?",
    "aspirations": "Skills you would like to use, work you would like to try, roles that interest you.",
    "outcomes": "How your work makes a difference to patients, service users or colleagues.",
    "values_feedback": "Compliments, thank-you notes, colleagues' feedback, appraisal comments.",
    "development": "Training, experience, shadowing or mentoring you would like; where you see yourself in 2-5 years.",
}


class PreparationForm(VersionedForm):
    """The employee's answers to the eight reflective questions (Preparation.QUESTIONS)."""

    class Meta:
        model = Preparation
        fields = list(Preparation.QUESTIONS)
        field_classes = dict.fromkeys(Preparation.QUESTIONS, LongTextField)
        labels = Preparation.QUESTIONS
        help_texts = PREPARATION_HINTS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in Preparation.QUESTIONS}


class PrivateNoteForm(VersionedForm):
    text = LongTextField(label="Your private notes", rows=12)

    class Meta:
        model = PrivateNote
        fields = ["text"]


class CommentsForm(VersionedForm):
    employee_comments = LongTextField(label="Your comments on the record", rows=8)

    class Meta:
        model = Conversation
        fields = ["employee_comments"]
