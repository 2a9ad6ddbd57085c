"""Conversations follow the staff import (people.signals.staff_changed), so that `people` needs
to know nothing of them: a leaver's open conversations and reviews are closed, and open talent
conversations and reviews move to a person's new line manager. For a preview (`dry_run`), what
would happen is only counted. The lines returned go into the import's report.

Connected in conversations.apps.ConversationsConfig.ready.
"""

from .services import (
    conversations_close_for_leavers,
    conversations_hand_over,
    conversations_of_leavers,
    conversations_to_hand_over,
)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def staff_changed_receive(sender, *, leavers: list[int], manager_moves: list, dry_run: bool, **kwargs) -> list[str]:
    if dry_run:
        found = conversations_to_hand_over(manager_moves)
        handing = {pk for pk, move in found.items() if move.new_manager_number}
        handed, stays = len(handing), len(found) - len(handing)
        closed = conversations_of_leavers(leavers, except_ids=handing)
    else:
        # Hand over first: a leaver's reports whom the file re-points take their conversations
        # to the new manager; what is left of the leaver's is closed.
        handed, stays = conversations_hand_over(manager_moves)
        closed = conversations_close_for_leavers(leavers)
    lines = []
    if handed:
        lines.append(
            f"{_count(handed, 'open talent conversation or review', 'open talent conversations and reviews')} "
            f"{'will move' if dry_run else 'moved'} to the new line manager, who {'will be' if dry_run else 'is'} "
            "emailed about each."
        )
    if stays:
        lines.append(
            f"{_count(stays, 'open conversation stays', 'open conversations stay')} with the previous manager: "
            "the person has no line manager in the file."
        )
    if closed:
        lines.append(
            f"{_count(closed, 'open conversation or review', 'open conversations and reviews')} of leavers "
            f"{'will be' if dry_run else 'were'} closed: left the organisation."
        )
    return lines
