import json

from django.utils import timezone

from opportunities.factories import InterestFactory
from talentapp.retention import REMOVED, employee_anonymise
from talentapp.subject_access import subject_access_files


def test_it_gathers_the_persons_interests_and_places(cast):
    InterestFactory(employee=cast.employee, opportunity__title="Mary Seacole Programme", took_place_at=timezone.now())
    InterestFactory(employee=cast.other_employee, opportunity__title="Someone else's interest")
    files = subject_access_files(employee=cast.employee, by=cast.hr.user)
    interests = json.loads(files["opportunities.json"])
    assert [item["opportunity"] for item in interests] == ["Mary Seacole Programme"]
    assert interests[0]["took_place_at"]
    assert "opportunities.json" in files["README.txt"].decode()


def test_it_removes_a_leavers_notes_on_interest_once_anonymised(cast):
    interest = InterestFactory(employee=cast.employee, note="I care for my mother, so short shifts suit me")
    employee_anonymise(employee=cast.employee)
    interest.refresh_from_db()
    assert interest.note == REMOVED
