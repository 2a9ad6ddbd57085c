"""What the staff import tells the rest of the site, without importing it.

`staff_changed` is sent by the import (people.importer) inside its transaction, once the
staff records are written (`dry_run=False`), or when it only previews (`dry_run=True`).
Receivers (conversations.staff_changes) act on what changed, or say what they would do,
and return a list of lines for the import's report. A receiver that raises rolls the
whole import back.

    staff_changed.send(sender=None, leavers=[...], manager_moves=[...], dry_run=False)
"""

from dataclasses import dataclass

from django.dispatch import Signal

staff_changed = Signal()


@dataclass(frozen=True)
class ManagerMove:
    """Someone's line manager changed. The ids are None for a manager not in the system (yet: a
    preview of a new manager) or for no manager at all; numbers are '' for no manager."""

    employee_id: int
    old_manager_id: int | None
    new_manager_id: int | None
    new_manager_number: str
