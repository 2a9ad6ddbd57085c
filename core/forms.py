"""Form messages that say what to do (the GOV.UK pattern): "Enter the topic", "Select the
venue", not "This field is required."."""

from django import forms
from django.forms.utils import pretty_name

GENERIC_REQUIRED = forms.Field.default_error_messages["required"]
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)
KEEP_CAPITALS = ("TGROW", "ESR", "PDP", "CSV", "NHS")
NO_ARTICLE = ("your", "a", "an", "the", "who", "when", "what", "how", "why", "what's")


def required_message(field: forms.Field, name: str) -> str:
    label = str(field.label or pretty_name(name)).strip().rstrip(":")
    if label.endswith("?"):
        return f"Answer the question “{label}”"
    words = label.split(" ", 1)
    if words[0] not in KEEP_CAPITALS and words[0] != "I" and not (len(words[0]) > 1 and words[0][1].isupper()):
        label = label[0].lower() + label[1:]
    article = (
        "" if label.split(" ", 1)[0] in ("your", "a", "an", "the", "who", "when", "what", "how", "why") else "the "
    )
    if isinstance(field, forms.BooleanField):
        return f"Tick the box: {label}"
    if isinstance(field, forms.FileField):
        return f"Choose {article}{label}"
    if isinstance(field.widget, CHOICE_WIDGETS):
        return f"Select {article}{label}"
    return f"Enter {article}{label}"


class SpecificErrors:
    """A form mixin: each required field whose message is still Django's generic one gets a
    specific message from its label and kind. A field's own `error_messages` win."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.error_messages.get("required") == GENERIC_REQUIRED:
                field.error_messages["required"] = required_message(field, name)
