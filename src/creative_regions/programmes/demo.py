"""The demo programmes: the agency's 2023 as it told it in January 2024 — the
6–7 July business mission of Karelian designers, the 7–8 July study tour of
delegations from a dozen regions through «Винзавод», «Artplay» and «ГЭС-2»
with the follow-ups to prepare agreements with «Мега-Арт», «Мега-Пак» and the
fund «Активный бизнес», a study tour every month of 2023 and 2024, outreach
visits to more than twenty cities in 2023 and the 2024 educational visits —
and a few events of 2027 open to registration.

It stands on the demo community (its regions' authorities, creative
organisations, people and dialogue), which it reuses and never duplicates:
records are looked up by name and region before anything is added. Delegates
the community does not know yet are recorded in it, with their consent given
on the day of the event; nobody takes part in an event before the day they
consented to be kept on record. Everything is written through the services,
in one transaction, and the moments the services stamp with the time of the
load (registered, checked in, answered) are then dated as the story has them.
An event found by its title and first day is taken as loaded, so running the
load again adds nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from creative_regions.community.models import (
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
    PersonRole,
)
from creative_regions.community.services import (
    FollowUpInput,
    consent_record,
    follow_up_add,
    follow_up_set_status,
    person_create,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.programmes import services
from creative_regions.programmes.models import (
    Attendance,
    Event,
    Feedback,
    Format,
    Methodology,
    Outcome,
    Programme,
    Registration,
    Venue,
)

MISSION_DAY = date(2023, 7, 6)
TOUR_DAY = date(2023, 7, 7)
# The day those registered for 2027 so far gave their consent (a consent is
# never dated in the future).
SIGN_UP_DAY = date(2025, 3, 12)
VISITS = ((time(10), time(11, 30)), (time(12, 30), time(14)), (time(15), time(16, 30)))
DEBRIEF = (time(17), time(18))
COLLEAGUES = ("d.sokolov", "a.morozova", "e.kuznetsova")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Venues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoVenue:
    key: str
    name: str
    kind: str
    address: str
    capacity: int
    description: str
    website: str = ""
    organisation: str = ""  # the short name of the community's organisation


VENUES = (
    DemoVenue(
        "winzavod",
        "Винзавод",
        Venue.Kind.CREATIVE_CLUSTER,
        "4-й Сыромятнический пер., 1/8",
        250,
        "Центр современного искусства в корпусах бывшего винного завода: "
        "галереи, мастерские художников, шоурумы дизайнеров.",
        "https://winzavod.ru",
        "Винзавод",
    ),
    DemoVenue(
        "artplay",
        "Artplay",
        Venue.Kind.DESIGN_CENTRE,
        "ул. Нижняя Сыромятническая, 10",
        300,
        "Центр дизайна: студии архитекторов и дизайнеров, шоурумы мебели и "
        "интерьера, выставочные залы.",
        "https://artplay.ru",
        "Artplay",
    ),
    DemoVenue(
        "ges-2",
        "ГЭС-2",
        Venue.Kind.MUSEUM,
        "Болотная наб., 15",
        400,
        "Дом культуры в здании бывшей электростанции: выставки, мастерские, "
        "библиотека, резиденции.",
        "https://ges-2.org",
        "ГЭС-2",
    ),
    DemoVenue(
        "flacon",
        "Флакон",
        Venue.Kind.CREATIVE_CLUSTER,
        "ул. Большая Новодмитровская, 36",
        200,
        "Дизайн-завод на территории бывшего стекольного завода: студии, "
        "мастерские, образовательные программы.",
        "https://flacon.ru",
    ),
    DemoVenue(
        "khlebozavod",
        "Хлебозавод",
        Venue.Kind.CREATIVE_CLUSTER,
        "ул. Новодмитровская, 1",
        150,
        "Креативный квартал в корпусах хлебозавода № 9: локальные бренды, "
        "мастерские, гастрономия.",
    ),
    DemoVenue(
        "fabrika",
        "Фабрика",
        Venue.Kind.CREATIVE_CLUSTER,
        "Переведеновский пер., 18",
        120,
        "Центр творческих индустрий на действующей фабрике: мастерские, "
        "резиденции художников, экспериментальная сцена.",
    ),
    DemoVenue(
        "furniture",
        "Мебельное производство «Форма»",
        Venue.Kind.PRODUCTION_SITE,
        "ул. Электрозаводская, 33",
        30,
        "Производство корпусной мебели по проектам дизайнеров: от эскиза до серии.",
    ),
    DemoVenue(
        "textile",
        "Текстильная мастерская «Лён и узор»",
        Venue.Kind.PRODUCTION_SITE,
        "Варшавское ш., 9",
        25,
        "Цифровая печать и ткачество малых тиражей для дизайнеров текстиля.",
    ),
)
CREATIVE_VENUES = ("winzavod", "artplay", "ges-2", "flacon", "khlebozavod", "fabrika")

# Programmes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProgramme:
    key: str
    name: str
    format: str
    year: int
    methodology: str
    description: str


PROGRAMMES = (
    DemoProgramme(
        "tours-2023",
        "Ознакомительные визиты региональных делегаций — 2023",
        Format.STUDY_TOUR,
        2023,
        Methodology.STUDY_VISIT,
        "Каждый месяц агентство принимает представителей регионов, "
        "заинтересованных в развитии креативных индустрий, и проводит их по "
        "креативным пространствам Москвы.",
    ),
    DemoProgramme(
        "tours-2024",
        "Ознакомительные визиты региональных делегаций — 2024",
        Format.STUDY_TOUR,
        2024,
        Methodology.STUDY_VISIT,
        "Ежемесячные визиты делегаций регионов в креативные пространства Москвы.",
    ),
    DemoProgramme(
        "tours-2027",
        "Ознакомительные визиты региональных делегаций — 2027",
        Format.STUDY_TOUR,
        2027,
        Methodology.STUDY_VISIT,
        "Визиты 2027 года: регистрация открыта.",
    ),
    DemoProgramme(
        "missions-2023",
        "Бизнес-миссии — 2023",
        Format.BUSINESS_MISSION,
        2023,
        Methodology.BUSINESS_MISSION,
        "Бизнес-миссии региональных дизайнеров и предпринимателей в Москву.",
    ),
    DemoProgramme(
        "missions-2027",
        "Бизнес-миссии — 2027",
        Format.BUSINESS_MISSION,
        2027,
        Methodology.BUSINESS_MISSION,
        "Бизнес-миссии 2027 года.",
    ),
    DemoProgramme(
        "seminars-2027",
        "Семинары — 2027",
        Format.SEMINAR,
        2027,
        Methodology.DESIGN_WORKSHOP,
        "Семинары агентства в регионах.",
    ),
    DemoProgramme(
        "forums-2027",
        "Форумы — 2027",
        Format.FORUM,
        2027,
        "",
        "Форумы и фестивали креативных индустрий.",
    ),
    DemoProgramme(
        "outreach-2023",
        "Выездные визиты агентства — 2023",
        Format.OUTREACH_VISIT,
        2023,
        Methodology.REGION_CYCLE,
        "В 2023 году агентство побывало более чем в 20 городах: лекции о "
        "практиках Москвы, встречи с властями и креативными предпринимателями.",
    ),
    DemoProgramme(
        "outreach-2024",
        "Выездные визиты агентства — 2024",
        Format.OUTREACH_VISIT,
        2024,
        Methodology.REGION_CYCLE,
        "Образовательные визиты 2024 года: Белгород, Ульяновск, Великий "
        "Новгород, Омск, Краснодар, Екатеринбург, Карачаево-Черкесия, Северная "
        "Осетия — Алания.",
    ),
    DemoProgramme(
        "internships-2023",
        "Стажировки — 2023",
        Format.INTERNSHIP,
        2023,
        Methodology.DESIGN_RESIDENCY,
        "Стажировки региональных дизайнеров в московских студиях.",
    ),
)

# The story's events -------------------------------------------------------------------

# The July 2023 study tour's delegations: the cities the agency named, and
# Rybinsk, whose «Мега-Арт» signed an agreement after the visit.
TOUR_REGIONS = (
    ("25", "Владивосток"),
    ("16", "Казань"),
    ("72", "Тюмень"),
    ("35", "Череповец"),
    ("42", "Кемерово"),
    ("23", "Краснодар"),
    ("63", "Самара"),
    ("71", "Тула"),
    ("26", "Ставрополь"),
    ("55", "Омск"),
    ("61", "Ростов-на-Дону"),
    ("76", "Рыбинск"),
)
# The agreements prepared after the tour: region, the organisation's short name
# in the community, the follow-up, the day the agreement was signed.
AGREEMENTS = (
    (
        "76",
        "Мега-Арт",
        "Подготовить соглашение о сотрудничестве с креативным пространством "
        "«Мега-Арт» (Рыбинск)",
        date(2023, 9, 14),
    ),
    (
        "35",
        "Мега-Пак",
        "Подготовить соглашение о сотрудничестве с компанией «Мега-Пак» (Череповец)",
        date(2023, 10, 12),
    ),
    (
        "42",
        "Фонд «Активный бизнес»",
        "Подготовить соглашение о сотрудничестве с Кузбасским фондом развития "
        "предпринимательства «Активный бизнес»",
        date(2023, 11, 16),
    ),
)
MISSION_SESSIONS = (
    (
        0,
        time(10),
        time(11, 30),
        "artplay",
        "Тренды и бизнес-возможности в дизайне интерьера",
    ),
    (
        0,
        time(12),
        time(13, 30),
        "artplay",
        "Новые практики: этапы работы с клиентом над проектом",
    ),
    (0, time(14, 30), time(16), "flacon", "Психология восприятия дизайна"),
    (
        1,
        time(10),
        time(11, 30),
        "ges-2",
        "Сохранение культурного наследия и народных промыслов в цифровом формате",
    ),
    (
        1,
        time(12, 30),
        time(14, 30),
        "furniture",
        "Посещение производственной площадки: мебель",
    ),
    (
        1,
        time(15, 30),
        time(17),
        "textile",
        "Посещение производственной площадки: текстиль",
    ),
    (1, time(17, 30), time(18, 30), "", "Итоги бизнес-миссии"),
)
FORUM_SESSIONS = (
    (0, time(10), time(11, 30), "Открытие форума: креативные индустрии регионов"),
    (0, time(12), time(14), "Проекты под патронажем агентства: итоги года"),
    (1, time(10), time(12), "Соглашения с регионами: что дальше"),
    (1, time(16), time(17), "Закрытие форума"),
)
# Karelian designers of the mission the community did not know before it.
KARELIAN_DESIGNERS = (
    ("Лукина", "Ольга", "Петровна", "Дизайнер интерьеров"),
    ("Рябинин", "Артём", "Сергеевич", "Дизайнер мебели"),
    ("Кемпинен", "Анна", "Викторовна", "Дизайнер текстиля"),
    ("Гришин", "Илья", "Андреевич", "Керамист, дизайнер посуды"),
    ("Савина", "Мария", "Олеговна", "Архитектор-дизайнер"),
    ("Ниеминен", "Елена", "Игоревна", "Графический дизайнер"),
)

# Monthly study tours: the day and the sending regions. August to December 2023
# are the receptions the community's dialogue records.
MONTHLY_TOURS = (
    (date(2023, 1, 19), ("29",)),
    (date(2023, 2, 16), ("44",)),
    (date(2023, 3, 16), ("24", "52")),
    (date(2023, 4, 20), ("86", "54")),
    (date(2023, 5, 18), ("47", "59")),
    (date(2023, 6, 15), ("78", "02")),
    (date(2023, 8, 17), ("71",)),
    (date(2023, 9, 21), ("63",)),
    (date(2023, 10, 19), ("26",)),
    (date(2023, 11, 23), ("55",)),
    (date(2023, 12, 14), ("61",)),
    (date(2024, 1, 18), ("16", "42")),
    (date(2024, 2, 15), ("10", "35")),
    (date(2024, 3, 21), ("23", "63")),
    (date(2024, 4, 18), ("31", "71")),
    (date(2024, 5, 16), ("73", "26")),
    (date(2024, 6, 20), ("53", "61")),
    (date(2024, 7, 18), ("25", "76")),
    (date(2024, 8, 15), ("72", "10")),
    (date(2024, 9, 19), ("55", "16")),
    (date(2024, 10, 17), ("66", "23")),
    (date(2024, 11, 21), ("09", "25")),
    (date(2024, 12, 19), ("15", "42")),
)
MONTHS = _words(
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
)

# Outreach visits of 2023: region, city, day. Before July the agency went to
# regions it had no records of yet; from July on, to those of the study tour.
OUTREACH_2023 = (
    ("52", "Нижний Новгород", date(2023, 2, 9)),
    ("54", "Новосибирск", date(2023, 3, 2)),
    ("59", "Пермь", date(2023, 3, 23)),
    ("02", "Уфа", date(2023, 4, 13)),
    ("38", "Иркутск", date(2023, 4, 27)),
    ("39", "Калининград", date(2023, 5, 11)),
    ("74", "Челябинск", date(2023, 6, 1)),
    ("18", "Ижевск", date(2023, 6, 8)),
    ("21", "Чебоксары", date(2023, 6, 22)),
    ("10", "Петрозаводск", date(2023, 8, 3)),
    ("16", "Казань", date(2023, 8, 10)),
    ("55", "Омск", date(2023, 8, 24)),
    ("76", "Рыбинск", date(2023, 9, 14)),
    ("76", "Ярославль", date(2023, 9, 15)),
    ("25", "Владивосток", date(2023, 9, 28)),
    ("35", "Череповец", date(2023, 10, 12)),
    ("35", "Вологда", date(2023, 10, 13)),
    ("23", "Краснодар", date(2023, 10, 26)),
    ("42", "Кемерово", date(2023, 11, 16)),
    ("42", "Новокузнецк", date(2023, 11, 17)),
    ("63", "Самара", date(2023, 11, 30)),
    ("72", "Тюмень", date(2023, 12, 7)),
    ("26", "Ставрополь", date(2023, 12, 21)),
)
# The 2024 educational visits, as the community's dialogue records them.
OUTREACH_2024 = (
    ("31", "Белгород", date(2024, 2, 20)),
    ("73", "Ульяновск", date(2024, 3, 19)),
    ("53", "Великий Новгород", date(2024, 4, 16)),
    ("55", "Омск", date(2024, 5, 21)),
    ("23", "Краснодар", date(2024, 6, 18)),
    ("66", "Екатеринбург", date(2024, 9, 17)),
    ("09", "Черкесск", date(2024, 10, 15)),
    ("15", "Владикавказ", date(2024, 11, 19)),
)

FEEDBACK_COMMENTS = (
    "Очень полезно увидеть, как устроены пространства изнутри, и поговорить с "
    "управляющими.",
    "Хотелось бы больше времени на каждой площадке.",
    "Забираем в регион идеи для нашего креативного кластера.",
    "Отличная организация, спасибо команде агентства!",
    "Полезные контакты с резидентами — уже договорились о совместном проекте.",
    "Не хватило разговора о финансовой модели пространств.",
)
RECOMMEND = (10, 9, 8, 10, 9, 7, 10, 6, 9, 10)
RATING = (5, 5, 4, 5, 4, 4, 5, 3, 5, 4)

# Names of delegates the community does not know yet, by gender.
SURNAMES = _words(
    "Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров "
    "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов "
    "Николаев Орлов Андреев Макаров Никитин Захаров"
)
FIRST_NAMES = {
    "m": _words(
        "Александр Дмитрий Максим Сергей Андрей Алексей Артём Илья Кирилл Михаил"
    ),
    "f": _words(
        "Анастасия Мария Анна Виктория Екатерина Наталья Марина Ольга Юлия Ирина"
    ),
}
PATRONYMICS = {
    "m": _words("Александрович Дмитриевич Сергеевич Андреевич Алексеевич Игоревич"),
    "f": _words("Александровна Дмитриевна Сергеевна Андреевна Алексеевна Игоревна"),
}
POSITIONS = (
    ("Начальник отдела креативных индустрий министерства культуры", "official"),
    ("Директор регионального центра креативных индустрий", "space_manager"),
    ("Руководитель дизайн-студии", "entrepreneur"),
    ("Управляющий креативным пространством", "space_manager"),
)
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        _words(
            "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e "
            "yu ya"
        ),
        strict=True,
    )
)


def _latin(text: str) -> str:
    letters = (_LATIN.get(char, char) for char in text.lower())
    return "".join(letter for letter in letters if letter != "-")


# Loading ------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """How many records of each kind the load created (none on a second run)."""

    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, number: int = 1) -> None:
        self.created[kind] += number


class _Loader:
    def __init__(self, user: User) -> None:
        self.user = user
        self.summary = DemoSummary()
        self.regions = {region.code: region for region in Region.objects.all()}
        self.venues: dict[str, Venue] = {}
        self.programmes: dict[str, Programme] = {}
        self.roles = {role.code: role for role in PersonRole.objects.all()}
        found = {u.username: u for u in User.objects.filter(username__in=COLLEAGUES)}
        self.colleagues = [found.get(name, user) for name in COLLEAGUES]
        self.delegate_serial: Counter = Counter()
        self.organisations: dict[tuple[str, str], Organisation | None] = {}

    # Lookups in the community ---------------------------------------------------------
    # Straight queries on the community's records, read once each: the loading
    # user is an administrator, so the selectors' scoping would change nothing,
    # and their prefetches cost more than the whole event.

    def organisation(self, region: str, short_name: str) -> Organisation | None:
        key = (region, short_name)
        if key not in self.organisations:
            self.organisations[key] = (
                Organisation.objects.filter(region__code=region, short_name=short_name)
                .order_by("pk")
                .first()
            )
        return self.organisations[key]

    def authority(self, region: str) -> Organisation | None:
        """The region's ministry (or department) of culture."""
        key = (region, "")
        if key not in self.organisations:
            self.organisations[key] = (
                Organisation.objects.filter(
                    region__code=region,
                    kind=Organisation.Kind.REGIONAL_AUTHORITY,
                    full_name__contains="культур",
                )
                .order_by("pk")
                .first()
            )
        return self.organisations[key]

    def known_people(self, region: str, day: date) -> list[Person]:
        """The region's people on record on ``day`` (consent to processing given
        by then): officials first, then the others as they were recorded."""
        people = list(
            Person.objects.filter(
                region__code=region,
                consents__purpose=Consent.Purpose.PROCESSING,
                consents__given_on__lte=day,
            )
            .distinct()
            .prefetch_related("roles")
            .order_by("pk")
        )
        return sorted(
            people,
            key=lambda person: (
                "official" not in {role.code for role in person.roles.all()},
                person.pk,
            ),
        )

    def interactions(self, region: str, day: date) -> list[Interaction]:
        return list(
            Interaction.objects.filter(region__code=region, occurred_on=day).order_by(
                "pk"
            )
        )

    def role_of(self, person: Person) -> PersonRole | None:
        codes = {role.code for role in person.roles.all()}
        for code in ("official", "space_manager", "designer", "entrepreneur"):
            if code in codes:
                return self.roles.get(code)
        return next(iter(person.roles.all()), None)

    # People the community does not know yet -------------------------------------------

    def person(
        self,
        region: str,
        name: tuple[str, str, str],
        position: str,
        role: str,
        day: date,
        evidence: str,
    ) -> Person:
        surname, first_name, patronymic = name
        person = Person.objects.filter(
            region__code=region,
            surname=surname,
            first_name=first_name,
            patronymic=patronymic,
        ).first()
        if person is not None:
            return person
        person = person_create(
            user=self.user,
            surname=surname,
            first_name=first_name,
            patronymic=patronymic,
            position=position,
            email=f"{_latin(first_name)[0]}.{_latin(surname)}.{region}@example.org",
            region=self.regions[region],
            roles=[role],
        )
        consent_record(
            user=self.user,
            person=person,
            purpose=Consent.Purpose.PROCESSING,
            given_on=day,
            channel=Consent.Channel.PAPER,
            evidence=evidence,
        )
        self.summary.count("people")
        self.summary.count("consents")
        return person

    def new_delegate(self, region: str, day: date) -> Person:
        """A delegate the community did not know, named deterministically by
        the region and how many were added for it before."""
        serial = self.delegate_serial[region]
        self.delegate_serial[region] += 1
        number = int(region) * 7 + serial * 11
        gender = "f" if number % 2 else "m"
        surname = SURNAMES[number % len(SURNAMES)] + ("а" if gender == "f" else "")
        name = (
            surname,
            FIRST_NAMES[gender][(number // 2) % len(FIRST_NAMES[gender])],
            PATRONYMICS[gender][(number // 3) % len(PATRONYMICS[gender])],
        )
        position, role = POSITIONS[serial % len(POSITIONS)]
        return self.person(
            region,
            name,
            position,
            role,
            day,
            f"Бумажное согласие участника, {day:%d.%m.%Y}, архив агентства",
        )

    def delegates(self, region: str, day: date, count: int) -> list[Person]:
        people = self.known_people(region, day)[:count]
        while len(people) < count:
            people.append(self.new_delegate(region, day))
        return people

    # Reference ------------------------------------------------------------------------

    def load_venues(self) -> None:
        moscow = self.regions["77"]
        for row in VENUES:
            venue = Venue.objects.filter(name=row.name, city="Москва").first()
            if venue is None:
                venue = services.venue_create(
                    user=self.user,
                    name=row.name,
                    kind=row.kind,
                    region=moscow,
                    city="Москва",
                    address=f"Москва, {row.address}",
                    capacity=row.capacity,
                    website=row.website,
                    description=row.description,
                    organisation=self.organisation("77", row.organisation)
                    if row.organisation
                    else None,
                )
                self.summary.count("venues")
            self.venues[row.key] = venue

    def load_programmes(self) -> None:
        for row in PROGRAMMES:
            programme = Programme.objects.filter(name=row.name).first()
            if programme is None:
                programme = services.programme_create(
                    user=self.user,
                    name=row.name,
                    format=row.format,
                    year=row.year,
                    methodology=row.methodology,
                    description=row.description,
                )
                self.summary.count("programmes")
            self.programmes[row.key] = programme

    # Events ---------------------------------------------------------------------------

    def event(self, programme: str, **fields) -> Event | None:
        """The new event, or ``None`` when it is there already."""
        if Event.objects.filter(
            title=fields["title"], starts_on=fields["starts_on"]
        ).exists():
            return None
        hosts = fields.pop("hosts", ())
        event = services.event_create(
            user=self.user,
            programme=self.programmes[programme],
            format=self.programmes[programme].format,
            hosts=[host for host in hosts if host is not None],
            **fields,
        )
        self.summary.count("events")
        return event

    def session(self, event: Event, day: date, start: time, end: time, **fields):
        services.session_add(
            user=self.user, event=event, day=day, starts_at=start, ends_at=end, **fields
        )
        self.summary.count("sessions")

    def tour_itinerary(self, event: Event, venue_keys: list[str]) -> None:
        """Three visits a day from the first day, then the debrief."""
        days = [event.starts_on + timedelta(days=n) for n in range(event.days)]
        slots = [(day, slot) for day in days for slot in VISITS]
        for (day, (start, end)), key in zip(slots, venue_keys, strict=False):
            venue = self.venues[key]
            self.session(
                event,
                day,
                start,
                end,
                venue=venue,
                topic=f"Визит: {venue.name}",
                speakers="Управляющие пространства и резиденты",
            )
        self.session(
            event,
            event.ends_on,
            *DEBRIEF,
            topic="Подведение итогов: что делегации увозят в регион",
            speakers="Команда агентства",
        )

    def delegation(
        self,
        event: Event,
        region: str,
        members: list[Person],
        logistics: str = "",
    ) -> None:
        head = members[0] if members else None
        delegation = services.delegation_create(
            user=self.user,
            event=event,
            region=self.regions[region],
            organisation=self.authority(region),
            head=head,
            logistics=logistics,
        )
        self.summary.count("delegations")
        outcomes = services.delegation_register_members(
            user=self.user,
            delegation=delegation,
            members=[(person, self.role_of(person)) for person in members],
            notify=False,
        )
        self.summary.count("registrations", sum(1 for o in outcomes if o.registration))

    def attend_and_answer(self, event: Event, seed: int = 0) -> None:
        """Most participants come to most sessions and leave feedback."""
        registrations = list(
            event.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
                "queued_at", "pk"
            )
        )
        sessions = list(event.sessions.order_by("day", "starts_at", "pk"))
        for index, session in enumerate(sessions):
            present = [
                registration
                for number, registration in enumerate(registrations, start=seed)
                if (number + index) % 9 != 4
            ]
            self.summary.count(
                "attendance",
                services.session_check_in_all(
                    user=self.user,
                    session=session,
                    registrations=present,
                    # The first session's at the door, by the QR code; the
                    # others, in the grid.
                    method=Attendance.Method.QR
                    if index == 0
                    else Attendance.Method.GRID,
                ),
            )
        for number, registration in enumerate(registrations, start=seed):
            if number % 5 == 3:
                continue
            services.feedback_submit(
                registration=registration,
                rating=RATING[number % len(RATING)],
                recommend=RECOMMEND[number % len(RECOMMEND)],
                comment=FEEDBACK_COMMENTS[number % len(FEEDBACK_COMMENTS)]
                if number % 3 == 0
                else "",
            )
            self.summary.count("feedback")

    def close(self, event: Event) -> None:
        services.event_update(user=self.user, event=event, status=Event.Status.HELD)
        self.backdate(event)

    @staticmethod
    def backdate(event: Event) -> None:
        """Dates what the services stamped with the time of the load as it
        happened in the story: delegates registered on the morning of the first
        day, as they arrived with their signed consents, checked in at the
        first session, answered the day after. Only the stamps move; the
        history keeps the load's own times."""

        def moment(day: date, at: time, minutes: int = 0) -> datetime:
            naive = datetime.combine(day, at) + timedelta(minutes=minutes)
            return timezone.make_aware(naive)

        Event.objects.filter(pk=event.pk).update(
            created_at=moment(event.starts_on - timedelta(days=45), time(11))
        )
        event.delegations.update(
            created_at=moment(event.starts_on - timedelta(days=14), time(15))
        )
        first = event.sessions.order_by("day", "starts_at").first()
        door = moment(event.starts_on, first.starts_at if first else time(10), -15)
        registrations = event.registrations.order_by("queued_at", "pk")
        for number, registration in enumerate(registrations):
            registered = moment(event.starts_on, time(8), number)
            changes = {"registered_at": registered, "queued_at": registered}
            if registration.checked_in_at is not None:
                changes["checked_in_at"] = door + timedelta(minutes=number % 15)
            Registration.objects.filter(pk=registration.pk).update(**changes)
        for session in event.sessions.all():
            Attendance.objects.filter(session=session).update(
                recorded_at=moment(session.day, session.starts_at, 5)
            )
        answers = Feedback.objects.filter(registration__event=event).order_by("pk")
        for number, feedback in enumerate(answers):
            Feedback.objects.filter(pk=feedback.pk).update(
                submitted_at=moment(
                    event.ends_on + timedelta(days=1), time(12), 13 * number
                )
            )

    def link(self, event: Event, interactions: list[Interaction]) -> None:
        if interactions:
            services.event_interactions_link(
                user=self.user, event=event, interactions=interactions
            )
            self.summary.count("meetings linked", len(interactions))

    def outcome(self, event: Event, kind: str, summary: str, **links) -> None:
        services.outcome_add(
            user=self.user, event=event, kind=kind, summary=summary, **links
        )
        self.summary.count("outcomes")

    def closed_follow_up(
        self, interaction: Interaction, description: str, due: date, owner: User
    ) -> FollowUp:
        follow_up = FollowUp.objects.filter(
            interaction=interaction, description=description
        ).first()
        if follow_up is None:
            follow_up = follow_up_add(
                user=self.user,
                interaction=interaction,
                description=description,
                owner=owner,
                due_on=due,
            )
            follow_up_set_status(
                user=self.user,
                follow_up=follow_up,
                status=FollowUp.Status.DONE,
                closed_on=due - timedelta(days=2),
            )
            self.summary.count("follow-ups")
        return follow_up

    # The story ------------------------------------------------------------------------

    def load_mission(self) -> None:
        event = self.event(
            "missions-2023",
            title="Бизнес-миссия дизайнеров Республики Карелия",
            starts_on=MISSION_DAY,
            ends_on=MISSION_DAY + timedelta(days=1),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.CONFIRMED,
            capacity=20,
            goals=(
                "В рамках проекта «Российская креативная неделя. Москва-фест»: "
                "тренды и бизнес-возможности в дизайне интерьера, новые практики, "
                "этапы работы с клиентом над проектом, психология восприятия "
                "дизайна, сохранение культурного наследия и народных промыслов в "
                "цифровом формате, посещение производственных площадок."
            ),
            description=(
                "После бизнес-миссии участники оцифровывают объекты местного "
                "наследия и создают коллекции мебели, посуды и текстиля по "
                "мотивам истории региона."
            ),
            hosts=[self.organisation("77", "Департамент культуры Москвы")],
        )
        if event is None:
            return
        for offset, start, end, venue, topic in MISSION_SESSIONS:
            self.session(
                event,
                MISSION_DAY + timedelta(days=offset),
                start,
                end,
                venue=self.venues[venue] if venue else None,
                topic=topic,
                speakers="Эксперты Московского агентства креативных индустрий",
            )
        known = self.known_people("10", MISSION_DAY)
        designers = [
            self.person(
                "10",
                (surname, first_name, patronymic),
                position,
                "designer",
                MISSION_DAY,
                "Бумажное согласие участника бизнес-миссии, 06.07.2023",
            )
            for surname, first_name, patronymic, position in KARELIAN_DESIGNERS
        ]
        centre = self.organisation("10", "ЦКИ Карелии")
        delegation = services.delegation_create(
            user=self.user,
            event=event,
            region=self.regions["10"],
            organisation=centre,
            head=known[0] if known else designers[0],
            logistics="Поезд Петрозаводск — Москва 5 июля, гостиница у Курского "
            "вокзала, трансферы между площадками — автобус агентства.",
        )
        self.summary.count("delegations")
        outcomes = services.delegation_register_members(
            user=self.user,
            delegation=delegation,
            members=[(person, self.role_of(person)) for person in [*known, *designers]],
            notify=False,
        )
        self.summary.count("registrations", sum(1 for o in outcomes if o.registration))
        self.attend_and_answer(event, seed=1)
        mission_meetings = self.interactions("10", MISSION_DAY)
        self.link(event, mission_meetings)
        collections = (
            FollowUp.objects.filter(interaction__in=mission_meetings)
            .order_by("pk")
            .first()
        )
        if collections is not None:
            self.outcome(
                event,
                Outcome.Kind.FOLLOW_UP,
                collections.description,
                follow_up=collections,
            )
        self.outcome(
            event,
            Outcome.Kind.PROJECT,
            "Оцифровка объектов наследия Карелии и коллекции мебели, посуды и "
            "текстиля по мотивам истории региона",
            organisation=centre,
        )
        self.close(event)

    def load_july_tour(self) -> None:
        event = self.event(
            "tours-2023",
            title="Ознакомительный визит в креативные пространства Москвы",
            starts_on=TOUR_DAY,
            ends_on=TOUR_DAY + timedelta(days=1),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.CONFIRMED,
            capacity=60,
            goals=(
                "Сотрудники государственных учреждений и общественных организаций "
                "регионов знакомятся с главными креативными пространствами Москвы: "
                "центром современного искусства «Винзавод», центром дизайна "
                "«Artplay», домом культуры «ГЭС-2» и другими."
            ),
            hosts=[
                self.organisation("77", name)
                for name in ("Винзавод", "Artplay", "ГЭС-2")
            ],
        )
        if event is None:
            return
        self.tour_itinerary(
            event, ["winzavod", "artplay", "ges-2", "flacon", "khlebozavod", "fabrika"]
        )
        for code, city in TOUR_REGIONS:
            self.delegation(
                event,
                code,
                self.delegates(code, TOUR_DAY, 4),
                logistics=f"Делегация из города {city}: прибытие 6 июля, "
                "размещение и трансферы — принимающая сторона.",
            )
        self.attend_and_answer(event)
        tour_meetings = [
            interaction
            for code, _city in TOUR_REGIONS
            for interaction in self.interactions(code, TOUR_DAY)
        ]
        self.link(event, tour_meetings)
        owner = self.colleagues[0]
        for code, short_name, description, signed_on in AGREEMENTS:
            organisation = self.organisation(code, short_name)
            meeting = next(
                (m for m in tour_meetings if m.region_id == self.regions[code].pk),
                None,
            )
            follow_up = (
                self.closed_follow_up(meeting, description, signed_on, owner)
                if meeting is not None
                else None
            )
            self.outcome(
                event,
                Outcome.Kind.FOLLOW_UP,
                description,
                organisation=organisation,
                follow_up=follow_up,
            )
        self.close(event)

    def load_monthly_tours(self) -> None:
        for number, (day, codes) in enumerate(MONTHLY_TOURS):
            programme = f"tours-{day.year}"
            event = self.event(
                programme,
                title=f"Ознакомительный визит региональных делегаций — "
                f"{MONTHS[day.month - 1]} {day.year}",
                starts_on=day,
                ends_on=day,
                region=self.regions["77"],
                city="Москва",
                status=Event.Status.CONFIRMED,
                capacity=30,
                goals="Знакомство представителей регионов с креативными "
                "пространствами Москвы и проектами агентства.",
            )
            if event is None:
                continue
            venues = [
                CREATIVE_VENUES[(number + offset) % len(CREATIVE_VENUES)]
                for offset in range(3)
            ]
            self.tour_itinerary(event, venues)
            for code in codes:
                self.delegation(event, code, self.delegates(code, day, 2))
                self.link(event, self.interactions(code, day))
            self.attend_and_answer(event, seed=number)
            self.close(event)

    def load_outreach(self) -> None:
        for code, city, day in OUTREACH_2023:
            event = self.event(
                "outreach-2023",
                title=f"Выездной визит агентства: {city}",
                starts_on=day,
                ends_on=day,
                region=self.regions[code],
                city=city,
                status=Event.Status.CONFIRMED,
                goals="Рассказать о практиках Москвы в креативных индустриях, "
                "встретиться с региональными властями и креативными "
                "предпринимателями, договориться о следующих шагах.",
            )
            if event is None:
                continue
            self.session(
                event,
                day,
                time(11),
                time(15),
                topic="Лекция о практиках Москвы в креативных индустриях и встреча "
                "с региональными властями и креативным сообществом",
                speakers="Эксперты агентства",
            )
            existing = self.interactions(code, day)
            if existing:
                # The agreement signed on this visit is in the dialogue already.
                self.link(event, existing)
            else:
                self.record_meeting(event, code, city, day)
            self.close(event)
        for code, city, day in OUTREACH_2024:
            event = self.event(
                "outreach-2024",
                title=f"Образовательный визит агентства: {city}",
                starts_on=day,
                ends_on=day,
                region=self.regions[code],
                city=city,
                status=Event.Status.CONFIRMED,
                goals="Лекции о методологии агентства, встреча с министерством "
                "культуры и креативными предпринимателями.",
            )
            if event is None:
                continue
            self.session(
                event,
                day,
                time(11),
                time(13),
                topic="Лекции о методологии «Дизайн-цеха» и «Фабрики дизайна»",
                speakers="Эксперты агентства",
            )
            self.link(event, self.interactions(code, day))
            self.close(event)

    def record_meeting(self, event: Event, code: str, city: str, day: date) -> None:
        people = self.known_people(code, day)[:2] or [self.new_delegate(code, day)]
        organisations = [
            organisation
            for organisation in (self.authority(code),)
            if organisation is not None
        ]
        owner = self.colleagues[(day.month + day.day) % len(self.colleagues)]
        interaction = services.outreach_meeting_record(
            user=self.user,
            event=event,
            occurred_on=day,
            topic=f"Выездной визит агентства: {city} — встреча с властями и "
            "креативным сообществом",
            summary="Презентация практик Москвы в креативных индустриях; обсуждение "
            "диагностики креативной экономики региона.",
            decisions="Регион направит данные для диагностики; агентство пригласит "
            "делегацию на ознакомительный визит в Москву.",
            people=people,
            organisations=organisations,
            staff=[owner],
            follow_ups=[
                FollowUpInput(
                    description="Направить материалы визита и приглашение на "
                    "ознакомительный визит в Москву",
                    owner=owner,
                    due_on=day + timedelta(days=14),
                )
            ],
        )
        self.summary.count("meetings recorded")
        for follow_up in interaction.follow_ups.all():
            follow_up_set_status(
                user=self.user,
                follow_up=follow_up,
                status=FollowUp.Status.DONE,
                closed_on=day + timedelta(days=10),
            )
            self.summary.count("follow-ups")

    def load_internship(self) -> None:
        starts_on = date(2023, 10, 2)
        event = self.event(
            "internships-2023",
            title="Стажировка дизайнеров Карелии в московских студиях",
            starts_on=starts_on,
            ends_on=date(2023, 10, 13),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.CONFIRMED,
            goals="Две недели работы в командах московских студий над реальными "
            "проектами; продолжение бизнес-миссии июля 2023 года.",
        )
        if event is None:
            return
        hosts = [self.organisation("77", name) for name in ("Artplay", "Винзавод")]
        designers = [
            person
            for person in self.known_people("10", starts_on)
            if person.surname in {row[0] for row in KARELIAN_DESIGNERS}
        ][:3]
        feedback = (
            "Включилась в проект с первого дня, предложила решение по навигации.",
            "Сильная подготовка в работе с материалом; рекомендуем к найму.",
            "Хорошо работает с заказчиком, стоит развивать презентацию идей.",
        )
        for number, person in enumerate(designers):
            host = hosts[number % len(hosts)]
            if host is None:
                continue
            services.placement_create(
                user=self.user,
                event=event,
                participant=person,
                host=host,
                starts_on=starts_on,
                ends_on=date(2023, 10, 13),
                goals="Проект интерьера общественного пространства в команде "
                "студии-резидента.",
                host_feedback=feedback[number],
            )
            self.summary.count("placements")
        self.close(event)

    def load_future(self) -> None:
        """2027: a study tour and a seminar open to registration (the seminar
        full, with a waitlist), a forum being planned, and a business mission
        whose session clashes with the tour's at «Винзавод», as the itinerary
        shows staff."""
        tour = self.event(
            "tours-2027",
            title="Ознакомительный визит региональных делегаций — июнь 2027",
            starts_on=date(2027, 6, 17),
            ends_on=date(2027, 6, 18),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.CONFIRMED,
            capacity=40,
            registration_open=True,
            goals="Знакомство с креативными пространствами Москвы и проектами "
            "агентства; регистрация участников открыта.",
        )
        if tour is not None:
            self.tour_itinerary(tour, list(CREATIVE_VENUES))
            for code in ("10", "16"):
                self.delegation(tour, code, self.delegates(code, SIGN_UP_DAY, 3))
        seminar = self.event(
            "seminars-2027",
            title="Семинар «Дизайн-код региона»",
            starts_on=date(2027, 9, 23),
            ends_on=date(2027, 9, 23),
            region=self.regions["10"],
            city="Петрозаводск",
            status=Event.Status.CONFIRMED,
            capacity=12,
            registration_open=True,
            goals="Как региональная идентичность становится брифом для "
            "дизайнеров и производителей.",
            hosts=[self.organisation("10", "ЦКИ Карелии")],
        )
        if seminar is not None:
            self.session(
                seminar,
                seminar.starts_on,
                time(11),
                time(14),
                topic="Дизайн-код региона: от наследия к продукту",
                speakers="Эксперты агентства",
            )
            for person in self.delegates("10", SIGN_UP_DAY, 15):
                services.registration_create(
                    event=seminar,
                    person=person,
                    source=Registration.Source.STAFF,
                    role=self.role_of(person),
                    notify=False,
                )
                self.summary.count("registrations")
        forum = self.event(
            "forums-2027",
            title="Форум креативных индустрий регионов",
            starts_on=date(2027, 11, 11),
            ends_on=date(2027, 11, 12),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.PLANNED,
            capacity=300,
            registration_open=True,
            goals="Итоги года: проекты под патронажем агентства, соглашения с "
            "регионами, планы на следующий год.",
            hosts=[self.organisation("77", "ГЭС-2")],
        )
        if forum is not None:
            for offset, start, end, topic in FORUM_SESSIONS:
                self.session(
                    forum,
                    forum.starts_on + timedelta(days=offset),
                    start,
                    end,
                    venue=self.venues["ges-2"],
                    topic=topic,
                )
        mission = self.event(
            "missions-2027",
            title="Бизнес-миссия дизайнеров Кузбасса",
            starts_on=date(2027, 6, 17),
            ends_on=date(2027, 6, 18),
            region=self.regions["77"],
            city="Москва",
            status=Event.Status.PLANNED,
            capacity=15,
            goals="Дизайнеры — участники «Дизайн-цеха» фонда «Активный бизнес» "
            "знакомятся с московскими студиями и производствами.",
        )
        if mission is not None:
            # Half an hour into the tour's visit at the same venue: the
            # itineraries flag the clash for staff to settle.
            self.session(
                mission,
                mission.starts_on,
                time(11),
                time(12, 30),
                venue=self.venues["winzavod"],
                topic="Встреча с резидентами «Винзавода»",
            )
            self.session(
                mission,
                mission.ends_on,
                time(10),
                time(12),
                venue=self.venues["furniture"],
                topic="Посещение производственной площадки: мебель",
            )

    def load(self) -> DemoSummary:
        self.load_venues()
        self.load_programmes()
        self.load_mission()
        self.load_july_tour()
        self.load_monthly_tours()
        self.load_outreach()
        self.load_internship()
        self.load_future()
        return self.summary


def demo_programmes_load(*, user: User) -> DemoSummary:
    """Loads the demo programmes as ``user`` (recorded in the history), in one
    transaction; a second run adds nothing. Needs the reference regions and
    the demo community."""
    if not Region.objects.exists():
        raise ApplicationError(
            "Load the reference data first: creative-regions load_reference."
        )
    if not Organisation.objects.filter(short_name="Мега-Арт").exists():
        raise ApplicationError(
            "Load the demo community first: creative-regions load_demo_community."
        )
    # The records are Russian, as the agency writes them, whatever language the
    # command runs in.
    with transaction.atomic(), translation.override("ru"):
        return _Loader(user).load()
