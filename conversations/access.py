"""Who may see and do what with conversations, on the shared core in people.access.

The employee and the host (line manager or career supporter) take part. Managers up
the employee's line may read talent conversations and reviews, but not career
conversations with a supporter, which stay between the two people. HR reads talent
conversations and reviews, and of a career conversation only that it took place: who,
when and its state (the reach figures count it), never its statement, record or notes.
Reflective answers reach the host only once shared; private notes reach nobody but
their author (see conversations.models).
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from people.access import User, get_or_404, in_line_of, log_read, own_or_line, own_or_line_count
from people.models import Employee

from .models import Conversation


def _own(me: Employee) -> Q:
    return Q(employee=me) | Q(host=me)


def _line(me: Employee) -> Q:
    return in_line_of(me, through="employee__") & ~Q(kind=Conversation.Kind.CAREER)


def conversations_visible(user: User, *, walk: bool = False) -> QuerySet[Conversation]:
    """The conversations a user may read; with `walk`, in the form for a page read in an index's
    order (people.access.own_or_line)."""
    return own_or_line(user, Conversation.objects.all(), own=_own, line=_line, walk=walk)


def conversations_visible_count(user: User, conversations: QuerySet[Conversation]) -> int:
    """How many of `conversations` the user may read, counted from the indexes."""
    return own_or_line_count(user, conversations, own=_own, line=_line)


def get_conversation_for_user(request: HttpRequest, pk: int) -> Conversation:
    """Conversation `pk` if the signed-in user may read it, else 404. The read is logged: of the
    whole conversation, or of its summary where that is all the user may read of it."""
    conversation = get_or_404(
        request,
        conversations_visible(request.user).select_related(
            "employee__user", "employee__department", "host__user", "host__department"
        ),
        pk,
        not_found="No such conversation.",
    )
    record_type = "" if may_read_content(request.user, conversation) else SUMMARY
    log_read(request, conversation, subject=conversation.employee, record_type=record_type)
    return conversation


SUMMARY = "conversations.conversation_summary"


def may_read_content(user: User, conversation: Conversation) -> bool:
    """The statement, the record, shared notes and comments, and the reasons given: a career
    conversation's are for its two people only; HR sees that it took place."""
    return conversation.kind != Conversation.Kind.CAREER or takes_part(user, conversation)


def is_host(user: User, conversation: Conversation) -> bool:
    return conversation.host.user_id == user.pk


def is_subject(user: User, conversation: Conversation) -> bool:
    return conversation.employee.user_id == user.pk


def takes_part(user: User, conversation: Conversation) -> bool:
    """The host or the employee: the two people who act on a conversation."""
    return is_host(user, conversation) or is_subject(user, conversation)


def log_preparation_read(request: HttpRequest, conversation: Conversation) -> None:
    """The host read the answers the employee shared with them."""
    log_read(request, conversation.preparation, subject=conversation.employee)


def may_read_preparation(user: User, conversation: Conversation) -> bool:
    """The employee always; the host once the employee has shared it; nobody else."""
    if is_subject(user, conversation):
        return True
    preparation = getattr(conversation, "preparation", None)
    return is_host(user, conversation) and preparation is not None and preparation.shared_at is not None
