"""Many people at once, for tests at realistic sizes: bulk_create, not factories one by one."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from people.line import line_links_refresh
from people.models import Band, Department, Employee

from ..models import Placement, suggested_potential

SITES = ["Riverside General", "St Anne's"]
BANDS = [Band.BAND_3, Band.BAND_5, Band.BAND_6, Band.BAND_7]


def staff_with_placements(
    count: int, *, department: Department, line_manager: Employee | None = None, placed_by=None, prefix: str = "b"
) -> list[Employee]:
    """`count` employees in `department`, reporting to `line_manager`, nine in ten of them placed
    (spread over all nine boxes), in a few queries whatever the count."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{index}", first_name=f"First{index}", last_name=f"Last{index:06d}")
        for index in range(count)
    )
    people = Employee.objects.bulk_create(
        Employee(
            user=user,
            staff_number=f"{prefix.upper()}{index:07d}",
            job_title="Staff Nurse",
            band=BANDS[index % len(BANDS)],
            department=department,
            site=SITES[index % len(SITES)],
            line_manager=line_manager,
            start_date=datetime.date(2020, 1, 1),
        )
        for index, user in enumerate(users)
    )
    if line_manager is not None:
        line_links_refresh([person.pk for person in people])  # bulk_create sends no signals
    placed_by = placed_by or (line_manager.user if line_manager else users[0])
    now = timezone.now()
    Placement.objects.bulk_create(
        Placement(
            employee=person,
            performance=index % 3 + 1,
            potential=index // 3 % 3 + 1,
            aspiration=index // 3 % 3 + 1,
            engagement=index // 3 % 3 + 1,
            ability=index // 3 % 3 + 1,
            leadership_values=index // 3 % 3 + 1,
            potential_suggested=suggested_potential(
                aspiration=index // 3 % 3 + 1,
                engagement=index // 3 % 3 + 1,
                ability=index // 3 % 3 + 1,
                leadership_values=index // 3 % 3 + 1,
            ),
            specialist_track=index % 5 == 0,
            evidence="Appraisal",
            placed_by=placed_by,
            placed_at=now,
        )
        for index, person in enumerate(people)
        if index % 10 != 9
    )
    return people
