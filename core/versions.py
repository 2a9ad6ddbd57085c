"""The stale-edit kit: a save made against an older version is refused, never applied over
someone else's newer edit, and the page shows both texts.

- A record that people edit carries a version number. A form carries the version it was
  loaded at; `save_versioned` applies the change only where the row is still at that version
  (one conditional UPDATE, so two people saving at once cannot both win) and bumps it, else
  raises StaleVersion.
- The view then builds a Conflict (`conflict_between`): the fields whose saved value differs
  from what was posted, and their saved values as shown. `templates/_conflict.html` shows it
  (with `inline`, the saved text of each field is shown under the field instead), and the
  page is answered with CONFLICT (409) and the posted text kept, carrying the current version,
  so that a second Save replaces knowingly.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

CONFLICT = 409


class StaleVersion(Exception):
    """Someone saved a newer version since this one was loaded; `current` is what is saved now,
    when the caller asked for it."""

    def __init__(self, message: str = "", *, current=None):
        self.current = current
        super().__init__(message or "A newer version has been saved.")


def save_versioned(
    rows: QuerySet,
    *,
    version: int,
    changes: dict,
    field: str = "version",
    message: str = "",
    current: Callable[[], object] | None = None,
) -> int:
    """Apply `changes` to `rows` only where `field` is still `version`, bumping it. Returns the
    new version; else StaleVersion with `message` and, if asked, `current()`."""
    if not rows.filter(**{field: version}).update(**changes, **{field: F(field) + 1}):
        raise StaleVersion(message, current=current() if current else None)
    return version + 1


def delete_versioned(rows: QuerySet, *, version: int, field: str = "version", message: str = "") -> None:
    """Delete `rows` only where `field` is still `version`; else StaleVersion."""
    if not rows.filter(**{field: version}).delete()[0]:
        raise StaleVersion(message)


@dataclass
class Conflict:
    """A save refused because a newer version was saved: what to say, and the fields that differ."""

    message: str
    saved_at: datetime | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, label) of each field that differs
    saved: dict[str, str] = field(default_factory=dict)  # field name -> its saved value, as shown
    inline: bool = False  # the page shows each saved value under its field

    @property
    def labels(self) -> str:
        return ", ".join(label for _, label in self.fields)

    @property
    def saved_fields(self) -> list[tuple[str, str, str]]:
        """(name, label, saved value as shown) of each field that differs."""
        return [(name, label, self.saved[name]) for name, label in self.fields]


def _comparable(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def shown(form_field: forms.Field, value) -> str:
    """A saved value as the conflict box shows it."""
    if isinstance(form_field, forms.BooleanField):
        return "Ticked" if value else "Not ticked"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    if isinstance(value, date):
        return date_format(value, "j F Y")
    choices = dict(getattr(form_field, "choices", None) or ())
    if choices:
        key = getattr(value, "pk", value)
        return str(choices.get(key, choices.get(str(key), value)))
    return str(value)


def conflict_between(
    form: forms.Form,
    saved: dict,
    *,
    message: str,
    saved_at: datetime | None = None,
    names: list[str] | None = None,
    inline: bool = False,
) -> Conflict:
    """The Conflict between a valid posted `form` and the `saved` values (field name -> value) of
    the fields `names` (default: all the form's fields but `version`)."""
    names = names if names is not None else [name for name in form.fields if name != "version"]
    posted = form.cleaned_data
    differing = [name for name in names if name in saved and _comparable(posted.get(name)) != _comparable(saved[name])]
    return Conflict(
        message=message,
        saved_at=saved_at,
        fields=[(name, form.fields[name].label or name) for name in differing],
        saved={name: shown(form.fields[name], saved[name]) for name in differing},
        inline=inline,
    )


def with_version(form: forms.Form, version: int) -> forms.Form:
    """The posted form again, its text kept, carrying the version saved now."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data
    return form
