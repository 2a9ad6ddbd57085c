"""Choosing a person by name: a form field, its widget and the search behind both.

Without JavaScript the field is a text box for a name or staff number: one match is taken, and
several are listed beside the field as radio buttons to choose from on the next submit. With
JavaScript (htmx) the same list appears as the name is typed, from `people_pick` (people/views.py),
which answers with the people the user may see. Either way the chosen person's staff number
arrives as `<field>_pick`, and the form checks it against its own list of people.
"""

from django import forms
from django.db.models import QuerySet

from . import access
from .models import Employee
from .selectors import staff_search

PICK_LIMIT = 10  # matches shown at once; more: type more of the name
NAME_OR_NUMBER = "Type part of their name or their staff number."


def person_matches(people: QuerySet[Employee], text: str) -> list[Employee]:
    """Up to PICK_LIMIT + 1 active people in `people` matching `text`, by last name (one query)."""
    return list(
        people.filter(staff_search(text), user__is_active=True)
        .select_related("user", "department")
        .order_by("user__last_name", "user__first_name", "pk")[: PICK_LIMIT + 1]
    )


def pickable_people(user) -> QuerySet[Employee]:
    """Whom a user may choose in a person picker: the staff they may look up (people.access),
    and themselves."""
    me = access.roles_for(user).employee
    if me is None:
        return access.visible_employees(user)
    return access.visible_employees(user) | Employee.objects.filter(pk=me.pk)


class PersonInput(forms.TextInput):
    """A text box that searches as it is typed, with the matches to choose from beneath it."""

    template_name = "people/widgets/person_pick.html"

    def __init__(self, attrs=None):
        super().__init__({"class": "form-control", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.matches: list[Employee] = []
        self.picked = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            matches=self.matches[:PICK_LIMIT], more=len(self.matches) > PICK_LIMIT, picked=self.picked
        )
        return context


class PersonField(forms.CharField):
    """A person, typed as a name or staff number; the form resolves it with `resolve_person`."""

    def __init__(self, *, label: str, required: bool = True, help_text: str = NAME_OR_NUMBER, **kwargs):
        super().__init__(
            label=label, required=required, max_length=100, help_text=help_text, widget=PersonInput(), **kwargs
        )


def resolve_person(form: forms.Form, name: str, people: QuerySet[Employee]) -> Employee | None:
    """The person field `name` of `form` names, among `people`: the one picked from the list,
    else the one the typed staff number or name matches. None when left empty; a ValidationError
    (with the matches listed beside the field) when nobody or several match."""
    field = form.fields[name]
    text = (form.cleaned_data.get(name) or "").strip()
    picked = (form.data.get(f"{form.add_prefix(name)}_pick") or "").strip()
    if picked:
        person = people.filter(staff_number=picked, user__is_active=True).select_related("user").first()
        if person is not None:
            return person
    if not text:
        if field.required:
            raise forms.ValidationError(f"Enter a name or staff number. {NAME_OR_NUMBER}")
        return None
    matches = person_matches(people, text)
    exact = [person for person in matches if person.staff_number == text]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise forms.ValidationError(f"No one you can choose here matches “{text}”. {NAME_OR_NUMBER}")
    field.widget.matches = matches
    field.widget.picked = picked
    several = f"More than {PICK_LIMIT}" if len(matches) > PICK_LIMIT else str(len(matches))
    raise forms.ValidationError(f"{several} people match “{text}”: choose one below, or type more of the name.")
