"""Benchmark: the community's main pages at the scale of the whole country.

    .venv/bin/python bench/community.py [--scale 1.0] [--repeat 5]
        [--database-url postgres://root@127.0.0.1:5432/creative_regions_bench]

Fills a dedicated PostgreSQL database (created when missing, migrated, kept
between runs and refilled only when ``--scale`` or the generator change) with
``--scale`` × 200 000 organisations, 500 000 people and 1 000 000 interactions,
with their sectors, tags, roles, affiliations, consents, participants and
follow-ups, written with COPY. Then, signed in as agency staff through Django's
test client, measures in the same run for each main read:

- the HTML page, and the API endpoint over the same selector and filters;
- the baseline: the same rows read naively with the ORM, as a first version
  would (no ``select_related``/``prefetch_related``, one query per row for what
  the row shows; search with ``icontains`` on the name columns, which no index
  serves).

Reads: the organisation list of one region (Moscow, the largest), the people
list, a search by surname, the timeline of a busy organisation, and "my
follow-ups". Each step's median of ``--repeat`` rounds (the steps take turns in
every round), its queries, and its speed against the baseline.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_DATABASE = "postgres://root@127.0.0.1:5432/creative_regions_bench"
GENERATOR_VERSION = 1
ORGANISATIONS, PEOPLE, INTERACTIONS = 200_000, 500_000, 1_000_000
STAFF = 20
SEARCH = "Кудрявцева"
BASELINE = "naive ORM (baseline)"


def prepare_environment(database_url: str) -> None:
    """Production-like settings (DEBUG off) on the bench database, before Django
    starts; the test client speaks plain HTTP, so no HTTPS redirects."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creative_regions.settings")
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )


def ensure_database(database_url: str) -> None:
    """Creates the bench database when it does not exist yet."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.", flush=True)


# Data ----------------------------------------------------------------------------


def names(text: str) -> list[str]:
    return text.split()


WORDS = names(
    "Арт Дизайн Медиа Студия Мастерская Лаборатория Фабрика Квартал Пространство "
    "Кластер Цех Бюро Ателье Сцена Звук Кадр Форма Линия Точка Север Волга Урал "
    "Байкал Ока Дон Кама Енисей Амур Нева Тайга Степь Город Двор Мост Маяк"
)
KINDS = (
    ("company", 0.55),
    ("sole_trader", 0.2),
    ("creative_space", 0.07),
    ("non_profit", 0.07),
    ("education", 0.04),
    ("media", 0.03),
    ("fund", 0.02),
    ("regional_authority", 0.01),
    ("municipal_authority", 0.01),
)
FORMS = {"company": "ООО", "creative_space": "АНО", "non_profit": "АНО"}
SURNAMES = names(
    "Соколов Лебедев Козлов Новиков Морозов Волков Зайцев Павлов Семёнов Голубев "
    "Виноградов Богданов Воробьёв Фёдоров Михайлов Тарасов Белов Комаров Орлов "
    "Киселёв Макаров Андреев Ковалёв Ильин Гусев Титов Кузьмин Кудрявцев Баранов "
    "Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов Захаров Борисов "
    "Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин Соболев "
    "Рябов Поляков Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов "
    "Осипов Белоусов Федотов Дорофеев Егоров Матвеев Бобров Дмитриев Калинин "
    "Анисимов Петухов Антонов Тимофеев Никифоров Веселов Филиппов Марков"
)
FIRST = {
    "m": names("Алексей Дмитрий Сергей Андрей Михаил Илья Павел Артём Николай Роман"),
    "f": names("Анна Мария Екатерина Ольга Наталья Ирина Светлана Юлия Татьяна Дарья"),
}
PATRONYMIC = {
    "m": names("Алексеевич Дмитриевич Сергеевич Андреевич Михайлович Игоревич"),
    "f": names("Алексеевна Дмитриевна Сергеевна Андреевна Михайловна Игоревна"),
}
TOPICS = (
    "Встреча о стратегии креативных индустрий",
    "Созвон о заявке в «Фабрику дизайна»",
    "Письмо о поддержке фестиваля",
    "Стратегическая сессия с министерством",
    "Заседание совета по креативным индустриям",
    "Визит в креативное пространство",
    "Обсуждение брифов заказчиков",
    "Подготовка образовательного визита",
)
INTERACTION_KINDS = (
    "meeting",
    "call",
    "letter",
    "strategic_session",
    "council_meeting",
    "visit",
)


def company_inn(serial: int) -> str:
    from stdnum.ru import inn

    stem = f"{serial:09d}"
    return stem + inn.calc_company_check_digit(stem)


@dataclass
class Plan:
    scale: float
    organisations: int
    people: int
    interactions: int
    # The busy organisation whose timeline is read, known once loaded.
    hub: int = 0

    @classmethod
    def of(cls, scale: float) -> Plan:
        return cls(
            scale,
            max(200, round(ORGANISATIONS * scale)),
            max(500, round(PEOPLE * scale)),
            max(1_000, round(INTERACTIONS * scale)),
        )


class Loader:
    """Writes the bench data with COPY, ids chosen here so rows link without
    reading anything back."""

    def __init__(self, plan: Plan, seed: int = 11) -> None:
        from creative_regions.geo.models import Region

        self.plan = plan
        self.random = random.Random(seed)
        self.today = date.today()
        self.now = datetime.now(UTC)
        regions = list(Region.objects.order_by("pk"))
        self.region_ids = [region.pk for region in regions]
        self.region_weights = [region.population or 700_000 for region in regions]
        self.region_codes = {region.pk: region.code for region in regions}
        self.moscow = next(region.pk for region in regions if region.code == "77")

    def copy(self, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> int:
        from django.db import connection

        count = 0
        with connection.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count

    def regions(self, count: int) -> list[int]:
        return self.random.choices(self.region_ids, self.region_weights, k=count)

    def load(self, staff: list[int], bench_user: int) -> dict[str, int]:
        from creative_regions.community.models import (
            Affiliation,
            Consent,
            FollowUp,
            Interaction,
            Organisation,
            Person,
            PersonRole,
            Sector,
            Tag,
        )
        from creative_regions.core.text import search_normalise

        plan, rng, counts = self.plan, self.random, {}
        started = time.perf_counter()

        def note(label: str, number: int) -> None:
            counts[label] = number
            print(
                f"  {label}: {number:,} rows ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )

        sector_ids = list(Sector.objects.values_list("pk", flat=True))
        tag_ids = list(Tag.objects.values_list("pk", flat=True))
        role_ids = list(PersonRole.objects.values_list("pk", flat=True))
        kinds, kind_weights = zip(*KINDS, strict=True)

        # Organisations, grouped by region for the participants below.
        org_regions = self.regions(plan.organisations)
        by_region: dict[int, list[int]] = {}

        def organisations() -> Iterator[tuple]:
            for number, region in enumerate(org_regions, start=1):
                by_region.setdefault(region, []).append(number)
                kind = rng.choices(kinds, kind_weights)[0]
                word = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {number}"
                short = f"«{word}»"
                form = FORMS.get(kind, "")
                full = f"{form} {short}".strip()
                inn = company_inn(number)
                city = f"Город {self.region_codes[region]}"
                yield (
                    number,
                    full,
                    short,
                    kind,
                    inn,
                    "",
                    region,
                    city,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "active",
                    self.now,
                    self.now,
                    search_normalise(" ".join((full, short, inn, "", city))),
                )

        note(
            "organisations",
            self.copy(
                Organisation._meta.db_table,
                names(
                    "id full_name short_name kind inn ogrn region_id city address "
                    "website telegram vk description status created_at updated_at "
                    "search_text"
                ),
                organisations(),
            ),
        )
        note(
            "organisation sectors",
            self.copy(
                *m2m(Organisation, "sectors"),
                (
                    (number, sector)
                    for number in range(1, plan.organisations + 1)
                    for sector in rng.sample(sector_ids, 1 + number % 2)
                ),
            ),
        )
        note(
            "organisation tags",
            self.copy(
                *m2m(Organisation, "tags"),
                (
                    (number, rng.choice(tag_ids))
                    for number in range(1, plan.organisations + 1)
                    if number % 5 == 0
                ),
            ),
        )

        person_regions = self.regions(plan.people)
        people_by_region: dict[int, list[int]] = {}

        def people() -> Iterator[tuple]:
            for number, region in enumerate(person_regions, start=1):
                people_by_region.setdefault(region, []).append(number)
                gender = "f" if number % 2 else "m"
                surname = SURNAMES[number % len(SURNAMES)] + (
                    "а" if gender == "f" else ""
                )
                first = FIRST[gender][(number // 7) % len(FIRST[gender])]
                patronymic = PATRONYMIC[gender][(number // 3) % len(PATRONYMIC[gender])]
                email = f"person{number}@example.org"
                phone = f"+7916{number % 10**7:07d}" if number % 3 else ""
                full = f"{surname} {first} {patronymic}"
                yield (
                    number,
                    surname,
                    first,
                    patronymic,
                    "Руководитель проекта",
                    phone,
                    email,
                    "",
                    region,
                    "",
                    self.now,
                    self.now,
                    search_normalise(" ".join((full, email, phone, ""))),
                )

        note(
            "people",
            self.copy(
                Person._meta.db_table,
                names(
                    "id surname first_name patronymic position phone email telegram "
                    "region_id expertise created_at updated_at search_text"
                ),
                people(),
            ),
        )
        note(
            "person roles",
            self.copy(
                *m2m(Person, "roles"),
                (
                    (number, role_ids[number % len(role_ids)])
                    for number in range(1, plan.people + 1)
                ),
            ),
        )

        def affiliations() -> Iterator[tuple]:
            for number, region in enumerate(person_regions, start=1):
                choices = by_region.get(region) or [1]
                started_on = self.today - timedelta(days=rng.randrange(30, 3_000))
                ended_on = started_on + timedelta(days=400) if number % 6 == 0 else None
                yield (
                    number,
                    number,
                    rng.choice(choices),
                    "Директор",
                    started_on,
                    ended_on,
                )

        note(
            "affiliations",
            self.copy(
                Affiliation._meta.db_table,
                names("id person_id organisation_id role started_on ended_on"),
                affiliations(),
            ),
        )

        def consents() -> Iterator[tuple]:
            number = 0
            for person in range(1, plan.people + 1):
                given_on = self.today - timedelta(days=rng.randrange(30, 1_500))
                purposes = ["processing"] + (["mailing"] if person % 5 < 3 else [])
                for purpose in purposes:
                    number += 1
                    yield (
                        number,
                        person,
                        purpose,
                        given_on,
                        "paper",
                        None,
                        "",
                        bench_user,
                        self.now,
                    )

        note(
            "consents",
            self.copy(
                Consent._meta.db_table,
                names(
                    "id person_id purpose given_on channel withdrawn_on evidence "
                    "recorded_by_id recorded_at"
                ),
                consents(),
            ),
        )

        interaction_regions = self.regions(plan.interactions)
        # A busy organisation: Moscow's first, in 1 % of Moscow's interactions.
        self.hub = by_region[self.moscow][0]

        def interactions() -> Iterator[tuple]:
            for number, region in enumerate(interaction_regions, start=1):
                topic = f"{rng.choice(TOPICS)} № {number}"
                yield (
                    number,
                    rng.choice(INTERACTION_KINDS),
                    self.today - timedelta(days=rng.randrange(0, 1_100)),
                    region,
                    topic,
                    "",
                    "",
                    bench_user,
                    self.now,
                    search_normalise(topic),
                )

        note(
            "interactions",
            self.copy(
                Interaction._meta.db_table,
                names(
                    "id kind occurred_on region_id topic summary decisions "
                    "created_by_id created_at search_text"
                ),
                interactions(),
            ),
        )

        def participants(groups: dict[int, list[int]], hub: int | None):
            for number, region in enumerate(interaction_regions, start=1):
                choices = groups.get(region)
                if not choices:
                    continue
                picked = {rng.choice(choices) for _ in range(1 + number % 2)}
                if hub is not None and region == self.moscow and number % 100 == 0:
                    picked.add(hub)
                for record in picked:
                    yield (number, record)

        note(
            "interaction organisations",
            self.copy(
                *m2m(Interaction, "organisations"), participants(by_region, self.hub)
            ),
        )
        note(
            "interaction people",
            self.copy(
                *m2m(Interaction, "people"), participants(people_by_region, None)
            ),
        )
        note(
            "interaction staff",
            self.copy(
                *m2m(Interaction, "staff"),
                (
                    (number, staff[number % len(staff)])
                    for number in range(1, plan.interactions + 1)
                ),
            ),
        )

        def follow_ups() -> Iterator[tuple]:
            number = 0
            for interaction in range(1, plan.interactions + 1):
                if interaction % 5 >= 2:
                    continue
                number += 1
                due_on = self.today + timedelta(days=rng.randrange(-400, 60))
                is_open = due_on > self.today - timedelta(days=30) or number % 9 == 0
                yield (
                    number,
                    interaction,
                    "Направить материалы и согласовать следующий шаг",
                    staff[number % len(staff)],
                    due_on,
                    "open" if is_open else "done",
                    None if is_open else due_on,
                )

        note(
            "follow-ups",
            self.copy(
                FollowUp._meta.db_table,
                names("id interaction_id description owner_id due_on status closed_on"),
                follow_ups(),
            ),
        )
        return counts


def m2m(model, name: str) -> tuple[str, list[str]]:
    """The through table of a many-to-many field and its two columns."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    columns = [
        through._meta.get_field(field.m2m_field_name()).column,
        through._meta.get_field(field.m2m_reverse_field_name()).column,
    ]
    return through._meta.db_table, columns


COMMUNITY_TABLES = (
    "Organisation",
    "Person",
    "Affiliation",
    "Consent",
    "Interaction",
    "FollowUp",
)


def loaded_tables() -> list[str]:
    from creative_regions.community import models

    tables = []
    for name in COMMUNITY_TABLES:
        model = getattr(models, name)
        tables.append(model._meta.db_table)
        for field in model._meta.many_to_many:
            tables.append(field.remote_field.through._meta.db_table)
    return tables


def fill(plan: Plan) -> Plan:
    """The bench data at ``plan``'s scale, generated unless already there."""
    from django.core.management import call_command
    from django.db import connection

    from creative_regions.community.services import sector_resolve, tag_resolve
    from creative_regions.core.models import User
    from creative_regions.core.services import user_create
    from creative_regions.geo.services import region_load_reference
    from creative_regions.research.services import classification_load_reference

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_community_meta "
            "(scale double precision, version integer, hub integer)"
        )
        cursor.execute("SELECT scale, version, hub FROM bench_community_meta")
        meta = cursor.fetchone()
    if meta and meta[0] == plan.scale and meta[1] == GENERATOR_VERSION:
        print(f"Bench data at scale {plan.scale} is in place.", flush=True)
        plan.hub = meta[2]
        return plan

    print(f"Generating the bench data at scale {plan.scale}...", flush=True)
    region_load_reference()
    classification_load_reference()
    tables = loaded_tables()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM bench_community_meta")
    sector_resolve(
        names("Дизайн Мода Музыка Архитектура Гастрономия Видеоигры Арт-индустрия")
    )
    tag_resolve(["якорная организация", "экспорт", "соглашение с АКИ", "лидер"])
    staff = []
    for number in range(STAFF):
        username = "bench" if number == 0 else f"bench-staff-{number}"
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=secrets.token_urlsafe(16), role="manager"
        )
        staff.append(user.pk)

    # Secondary indexes are rebuilt once after the load rather than updated
    # row by row; their definitions are read back from the database as migrated.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Foreign keys are consistent by construction; checking them per row
        # would double the load.
        cursor.execute("SET session_replication_role = replica")
    loader = Loader(plan)
    try:
        loader.load(staff, bench_user=staff[0])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            "INSERT INTO bench_community_meta VALUES (%s, %s, %s)",
            [plan.scale, GENERATOR_VERSION, loader.hub],
        )
    print(
        f"  {len(indexes)} indexes rebuilt, tables analysed "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    plan.hub = loader.hub
    return plan


# Measuring ---------------------------------------------------------------------


@dataclass
class Step:
    case: str
    variant: str
    run: Callable[[], int]  # returns the rows it read, or the HTTP status
    is_page: bool = False


def naive_steps(user, hub: int) -> dict[str, Callable[[], int]]:
    """The same reads as a first version would write them."""
    from django.db.models import Q

    from creative_regions.community.models import FollowUp, Organisation, Person

    def organisation_list() -> int:
        rows = []
        for organisation in Organisation.objects.filter(region__code="77").order_by(
            "full_name", "pk"
        )[:100]:
            rows.append(
                (
                    organisation.full_name,
                    organisation.region.name,
                    [sector.name for sector in organisation.sectors.all()],
                    [tag.name for tag in organisation.tags.all()],
                )
            )
        return len(rows)

    def person_list() -> int:
        rows = []
        today = date.today()
        for person in Person.objects.order_by(
            "surname", "first_name", "patronymic", "pk"
        )[:100]:
            rows.append(
                (
                    person.full_name,
                    person.region.name,
                    [role.name for role in person.roles.all()],
                    [
                        affiliation.organisation.name
                        for affiliation in person.affiliations.all()
                        if affiliation.is_current_on(today)
                    ],
                )
            )
        return len(rows)

    def search() -> int:
        organisations = Organisation.objects.filter(
            Q(full_name__icontains=SEARCH)
            | Q(short_name__icontains=SEARCH)
            | Q(inn__icontains=SEARCH)
        ).order_by("full_name")[:10]
        people = Person.objects.filter(
            Q(surname__icontains=SEARCH)
            | Q(first_name__icontains=SEARCH)
            | Q(email__icontains=SEARCH)
        ).order_by("surname", "first_name")[:10]
        return len(list(organisations)) + len(list(people))

    def timeline() -> int:
        organisation = Organisation.objects.get(pk=hub)
        rows = []
        for interaction in organisation.interactions.order_by("-occurred_on", "-pk")[
            :100
        ]:
            rows.append(
                (
                    interaction.topic,
                    interaction.region.name,
                    [person.full_name for person in interaction.people.all()],
                    [other.name for other in interaction.organisations.all()],
                    [item.description for item in interaction.follow_ups.all()],
                )
            )
        return len(rows)

    def my_follow_ups() -> int:
        rows = []
        for follow_up in FollowUp.objects.filter(owner=user, status="open").order_by(
            "due_on", "pk"
        )[:100]:
            rows.append(
                (
                    follow_up.description,
                    follow_up.interaction.topic,
                    follow_up.interaction.region.name,
                    follow_up.owner.username,
                )
            )
        return len(rows)

    return {
        "organisations of a region": organisation_list,
        "people": person_list,
        "search": search,
        "organisation timeline": timeline,
        "my follow-ups": my_follow_ups,
    }


def client_steps(client, hub: int) -> list[tuple[str, str, str]]:
    """(case, page URL, API URL) for each read."""
    from django.urls import NoReverseMatch, reverse

    def page(name: str, *args, query: str = "") -> str:
        try:
            return reverse(f"community:{name}", args=args) + query
        except NoReverseMatch:
            return ""

    api = "/api/v1/community"
    return [
        (
            "organisations of a region",
            page("organisation-list", query="?region=77"),
            f"{api}/organisations/?region=77",
        ),
        ("people", page("person-list"), f"{api}/people/"),
        ("search", page("search", query=f"?q={SEARCH}"), f"{api}/search/?q={SEARCH}"),
        (
            "organisation timeline",
            page("organisation-detail", hub),
            f"{api}/organisations/{hub}/timeline/",
        ),
        (
            "my follow-ups",
            page("follow-up-mine"),
            f"{api}/follow-ups/?mine=true&status=open",
        ),
    ]


def fetch(client, url: str) -> Callable[[], int]:
    def run() -> int:
        response = client.get(url)
        if response.status_code != 200:
            return -response.status_code
        if response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and "results" in body:
                return len(body["results"])
            if isinstance(body, dict):
                return sum(
                    len(value) for value in body.values() if isinstance(value, list)
                )
        return 0

    return run


def measure(steps: list[Step], repeat: int) -> dict[tuple[str, str], tuple]:
    """Median seconds, queries and rows of each step; steps take turns every
    round, so a busy moment of the shared machine does not fall on one only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results: dict[tuple[str, str], tuple] = {}
    queries: dict[tuple[str, str], int] = {}
    rows: dict[tuple[str, str], int] = {}
    for step in steps:
        with CaptureQueriesContext(connection) as captured:
            rows[step.case, step.variant] = step.run()
        queries[step.case, step.variant] = len(captured)
    times: dict[tuple[str, str], list[float]] = {
        (step.case, step.variant): [] for step in steps
    }
    for _round in range(repeat):
        for step in steps:
            if rows[step.case, step.variant] < 0:
                continue
            gc.collect()
            started = time.perf_counter()
            step.run()
            times[step.case, step.variant].append(time.perf_counter() - started)
    for key, values in times.items():
        median = statistics.median(values) if values else None
        results[key] = (median, queries[key], rows[key])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    arguments = parser.parse_args()
    if not 0 < arguments.scale <= 2:
        parser.error("--scale must be above 0 and at most 2")
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL database")

    prepare_environment(arguments.database_url)
    ensure_database(arguments.database_url)
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from creative_regions.core.models import User

    setup_test_environment()
    # Pages link their static files by name, without a collectstatic manifest.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
    ).enable()
    plan = fill(Plan.of(arguments.scale))
    hub = plan.hub
    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "ru"

    naive = naive_steps(user, hub)
    steps: list[Step] = []
    for case, page_url, api_url in client_steps(client, hub):
        if page_url:
            steps.append(Step(case, "page (HTML)", fetch(client, page_url), True))
        steps.append(Step(case, "API (JSON)", fetch(client, api_url)))
        steps.append(Step(case, BASELINE, naive[case]))
    results = measure(steps, arguments.repeat)

    print(
        f"\n{plan.organisations:,} organisations, {plan.people:,} people, "
        f"{plan.interactions:,} interactions (scale {plan.scale}); "
        f"median of {arguments.repeat} rounds, signed in as agency staff\n"
    )
    print("| read | variant | median ms | queries | rows | vs baseline |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for case in dict.fromkeys(step.case for step in steps):
        baseline = results[case, BASELINE][0]
        for step in (step for step in steps if step.case == case):
            median, query_count, row_count = results[case, step.variant]
            if median is None:
                print(f"| {case} | {step.variant} | HTTP {-row_count} | — | — | — |")
                continue
            rows = "—" if step.is_page else f"{row_count:,}"
            print(
                f"| {case} | {step.variant} | {median * 1000:,.1f} | {query_count} "
                f"| {rows} | {baseline / median:.2f}× |"
            )


if __name__ == "__main__":
    main()
