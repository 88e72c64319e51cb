"""The feedback results of an event: responses, the average rating and its
distribution, the net promoter score and the comments, as each role may read
them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creative_regions.programmes.models import Event, Feedback
from tests.community.factories import PersonFactory, region
from tests.community.pages import sign_in
from tests.programmes.factories import RegistrationFactory
from tests.programmes.people import partner_of, study_tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(regions):
    """Five answers: ratings 5, 5, 4, 3, 1; recommendations 10, 9, 8, 6, 2 (two
    promoters, one passive, two detractors: NPS 0)."""
    tour = study_tour()
    extra = [
        RegistrationFactory(
            event=tour.event, person=PersonFactory(surname=name, region=region("77"))
        )
        for name in ("Ершова", "Фомин")
    ]
    for registration, rating, recommend, comment in (
        (tour.karelian, 5, 10, "Винзавод — лучшее, что мы видели"),
        (tour.tatar, 5, 9, "Хотим такой же кластер в Казани"),
        (tour.muscovite, 4, 8, ""),
        (extra[0], 3, 6, "Слишком плотная программа"),
        (extra[1], 1, 2, ""),
    ):
        Feedback.objects.create(
            registration=registration,
            rating=rating,
            recommend=recommend,
            comment=comment,
        )
    return tour


def url(tour) -> str:
    return reverse("programmes:feedback-results", args=[tour.event.pk])


def test_anonymous_user_is_sent_to_sign_in(client, tour):
    response = client.get(url(tour))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_staff_read_the_figures_distribution_and_comments(client, manager, tour):
    sign_in(client, manager)
    response = client.get(url(tour))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="responses">5<' in page
    assert 'data-testid="average-rating">3.6<' in page
    assert 'data-testid="nps">0<' in page
    assert "100 % of 5 participants" in page
    counts = {row["rating"]: row["count"] for row in response.context["distribution"]}
    assert counts == {5: 2, 4: 1, 3: 1, 2: 0, 1: 1}
    assert [row["share"] for row in response.context["distribution"]] == [
        40.0,
        20.0,
        20.0,
        0,
        20.0,
    ]
    assert 'data-testid="rating-2-count">0<' in page
    assert 'data-testid="group-promoters-count">2<' in page
    assert 'data-testid="group-passives-count">1<' in page
    assert 'data-testid="group-detractors-count">2<' in page
    assert "Винзавод — лучшее, что мы видели" in page
    assert "Хотим такой же кластер в Казани" in page
    assert "Слишком плотная программа" in page


def test_the_score_shows_its_sign(client, manager, regions):
    tour = study_tour()
    Feedback.objects.create(registration=tour.karelian, rating=5, recommend=10)
    Feedback.objects.create(registration=tour.tatar, rating=4, recommend=9)
    Feedback.objects.create(registration=tour.muscovite, rating=2, recommend=3)
    sign_in(client, manager)
    page = client.get(url(tour)).content.decode()
    assert 'data-testid="nps">+33<' in page


def test_russian_page_writes_numbers_the_russian_way(client, manager, tour):
    client.force_login(manager)
    client.cookies["django_language"] = "ru"
    page = client.get(url(tour)).content.decode()
    assert 'data-testid="average-rating">3,6<' in page


def test_partner_reads_the_figures_but_only_their_regions_comments(
    client, partner_tatarstan, tour
):
    sign_in(client, partner_tatarstan)
    response = client.get(url(tour))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="responses">5<' in page
    assert "Хотим такой же кластер в Казани" in page
    assert "Винзавод — лучшее, что мы видели" not in page
    assert "Лампинен" not in page
    assert "2 comments from participants of other regions are not shown." in page


def test_expert_reads_every_comment(client, expert, tour):
    sign_in(client, expert)
    page = client.get(url(tour)).content.decode()
    assert "Слишком плотная программа" in page
    assert "not shown" not in page


def test_partner_of_a_region_sending_nobody_gets_404(client, tour):
    Event.objects.filter(pk=tour.event.pk).update(registration_open=False)
    sign_in(client, partner_of("63"))
    assert client.get(url(tour)).status_code == 404


def test_no_feedback_yet_says_how_it_comes(client, manager, regions):
    tour = study_tour()
    sign_in(client, manager)
    page = client.get(url(tour)).content.decode()
    assert "No feedback yet." in page
