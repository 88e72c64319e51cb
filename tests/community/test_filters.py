"""The community's filter bars as the pages render them."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from creative_regions.community.filters import (
    AffiliationFilterSet,
    ConsentFilterSet,
    FollowUpFilterSet,
    InteractionFilterSet,
)
from creative_regions.community.models import (
    Affiliation,
    Consent,
    FollowUp,
    Interaction,
)

pytestmark = pytest.mark.django_db

YES_NO_FILTERS = [
    (AffiliationFilterSet, Affiliation, "current"),
    (ConsentFilterSet, Consent, "withdrawn"),
    (InteractionFilterSet, Interaction, "with_authorities"),
    (InteractionFilterSet, Interaction, "open_follow_ups"),
    (FollowUpFilterSet, FollowUp, "mine"),
    (FollowUpFilterSet, FollowUp, "overdue"),
]


def rendered_options(filterset, name: str) -> list[tuple[str, str]]:
    html = str(filterset.form[name])
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


@pytest.mark.parametrize("filterset_class,model,name", YES_NO_FILTERS)
@pytest.mark.parametrize(
    "language,labels",
    [("en", ["any", "yes", "no"]), ("ru", ["любой", "да", "нет"])],
)
def test_a_yes_no_filter_offers_any_yes_and_no_once(
    manager, filterset_class, model, name, language, labels
):
    request = RequestFactory().get("/")
    request.user = manager

    with translation.override(language):
        filterset = filterset_class({}, queryset=model.objects.none(), request=request)
        options = rendered_options(filterset, name)

    assert options == list(zip(["", "true", "false"], labels, strict=True))
