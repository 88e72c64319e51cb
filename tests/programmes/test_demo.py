"""The demo programmes tell the agency's 2023 story on top of the demo community,
reuse its records, stay consistent with the consents people gave, and load
only once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from creative_regions.community.demo import demo_community_load
from creative_regions.community.models import (
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from creative_regions.geo.services import region_load_reference
from creative_regions.programmes import selectors
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Feedback,
    InternshipPlacement,
    Outcome,
    Programme,
    Registration,
    Session,
    Venue,
)
from creative_regions.research.services import classification_load_reference
from tests.core.factories import UserFactory

TOUR_REGIONS = {"25", "16", "72", "35", "42", "23", "63", "71", "26", "55", "61", "76"}
MODELS = (
    Venue,
    Programme,
    Event,
    Session,
    Delegation,
    Registration,
    Attendance,
    Feedback,
    InternshipPlacement,
    Outcome,
    Person,
    Organisation,
    Interaction,
    FollowUp,
)


# Runs before the module's demo is loaded (tests run in file order).
@pytest.mark.django_db
def test_the_demo_needs_the_demo_community(regions, admin_user):
    with pytest.raises(CommandError, match="Load the demo community first"):
        call_command("load_demo_programmes", user=admin_user.username)

    assert not Event.objects.exists()


@pytest.mark.django_db
def test_the_command_needs_its_user():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("load_demo_programmes", user="nobody")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Both demos loaded once for the module, in a transaction rolled back at
    its end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        region_load_reference()
        classification_load_reference()
        user = UserFactory(
            username="demo-admin",
            role="administrator",
            is_staff=True,
            is_superuser=True,
        )
        demo_community_load(user=user, today=date(2025, 3, 1))
        organisations = Organisation.objects.count()
        interactions = Interaction.objects.count()
        output = StringIO()
        call_command("load_demo_programmes", user=user.username, stdout=output)
        yield {
            "user": user,
            "output": output.getvalue(),
            "community_organisations": organisations,
            "community_interactions": interactions,
        }
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_the_command_says_what_it_added(demo):
    output = demo["output"]

    assert output.startswith("Demo programmes: added ")
    assert "61 events" in output and "8 venues" in output


@pytest.mark.django_db
def test_moscows_creative_spaces_are_venues_of_the_communitys_organisations(demo):
    venues = {
        venue.name: venue
        for venue in Venue.objects.filter(city="Москва").select_related(
            "organisation", "region"
        )
    }

    assert {"Винзавод", "Artplay", "ГЭС-2", "Флакон", "Хлебозавод", "Фабрика"} <= set(
        venues
    )
    assert venues["Винзавод"].kind == Venue.Kind.CREATIVE_CLUSTER
    assert venues["Винзавод"].description.startswith("Центр современного искусства")
    assert venues["Artplay"].kind == Venue.Kind.DESIGN_CENTRE
    assert venues["ГЭС-2"].kind == Venue.Kind.MUSEUM
    assert venues["ГЭС-2"].description.startswith("Дом культуры")
    assert venues["ГЭС-2"].address == "Москва, Болотная наб., 15"
    for name in ("Винзавод", "Artplay", "ГЭС-2"):
        assert venues[name].organisation.short_name == name
        assert venues[name].region.code == "77"
    # The community's spaces are reused, not recorded again.
    assert Organisation.objects.count() == demo["community_organisations"]


@pytest.mark.django_db
def test_the_programmes_are_the_agencys_series(demo):
    names = set(Programme.objects.values_list("name", flat=True))

    assert {
        "Ознакомительные визиты региональных делегаций — 2023",
        "Ознакомительные визиты региональных делегаций — 2024",
        "Бизнес-миссии — 2023",
        "Выездные визиты агентства — 2023",
    } <= names


@pytest.mark.django_db
def test_the_karelian_designers_business_mission_of_6_7_july_2023(demo):
    mission = Event.objects.get(
        format=Event.Format.BUSINESS_MISSION, starts_on=date(2023, 7, 6)
    )
    topics = " ".join(mission.sessions.values_list("topic", flat=True))

    assert (mission.ends_on, mission.city, mission.status) == (
        date(2023, 7, 7),
        "Москва",
        Event.Status.HELD,
    )
    assert "Российская креативная неделя. Москва-фест" in mission.goals
    for words in (
        "дизайне интерьера",
        "работы с клиентом",
        "Психология восприятия",
        "культурного наследия и народных промыслов в цифровом формате",
        "производственной площадки",
    ):
        assert words in topics
    assert mission.sessions.filter(venue__kind=Venue.Kind.PRODUCTION_SITE).count() == 2
    delegation = mission.delegations.get()
    assert delegation.region.code == "10"
    participants = mission.registrations.filter(status=Registration.Status.CONFIRMED)
    assert participants.count() >= 8
    assert set(participants.values_list("person__region__code", flat=True)) == {"10"}
    assert mission.outcomes.filter(kind=Outcome.Kind.PROJECT).exists()


@pytest.mark.django_db
def test_the_study_tour_of_7_8_july_2023_and_its_agreements(demo):
    tour = Event.objects.get(format=Event.Format.STUDY_TOUR, starts_on=date(2023, 7, 7))
    visits = list(
        tour.sessions.filter(venue__isnull=False).values_list("venue__name", flat=True)
    )
    totals = selectors.registration_totals(tour.registrations.all(), tour)
    results = selectors.feedback_results(tour)

    assert tour.ends_on == date(2023, 7, 8) and tour.status == Event.Status.HELD
    assert visits[:3] == ["Винзавод", "Artplay", "ГЭС-2"]
    assert (
        tour.sessions.order_by("day", "starts_at")
        .last()
        .topic.startswith("Подведение итогов")
    )
    assert set(tour.delegations.values_list("region__code", flat=True)) == TOUR_REGIONS
    assert totals.confirmed >= 36 and totals.attended == totals.confirmed
    assert results.responses > 20 and results.net_promoter_score > 0
    outcomes = {
        outcome.organisation.short_name: outcome
        for outcome in tour.outcomes.select_related("organisation", "follow_up")
    }
    assert set(outcomes) == {"Мега-Арт", "Мега-Пак", "Фонд «Активный бизнес»"}
    assert {
        name: (outcome.kind, outcome.organisation.city)
        for name, outcome in outcomes.items()
    } == {
        "Мега-Арт": (Outcome.Kind.FOLLOW_UP, "Рыбинск"),
        "Мега-Пак": (Outcome.Kind.FOLLOW_UP, "Череповец"),
        "Фонд «Активный бизнес»": (Outcome.Kind.FOLLOW_UP, "Кемерово"),
    }
    for outcome in outcomes.values():
        # Written back to the community: a follow-up of the region's visit.
        follow_up = outcome.follow_up
        assert follow_up.description == outcome.summary
        assert follow_up.interaction.region == outcome.organisation.region
        assert follow_up.interaction.occurred_on == date(2023, 7, 7)
        assert follow_up.status == FollowUp.Status.DONE
    assert tour.interactions.count() == len(TOUR_REGIONS)


@pytest.mark.django_db
def test_a_study_tour_every_month_of_2023_and_2024(demo):
    months = set(
        Event.objects.filter(
            format=Event.Format.STUDY_TOUR, starts_on__year__in=(2023, 2024)
        ).values_list("starts_on__year", "starts_on__month")
    )

    assert months == {(year, month) for year in (2023, 2024) for month in range(1, 13)}
    assert (
        not Event.objects.filter(
            starts_on__year__in=(2023, 2024), registrations__isnull=True
        )
        .filter(format=Event.Format.STUDY_TOUR)
        .exists()
    )


@pytest.mark.django_db
def test_outreach_visits_to_more_than_20_cities_in_2023_with_their_meetings(demo):
    visits = Event.objects.filter(
        format=Event.Format.OUTREACH_VISIT, starts_on__year=2023
    ).prefetch_related("interactions")

    assert visits.values("city").distinct().count() > 20
    for visit in visits:
        meetings = list(visit.interactions.all())
        assert meetings, visit.city
        assert {meeting.region_id for meeting in meetings} == {visit.region_id}
        assert all(visit.includes(meeting.occurred_on) for meeting in meetings)
    recorded = Interaction.objects.count() - demo["community_interactions"]
    assert recorded == 20
    # Agreements signed on a visit are the community's meetings, linked.
    rybinsk = visits.get(city="Рыбинск")
    assert rybinsk.interactions.get().topic.startswith(
        "Подписание соглашения о сотрудничестве"
    )


@pytest.mark.django_db
def test_events_of_2027_are_open_to_public_registration(demo):
    open_events = Event.objects.public().filter(starts_on__year=2027)
    seminar = open_events.get(title="Семинар «Дизайн-код региона»")
    totals = selectors.registration_totals(seminar.registrations.all(), seminar)
    mission = Event.objects.get(title="Бизнес-миссия дизайнеров Кузбасса")

    assert open_events.count() >= 2
    assert (totals.confirmed, totals.waitlisted, totals.free) == (12, 3, 0)
    conflicts = selectors.session_conflicts(mission.sessions.all())
    clashes = [other for others in conflicts.values() for other in others]
    assert [(c.event.title, c.venue.name) for c in clashes] == [
        ("Ознакомительный визит региональных делегаций — июнь 2027", "Винзавод")
    ]


@pytest.mark.django_db
def test_nobody_takes_part_before_consenting_to_be_kept_on_record(demo):
    registrations = Registration.objects.select_related("event", "person")

    for registration in registrations:
        registered_on = timezone.localdate(registration.registered_at)
        assert Consent.objects.filter(
            person=registration.person,
            purpose=Consent.Purpose.PROCESSING,
            given_on__lte=registered_on,
        ).exists(), (registration.person, registration.event)
        if registration.event.starts_on.year < 2025:
            # The past is dated as the story has it, not by the load.
            assert registered_on == registration.event.starts_on
            if registration.checked_in_at:
                assert registration.registered_at < registration.checked_in_at


@pytest.mark.django_db
def test_the_demos_past_is_closed_and_written_by_the_loading_user(demo):
    user = demo["user"]

    assert (
        not Event.objects.filter(starts_on__year__lt=2025)
        .exclude(status=Event.Status.HELD)
        .exists()
    )
    assert not FollowUp.objects.open().filter(due_on__year__lt=2025).exists()
    assert Event.objects.exclude(created_by=user).count() == 0
    tour = Event.objects.get(format=Event.Format.STUDY_TOUR, starts_on=date(2023, 7, 7))
    assert {record.history_user for record in tour.history.all()} == {user}


@pytest.mark.django_db
def test_loading_the_demo_again_adds_nothing(demo):
    counts = {model: model.objects.count() for model in MODELS}
    output = StringIO()

    call_command("load_demo_programmes", user=demo["user"].username, stdout=output)

    assert output.getvalue() == "Demo programmes: already loaded, nothing to add.\n"
    assert {model: model.objects.count() for model in MODELS} == counts
