import datetime

import factory
from django.utils import timezone

from pdp.models import Action
from people.factories import EmployeeFactory

from .models import Framework, Interest, Opportunity, OpportunityBand


class OpportunityFactory(factory.django.DjangoModelFactory):
    """An opportunity for everyone, open for another month."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Shadowing the site manager, offer {n}")
    kind = Opportunity.Kind.SHADOWING
    type = Action.Type.EXPOSURE
    description = "Two shifts shadowing the site manager on a late shift."
    provider = Opportunity.Provider.ORGANISATION
    contact = factory.SubFactory(EmployeeFactory, job_title="Site Manager")
    published_by = factory.SelfAttribute("contact")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=40))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=100))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    @factory.post_generation
    def bands(self, create, extracted, **kwargs):
        if create and extracted:
            OpportunityBand.objects.bulk_create(OpportunityBand(opportunity=self, band=band) for band in extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    opportunity = factory.SubFactory(OpportunityFactory)
    employee = factory.SubFactory(EmployeeFactory)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Professional framework {n}")
    owner = "A professional body"
