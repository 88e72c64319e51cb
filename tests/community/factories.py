"""Community records for tests, with valid identifiers."""

from datetime import date

import factory
from stdnum.ru import inn as stdnum_inn

from creative_regions.community.models import (
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from creative_regions.geo.models import Region
from tests.core.factories import UserFactory


def company_inn(number: int, region: str = "77") -> str:
    """A 10-digit INN with a correct check digit."""
    stem = f"{region}{number:07d}"
    return stem + stdnum_inn.calc_company_check_digit(stem)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    full_name = factory.Sequence(lambda n: f"ООО «Студия {n}»")
    kind = Organisation.Kind.COMPANY
    inn = factory.Sequence(lambda n: company_inn(n + 1000))
    region = factory.LazyFunction(lambda: region("16"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    surname = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Иван"
    patronymic = "Иванович"
    region = factory.LazyFunction(lambda: region("16"))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = Consent.Purpose.MAILING
    given_on = date(2025, 1, 10)
    channel = Consent.Channel.PAPER


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Клуб дизайнеров {n}")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted or [region("16")])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityMembership

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory(PersonFactory)
    joined_on = date(2025, 2, 1)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    kind = Interaction.Kind.MEETING
    occurred_on = date(2025, 3, 5)
    region = factory.LazyFunction(lambda: region("16"))
    topic = factory.Sequence(lambda n: f"Встреча {n}")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    interaction = factory.SubFactory(InteractionFactory)
    description = "Прислать проект соглашения"
    owner = factory.SubFactory(UserFactory)
    due_on = date(2025, 3, 20)
