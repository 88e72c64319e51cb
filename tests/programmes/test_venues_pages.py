"""Venues: the list with its filters, sorting and export; the page with contacts
from the community, photos and upcoming sessions; the forms; who may do what."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from creative_regions.programmes.models import Event, Venue, VenuePhoto
from tests.community.factories import OrganisationFactory, PersonFactory, region
from tests.programmes.factories import EventFactory, SessionFactory, VenueFactory
from tests.programmes.planning import htmx, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

LIST = reverse("programmes:venue-list")
# A 1×1 PNG image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def venues(regions):
    """Three Moscow spaces, a Kazan cluster and a Karelian workshop."""
    return {
        "winery": VenueFactory(
            name="Винзавод",
            kind=Venue.Kind.CREATIVE_CLUSTER,
            address="4-й Сыромятнический пер., 1/8",
            capacity=300,
        ),
        "artplay": VenueFactory(name="Artplay", kind=Venue.Kind.DESIGN_CENTRE),
        "ges": VenueFactory(name="ГЭС-2", kind=Venue.Kind.MUSEUM),
        "shtab": VenueFactory(name="Штаб", region=region("16"), city="Казань"),
        "workshop": VenueFactory(
            name="Мастерская карельского дизайна",
            kind=Venue.Kind.PRODUCTION_SITE,
            region=region("10"),
            city="Петрозаводск",
        ),
    }


def names(response) -> list[str]:
    return [venue.name for venue in response.context["page"]]


def detail(venue) -> str:
    return reverse("programmes:venue-detail", args=[venue.pk])


def venue_form(**changes) -> dict:
    data = {
        "name": "Флакон",
        "kind": "creative_cluster",
        "region": "",
        "city": "Москва",
        "address": "ул. Большая Новодмитровская, 36",
        "capacity": "500",
        "website": "flacon.ru",
        "description": "",
        "organisation": "",
    }
    data.update(changes)
    return data


# The list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {},
            ["Artplay", "Винзавод", "ГЭС-2", "Мастерская карельского дизайна", "Штаб"],
        ),
        ({"kind": "design_centre"}, ["Artplay"]),
        ({"region": "16"}, ["Штаб"]),
        ({"city": "Петрозаводск"}, ["Мастерская карельского дизайна"]),
        ({"q": "винзавод"}, ["Винзавод"]),
        ({"q": "Сыромятнический"}, ["Винзавод"]),
        (
            {"sort": "-name"},
            ["Штаб", "Мастерская карельского дизайна", "ГЭС-2", "Винзавод", "Artplay"],
        ),
    ],
)
def test_the_list_filters_and_sorts(client, expert, venues, filters, expected):
    sign_in(client, expert)

    response = client.get(LIST, filters)

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("березка", ["Берёзка"]),
        ("БЕРЁЗКА", ["Берёзка"]),
        ("ёлки", ["Елки-палки"]),
        ("Берёзовая", ["Березовая роща"]),
    ],
)
def test_the_search_takes_yo_and_ye_as_one_letter(
    client, expert, regions, query, expected
):
    for name in ("Берёзка", "Елки-палки", "Березовая роща"):
        VenueFactory(name=name)
    sign_in(client, expert)

    assert names(client.get(LIST, {"q": query})) == expected


def test_the_list_sorts_by_the_sessions_held(client, manager, venues):
    event = EventFactory()
    for _index in range(2):
        SessionFactory(event=event, venue=venues["ges"])
    SessionFactory(event=event, venue=venues["artplay"])
    sign_in(client, manager)

    response = client.get(LIST, {"sort": "-sessions"})

    assert names(response)[:2] == ["ГЭС-2", "Artplay"]
    assert [venue.session_count for venue in response.context["page"]][:2] == [2, 1]


@pytest.mark.parametrize(("headers", "queries"), [({}, 6), (htmx(), 4)])
def test_the_list_takes_a_fixed_number_of_queries(
    client, manager, venues, django_assert_num_queries, headers, queries
):
    for number in range(20):
        SessionFactory(event=EventFactory(), venue=VenueFactory(name=f"Space {number}"))
    sign_in(client, manager)
    client.get(LIST, **headers)

    with django_assert_num_queries(queries):
        response = client.get(LIST, **headers)

    assert len(response.context["page"]) == 25


def test_the_list_answers_htmx_with_the_results_and_the_count(client, manager, venues):
    sign_in(client, manager)

    response = client.get(LIST, {"region": "77"}, **htmx())

    html = response.content.decode()
    assert "<html" not in html
    assert "3 venues" in html
    assert 'id="filter-sort" value="" hx-swap-oob="true"' in html


def test_the_filter_bar_offers_the_cities_of_the_venues(client, manager, venues):
    sign_in(client, manager)

    response = client.get(LIST)

    choices = response.context["filterset"].form.fields["city"].widget.choices
    assert [value for value, _label in choices] == [
        "",
        "Казань",
        "Москва",
        "Петрозаводск",
    ]


def test_a_bad_region_is_named(client, manager, venues):
    sign_in(client, manager)

    response = client.get(LIST, {"region": "Москва"})

    assert response.status_code == 400
    assert dict(response.context["filter_errors"])["Region"] == [
        "A region code is two digits, e.g. 16."
    ]


def test_a_partner_reads_the_shared_list_but_gets_no_add_button(
    client, partner_tatarstan, venues
):
    sign_in(client, partner_tatarstan)

    response = client.get(LIST)

    assert len(names(response)) == 5
    assert 'data-testid="venue-create"' not in response.content.decode()


def test_the_export_follows_the_filter(client, manager, venues):
    sign_in(client, manager)

    response = client.get(reverse("programmes:venue-export"), {"city": "Москва"})

    rows = list(
        load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0] == (
        "Name",
        "Kind",
        "Region",
        "City",
        "Address",
        "Capacity",
        "Website",
        "Sessions held",
    )
    assert [row[0] for row in rows[1:]] == ["Artplay", "Винзавод", "ГЭС-2"]
    assert rows[2][4] == "4-й Сыромятнический пер., 1/8"
    assert rows[2][5] == 300


@pytest.mark.parametrize(
    "url",
    [LIST, reverse("programmes:venue-export"), reverse("programmes:venue-create")],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url, regions):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# The page -------------------------------------------------------------------------


def test_the_page_links_contacts_and_the_managing_organisation(client, manager, venues):
    winery = venues["winery"]
    curator = PersonFactory(
        surname="Куликова", first_name="Анна", region=region("77"), position="Куратор"
    )
    organisation = OrganisationFactory(full_name="ЦСИ «Винзавод»", region=region("77"))
    winery.contacts.add(curator)
    winery.organisation = organisation
    winery.save()
    sign_in(client, manager)

    html = client.get(detail(winery)).content.decode()

    assert reverse("community:person-detail", args=[curator.pk]) in html
    assert "Куликова Анна Иванович" in html
    assert "Куратор" in html
    assert reverse("community:organisation-detail", args=[organisation.pk]) in html
    assert "4-й Сыромятнический пер., 1/8" in html
    assert "300 visitors" in html


def test_a_partner_sees_contacts_of_other_regions_only_as_a_count(
    client, partner_tatarstan, venues
):
    winery = venues["winery"]
    muscovite = PersonFactory(surname="Куликова", region=region("77"))
    tatar = PersonFactory(surname="Сафина", region=region("16"))
    winery.contacts.add(muscovite, tatar)
    winery.organisation = OrganisationFactory(
        full_name="ЦСИ «Винзавод»", region=region("77")
    )
    winery.save()
    sign_in(client, partner_tatarstan)

    response = client.get(detail(winery))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Сафина" in html
    assert "Куликова" not in html
    assert "1 person from another region" in html
    assert "ЦСИ «Винзавод»" not in html
    assert "an organisation from another region" in html


def test_the_page_lists_upcoming_sessions_the_user_may_see(
    client, partner_tatarstan, manager, venues
):
    today = timezone.localdate()
    kazan = EventFactory(
        title="Kazan delegation in Moscow",
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=4),
        region=region("16"),
        city="Казань",
    )
    moscow = EventFactory(
        title="Moscow seminar",
        format=Event.Format.SEMINAR,
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=3),
    )
    past = EventFactory(
        title="Last year's tour",
        starts_on=date(2023, 7, 7),
        ends_on=date(2023, 7, 8),
        region=region("16"),
    )
    SessionFactory(event=kazan, venue=venues["winery"], topic="Galleries")
    SessionFactory(event=moscow, venue=venues["winery"], topic="Residents")
    SessionFactory(event=past, venue=venues["winery"], topic="Old visit")
    sign_in(client, partner_tatarstan)

    partner_view = client.get(detail(venues["winery"]))
    sign_in(client, manager)
    staff_view = client.get(detail(venues["winery"]))

    assert [s.topic for s in partner_view.context["upcoming"]] == ["Galleries"]
    assert "Moscow seminar" not in partner_view.content.decode()
    assert sorted(s.topic for s in staff_view.context["upcoming"]) == [
        "Galleries",
        "Residents",
    ]


def test_an_unknown_venue_is_404(client, manager, regions):
    sign_in(client, manager)

    assert (
        client.get(reverse("programmes:venue-detail", args=[424242])).status_code == 404
    )


# Photos ---------------------------------------------------------------------------


def test_staff_upload_a_photo_and_everyone_signed_in_sees_it(
    client, manager, partner_karelia, venues
):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:venue-photo-add", args=[venues["ges"].pk]),
        {
            "image": SimpleUploadedFile("hall.PNG", PNG, content_type="image/png"),
            "caption": "The hall",
        },
    )

    photo = VenuePhoto.objects.get()
    assert response.status_code == 302
    assert photo.image.name.endswith(".png")
    assert photo.caption == "The hall"
    sign_in(client, partner_karelia)
    page = client.get(detail(venues["ges"]))
    image = client.get(
        reverse("programmes:venue-photo", args=[venues["ges"].pk, photo.pk])
    )
    assert 'alt="The hall"' in page.content.decode()
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG
    client.logout()
    assert (
        client.get(
            reverse("programmes:venue-photo", args=[venues["ges"].pk, photo.pk])
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "plan.gif",
            b"GIF89a...",
            "File extension “gif” is not allowed. Allowed extensions are: jpg, jpeg, png, webp.",
        ),
        (
            "script.svg",
            b"<svg onload=alert(1)>",
            "File extension “svg” is not allowed. Allowed extensions are: jpg, jpeg, png, webp.",
        ),
        (
            "fake.jpg",
            b"MZ\x90\x00 not an image",
            "The file is not a JPEG, PNG or WebP image.",
        ),
    ],
)
def test_a_file_that_is_not_an_allowed_image_is_refused_at_the_field(
    client, manager, venues, name, content, message
):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:venue-photo-add", args=[venues["ges"].pk]),
        {"image": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert response.context["photo_form"].errors["image"] == [message]
    assert 'data-testid="error-image"' in response.content.decode()
    assert not VenuePhoto.objects.exists()


def test_staff_delete_a_photo_and_its_file(
    client, manager, venues, django_capture_on_commit_callbacks
):
    photo = VenuePhoto.objects.create(
        venue=venues["ges"], image=SimpleUploadedFile("a.png", PNG)
    )
    stored = Path(photo.image.path)
    sign_in(client, manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:venue-photo-delete", args=[venues["ges"].pk, photo.pk])
        )

    assert response.status_code == 302
    assert not VenuePhoto.objects.exists()
    assert not stored.exists()


@pytest.mark.parametrize("user_fixture", ["expert", "partner_tatarstan"])
def test_readers_may_not_upload_or_delete_photos(client, request, venues, user_fixture):
    photo = VenuePhoto.objects.create(
        venue=venues["ges"], image=SimpleUploadedFile("a.png", PNG)
    )
    sign_in(client, request.getfixturevalue(user_fixture))

    upload = client.post(
        reverse("programmes:venue-photo-add", args=[venues["ges"].pk]),
        {"image": SimpleUploadedFile("b.png", PNG)},
    )
    delete = client.post(
        reverse("programmes:venue-photo-delete", args=[venues["ges"].pk, photo.pk])
    )
    page = client.get(detail(venues["ges"]))

    assert [upload.status_code, delete.status_code] == [403, 403]
    assert list(VenuePhoto.objects.all()) == [photo]
    assert 'data-testid="photo-form"' not in page.content.decode()
    assert 'data-testid="photo-delete"' not in page.content.decode()


def test_a_photo_of_another_venue_is_not_found_here(client, manager, venues):
    photo = VenuePhoto.objects.create(
        venue=venues["ges"], image=SimpleUploadedFile("a.png", PNG)
    )
    sign_in(client, manager)

    response = client.get(
        reverse("programmes:venue-photo", args=[venues["winery"].pk, photo.pk])
    )

    assert response.status_code == 404


# Creating and editing -------------------------------------------------------------


def test_staff_add_a_venue_with_its_contacts(client, manager, venues):
    curator = PersonFactory(surname="Орлова", region=region("77"))
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:venue-create"),
        {**venue_form(region=region("77").pk), "contacts": [curator.pk]},
    )

    venue = Venue.objects.get(name="Флакон")
    assert response.status_code == 302
    assert response["Location"] == detail(venue)
    assert venue.website == "https://flacon.ru"
    assert venue.capacity == 500
    assert list(venue.contacts.all()) == [curator]
    assert venue.history.first().history_user == manager


def test_a_venue_with_the_same_name_in_the_same_city_is_refused(
    client, manager, venues
):
    sign_in(client, manager)

    response = client.post(
        reverse("programmes:venue-create"),
        venue_form(name="Винзавод", region=region("77").pk),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A venue with this name is already in this city."
    ]
    assert Venue.objects.filter(name="Винзавод").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        (
            {"kind": "bar"},
            "kind",
            "Select a valid choice. bar is not one of the available choices.",
        ),
        ({"website": "not a site"}, "website", "Enter a valid URL."),
        ({"capacity": "many"}, "capacity", "Enter a whole number."),
        ({"region": ""}, "region", "This field is required."),
    ],
)
def test_bad_venue_input_is_answered_at_the_field(
    client, manager, venues, changes, field, message
):
    sign_in(client, manager)

    data = venue_form(region=region("77").pk)
    data.update(changes)
    response = client.post(reverse("programmes:venue-create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Venue.objects.filter(name="Флакон").exists()


def test_staff_edit_a_venue(client, manager, venues):
    sign_in(client, manager)

    form = client.get(
        reverse("programmes:venue-edit", args=[venues["ges"].pk])
    ).context["form"]
    response = client.post(
        reverse("programmes:venue-edit", args=[venues["ges"].pk]),
        venue_form(
            name="ДК ГЭС-2",
            kind="museum",
            region=region("77").pk,
            address="Болотная наб., 15",
        ),
    )

    assert form["name"].value() == "ГЭС-2"
    assert response.status_code == 302
    venues["ges"].refresh_from_db()
    assert (venues["ges"].name, venues["ges"].address) == (
        "ДК ГЭС-2",
        "Болотная наб., 15",
    )


@pytest.mark.parametrize("user_fixture", ["expert", "partner_karelia"])
def test_readers_may_not_add_or_edit_venues(client, request, venues, user_fixture):
    sign_in(client, request.getfixturevalue(user_fixture))

    created = client.post(
        reverse("programmes:venue-create"), venue_form(region=region("10").pk)
    )
    edited = client.post(
        reverse("programmes:venue-edit", args=[venues["workshop"].pk]),
        venue_form(name="Renamed", region=region("10").pk),
    )

    assert [created.status_code, edited.status_code] == [403, 403]
    assert not Venue.objects.filter(name__in=["Флакон", "Renamed"]).exists()


def test_the_contact_picker_finds_people_and_keeps_the_chosen(client, manager, venues):
    chosen = PersonFactory(surname="Орлова", region=region("77"))
    PersonFactory(surname="Петров", region=region("77"))
    found = PersonFactory(surname="Смирнова", region=region("77"))
    sign_in(client, manager)

    response = client.get(
        reverse("programmes:person-options"), {"q": "Смирн", "contacts": [chosen.pk]}
    )

    html = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>' in html
    assert f'<option value="{found.pk}">' in html
    assert "Петров" not in html


def test_the_pickers_are_for_staff_only(client, partner_karelia, regions):
    sign_in(client, partner_karelia)

    assert (
        client.get(reverse("programmes:person-options"), {"q": "а"}).status_code == 403
    )
    assert (
        client.get(reverse("programmes:organisation-options"), {"q": "а"}).status_code
        == 403
    )


def test_staff_delete_a_venue_with_its_photos_after_being_asked(
    client, manager, venues, django_capture_on_commit_callbacks
):
    venue = venues["ges"]
    photo = VenuePhoto.objects.create(
        venue=venue, image=SimpleUploadedFile("a.png", PNG)
    )
    stored = Path(photo.image.path)
    sign_in(client, manager)
    url = reverse("programmes:venue-delete", args=[venue.pk])

    page = client.get(detail(venue)).content.decode()
    asked = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert f'href="{url}" data-testid="venue-delete"' in page
    assert "The venue is deleted with its 1 photo." in asked
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not Venue.objects.filter(pk=venue.pk).exists()
    assert not stored.exists()


def test_a_venue_itineraries_visit_is_not_deleted(client, manager, venues):
    venue = venues["winery"]
    SessionFactory(venue=venue)
    sign_in(client, manager)
    url = reverse("programmes:venue-delete", args=[venue.pk])

    asked = client.get(url).content.decode()
    response = client.post(url)

    assert "1 session of an itinerary takes place here: it cannot be deleted." in asked
    assert 'data-testid="delete-confirm"' not in asked
    assert response.status_code == 400
    assert (
        "Sessions of itineraries take place here: move them before deleting it."
        in response.content.decode()
    )
    assert Venue.objects.filter(pk=venue.pk).exists()


@pytest.mark.parametrize("user_fixture", ["expert", "partner_tatarstan"])
def test_readers_may_not_delete_a_venue(client, request, venues, user_fixture):
    sign_in(client, request.getfixturevalue(user_fixture))
    url = reverse("programmes:venue-delete", args=[venues["ges"].pk])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert url not in client.get(detail(venues["ges"])).content.decode()
    assert Venue.objects.filter(pk=venues["ges"].pk).exists()
