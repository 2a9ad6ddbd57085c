"""The placements already there get their intervals: in each person's history in time order, a
placement ends when the next one starts, and the current one has no end."""

import datetime

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("grid", "0004_placement_latest_index")]
AFTER = [("grid", "0005_placement_intervals")]


def day(n: int) -> datetime.datetime:
    return datetime.datetime(2025, 1, n, 12, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_it_ends_each_placement_when_the_next_one_starts():
    old = migrate(BEFORE)
    User, Department, Employee = (
        old.get_model("auth", "User"),
        old.get_model("people", "Department"),
        old.get_model("people", "Employee"),
    )
    Placement = old.get_model("grid", "Placement")
    organisation = Department.objects.create(name="Trust", level=0)
    people = [
        Employee.objects.create(
            user=User.objects.create(username=f"p{n}"), staff_number=f"{n}", band="5", department=organisation,
            start_date=datetime.date(2020, 1, 1),
        )
        for n in range(4)
    ]  # fmt: skip
    placer = people[0].user

    def place(person, when, current=False):
        return Placement.objects.create(
            employee=person, performance=2, potential=2, aspiration=2, engagement=2, ability=2, leadership_values=2,
            potential_suggested=2, evidence="Appraisal", placed_by=placer, placed_at=when, is_current=current,
        ).pk  # fmt: skip

    # made in a different order from their dates: the dates decide
    history = [place(people[0], day(9), current=True), place(people[0], day(1)), place(people[0], day(5))]
    twins = [place(people[1], day(3)), place(people[1], day(3), current=True)]  # the same moment: by id
    late = [place(people[2], day(1), current=True), place(people[2], day(7))]  # dated after the current one
    orphan = place(people[3], day(2))  # no longer current, and nothing after it

    new = migrate(AFTER)
    ends = dict(new.get_model("grid", "Placement").objects.values_list("pk", "replaced_at"))
    assert [ends[pk] for pk in history] == [None, day(5), day(9)]
    assert [ends[pk] for pk in twins] == [day(3), None]
    assert [ends[pk] for pk in late] == [None, day(7)]  # ends as it starts: it never covers a day
    assert ends[orphan] == day(2)

    migrate_to_latest()  # leave the database as found
