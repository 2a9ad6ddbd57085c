from django import forms

from pdp.forms import DateInput
from pdp.models import Action
from people.models import Band, Department, Employee
from people.selectors import staff_search

from .models import Interest, Opportunity
from .services import OpportunityData

TYPE_CHOICES = [(value, f"{label}: {Action.TYPE_HELP[value]}") for value, label in Action.Type.choices]


class OpportunityForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="What kind of opportunity", choices=Opportunity.Kind.choices)
    type = forms.ChoiceField(label="Type of development", choices=TYPE_CHOICES, widget=forms.RadioSelect)
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What it involves, the time it takes and what people get from it.",
    )
    provider = forms.ChoiceField(label="Offered by", choices=Opportunity.Provider.choices, widget=forms.RadioSelect)
    provider_name = forms.CharField(
        label="Name of the provider",
        max_length=200,
        required=False,
        help_text="For example: NHS Leadership Academy, or the regional talent team.",
    )
    bands = forms.MultipleChoiceField(
        label="Bands and staff groups it is for",
        choices=Band.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for any band.",
    )
    departments = forms.ModelMultipleChoiceField(
        label="Parts of the organisation it is for",
        queryset=Department.objects.none(),
        required=False,
        help_text="Choose none for the whole organisation. Hold Ctrl (or Cmd) to choose more than one.",
    )
    starts_on = forms.DateField(label="Starts", required=False, widget=DateInput())
    ends_on = forms.DateField(label="Ends", required=False, widget=DateInput())
    closes_on = forms.DateField(
        label="Closing date", required=False, widget=DateInput(), help_text="The last day to register interest."
    )
    places = forms.IntegerField(min_value=1, max_value=10000, required=False, help_text="Leave empty for no limit.")
    contact = forms.CharField(
        label="Contact",
        max_length=150,
        help_text="The person to ask: their name or staff number. They see who registers interest.",
    )
    link = forms.URLField(label="Link to more information", required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(
            level__in=[Department.Level.DIRECTORATE, Department.Level.DEPARTMENT]
        ).order_by("level", "name")
        self.fields["departments"].widget.attrs["size"] = 6
        self.fields["kind"].widget.attrs["class"] = "form-select"

    @classmethod
    def initial_for(cls, opportunity: Opportunity) -> dict:
        return {
            **{
                name: getattr(opportunity, name)
                for name in (
                    "title",
                    "kind",
                    "type",
                    "description",
                    "provider",
                    "provider_name",
                    "starts_on",
                    "ends_on",
                    "closes_on",
                    "places",
                    "link",
                )
            },
            "bands": [band.band for band in opportunity.bands.all()],
            "departments": list(opportunity.departments.all()),
            "contact": opportunity.contact.staff_number if opportunity.contact else "",
        }

    def clean_contact(self) -> Employee:
        text = self.cleaned_data["contact"].strip()
        people = Employee.objects.select_related("user").filter(user__is_active=True)
        exact = people.filter(staff_number=text).first()
        if exact is not None:
            return exact
        for word in text.split():  # "Sarah Thompson": each word in a name or the job title
            people = people.filter(staff_search(word))
        matches = list(people[:2]) if text else []
        if not matches:
            raise forms.ValidationError(f"No one in the organisation matches “{text}”.")
        if len(matches) > 1:
            raise forms.ValidationError(f"More than one person matches “{text}”: type their staff number.")
        return matches[0]

    def clean(self):
        cleaned = super().clean()
        starts, ends, closes = cleaned.get("starts_on"), cleaned.get("ends_on"), cleaned.get("closes_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end cannot be before the start.")
        if closes and ends and closes > ends:
            self.add_error("closes_on", "The closing date cannot be after it ends.")
        return cleaned

    def data_for_service(self) -> OpportunityData:
        data = self.cleaned_data
        return OpportunityData(
            title=data["title"].strip(),
            kind=data["kind"],
            type=data["type"],
            description=data["description"].strip(),
            provider=data["provider"],
            provider_name=data["provider_name"].strip(),
            contact=data["contact"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            closes_on=data["closes_on"],
            places=data["places"],
            link=data["link"],
            bands=data["bands"],
            departments=list(data["departments"]),
        )


class OpportunityFilterForm(forms.Form):
    AUDIENCES = [("mine", "Open to me"), ("all", "Everyone's")]

    type = forms.ChoiceField(label="Type", choices=[("", "Any type"), *Action.Type.choices], required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *Opportunity.Kind.choices], required=False)
    audience = forms.ChoiceField(label="Who for", choices=AUDIENCES, required=False)
    closing_soon = forms.BooleanField(label="Closing in the next two weeks", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("type", "kind", "audience"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "type": data.get("type", ""),
            "kind": data.get("kind", ""),
            "open_to_me": data.get("audience") != "all",
            "closing_soon": bool(data.get("closing_soon")),
        }


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": "Optional. The contact sees it."}
