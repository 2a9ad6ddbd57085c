"""The pages where people write at length: the employee's preparation, the host's record
and private notes, and the employee's comments on the record.

Nothing typed is lost:
- each form carries the version it was loaded at; a save over a newer version is refused
  (core.versions.StaleVersion) and the page shows the person's text, not saved, beside
  the saved text of each field that differs;
- static/js/autosave.js saves as people type, posting the same form with `autosave=1`
  and getting JSON back; without JavaScript the Save button posts the form;
- text posted after the session ended is kept through signing in again
  (conversations.middleware).

Each page is for one person: the preparation and comments for the employee, the record
and private notes for the host. Anyone else who may read the conversation gets 404 here
(the detail page shows them what they may read); private notes are never shown to anyone
but their author.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.refusal import Refused
from core.versions import CONFLICT, Conflict, StaleVersion, conflict_between
from people.access import roles_for

from .. import access, services, states
from ..forms_record import CommentsForm, PreparationForm, PrivateNoteForm, RecordForm, VersionedForm
from ..middleware import is_autosave, keeps_text_across_sign_in, take_kept_text
from ..models import Conversation, Preparation, PrivateNote

# Each of these texts has a single writer, so a newer version comes from the same person.
NEWER_VERSION_BY = "by you, in another window or on another device"


@dataclass
class Saved:
    """What is saved now: the form's values, their version and time, and whether they may change."""

    values: dict
    version: int
    saved_at: datetime | None
    open: bool
    closed_message: str = ""


@dataclass
class Editor:
    """One versioned form: what is saved, how to save the posted form, and how to read a newer version."""

    form_class: type[VersionedForm]
    saved: Saved
    save: Callable[[VersionedForm, QueryDict], int]  # returns the new version; raises StaleVersion or Refused
    reload: Callable[[object], Saved]  # what is saved now, from StaleVersion.current
    done_message: Callable[[QueryDict, str, bool], str]  # (post, "HH:MM", autosave) -> what to tell the person


@dataclass
class Page:
    """The form to show, and why it is shown as it is."""

    form: VersionedForm
    status: int = 200
    conflict: Conflict | None = None
    refused: str = ""  # why a post was not saved
    restored: bool = False  # the text kept when the session ended, not saved yet
    unsaved: bool = False  # the form holds text that is not saved


def _time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _values(instance, form_class: type[VersionedForm]) -> dict:
    return {name: getattr(instance, name) for name in form_class._meta.fields}


def _conflict(form: VersionedForm, saved: Saved) -> Conflict:
    when = _time(saved.saved_at) if saved.saved_at else "a moment ago"
    return conflict_between(
        form,
        saved.values,
        names=list(form.changes()),
        saved_at=saved.saved_at,
        inline=True,
        message=(
            f"A newer version was saved at {when}, {NEWER_VERSION_BY}, while you were editing. "
            "Your text is below, not saved."
        ),
    )


def _autosave_conflict_message(saved: Saved) -> str:
    when = _time(saved.saved_at) if saved.saved_at else "a moment ago"
    return (
        f"Not saved: a newer version was saved at {when}, {NEWER_VERSION_BY}. Your text is still here. "
        "Press Save to compare the two before anything is replaced; saving as you type is paused."
    )


def _error_summary(form: VersionedForm) -> str:
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and name != "version" else ""
        problems.extend(f"{label}: {error}" if label else error for error in errors)
    return " ".join(problems)


def _refuse(form: VersionedForm, reason: str, autosave: bool) -> HttpResponse | Page:
    if autosave:
        return JsonResponse({"message": f"Not saved: {reason}"}, status=CONFLICT)
    form.make_read_only()
    return Page(form, status=CONFLICT, refused=reason, unsaved=True)


def _save_posted(request: HttpRequest, editor: Editor) -> HttpResponse | Page:
    autosave = is_autosave(request)
    form = editor.form_class(request.POST)
    valid = form.is_valid()
    if not editor.saved.open:
        return _refuse(form, editor.saved.closed_message, autosave)
    if not valid:
        if autosave:
            return JsonResponse({"message": f"Not saved: {_error_summary(form)}"}, status=400)
        return Page(form, unsaved=True)
    # At most two tries: a newer version holding exactly the posted text is no conflict.
    for _ in range(2):
        try:
            version = editor.save(form, request.POST)
            break
        except StaleVersion as stale:
            saved = editor.reload(stale.current)
            if not saved.open:
                return _refuse(form, saved.closed_message, autosave)
            conflict = _conflict(form, saved)
            if conflict.fields:
                if autosave:
                    return JsonResponse(
                        {
                            "message": _autosave_conflict_message(saved),
                            "changed": [label for _, label in conflict.fields],
                        },
                        status=CONFLICT,
                    )
                # The person's text, now against the current version: saving again is a deliberate choice.
                data = request.POST.copy()
                data["version"] = str(saved.version)
                form = editor.form_class(data)
                form.is_valid()
                return Page(form, conflict=conflict, unsaved=True)
            form.cleaned_data["version"] = saved.version
        except Refused as error:
            return _refuse(form, error.message, autosave)
    else:
        return _refuse(form, "someone saved this page twice while you were saving. Save again.", autosave)
    now = _time(timezone.now())
    message = editor.done_message(request.POST, now, autosave)
    if autosave:
        return JsonResponse({"version": version, "saved_at": now, "message": message})
    messages.success(request, message)
    return redirect(request.path)


def _edit(request: HttpRequest, editor: Editor) -> HttpResponse | Page:
    """Save a posted form, or the form to show: kept text after signing in again, else what is saved."""
    if request.method == "POST":
        return _save_posted(request, editor)
    kept = take_kept_text(request)
    if kept is not None:
        form = editor.form_class(kept)
        form.is_valid()
        page = Page(form, restored=True, unsaved=True)
    else:
        page = Page(editor.form_class(initial={**editor.saved.values, "version": editor.saved.version}))
    if not editor.saved.open:
        page.form.make_read_only()
    return page


def _render(request: HttpRequest, template: str, page: Page, editor: Editor, context: dict) -> HttpResponse:
    context = {
        **context,
        "form": page.form,
        "editable": not page.form.read_only,
        "conflict": page.conflict,
        "refused": page.refused,
        "restored": page.restored,
        "unsaved": page.unsaved,
        "closed_message": "" if editor.saved.open else editor.saved.closed_message,
        "saved_at": editor.saved.saved_at,
    }
    return render(request, template, context, status=page.status)


def _own_page(request: HttpRequest, pk: int, is_theirs: Callable) -> tuple[Conversation, object]:
    """The conversation and the signed-in employee, if this page is theirs (`is_theirs`); else 404."""
    conversation = access.get_conversation_for_user(request, pk)
    if not is_theirs(request.user, conversation):
        raise Http404("No such page.")
    return conversation, roles_for(request.user).employee


def _draft_saved(post: QueryDict, now: str, autosave: bool) -> str:
    return f"Draft saved at {now}." if autosave else f"Saved at {now}."


def _respond(request: HttpRequest, editor: Editor, template: str, context: Callable[[], dict]) -> HttpResponse:
    """Save or show the page; `context` is called only when the page is shown."""
    page = _edit(request, editor)
    if isinstance(page, HttpResponse):
        return page
    return _render(request, template, page, editor, context())


# The preparation -------------------------------------------------------------------


@keeps_text_across_sign_in
@require_http_methods(["GET", "POST"])
def prepare(request, pk: int):
    """The employee's reflective answers: a private draft until they share them with the host."""
    conversation, me = _own_page(request, pk, access.is_subject)
    host = conversation.host.user.first_name
    preparation = Preparation.objects.filter(conversation=conversation).first()
    is_open = "prepare" in states.allowed(conversation, me)
    closed_message = states.preparation_closed(conversation)

    def saved(current: Preparation | None) -> Saved:
        if current is None:
            return Saved({name: "" for name in Preparation.QUESTIONS}, 1, None, is_open, closed_message)
        return Saved(_values(current, PreparationForm), current.version, current.updated_at, is_open, closed_message)

    def save(form, post) -> int:
        return services.preparation_save(
            conversation=conversation,
            by=me,
            data=form.changes(),
            version=form.cleaned_data["version"],
            share="share" in post,
        )

    def done(post, now, autosave) -> str:
        if "share" in post and not (preparation and preparation.shared_at):
            return f"Shared with {host} at {now}. {host} can now read your answers."
        if preparation and preparation.shared_at:
            return f"Saved at {now}. {host} can see your changes."
        return f"Draft saved at {now}. Only you can see it."

    editor = Editor(PreparationForm, saved(preparation), save, saved, done)
    return _respond(
        request,
        editor,
        "conversations/prepare.html",
        lambda: {
            "conversation": conversation,
            "preparation": Preparation.objects.filter(conversation=conversation).first(),
            "host_name": host,
        },
    )


# The record --------------------------------------------------------------------------


@keeps_text_across_sign_in
@require_http_methods(["GET", "POST"])
def record(request, pk: int):
    """The host's record in the TGROW structure, with the meeting checklist and shared notes."""
    conversation, me = _own_page(request, pk, access.is_host)

    def saved(current: Conversation) -> Saved:
        return Saved(
            _values(current, RecordForm),
            current.record_version,
            current.record_updated_at,
            "edit_record" in states.allowed(current, me),
            states.record_closed(current),
        )

    def save(form, post) -> int:
        return services.record_save(
            conversation=conversation, by=me, data=form.changes(), version=form.cleaned_data["version"]
        )

    editor = Editor(RecordForm, saved(conversation), save, saved, _draft_saved)
    return _respond(
        request,
        editor,
        "conversations/record.html",
        lambda: {
            "conversation": conversation,
            "preparation": _shared_preparation(request, conversation),
            "employee_name": conversation.employee.user.first_name,
            "may_hold": "hold" in states.allowed(conversation, me),
        },
    )


def _shared_preparation(request: HttpRequest, conversation: Conversation) -> Preparation | None:
    """The answers the employee shared, for the host's record page (the read logged)."""
    if not access.may_read_preparation(request.user, conversation):
        return None
    access.log_preparation_read(request, conversation)
    return conversation.preparation


# Private notes -----------------------------------------------------------------------


@keeps_text_across_sign_in
@require_http_methods(["GET", "POST"])
def private_notes(request, pk: int):
    """The host's own notes: nobody else sees them, nor learns that they exist (404)."""
    conversation, me = _own_page(request, pk, access.is_host)
    note = PrivateNote.objects.filter(conversation=conversation, author=request.user).first()

    def saved(current: PrivateNote | None) -> Saved:
        if current is None:
            return Saved({"text": ""}, 1, None, True)
        return Saved({"text": current.text}, current.version, current.updated_at, True)

    def save(form, post) -> int:
        return services.private_note_save(
            conversation=conversation, by=me, text=form.cleaned_data["text"], version=form.cleaned_data["version"]
        )

    editor = Editor(PrivateNoteForm, saved(note), save, saved, _draft_saved)
    return _respond(request, editor, "conversations/private_notes.html", lambda: {"conversation": conversation})


# Comments ----------------------------------------------------------------------------


@keeps_text_across_sign_in
@require_http_methods(["GET", "POST"])
def comments(request, pk: int):
    """The employee's comments on the record, once the host has signed it off."""
    conversation, me = _own_page(request, pk, access.is_subject)

    def saved(current: Conversation) -> Saved:
        return Saved(
            {"employee_comments": current.employee_comments},
            current.comments_version,
            current.updated_at if current.employee_comments else None,
            "comment" in states.allowed(current, me),
            states.comments_closed(current),
        )

    def save(form, post) -> int:
        return services.comments_save(
            conversation=conversation,
            by=me,
            text=form.cleaned_data["employee_comments"],
            version=form.cleaned_data["version"],
        )

    editor = Editor(CommentsForm, saved(conversation), save, saved, _draft_saved)
    return _respond(
        request,
        editor,
        "conversations/comments.html",
        lambda: {"conversation": conversation, "host_name": conversation.host.user.first_name},
    )
