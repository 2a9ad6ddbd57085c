"""The email vocabulary: the steps of a conversation that send email, and who receives each.

Imported by the modules that write the outbox (conversations.notifications) and render its
emails (conversations.emails), so that imports run one way:
services -> notifications -> tasks -> outbox -> emails -> events.
"""

from enum import StrEnum

from .states import EMPLOYEE, HOST


class Event(StrEnum):
    STARTED = "started"  # a manager started a conversation: to the employee
    REQUESTED = "requested"  # a nomination or request: to the host
    BOOKED = "booked"  # to both, with a calendar invite
    REBOOKED = "rebooked"  # to both, with an updated invite
    DECLINED = "declined"  # to the employee, with the reason
    CANCELLED = "cancelled"  # to both; a cancellation for calendars if it was booked
    PREPARATION_SHARED = "preparation_shared"  # to the host
    READY_FOR_SIGN_OFF = "ready_for_sign_off"  # the host signed off: to the employee
    SIGNED_OFF = "signed_off"  # both signed: to the host
    HANDED_OVER = "handed_over"  # the employee has a new line manager, who now hosts it: to the new host


# Who gets each email, by their part in the conversation.
RECIPIENTS = {
    Event.STARTED: (EMPLOYEE,),
    Event.REQUESTED: (HOST,),
    Event.BOOKED: (EMPLOYEE, HOST),
    Event.REBOOKED: (EMPLOYEE, HOST),
    Event.DECLINED: (EMPLOYEE,),
    Event.CANCELLED: (EMPLOYEE, HOST),
    Event.PREPARATION_SHARED: (HOST,),
    Event.READY_FOR_SIGN_OFF: (EMPLOYEE,),
    Event.SIGNED_OFF: (HOST,),
    Event.HANDED_OVER: (HOST,),
}

# Events that can happen more than once to a conversation are told apart by the
# calendar sequence, which every rebooking and cancellation moves on.
BY_SEQUENCE = {Event.BOOKED, Event.REBOOKED, Event.CANCELLED}

# An invite sent late (after a retry) must not put a cancelled conversation back in
# someone's calendar: these go only while the conversation is still booked.
ONLY_WHILE_BOOKED = {Event.BOOKED, Event.REBOOKED}
