import os

import pytest

from creative_regions.geo.services import region_load_reference
from creative_regions.research.services import classification_load_reference
from tests.core.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run next to one unless told it is safe (it is: one thread, one test).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def regions(db):
    region_load_reference()
    from creative_regions.geo.models import Region

    return {region.code: region for region in Region.objects.all()}


@pytest.fixture
def classifications(db):
    classification_load_reference()
    from creative_regions.research.models import Classification

    return {c.key: c for c in Classification.objects.all()}


@pytest.fixture
def admin_user(db):
    return UserFactory(role="administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def manager(db):
    return UserFactory(role="manager")


@pytest.fixture
def analyst(db):
    return UserFactory(role="analyst")


@pytest.fixture
def expert(db):
    return UserFactory(role="expert")


@pytest.fixture
def partner_tatarstan(regions):
    user = UserFactory(role="partner")
    user.regions.set([regions["16"]])
    return user


@pytest.fixture
def partner_karelia(regions):
    user = UserFactory(role="partner")
    user.regions.set([regions["10"]])
    return user
