from django import forms
from django.conf import settings

from core.forms import SpecificErrors

from .models import Department
from .selectors import without_nul

MEGABYTE = 1024 * 1024


def size_in_words(size: int) -> str:
    """e.g. '5 MB', '2.5 MB', '100 bytes'."""
    if size < MEGABYTE:
        return f"{size:,} bytes"
    return f"{size / MEGABYTE:.1f}".removesuffix(".0") + " MB"


class SearchField(forms.CharField):
    """Search text, with NUL characters dropped before the field's checks: a search finds
    rather than refusing what nobody means to type (see people.selectors.without_nul)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = without_nul(value)
        return super().to_python(value)


class PeopleFilterForm(SpecificErrors, forms.Form):
    q = SearchField(label="Name, staff number or job title", required=False, max_length=100)
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(
            level__in=[Department.Level.DIRECTORATE, Department.Level.DEPARTMENT]
        ).order_by("name"),
        label="Directorate or department",
        required=False,
        empty_label="Whole organisation",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, show_department: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_department:
            del self.fields["department"]


class StaffImportForm(SpecificErrors, forms.Form):
    file = forms.FileField(
        label="Staff file (CSV or Excel)",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    complete = forms.BooleanField(
        label="This file is the whole organisation",
        required=False,
        help_text="Then anyone in the system who is not in the file is a leaver: their account is made "
        "inactive and their open conversations are closed. Leave it unticked for a part of the organisation.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "An ESR staff list extract, or a file with the columns listed below: CSV (any encoding Excel "
            f"saves) or .xlsx, up to {size_in_words(settings.STAFF_IMPORT_MAX_BYTES)}."
        )

    def clean_file(self):
        """Refuses a file over STAFF_IMPORT_MAX_BYTES by its size alone, before reading or parsing it.
        (Django has already streamed the upload to a temporary file: DATA_UPLOAD_MAX_MEMORY_SIZE
        does not count files, and FILE_UPLOAD_MAX_MEMORY_SIZE only decides memory or disk.)"""
        upload = self.cleaned_data["file"]
        limit = settings.STAFF_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than the limit of {size_in_words(limit)}. Split it and import each part."
            )
        return upload
