import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from faker import Faker

from .access import HR_GROUP, SUPPORTER_GROUP
from .models import Band, Department, Employee

PASSWORD = "talent-test-password"
_fake = Faker("en_GB")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Without apostrophes, so that tests can look for a name in HTML as typed; tests of
    # names such as O'Brien set them explicitly.
    first_name = factory.LazyFunction(lambda: _fake.first_name().replace("'", ""))
    last_name = factory.LazyFunction(lambda: _fake.last_name().replace("'", ""))
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name", "level"]

    name = "Test Hospitals NHS Trust"
    level = Department.Level.ORGANISATION
    parent = None


class DepartmentFactory(factory.django.DjangoModelFactory):
    """A department two levels below the organisation, with its directorate."""

    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    level = Department.Level.DEPARTMENT
    parent = factory.SubFactory(
        "people.factories.DirectorateFactory",
    )


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Directorate {n}")
    level = Department.Level.DIRECTORATE
    parent = factory.SubFactory(OrganisationFactory)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    staff_number = factory.Sequence(lambda n: f"T{n:06d}")
    job_title = "Staff Nurse"
    band = Band.BAND_5
    department = factory.SubFactory(DepartmentFactory)
    site = "Riverside General"
    line_manager = None
    start_date = datetime.date(2020, 4, 1)


def add_to_group(user, name: str) -> None:
    group, _ = Group.objects.get_or_create(name=name)
    user.groups.add(group)


def make_hr(**kwargs) -> Employee:
    employee = EmployeeFactory(job_title="HR Business Partner", **kwargs)
    add_to_group(employee.user, HR_GROUP)
    return employee


def make_supporter(**kwargs) -> Employee:
    employee = EmployeeFactory(job_title="Consultant Physician", band=Band.MEDICAL, **kwargs)
    add_to_group(employee.user, SUPPORTER_GROUP)
    return employee


class StaffImportJobFactory(factory.django.DjangoModelFactory):
    """A staff file checked and waiting for HR to confirm it (its file already gone)."""

    class Meta:
        model = "people.StaffImportJob"

    requested_by = factory.SubFactory(UserFactory)
    original_name = "staff.csv"
    status = "checked"
    report = factory.LazyFunction(lambda: {"file": "CSV, UTF-8", "rows": 1, "people": 1, "created": 1})
