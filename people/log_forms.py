"""The access log page's filters: the person whose records were read and the reader, each
chosen by name (or by a link that names them by id), and a range of dates."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .access_log import LogFilter
from .forms import SearchField
from .models import Employee
from .selectors import staff_search

CHOICES_SHOWN = 10


def _person_name(employee: Employee) -> str:
    return employee.full_name


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


class AccessLogFilterForm(forms.Form):
    person = SearchField(label="Whose records", required=False, max_length=100, help_text="Name or staff number")
    reader = SearchField(label="Read by", required=False, max_length=100, help_text="Name, user name or staff number")
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, person_id: int | None = None, reader_id: int | None = None, **kwargs):
        """`person_id`, `reader_id`: chosen by a link (a person's page, a name in the log, a choice
        among several matches), kept while the name typed is still theirs."""
        super().__init__(*args, **kwargs)
        self.person_id, self.reader_id = person_id, reader_id
        self.person_choices: list[Employee] = []
        self.reader_choices: list = []

    def _chosen(self, *, name: str, chosen_id: int | None, candidates, label, choices_attr: str, field: str):
        """The one match for the typed `name`, or the one a link chose by id (kept while the
        typed name is still theirs); several matches are offered as choices; none is an error."""
        if chosen_id is not None:
            chosen = candidates.filter(pk=chosen_id).first()
            if chosen is not None and (not name or name == label(chosen)):
                self.cleaned_data[field] = label(chosen)
                return chosen
        if not name:
            return None
        matches = list(self._matching(field, name, candidates)[: CHOICES_SHOWN + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error(field, "No one of that name or number. Try part of a name, or a full staff number.")
            return None
        setattr(self, choices_attr, matches[:CHOICES_SHOWN])
        self.add_error(field, "Several people match: choose one below, or type more of the name.")
        return None

    @staticmethod
    def _matching(field: str, name: str, candidates):
        if field == "person":
            return candidates.filter(staff_search(name)).order_by("user__last_name", "user__first_name", "pk")
        return candidates.filter(
            Q(username__iexact=name)
            | Q(first_name__icontains=name)
            | Q(last_name__icontains=name)
            | Q(employee__staff_number__iexact=name)
        ).order_by("last_name", "first_name", "pk")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be on or after the start date.")
        self.person_found = self._chosen(
            name=data.get("person") or "",
            chosen_id=self.person_id,
            candidates=Employee.objects.select_related("user"),
            label=_person_name,
            choices_attr="person_choices",
            field="person",
        )
        self.reader_found = self._chosen(
            name=data.get("reader") or "",
            chosen_id=self.reader_id,
            candidates=get_user_model().objects.all(),
            label=_user_name,
            choices_attr="reader_choices",
            field="reader",
        )
        return data

    def log_filter(self) -> LogFilter | None:
        """The filter asked for; None while a field needs correcting (the page then lists nothing)."""
        if not self.is_bound:
            return LogFilter()
        if not self.is_valid():
            return None
        return LogFilter(
            person=self.person_found,
            reader=self.reader_found,
            since=self.cleaned_data.get("since"),
            until=self.cleaned_data.get("until"),
        )
