"""The error summary (the GOV.UK pattern), shared by every form: base.html shows it at the top of
the page and puts "Error: " before the page's title whenever a bound form in the page's context
has errors. A view needs do nothing but pass its forms to the template as usual (a form, a
formset, or a list of forms); a form can stay out of the summary with `error_summary = False`."""

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


def _forms_in(value):
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, BaseFormSet):
        yield value
        yield from value.forms
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, forms.BaseForm | BaseFormSet):
                yield from _forms_in(item)


def _first_field_id(form) -> str:
    for bound in form.visible_fields():
        return _field_id(bound)
    return ""


def _field_id(bound) -> str:
    widgets = bound.subwidgets
    return (widgets[0].id_for_label if widgets else "") or bound.auto_id or ""


def errors_in(context) -> list[tuple[str, str]]:
    """(message, id of the field to go to) for every error of every bound form in the context."""
    cached = context.render_context.get("error_summary")
    if cached is not None:
        return cached
    found, seen = [], set()
    for value in context.flatten().values():
        for item in _forms_in(value):
            if id(item) in seen or not getattr(item, "error_summary", True):
                continue
            seen.add(id(item))
            if isinstance(item, BaseFormSet):
                if item.is_bound:
                    found.extend((str(message), "") for message in item.non_form_errors())
                continue
            if not item.is_bound or not item.errors:
                continue
            for name, messages in item.errors.items():
                if name == forms.forms.NON_FIELD_ERRORS or name not in item.fields:
                    target = _first_field_id(item)
                else:
                    bound = item[name]
                    target = _first_field_id(item) if bound.is_hidden else _field_id(bound)
                found.extend((str(message), target) for message in messages)
    context.render_context["error_summary"] = found
    return found


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return "Error: " if errors_in(context) else ""


@register.inclusion_tag("_error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    return {"errors": errors_in(context)}
