"""Interest in opportunities and places taken, as inclusion measures: counted in the period, broken
down and suppressed like every other measure."""

import datetime

from django.urls import reverse
from django.utils import timezone

from grid.inclusion import MEASURES, inclusion_figures
from opportunities.factories import InterestFactory, OpportunityFactory
from people.factories import DepartmentFactory, EmployeeFactory
from people.models import Band, Employee, EqualityProfile

START, END = datetime.date(2025, 12, 1), datetime.date(2026, 11, 30)
IN_PERIOD = timezone.make_aware(datetime.datetime(2026, 6, 1, 10))
BEFORE = timezone.make_aware(datetime.datetime(2025, 6, 1, 10))


def _person(unit, sex: str = "", band: str = Band.BAND_5) -> Employee:
    employee = EmployeeFactory(band=band, department=unit)
    if sex:
        EqualityProfile.objects.create(employee=employee, sex=sex)
    return employee


def _cells(people, dimension: str, measure: str) -> dict:
    figures = inclusion_figures(people, start=START, end=END, dimensions=(dimension,))
    return {cell.label: cell for cell in figures.breakdowns[0].cells[measure]}


def test_it_counts_interest_and_places_taken_in_the_period_with_suppression(db):
    unit = DepartmentFactory()
    women = [_person(unit, EqualityProfile.Sex.FEMALE) for _ in range(10)]
    men = [_person(unit, EqualityProfile.Sex.MALE) for _ in range(10)]
    for _ in range(5):
        _person(unit, band=Band.BAND_6)
    programme, network = OpportunityFactory(), OpportunityFactory()
    for employee in women[:7]:
        InterestFactory(opportunity=programme, employee=employee, created_at=IN_PERIOD)
    for employee in women[:5]:  # a second interest counts the person once
        InterestFactory(opportunity=network, employee=employee, created_at=IN_PERIOD, took_place_at=IN_PERIOD)
    for employee in men[:2]:
        InterestFactory(opportunity=programme, employee=employee, created_at=IN_PERIOD)
    InterestFactory(opportunity=network, employee=men[5], created_at=BEFORE, took_place_at=BEFORE)
    people = Employee.objects.filter(department=unit)

    assert "opportunity_interest" in MEASURES
    assert "opportunity_taken" in MEASURES
    everyone = _cells(people, "all", "opportunity_interest")["Everyone"]
    assert (everyone.population, everyone.count) == (25, 9)
    assert _cells(people, "all", "opportunity_taken")["Everyone"].count == 5
    interest = _cells(people, "sex", "opportunity_interest")
    assert (interest["Female"].count, interest["Female"].value) == (7, 0.7)
    assert interest["Male"].suppressed
    assert interest["Male"].count is None
    taken = _cells(people, "sex", "opportunity_taken")
    assert taken["Female"].count == 5
    assert taken["Male"].suppressed
    assert taken["Not recorded"].suppressed


def test_it_shows_hr_the_new_measures_on_the_inclusion_page_and_in_the_csv(client, cast):
    client.force_login(cast.hr.user)
    page = client.get(reverse("grid:inclusion")).content.decode()
    assert "Registered interest in an opportunity" in page
    assert "Took a place on an opportunity" in page
    csv_text = client.get(reverse("grid:inclusion_export_csv")).content.decode("utf-8")
    assert "opportunity_interest" in csv_text
    assert "opportunity_taken" in csv_text
