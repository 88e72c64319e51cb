"""The demo community: the agency's regional partners, people and dialogue as the
agency told them in January 2024 (the July 2023 business mission and study tour,
the agreements signed after it, the 2024 educational visits), filled out with
made-up but consistent records.

Everything is written through the community's services, so the demo obeys the
same rules as real data (INN and OGRN checksums, consents, region scoping). The
load is one transaction and finds each record by its natural key (INN, name,
topic) before creating it, so running it again changes nothing. The recent part
of the dialogue is dated relative to the day of the first load, so the demo
always has follow-ups due soon and a few overdue.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from creative_regions.community.models import (
    Affiliation,
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    Organisation,
    Person,
)
from creative_regions.community.services import (
    FollowUpInput,
    affiliation_add,
    community_create,
    consent_record,
    consent_withdraw,
    follow_up_set_status,
    interaction_record,
    membership_add,
    organisation_create,
    organisation_from_register,
    person_create,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.services import user_create
from creative_regions.geo.models import Region
from creative_regions.research.selectors import (
    research_export_rows,
    research_run_latest,
)

Kind = Organisation.Kind
IKind = Interaction.Kind
# The tax-office digits of every demo INN and OGRN. The synthetic register
# numbers its offices from 1 to 60, so a demo organisation never shares an INN
# with a synthetic firm.
DEMO_OFFICE = "99"
ME = "me"  # a follow-up of the user who loads the demo ("my follow-ups")


# Identifiers -----------------------------------------------------------------------


def demo_inn(region_code: str, serial: int, *, sole_trader: bool = False) -> str:
    """A deterministic INN with valid check digits: 10 digits for an organisation,
    12 for a sole trader."""
    if sole_trader:
        stem = f"{region_code}{DEMO_OFFICE}{serial:06d}"
        return stem + stdnum_inn.calc_personal_check_digits(stem)
    stem = f"{region_code}{DEMO_OFFICE}{serial:05d}"
    return stem + stdnum_inn.calc_company_check_digit(stem)


def demo_ogrn(
    region_code: str, serial: int, year: int, *, sole_trader: bool = False
) -> str:
    """A deterministic OGRN (13 digits) or OGRNIP (15) with a valid check digit.
    An OGRNIP whose remainder mod 13 is 10 or more has no valid check digit, so
    the serial moves on to the next one that has."""
    if not sole_trader:
        stem = f"1{year % 100:02d}{region_code}{DEMO_OFFICE}{serial:05d}"
        return stem + stdnum_ogrn.calc_check_digit(stem + "0")
    while True:
        stem = f"3{year % 100:02d}{region_code}{DEMO_OFFICE}{serial:07d}"
        check = stdnum_ogrn.calc_check_digit(stem + "0")
        if len(check) == 1:
            return stem + check
        serial += 1


# The story -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRegion:
    code: str
    genitive: str  # "Республики Карелия", for the authorities' names
    short: str  # "Карелии", for short names
    city: str
    culture: str = ""  # the authority's name when it is not "Министерство культуры …"
    economy: str = ""
    community: str = ""
    community_sectors: tuple[str, ...] = ()
    community_description: str = ""


# The cities of the July 2023 study tour and the regions the agency signed
# agreements with: the core of the demo, each with its authorities, creative
# organisations, people and a community.
CORE_REGIONS = (
    DemoRegion(
        "10",
        "Республики Карелия",
        "Карелии",
        "Петрозаводск",
        community="Клуб дизайнеров Карелии",
        community_sectors=("Дизайн", "Народные художественные промыслы и ремесла"),
        community_description=(
            "Дизайнеры интерьера, мебели и текстиля — участники бизнес-миссии "
            "июля 2023 года. Создают коллекции по мотивам наследия Карелии."
        ),
    ),
    DemoRegion(
        "16",
        "Республики Татарстан",
        "Татарстана",
        "Казань",
        economy="Министерство экономики Республики Татарстан",
        community="Креативное сообщество Казани",
        community_sectors=("Видеоигры", "Кино, телевизионные программы и фильмы"),
        community_description="Студии анимации и игр, креативные пространства.",
    ),
    DemoRegion(
        "23",
        "Краснодарского края",
        "Кубани",
        "Краснодар",
        economy="Министерство экономики Краснодарского края",
        community="Гастрономический клуб Кубани",
        community_sectors=("Гастрономия",),
        community_description="Шеф-повара, фермерские бренды и гастрономические "
        "фестивали края.",
    ),
    DemoRegion(
        "25",
        "Приморского края",
        "Приморья",
        "Владивосток",
        culture="Министерство культуры и архивного дела Приморского края",
        community="Клуб разработчиков игр Приморья",
        community_sectors=("Видеоигры", "Программное обеспечение"),
        community_description="Игровые студии Владивостока и их наставники.",
    ),
    DemoRegion(
        "26",
        "Ставропольского края",
        "Ставрополья",
        "Ставрополь",
        community="Модные бренды Ставрополья",
        community_sectors=("Мода",),
        community_description="Дизайнеры одежды и локальные бренды края.",
    ),
    DemoRegion(
        "35",
        "Вологодской области",
        "Вологодской области",
        "Вологда",
        community="Вологодские производители и дизайнеры",
        community_sectors=("Дизайн", "Народные художественные промыслы и ремесла"),
        community_description=(
            "Производители, которые дают брифы дизайнерам, и мастера промыслов "
            "Вологды и Череповца."
        ),
    ),
    DemoRegion(
        "42",
        "Кузбасса",
        "Кузбасса",
        "Кемерово",
        culture="Министерство культуры и национальной политики Кузбасса",
        community="Креативные предприниматели Кузбасса",
        community_sectors=("Дизайн", "Реклама и пиар"),
        community_description=(
            "Предприниматели — участники «Дизайн-цеха», который фонд «Активный "
            "бизнес» ведёт по методологии агентства."
        ),
    ),
    DemoRegion(
        "55",
        "Омской области",
        "Омской области",
        "Омск",
        economy="Министерство экономики Омской области",
        community="Медиасообщество Омска",
        community_sectors=("Медиа и СМИ",),
        community_description="Редакции, блогеры и продюсеры медиапроектов.",
    ),
    DemoRegion(
        "61",
        "Ростовской области",
        "Ростовской области",
        "Ростов-на-Дону",
        community="Музыкальное сообщество Дона",
        community_sectors=("Музыка",),
        community_description="Лейблы, студии звукозаписи и площадки.",
    ),
    DemoRegion(
        "63",
        "Самарской области",
        "Самарской области",
        "Самара",
        economy="Министерство экономического развития и инвестиций Самарской области",
        community="Архитекторы и урбанисты Самары",
        community_sectors=("Архитектура",),
        community_description="Бюро, которые работают с наследием и "
        "общественными пространствами.",
    ),
    DemoRegion(
        "71",
        "Тульской области",
        "Тульской области",
        "Тула",
        community="Мастера Тульской области",
        community_sectors=("Народные художественные промыслы и ремесла", "Гастрономия"),
        community_description="Пряничники, самоварщики, гончары и их бренды.",
    ),
    DemoRegion(
        "72",
        "Тюменской области",
        "Тюменской области",
        "Тюмень",
        culture="Департамент культуры Тюменской области",
        economy="Департамент экономического развития Тюменской области",
        community="Клуб продюсеров Тюменской области",
        community_sectors=("Кино, телевизионные программы и фильмы", "Музыка"),
        community_description="Продюсеры кино, событий и музыкальных проектов.",
    ),
    DemoRegion(
        "76",
        "Ярославской области",
        "Ярославской области",
        "Ярославль",
        community="Креативные пространства Ярославской области",
        community_sectors=("Арт-индустрия", "Дизайн"),
        community_description=(
            "Управляющие креативных пространств Ярославля и Рыбинска; якорь — "
            "«Мега-Арт»."
        ),
    ),
)

# The 2024 plan: educational visits to these regions (Omsk and Krasnodar are in
# the core already).
PLAN_REGIONS = (
    DemoRegion("31", "Белгородской области", "Белгородской области", "Белгород"),
    DemoRegion("73", "Ульяновской области", "Ульяновской области", "Ульяновск"),
    DemoRegion(
        "53", "Новгородской области", "Новгородской области", "Великий Новгород"
    ),
    DemoRegion("66", "Свердловской области", "Свердловской области", "Екатеринбург"),
    DemoRegion(
        "09",
        "Карачаево-Черкесской Республики",
        "КЧР",
        "Черкесск",
    ),
    DemoRegion(
        "15",
        "Республики Северная Осетия — Алания",
        "Северной Осетии",
        "Владикавказ",
    ),
)
STUDY_TOUR_REGIONS = ("25", "16", "72", "35", "42", "23", "63", "71", "26", "55", "61")


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    region: str
    full_name: str
    kind: str
    city: str
    short_name: str = ""
    sectors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str = ""
    registered: int = 2015  # the year in its OGRN
    # Who runs it, for the demo's people: their position and roles.
    head_position: str = ""
    head_roles: tuple[str, ...] = ("entrepreneur",)
    # A sole trader's name is their own: surname, name, patronymic.
    head_name: tuple[str, str, str] | None = None
    website: str = ""


AGREEMENT = "соглашение с АКИ"
TOUR_2023 = "ознакомительный визит 07.2023"
ANCHOR = "якорная организация"

CREATIVE_ORGANISATIONS = (
    # Karelia: the designers of the July 2023 business mission.
    DemoOrganisation(
        "karelia-centre",
        "10",
        "Автономная некоммерческая организация «Центр креативных индустрий "
        "Республики Карелия»",
        Kind.NON_PROFIT,
        "Петрозаводск",
        short_name="ЦКИ Карелии",
        sectors=("Дизайн", "Народные художественные промыслы и ремесла"),
        tags=(ANCHOR,),
        description="Региональный центр креативных индустрий: школа дизайна, "
        "акселератор, площадка для резидентов.",
        registered=2021,
        head_position="Директор",
        head_roles=("space_manager", "producer"),
    ),
    DemoOrganisation(
        "onego-design",
        "10",
        "Общество с ограниченной ответственностью «Онего Дизайн»",
        Kind.COMPANY,
        "Петрозаводск",
        short_name="Онего Дизайн",
        sectors=("Дизайн",),
        description="Студия дизайна интерьеров; после бизнес-миссии 2023 года "
        "разрабатывает коллекцию мебели по мотивам заонежской резьбы.",
        registered=2017,
        head_position="Основатель, главный дизайнер",
        head_roles=("entrepreneur", "designer"),
    ),
    DemoOrganisation(
        "karelian-textile",
        "10",
        "Индивидуальный предприниматель Беляева Дарья Андреевна",
        Kind.SOLE_TRADER,
        "Кондопога",
        short_name="Мастерская «Карельский текстиль»",
        sectors=("Народные художественные промыслы и ремесла", "Мода"),
        description="Текстиль с карельской вышивкой; оцифровывает узоры из "
        "музейных собраний.",
        registered=2019,
        head_position="Индивидуальный предприниматель",
        head_roles=("entrepreneur", "artist"),
        head_name=("Беляева", "Дарья", "Андреевна"),
    ),
    # Tatarstan.
    DemoOrganisation(
        "kazan-sloboda",
        "16",
        "Общество с ограниченной ответственностью «Креативный кластер "
        "„Суконная слобода“»",
        Kind.CREATIVE_SPACE,
        "Казань",
        short_name="Кластер «Суконная слобода»",
        sectors=("Арт-индустрия", "Дизайн"),
        tags=(TOUR_2023, ANCHOR),
        description="Креативный кластер в здании бывшей суконной фабрики: 40 "
        "резидентов, коворкинг, выставочный зал.",
        registered=2018,
        head_position="Управляющий кластером",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "yalkyn",
        "16",
        "Общество с ограниченной ответственностью «Анимационная студия „Ялкын“»",
        Kind.COMPANY,
        "Казань",
        short_name="Студия «Ялкын»",
        sectors=("Кино, телевизионные программы и фильмы", "Видеоигры"),
        description="Анимационные сериалы на татарском и русском языках.",
        registered=2016,
        head_position="Генеральный продюсер",
        head_roles=("producer", "entrepreneur"),
    ),
    DemoOrganisation(
        "kazan-school",
        "16",
        "Муниципальное бюджетное учреждение дополнительного образования «Школа "
        "креативных индустрий» г. Казани",
        Kind.EDUCATION,
        "Казань",
        short_name="Школа креативных индустрий Казани",
        sectors=("Видеоигры", "Дизайн"),
        registered=2020,
        head_position="Директор",
        head_roles=("educator",),
    ),
    # Krasnodar.
    DemoOrganisation(
        "kuban-art",
        "23",
        "Общество с ограниченной ответственностью «Кубань-Арт»",
        Kind.CREATIVE_SPACE,
        "Краснодар",
        short_name="Креативный кластер «Кубань-Арт»",
        sectors=("Арт-индустрия", "Гастрономия"),
        tags=(TOUR_2023,),
        registered=2019,
        head_position="Директор кластера",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "south-taste",
        "23",
        "Общество с ограниченной ответственностью «Гастрономическое бюро „Южный вкус“»",
        Kind.COMPANY,
        "Краснодар",
        short_name="Бюро «Южный вкус»",
        sectors=("Гастрономия",),
        description="Гастрономические фестивали и локальные продуктовые бренды.",
        registered=2020,
        head_position="Основатель",
        head_roles=("entrepreneur",),
    ),
    # Primorye.
    DemoOrganisation(
        "mayak",
        "25",
        "Автономная некоммерческая организация «Креативное пространство „Маяк“»",
        Kind.CREATIVE_SPACE,
        "Владивосток",
        short_name="Пространство «Маяк»",
        sectors=("Арт-индустрия", "Музыка"),
        tags=(TOUR_2023,),
        registered=2018,
        head_position="Директор",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "pacific-games",
        "25",
        "Общество с ограниченной ответственностью «Студия игр „Тихий океан“»",
        Kind.COMPANY,
        "Владивосток",
        short_name="Студия «Тихий океан»",
        sectors=("Видеоигры",),
        description="Мобильные игры; команда из 25 человек, экспорт в страны АТР.",
        registered=2017,
        head_position="Генеральный директор",
        head_roles=("entrepreneur",),
    ),
    # Stavropol.
    DemoOrganisation(
        "stavropol-loft",
        "26",
        "Общество с ограниченной ответственностью «Ставрополь-Лофт»",
        Kind.CREATIVE_SPACE,
        "Ставрополь",
        short_name="Арт-пространство «Ставрополь-Лофт»",
        sectors=("Арт-индустрия",),
        tags=(TOUR_2023,),
        registered=2019,
        head_position="Управляющая пространством",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "caucasus-line",
        "26",
        "Общество с ограниченной ответственностью «Модный дом „Кавказская линия“»",
        Kind.COMPANY,
        "Пятигорск",
        short_name="Модный дом «Кавказская линия»",
        sectors=("Мода",),
        registered=2015,
        head_position="Дизайнер, основатель бренда",
        head_roles=("designer", "entrepreneur"),
    ),
    # Vologda: «Мега-Пак» signed an agreement after the July 2023 visit.
    DemoOrganisation(
        "mega-pak",
        "35",
        "Общество с ограниченной ответственностью «Мега-Пак»",
        Kind.COMPANY,
        "Череповец",
        short_name="Мега-Пак",
        sectors=("Дизайн",),
        tags=(AGREEMENT, TOUR_2023),
        description=(
            "Производитель упаковки. Подписал соглашение с агентством после "
            "ознакомительного визита в июле 2023 года; в 2024 году — проект под "
            "патронажем АКИ: брифы на упаковку с локальной идентичностью по "
            "методологии «Фабрики дизайна»."
        ),
        registered=2008,
        head_position="Генеральный директор",
        head_roles=("entrepreneur",),
    ),
    DemoOrganisation(
        "vologda-lace",
        "35",
        "Общество с ограниченной ответственностью «Кружевная мастерская "
        "„Вологодский узор“»",
        Kind.COMPANY,
        "Вологда",
        short_name="Мастерская «Вологодский узор»",
        sectors=("Народные художественные промыслы и ремесла",),
        registered=2012,
        head_position="Директор мастерской",
        head_roles=("entrepreneur", "artist"),
    ),
    # Kuzbass: the fund «Активный бизнес» signed an agreement after the visit.
    DemoOrganisation(
        "active-business",
        "42",
        "Кузбасский общественно полезный фонд развития предпринимательства "
        "«Активный бизнес»",
        Kind.FUND,
        "Кемерово",
        short_name="Фонд «Активный бизнес»",
        sectors=("Дизайн",),
        tags=(AGREEMENT, TOUR_2023, ANCHOR),
        description=(
            "Фонд поддержки предпринимательства Кузбасса. Подписал соглашение с "
            "агентством после ознакомительного визита в июле 2023 года; в 2024 "
            "году ведёт «Дизайн-цех» для предпринимателей региона под патронажем "
            "АКИ."
        ),
        registered=2013,
        head_position="Исполнительный директор",
        head_roles=("producer",),
    ),
    DemoOrganisation(
        "kuznitsa",
        "42",
        "Общество с ограниченной ответственностью «Креативное пространство „Кузница“»",
        Kind.CREATIVE_SPACE,
        "Новокузнецк",
        short_name="Пространство «Кузница»",
        sectors=("Арт-индустрия", "Реклама и пиар"),
        registered=2020,
        head_position="Управляющий пространством",
        head_roles=("space_manager", "entrepreneur"),
    ),
    # Omsk.
    DemoOrganisation(
        "irtysh",
        "55",
        "Автономная некоммерческая организация «Арт-кластер „Иртыш“»",
        Kind.CREATIVE_SPACE,
        "Омск",
        short_name="Арт-кластер «Иртыш»",
        sectors=("Арт-индустрия",),
        tags=(TOUR_2023,),
        registered=2019,
        head_position="Директор",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "siberian-shore",
        "55",
        "Общество с ограниченной ответственностью «Медиагруппа „Сибирский берег“»",
        Kind.MEDIA,
        "Омск",
        short_name="Медиагруппа «Сибирский берег»",
        sectors=("Медиа и СМИ",),
        registered=2011,
        head_position="Главный редактор",
        head_roles=("journalist", "producer"),
    ),
    # Rostov.
    DemoOrganisation(
        "don-manufactory",
        "61",
        "Общество с ограниченной ответственностью «Донская мануфактура»",
        Kind.CREATIVE_SPACE,
        "Ростов-на-Дону",
        short_name="Пространство «Донская мануфактура»",
        sectors=("Арт-индустрия", "Музыка"),
        tags=(TOUR_2023,),
        registered=2017,
        head_position="Управляющий",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "left-bank",
        "61",
        "Общество с ограниченной ответственностью «Музыкальный лейбл „Левый берег“»",
        Kind.COMPANY,
        "Ростов-на-Дону",
        short_name="Лейбл «Левый берег»",
        sectors=("Музыка",),
        registered=2014,
        head_position="Продюсер лейбла",
        head_roles=("producer", "entrepreneur"),
    ),
    # Samara.
    DemoOrganisation(
        "zavodskaya",
        "63",
        "Общество с ограниченной ответственностью «Арт-пространство „Заводская, 5“»",
        Kind.CREATIVE_SPACE,
        "Самара",
        short_name="Арт-пространство «Заводская, 5»",
        sectors=("Арт-индустрия", "Архитектура"),
        tags=(TOUR_2023,),
        registered=2018,
        head_position="Директор",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "samara-line",
        "63",
        "Общество с ограниченной ответственностью «Архитектурное бюро „Самарская "
        "линия“»",
        Kind.COMPANY,
        "Самара",
        short_name="Бюро «Самарская линия»",
        sectors=("Архитектура",),
        registered=2010,
        head_position="Главный архитектор",
        head_roles=("entrepreneur", "expert"),
    ),
    # Tula.
    DemoOrganisation(
        "armoury-sloboda",
        "71",
        "Автономная некоммерческая организация «Креативное пространство "
        "„Оружейная слобода“»",
        Kind.CREATIVE_SPACE,
        "Тула",
        short_name="Пространство «Оружейная слобода»",
        sectors=("Арт-индустрия", "Народные художественные промыслы и ремесла"),
        tags=(TOUR_2023,),
        registered=2021,
        head_position="Руководитель пространства",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "tula-gingerbread",
        "71",
        "Общество с ограниченной ответственностью «Тульская пряничная мастерская»",
        Kind.COMPANY,
        "Тула",
        short_name="Тульская пряничная мастерская",
        sectors=("Гастрономия", "Народные художественные промыслы и ремесла"),
        registered=2009,
        head_position="Генеральный директор",
        head_roles=("entrepreneur",),
    ),
    # Tyumen.
    DemoOrganisation(
        "tura",
        "72",
        "Общество с ограниченной ответственностью «Креативный кластер „Тура“»",
        Kind.CREATIVE_SPACE,
        "Тюмень",
        short_name="Кластер «Тура»",
        sectors=("Арт-индустрия", "Дизайн"),
        tags=(TOUR_2023,),
        registered=2020,
        head_position="Управляющий кластером",
        head_roles=("space_manager",),
    ),
    DemoOrganisation(
        "tyumen-producers",
        "72",
        "Автономная некоммерческая организация «Клуб продюсеров Тюменской области»",
        Kind.NON_PROFIT,
        "Тюмень",
        short_name="Клуб продюсеров",
        sectors=("Кино, телевизионные программы и фильмы", "Музыка"),
        tags=(ANCHOR,),
        description="Объединяет продюсеров кино, событий и музыки; проводит "
        "питчинги и образовательные интенсивы.",
        registered=2022,
        head_position="Председатель правления",
        head_roles=("producer",),
    ),
    # Yaroslavl: «Мега-Арт» signed an agreement after the July 2023 visit.
    DemoOrganisation(
        "mega-art",
        "76",
        "Автономная некоммерческая организация «Креативное пространство „Мега-Арт“»",
        Kind.CREATIVE_SPACE,
        "Рыбинск",
        short_name="Мега-Арт",
        sectors=("Арт-индустрия", "Дизайн"),
        tags=(AGREEMENT, TOUR_2023, ANCHOR),
        description=(
            "Креативное пространство Рыбинска: мастерские, галерея, резиденции. "
            "Подписало соглашение с агентством после ознакомительного визита в "
            "июле 2023 года; в 2024 году — резиденция дизайнеров по методологии "
            "«Фабрики дизайна» под патронажем АКИ."
        ),
        registered=2016,
        head_position="Директор",
        head_roles=("space_manager", "producer"),
    ),
    DemoOrganisation(
        "yaroslavl-ceramics",
        "76",
        "Общество с ограниченной ответственностью «Ярославская керамика»",
        Kind.COMPANY,
        "Ярославль",
        short_name="Ярославская керамика",
        sectors=("Народные художественные промыслы и ремесла", "Дизайн"),
        registered=2014,
        head_position="Генеральный директор",
        head_roles=("entrepreneur",),
    ),
    # Moscow: the creative spaces of the July 2023 study tour.
    DemoOrganisation(
        "winzavod",
        "77",
        "Центр современного искусства «Винзавод»",
        Kind.CREATIVE_SPACE,
        "Москва",
        short_name="Винзавод",
        sectors=("Арт-индустрия",),
        description="Площадка программы ознакомительных визитов региональных "
        "делегаций.",
        registered=2007,
    ),
    DemoOrganisation(
        "artplay",
        "77",
        "Центр дизайна «Artplay»",
        Kind.CREATIVE_SPACE,
        "Москва",
        short_name="Artplay",
        sectors=("Дизайн", "Архитектура"),
        description="Площадка программы ознакомительных визитов региональных "
        "делегаций.",
        registered=2008,
    ),
    DemoOrganisation(
        "ges-2",
        "77",
        "Дом культуры «ГЭС-2»",
        Kind.CREATIVE_SPACE,
        "Москва",
        short_name="ГЭС-2",
        sectors=("Арт-индустрия", "Исполнительские искусства"),
        description="Площадка программы ознакомительных визитов региональных "
        "делегаций.",
        registered=2014,
    ),
)
TOUR_SITES = ("winzavod", "artplay", "ges-2")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Fictional people: surnames in their masculine form (the feminine adds «а»),
# first names and patronymics by gender.
SURNAMES = _words(
    "Соколов Лебедев Козлов Новиков Морозов Волков Зайцев Павлов Семёнов Голубев "
    "Виноградов Богданов Воробьёв Фёдоров Михайлов Тарасов Белов Комаров Орлов "
    "Киселёв Макаров Андреев Ковалёв Ильин Гусев Титов Кузьмин Кудрявцев Баранов "
    "Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов Захаров Борисов "
    "Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин Соболев "
    "Рябов Поляков Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов "
    "Осипов Белоусов Федотов Дорофеев Егоров Матвеев Бобров Дмитриев Калинин "
    "Анисимов Петухов Антонов Тимофеев Никифоров Веселов Филиппов Марков"
)
FIRST_NAMES = {
    "m": _words(
        "Алексей Дмитрий Сергей Андрей Михаил Илья Павел Артём Николай Роман "
        "Евгений Кирилл Тимур Олег Максим"
    ),
    "f": _words(
        "Анна Мария Екатерина Ольга Наталья Ирина Светлана Юлия Татьяна Дарья "
        "Елена Ксения Алина Вера Полина"
    ),
}
PATRONYMICS = {
    "m": _words(
        "Алексеевич Дмитриевич Сергеевич Андреевич Михайлович Игоревич Павлович "
        "Олегович Николаевич Викторович Юрьевич"
    ),
    "f": _words(
        "Алексеевна Дмитриевна Сергеевна Андреевна Михайловна Игоревна Павловна "
        "Олеговна Николаевна Викторовна Юрьевна"
    ),
}
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
PHONE_PREFIXES = ("912", "915", "916", "921", "926", "927", "950", "960", "977", "985")


def _latin(text: str) -> str:
    letters = (_LATIN.get(char, char) for char in text.lower())
    return "".join(letter for letter in letters if letter != "-")


@dataclass(frozen=True)
class DemoPerson:
    key: str
    region: str
    number: int  # picks the name, contacts and consents, deterministically
    position: str
    organisation: str
    roles: tuple[str, ...]
    since: date  # first contact: the date of their consent to processing
    name: tuple[str, str, str] | None = None

    @property
    def gender(self) -> str:
        return "f" if self.number % 2 else "m"

    @property
    def surname(self) -> str:
        if self.name:
            return self.name[0]
        surname = SURNAMES[self.number % len(SURNAMES)]
        return surname + "а" if self.gender == "f" else surname

    @property
    def first_name(self) -> str:
        if self.name:
            return self.name[1]
        names = FIRST_NAMES[self.gender]
        return names[(self.number * 7) % len(names)]

    @property
    def patronymic(self) -> str:
        if self.name:
            return self.name[2]
        names = PATRONYMICS[self.gender]
        return names[(self.number * 5) % len(names)]

    @property
    def phone(self) -> str:
        prefix = PHONE_PREFIXES[self.number % len(PHONE_PREFIXES)]
        return f"+7{prefix}{(3_141_592 + self.number * 7_919) % 10**7:07d}"

    @property
    def email(self) -> str:
        return f"{_latin(self.first_name)[0]}.{_latin(self.surname)}@example.org"


@dataclass(frozen=True)
class DemoFollowUp:
    description: str
    owner: str  # a demo colleague's login, or ME
    due: date | int  # a date, or days from the day of the first load
    closed: date | int | None = None
    status: str = FollowUp.Status.DONE


@dataclass(frozen=True)
class DemoInteraction:
    region: str
    kind: str
    occurred: date | int  # a date, or days from the day of the first load
    topic: str
    summary: str = ""
    decisions: str = ""
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()
    follow_ups: tuple[DemoFollowUp, ...] = ()


@dataclass(frozen=True)
class DemoColleague:
    username: str
    role: str
    first_name: str
    last_name: str


COLLEAGUES = (
    DemoColleague("a.morozova", User.Role.MANAGER, "Анна", "Морозова"),
    DemoColleague("d.sokolov", User.Role.MANAGER, "Дмитрий", "Соколов"),
    DemoColleague("e.kuznetsova", User.Role.ANALYST, "Елена", "Кузнецова"),
)

TOUR_DAY = date(2023, 7, 7)
MISSION_DAY = date(2023, 7, 6)


def _culture_name(region: DemoRegion) -> str:
    return region.culture or f"Министерство культуры {region.genitive}"


def _economy_name(region: DemoRegion) -> str:
    return region.economy or f"Министерство экономического развития {region.genitive}"


def _short_authority(name: str, region: DemoRegion) -> str:
    if name.startswith("Департамент"):
        return ""
    if name.startswith("Министерство экономики"):
        return f"Минэкономики {region.short}"
    if name.startswith("Министерство экономического"):
        return f"Минэкономразвития {region.short}"
    return f"Минкультуры {region.short}"


def authority_organisations() -> list[DemoOrganisation]:
    """The ministries of culture and of economy of the core regions, the
    ministries of culture of the 2024 plan's regions and Moscow's department."""
    rows = []
    for region in CORE_REGIONS:
        for suffix, name in (
            ("culture", _culture_name(region)),
            ("economy", _economy_name(region)),
        ):
            rows.append(
                DemoOrganisation(
                    f"{suffix}-{region.code}",
                    region.code,
                    name,
                    Kind.REGIONAL_AUTHORITY,
                    region.city,
                    short_name=_short_authority(name, region),
                    tags=(TOUR_2023,)
                    if suffix == "culture" and region.code in STUDY_TOUR_REGIONS
                    else (),
                    registered=2005,
                )
            )
    for region in PLAN_REGIONS:
        name = _culture_name(region)
        rows.append(
            DemoOrganisation(
                f"culture-{region.code}",
                region.code,
                name,
                Kind.REGIONAL_AUTHORITY,
                region.city,
                short_name=_short_authority(name, region),
                registered=2005,
            )
        )
    rows.append(
        DemoOrganisation(
            "culture-77",
            "77",
            "Департамент культуры города Москвы",
            Kind.REGIONAL_AUTHORITY,
            "Москва",
            short_name="Департамент культуры Москвы",
            registered=2003,
        )
    )
    return rows


def demo_organisations() -> list[DemoOrganisation]:
    return [*authority_organisations(), *CREATIVE_ORGANISATIONS]


def _first_contact(region_code: str) -> date:
    if region_code == "10":
        return MISSION_DAY
    if region_code in (*STUDY_TOUR_REGIONS, "76"):
        return TOUR_DAY
    return PLAN_VISITS.get(region_code, date(2023, 9, 1))


def demo_people() -> list[DemoPerson]:
    """Two officials of each core region (culture, economy), the head of each of
    its creative organisations, and an official of each 2024 plan region."""
    people: list[DemoPerson] = []

    def add(key, region, position, organisation, roles, since, name=None):
        people.append(
            DemoPerson(
                key, region, len(people), position, organisation, roles, since, name
            )
        )

    for region in CORE_REGIONS:
        since = _first_contact(region.code)
        is_department = _culture_name(region).startswith("Департамент")
        add(
            f"culture-{region.code}",
            region.code,
            "Заместитель директора департамента"
            if is_department
            else "Заместитель министра",
            f"culture-{region.code}",
            ("official",),
            since,
        )
        add(
            f"economy-{region.code}",
            region.code,
            "Начальник отдела развития креативной экономики",
            f"economy-{region.code}",
            ("official",),
            since,
        )
        for organisation in CREATIVE_ORGANISATIONS:
            if organisation.region == region.code and organisation.head_position:
                add(
                    organisation.key,
                    region.code,
                    organisation.head_position,
                    organisation.key,
                    organisation.head_roles,
                    since,
                    organisation.head_name,
                )
    for region in PLAN_REGIONS:
        add(
            f"culture-{region.code}",
            region.code,
            "Начальник отдела креативных индустрий",
            f"culture-{region.code}",
            ("official",),
            PLAN_VISITS[region.code],
        )
    return people


PLAN_VISITS = {
    "31": date(2024, 2, 20),
    "73": date(2024, 3, 19),
    "53": date(2024, 4, 16),
    "55": date(2024, 5, 21),
    "23": date(2024, 6, 18),
    "66": date(2024, 9, 17),
    "09": date(2024, 10, 15),
    "15": date(2024, 11, 19),
}
MONTHLY_RECEPTIONS = (
    ("71", date(2023, 8, 17)),
    ("63", date(2023, 9, 21)),
    ("26", date(2023, 10, 19)),
    ("55", date(2023, 11, 23)),
    ("61", date(2023, 12, 14)),
)


def _region(code: str) -> DemoRegion:
    return next(r for r in (*CORE_REGIONS, *PLAN_REGIONS) if r.code == code)


def _creative(region_code: str) -> list[str]:
    return [
        organisation.key
        for organisation in CREATIVE_ORGANISATIONS
        if organisation.region == region_code
    ]


def story_interactions() -> list[DemoInteraction]:
    """The dialogue of 2023–2024 as the agency told it, all of it closed."""
    rows = [
        DemoInteraction(
            "10",
            IKind.VISIT,
            MISSION_DAY,
            "Бизнес-миссия дизайнеров Республики Карелия в рамках «Российской "
            "креативной недели. Москва-фест»",
            summary=(
                "6–7 июля 2023 года. Тренды и бизнес-возможности в дизайне "
                "интерьера, новые практики, этапы работы с клиентом над проектом, "
                "психология восприятия дизайна, сохранение культурного наследия и "
                "народных промыслов в цифровом формате; посещение производственных "
                "площадок."
            ),
            decisions=(
                "Участники оцифруют объекты местного наследия и создадут коллекции "
                "мебели, посуды и текстиля по мотивам истории региона."
            ),
            people=("culture-10", *_creative("10")),
            organisations=("culture-10", *_creative("10")),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Собрать у участников планы коллекций мебели, посуды и текстиля",
                    "a.morozova",
                    date(2023, 8, 31),
                    date(2023, 8, 25),
                ),
            ),
        )
    ]
    for code in (*STUDY_TOUR_REGIONS, "76"):
        region = _region(code)
        first = _creative(code)[0]
        rows.append(
            DemoInteraction(
                code,
                IKind.VISIT,
                TOUR_DAY,
                "Ознакомительный визит в креативные пространства Москвы "
                "(7–8 июля 2023 года)",
                summary=(
                    f"Делегация {region.genitive} — сотрудники государственных "
                    "учреждений и общественных организаций — посетила центр "
                    "современного искусства «Винзавод», центр дизайна «Artplay», "
                    "дом культуры «ГЭС-2» и другие пространства; встречи с "
                    "управляющими и резидентами."
                ),
                decisions="Обменяться материалами визита; обсудить формат "
                "сотрудничества с агентством.",
                people=(f"culture-{code}", first),
                organisations=(f"culture-{code}", first, *TOUR_SITES),
                staff=("d.sokolov",),
                follow_ups=(
                    DemoFollowUp(
                        "Направить участникам материалы визита и предложение о "
                        "сотрудничестве",
                        "d.sokolov",
                        date(2023, 7, 21),
                        date(2023, 7, 19),
                    ),
                ),
            )
        )
    for code, key, day, name, project in (
        (
            "76",
            "mega-art",
            date(2023, 9, 14),
            "креативным пространством «Мега-Арт» (Рыбинск)",
            "резиденция дизайнеров по методологии «Фабрики дизайна»",
        ),
        (
            "35",
            "mega-pak",
            date(2023, 10, 12),
            "компанией «Мега-Пак» (Череповец)",
            "брифы на упаковку с локальной идентичностью по методологии «Фабрики "
            "дизайна»",
        ),
        (
            "42",
            "active-business",
            date(2023, 11, 16),
            "фондом развития предпринимательства «Активный бизнес» (Кузбасс)",
            "«Дизайн-цех» для предпринимателей Кузбасса",
        ),
    ):
        rows.append(
            DemoInteraction(
                code,
                IKind.MEETING,
                day,
                f"Подписание соглашения о сотрудничестве с {name}",
                summary="Соглашение подготовлено по итогам ознакомительного "
                "визита в июле 2023 года.",
                decisions=f"Соглашение подписано. Проект 2024 года под патронажем "
                f"агентства: {project}; комплексное консалтинговое сопровождение "
                "на всех этапах.",
                people=(key, f"culture-{code}"),
                organisations=(key, f"culture-{code}"),
                staff=("a.morozova", "d.sokolov"),
                follow_ups=(
                    DemoFollowUp(
                        "Согласовать дорожную карту проекта на 2024 год",
                        ME,
                        day + timedelta(days=30),
                        day + timedelta(days=27),
                    ),
                ),
            )
        )
    for code, day in MONTHLY_RECEPTIONS:
        region = _region(code)
        rows.append(
            DemoInteraction(
                code,
                IKind.MEETING,
                day,
                f"Приём представителей {region.genitive} в агентстве",
                summary="Знакомство с проектами агентства и методологией "
                "«Дизайн-цеха» и «Фабрики дизайна».",
                decisions="Регион рассмотрит участие в «Фабрике дизайна» в 2024 году.",
                people=(f"economy-{code}",),
                organisations=(f"economy-{code}",),
                staff=("e.kuznetsova",),
                follow_ups=(
                    DemoFollowUp(
                        "Направить методические материалы и контакты кураторов",
                        "e.kuznetsova",
                        day + timedelta(days=14),
                        day + timedelta(days=10),
                    ),
                ),
            )
        )
    rows += [
        DemoInteraction(
            "42",
            IKind.MEETING,
            date(2024, 2, 8),
            "Старт «Дизайн-цеха» с фондом «Активный бизнес»",
            decisions="Набор: 5 заказчиков из числа предприятий Кузбасса, открытый "
            "отбор дизайнеров в марте.",
            people=("active-business", "economy-42"),
            organisations=("active-business", "economy-42"),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Провести вебинар для заказчиков о составлении брифов",
                    "a.morozova",
                    date(2024, 2, 29),
                    date(2024, 2, 27),
                ),
            ),
        ),
        DemoInteraction(
            "76",
            IKind.MEETING,
            date(2024, 3, 14),
            "Запуск резиденции дизайнеров в «Мега-Арт»",
            decisions="Первый поток — 12 дизайнеров, брифы от предприятий Рыбинска.",
            people=("mega-art", "culture-76"),
            organisations=("mega-art", "culture-76"),
            staff=("d.sokolov",),
            follow_ups=(
                DemoFollowUp(
                    "Подобрать трекеров резиденции из экспертов «Фабрики дизайна»",
                    "d.sokolov",
                    date(2024, 3, 28),
                    date(2024, 3, 26),
                ),
            ),
        ),
        DemoInteraction(
            "10",
            IKind.STRATEGIC_SESSION,
            date(2024, 3, 26),
            "Стратегическая сессия по развитию креативных индустрий Республики Карелия",
            decisions="Приоритетные направления: дизайн, народные промыслы, "
            "гастрономия. Рабочая группа при министерстве культуры.",
            people=("culture-10", "economy-10", "karelia-centre"),
            organisations=("culture-10", "economy-10", "karelia-centre"),
            staff=("e.kuznetsova", "a.morozova"),
            follow_ups=(
                DemoFollowUp(
                    "Подготовить проект концепции развития креативных индустрий",
                    "e.kuznetsova",
                    date(2024, 5, 31),
                    date(2024, 5, 30),
                ),
            ),
        ),
        DemoInteraction(
            "35",
            IKind.MEETING,
            date(2024, 4, 11),
            "Брифы «Мега-Пак»: упаковка с локальной идентичностью",
            decisions="Четыре брифа опубликованы в «Фабрике дизайна».",
            people=("mega-pak",),
            organisations=("mega-pak",),
            staff=("a.morozova",),
        ),
        DemoInteraction(
            "16",
            IKind.COUNCIL_MEETING,
            date(2024, 5, 23),
            "Заседание совета по креативным индустриям при Министерстве экономики "
            "Республики Татарстан",
            decisions="Одобрен перечень приоритетных направлений; агентство "
            "представит методику базовых значений KPI.",
            people=("economy-16", "culture-16", "kazan-sloboda"),
            organisations=("economy-16", "culture-16", "kazan-sloboda"),
            staff=("e.kuznetsova",),
            follow_ups=(
                DemoFollowUp(
                    "Направить методику расчёта базовых значений KPI",
                    "e.kuznetsova",
                    date(2024, 6, 14),
                    date(2024, 6, 10),
                ),
            ),
        ),
    ]
    for code, day in PLAN_VISITS.items():
        region = _region(code)
        rows.append(
            DemoInteraction(
                code,
                IKind.VISIT,
                day,
                f"Образовательный визит агентства: {region.city}",
                summary="Лекции о методологии агентства, встреча с министерством "
                "культуры и креативными предпринимателями.",
                decisions="Агентство предложило сопровождение разработки стратегии "
                "по креативным направлениям.",
                people=(f"culture-{code}",),
                organisations=(f"culture-{code}",),
                staff=("d.sokolov", "a.morozova"),
                follow_ups=(
                    DemoFollowUp(
                        "Направить предложение о сопровождении стратегии",
                        "d.sokolov",
                        day + timedelta(days=21),
                        day + timedelta(days=18),
                    ),
                ),
            )
        )
    return rows


OPEN = FollowUp.Status.OPEN


def recent_interactions() -> list[DemoInteraction]:
    """The last months of the dialogue, in days before the first load; their
    follow-ups are due around it, some already overdue."""
    return [
        DemoInteraction(
            "76",
            IKind.MEETING,
            -95,
            "Итоги сезона резиденции дизайнеров в «Мега-Арт»",
            decisions="Продолжить резиденцию в следующем году; подготовить заявку "
            "в Президентский фонд культурных инициатив.",
            people=("mega-art", "culture-76"),
            organisations=("mega-art", "culture-76"),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Подготовить с «Мега-Арт» заявку в Президентский фонд "
                    "культурных инициатив",
                    ME,
                    -12,
                    status=OPEN,
                ),
                DemoFollowUp(
                    "Собрать фотоотчёт резиденции для годового отчёта",
                    "a.morozova",
                    -60,
                    -58,
                ),
            ),
        ),
        DemoInteraction(
            "35",
            IKind.CALL,
            -80,
            "Брифы «Мега-Пак» на упаковку: запуск в производство",
            decisions="Две упаковки из брифов «Фабрики дизайна» идут в производство.",
            people=("mega-pak",),
            organisations=("mega-pak",),
            staff=("d.sokolov",),
            follow_ups=(
                DemoFollowUp(
                    "Передать доработанные макеты кураторам «Фабрики дизайна»",
                    "d.sokolov",
                    -70,
                    -66,
                ),
                DemoFollowUp(
                    "Согласовать с «Мега-Пак» сроки выпуска первой партии",
                    ME,
                    14,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "42",
            IKind.MEETING,
            -70,
            "Промежуточные итоги «Дизайн-цеха» с фондом «Активный бизнес»",
            decisions="30 концепций, 5 победителей; два договора с заказчиками.",
            people=("active-business", "economy-42"),
            organisations=("active-business", "economy-42", "kuznitsa"),
            staff=("e.kuznetsova",),
            follow_ups=(
                DemoFollowUp(
                    "Направить фонду шаблон отчёта по KPI проекта",
                    "e.kuznetsova",
                    -40,
                    status=OPEN,
                ),
                DemoFollowUp(
                    "Организовать выставку концепций в Москве",
                    "a.morozova",
                    -30,
                    -35,
                    status=FollowUp.Status.CANCELLED,
                ),
            ),
        ),
        DemoInteraction(
            "16",
            IKind.STRATEGIC_SESSION,
            -60,
            "Стратегическая сессия: приоритетные креативные индустрии Татарстана",
            decisions="Приоритеты: видеоигры, анимация, мода. Министерство "
            "экономики готовит меры поддержки.",
            people=("economy-16", "culture-16", "yalkyn", "kazan-school"),
            organisations=("economy-16", "culture-16", "yalkyn", "kazan-school"),
            staff=("e.kuznetsova", "a.morozova"),
            follow_ups=(
                DemoFollowUp(
                    "Подготовить проект перечня мер поддержки для министерства "
                    "экономики",
                    ME,
                    -5,
                    status=OPEN,
                ),
                DemoFollowUp(
                    "Разослать участникам итоги сессии",
                    "a.morozova",
                    -55,
                    -56,
                ),
            ),
        ),
        DemoInteraction(
            "10",
            IKind.LETTER,
            -52,
            "Письмо в Министерство культуры Республики Карелия о выставке коллекций "
            "по мотивам наследия",
            people=("culture-10",),
            organisations=("culture-10", "onego-design", "karelian-textile"),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Получить ответ министерства о площадке выставки",
                    "a.morozova",
                    3,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "25",
            IKind.CALL,
            -45,
            "Созвон с пространством «Маяк» о приёме делегации Приморского края",
            people=("mayak",),
            organisations=("mayak", "pacific-games"),
            staff=("d.sokolov",),
            follow_ups=(
                DemoFollowUp(
                    "Согласовать программу визита делегации Приморского края",
                    "d.sokolov",
                    -2,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "72",
            IKind.COUNCIL_MEETING,
            -38,
            "Заседание совета по креативным индустриям Тюменской области",
            decisions="Создать региональный реестр субъектов креативных индустрий.",
            people=("culture-72", "economy-72", "tyumen-producers"),
            organisations=("culture-72", "economy-72", "tyumen-producers"),
            staff=("e.kuznetsova",),
            follow_ups=(
                DemoFollowUp(
                    "Подготовить предложения по полям регионального реестра",
                    "e.kuznetsova",
                    21,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "63",
            IKind.MEETING,
            -30,
            "Встреча с министерством экономического развития Самарской области о "
            "стратегии креативных индустрий",
            people=("economy-63",),
            organisations=("economy-63", "zavodskaya"),
            staff=("e.kuznetsova",),
            follow_ups=(
                DemoFollowUp(
                    "Направить методику расчёта базовых значений KPI",
                    "e.kuznetsova",
                    -1,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "71",
            IKind.VISIT,
            -24,
            "Выезд в Тулу: пространство «Оружейная слобода» и мастера промыслов",
            people=("armoury-sloboda", "tula-gingerbread"),
            organisations=("armoury-sloboda", "tula-gingerbread", "culture-71"),
            staff=("a.morozova", "d.sokolov"),
            follow_ups=(
                DemoFollowUp(
                    "Включить тульских мастеров в набор «Дизайн-цеха»",
                    ME,
                    30,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "61",
            IKind.CALL,
            -18,
            "Созвон с Министерством культуры Ростовской области о школе креативных "
            "индустрий",
            people=("culture-61",),
            organisations=("culture-61",),
            staff=("d.sokolov",),
            follow_ups=(
                DemoFollowUp(
                    "Прислать программу школы креативных индустрий",
                    "d.sokolov",
                    10,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "23",
            IKind.MEETING,
            -12,
            "Подготовка образовательного визита: гастрономический кластер Кубани",
            people=("south-taste", "culture-23"),
            organisations=("south-taste", "kuban-art", "culture-23"),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Согласовать с министерством даты и площадки визита",
                    ME,
                    7,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "55",
            IKind.LETTER,
            -7,
            "Приглашение Омской области на «Российскую креативную неделю»",
            people=("culture-55",),
            organisations=("culture-55", "irtysh", "siberian-shore"),
            staff=("a.morozova",),
            follow_ups=(
                DemoFollowUp(
                    "Собрать список участников от Омской области",
                    "a.morozova",
                    20,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "26",
            IKind.CALL,
            -4,
            "Ставрополье: запрос на участие модных брендов в бизнес-миссии",
            people=("caucasus-line",),
            organisations=("caucasus-line", "economy-26"),
            staff=("d.sokolov",),
            follow_ups=(
                DemoFollowUp(
                    "Проверить экспортную готовность брендов по анкете",
                    "d.sokolov",
                    40,
                    status=OPEN,
                ),
            ),
        ),
        DemoInteraction(
            "76",
            IKind.MEETING,
            -2,
            "Рабочая встреча с министерством культуры Ярославской области о сети "
            "креативных пространств",
            decisions="«Мега-Арт» станет опорной площадкой сети пространств области.",
            people=("culture-76", "mega-art"),
            organisations=("culture-76", "mega-art", "yaroslavl-ceramics"),
            staff=("a.morozova",),
        ),
    ]


# Loading ---------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """How many records of each kind the load created (zero on a second run)."""

    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, number: int = 1) -> None:
        self.created[kind] += number


class _Loader:
    def __init__(self, user: User, today: date) -> None:
        self.user = user
        self.today = today
        self.summary = DemoSummary()
        self.regions = {region.code: region for region in Region.objects.all()}
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.colleagues: dict[str, User] = {ME: user}

    def day(self, value: date | int) -> date:
        return value if isinstance(value, date) else self.today + timedelta(value)

    def load(self) -> DemoSummary:
        self.load_colleagues()
        self.load_organisations()
        self.load_people()
        self.load_communities()
        for interaction in [*story_interactions(), *recent_interactions()]:
            self.load_interaction(interaction)
        self.load_register_leaders()
        return self.summary

    def load_colleagues(self) -> None:
        for colleague in COLLEAGUES:
            user = User.objects.filter(username=colleague.username).first()
            if user is None:
                # Demo colleagues own follow-ups; nobody signs in as them.
                user = user_create(
                    username=colleague.username,
                    password=secrets.token_urlsafe(24),
                    role=colleague.role,
                    email=f"{colleague.username}@example.org",
                    first_name=colleague.first_name,
                    last_name=colleague.last_name,
                )
                self.summary.count("users")
            self.colleagues[colleague.username] = user

    def load_organisations(self) -> None:
        for serial, row in enumerate(demo_organisations(), start=1):
            sole_trader = row.kind == Kind.SOLE_TRADER
            inn = demo_inn(row.region, serial, sole_trader=sole_trader)
            organisation = Organisation.objects.filter(inn=inn).first()
            if organisation is None:
                organisation = organisation_create(
                    user=self.user,
                    full_name=row.full_name,
                    short_name=row.short_name,
                    kind=row.kind,
                    region=self.regions[row.region],
                    inn=inn,
                    ogrn=demo_ogrn(
                        row.region, serial, row.registered, sole_trader=sole_trader
                    ),
                    city=row.city,
                    website=row.website,
                    sectors=row.sectors,
                    tags=row.tags,
                    description=row.description,
                )
                self.summary.count("organisations")
            self.organisations[row.key] = organisation

    def load_people(self) -> None:
        for row in demo_people():
            region = self.regions[row.region]
            person = Person.objects.filter(
                surname=row.surname,
                first_name=row.first_name,
                patronymic=row.patronymic,
                region=region,
            ).first()
            if person is None:
                person = person_create(
                    user=self.user,
                    surname=row.surname,
                    first_name=row.first_name,
                    patronymic=row.patronymic,
                    position=row.position,
                    phone=row.phone,
                    email=row.email,
                    region=region,
                    roles=row.roles,
                )
                self.summary.count("people")
            self.people[row.key] = person
            organisation = self.organisations[row.organisation]
            if not Affiliation.objects.filter(
                person=person, organisation=organisation
            ).exists():
                affiliation_add(
                    user=self.user,
                    person=person,
                    organisation=organisation,
                    role=row.position,
                    started_on=date(2016 + row.number % 7, 1 + row.number % 12, 1),
                )
                self.summary.count("affiliations")
            self.load_consents(row, person)

    def load_consents(self, row: DemoPerson, person: Person) -> None:
        """Everyone agreed to be kept on record at the first contact; most to
        mailings, some to invitations and publication; a few withdrew their
        consent to mailings later."""
        paper = "official" in row.roles or row.since in (TOUR_DAY, MISSION_DAY)
        channel = Consent.Channel.PAPER if paper else Consent.Channel.WEB_FORM
        evidence = (
            f"Бумажное согласие № {row.since:%Y-%m}/{row.number + 1:03d}, архив "
            "агентства"
            if paper
            else f"Заявка на сайте агентства № {4000 + row.number * 37}"
        )
        purposes = [Consent.Purpose.PROCESSING]
        if row.number % 4 != 3:
            purposes.append(Consent.Purpose.MAILING)
        if row.number % 3 == 0:
            purposes.append(Consent.Purpose.EVENTS)
        if row.number % 5 == 2 and "official" not in row.roles:
            purposes.append(Consent.Purpose.PUBLICATION)
        for purpose in purposes:
            if Consent.objects.filter(person=person, purpose=purpose).exists():
                continue
            consent = consent_record(
                user=self.user,
                person=person,
                purpose=purpose,
                given_on=row.since,
                channel=channel,
                evidence=evidence,
            )
            self.summary.count("consents")
            if purpose == Consent.Purpose.MAILING and row.number % 11 == 5:
                consent_withdraw(
                    user=self.user,
                    consent=consent,
                    withdrawn_on=min(row.since + timedelta(days=200), self.today),
                )

    def load_communities(self) -> None:
        for region in CORE_REGIONS:
            creative = _creative(region.code)
            members = (
                [("organisation", key, "") for key in creative]
                + [("person", key, "") for key in creative]
                + [("person", f"culture-{region.code}", "куратор от министерства")]
            )
            self.load_community(
                region.community,
                [region.code],
                region.community_description,
                region.community_sectors,
                coordinator=creative[0],
                members=members,
                joined_on=_first_contact(region.code) + timedelta(days=60),
            )
        tour = [*STUDY_TOUR_REGIONS, "76"]
        self.load_community(
            "Участники ознакомительного визита в Москву (июль 2023)",
            tour,
            "Сотрудники государственных учреждений и общественных организаций, "
            "которые 7–8 июля 2023 года побывали в креативных пространствах Москвы.",
            (),
            coordinator="mega-art",
            members=[("person", f"culture-{code}", "") for code in tour]
            + [("person", _creative(code)[0], "") for code in tour],
            joined_on=TOUR_DAY,
        )

    def load_community(
        self,
        name: str,
        region_codes: Sequence[str],
        description: str,
        sectors: Iterable[str],
        *,
        coordinator: str,
        members: Sequence[tuple[str, str, str]],
        joined_on: date,
    ) -> None:
        community = Community.objects.filter(name=name).first()
        if community is None:
            community = community_create(
                user=self.user,
                name=name,
                regions=[self.regions[code] for code in region_codes],
                description=description,
                sectors=sectors,
                coordinator=self.people[coordinator],
            )
            self.summary.count("communities")
        for field_name, key, role in members:
            member = (self.people if field_name == "person" else self.organisations)[
                key
            ]
            if CommunityMembership.objects.filter(
                community=community, **{field_name: member}
            ).exists():
                continue
            membership_add(
                user=self.user,
                community=community,
                joined_on=joined_on,
                role=role,
                **{field_name: member},
            )
            self.summary.count("memberships")

    def load_interaction(self, row: DemoInteraction) -> None:
        region = self.regions[row.region]
        if Interaction.objects.filter(region=region, topic=row.topic).exists():
            return
        interaction = interaction_record(
            user=self.user,
            kind=row.kind,
            occurred_on=self.day(row.occurred),
            region=region,
            topic=row.topic,
            summary=row.summary,
            decisions=row.decisions,
            people=[self.people[key] for key in row.people],
            organisations=[self.organisations[key] for key in row.organisations],
            staff=[self.colleagues[name] for name in row.staff],
            follow_ups=[
                FollowUpInput(
                    description=item.description,
                    owner=self.colleagues[item.owner],
                    due_on=self.day(item.due),
                )
                for item in row.follow_ups
            ],
        )
        self.summary.count("interactions")
        self.summary.count("follow-ups", len(row.follow_ups))
        follow_ups = {item.description: item for item in row.follow_ups}
        for follow_up in interaction.follow_ups.order_by("pk"):
            item = follow_ups[follow_up.description]
            if item.status != FollowUp.Status.OPEN:
                follow_up_set_status(
                    user=self.user,
                    follow_up=follow_up,
                    status=item.status,
                    closed_on=self.day(item.closed if item.closed is not None else 0),
                )

    def load_register_leaders(self) -> None:
        """The two largest leaders of the agreement regions, from the latest
        research run, added to their region's community as candidates the way
        a manager adds them from the region passport. Skipped without a run."""
        run = research_run_latest()
        if run is None:
            self.summary.notes.append(
                "No research run has finished: industry leaders were not added."
            )
            return
        wanted = {"76", "35", "42"}
        columns, rows = research_export_rows(run=run, table="leaders", user=self.user)
        leaders: dict[str, list[dict]] = {code: [] for code in wanted}
        for values in rows:
            leader = dict(zip(columns, values, strict=True))
            if leader["region_code"] in wanted and leader["rank"] == 1:
                leaders[leader["region_code"]].append(leader)
        communities = {
            region.code: Community.objects.get(name=region.community)
            for region in CORE_REGIONS
            if region.code in wanted
        }
        for code in sorted(wanted):
            best = sorted(leaders[code], key=lambda row: -row["employees"])[:2]
            for leader in best:
                try:
                    link = organisation_from_register(
                        user=self.user,
                        inn=leader["inn"],
                        region=self.regions[code],
                        name=leader["name"] or "",
                        sectors=[leader["sector"]],
                        tags=["лидер отрасли"],
                    )
                except (ValidationError, ApplicationError) as error:
                    self.summary.notes.append(
                        f"Leader {leader['inn']} was not added: {error}"
                    )
                    continue
                if link.created:
                    self.summary.count("organisations")
                organisation = link.organisation
                if CommunityMembership.objects.filter(
                    community=communities[code], organisation=organisation
                ).exists():
                    continue
                membership_add(
                    user=self.user,
                    community=communities[code],
                    organisation=organisation,
                    status=CommunityMembership.Status.CANDIDATE,
                    role="лидер отрасли по данным исследования",
                )
                self.summary.count("memberships")


def demo_community_load(*, user: User, today: date | None = None) -> DemoSummary:
    """Loads the demo community as ``user`` (recorded in the history and the
    owner of "my follow-ups"), in one transaction; a second run adds nothing.
    Needs the reference regions and classifications."""
    if not Region.objects.exists():
        raise ApplicationError(
            "Load the reference data first: creative-regions load_reference."
        )
    with transaction.atomic():
        return _Loader(user, today or timezone.localdate()).load()
