"""Organisations, people, who works where, and people's consents (152-ФЗ)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creative_regions.community import validators
from creative_regions.community.models.base import normalise_fields
from creative_regions.core.models import RegionScopedQuerySet
from creative_regions.core.text import search_normalise


class OrganisationQuerySet(RegionScopedQuerySet):
    region_lookup = "region"

    def authorities(self) -> OrganisationQuerySet:
        return self.filter(kind__in=Organisation.Kind.authorities())


class Organisation(models.Model):
    """A company, sole trader, authority, creative space, university, fund,
    non-profit or media outlet the agency works with in a region."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        SOLE_TRADER = "sole_trader", _("Sole trader")
        REGIONAL_AUTHORITY = "regional_authority", _("Regional authority")
        MUNICIPAL_AUTHORITY = "municipal_authority", _("Municipal authority")
        CREATIVE_SPACE = "creative_space", _("Creative space or cluster")
        EDUCATION = "education", _("University or school")
        FUND = "fund", _("Fund or development institution")
        NON_PROFIT = "non_profit", _("Non-profit organisation")
        MEDIA = "media", _("Media")

        @classmethod
        def authorities(cls) -> tuple[str, str]:
            return (cls.REGIONAL_AUTHORITY, cls.MUNICIPAL_AUTHORITY)

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # NULL, not "", when unknown: the unique index then holds only for known INNs.
    inn = models.CharField(
        _("INN"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_inn],
        error_messages={"unique": _("Another organisation already has this INN.")},
    )
    ogrn = models.CharField(
        _("OGRN or OGRNIP"),
        max_length=15,
        blank=True,
        validators=[validators.validate_ogrn],
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="community_organisations",
    )
    city = models.CharField(_("city"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    telegram = models.CharField(
        _("Telegram"),
        max_length=100,
        blank=True,
        validators=[validators.validate_telegram],
    )
    vk = models.URLField(
        _("VK"), max_length=200, blank=True, validators=[validators.validate_vk]
    )
    sectors = models.ManyToManyField(
        "community.Sector",
        verbose_name=_("creative sectors"),
        blank=True,
        related_name="organisations",
    )
    tags = models.ManyToManyField(
        "community.Tag",
        verbose_name=_("tags"),
        blank=True,
        related_name="organisations",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Names and identifiers lower-cased with ё as е, for search on any database.
    search_text = models.TextField(editable=False, default="")

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[sectors, tags], excluded_fields=["search_text", "updated_at"]
    )

    NORMALISERS = {
        "inn": validators.normalise_inn,
        "ogrn": validators.normalise_ogrn,
        "telegram": validators.normalise_telegram,
        "vk": validators.normalise_vk,
        "website": validators.normalise_website,
    }

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("full_name", "pk")
        indexes = [
            # The lists' order (name, then id), whole and per region.
            models.Index(
                fields=("region", "full_name", "id"), name="community_org_region"
            ),
            models.Index(fields=("full_name", "id"), name="community_org_name"),
            models.Index(fields=("kind", "region"), name="community_org_kind"),
            models.Index(fields=("status",), name="community_org_status"),
            models.Index(fields=("ogrn",), name="community_org_ogrn"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.compute_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        normalise_fields(self, self.NORMALISERS, exclude)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        # A legal entity has a 10-digit INN and a 13-digit OGRN; a sole trader a
        # 12-digit INN and a 15-digit OGRNIP. A mix means a typo in one of them.
        if self.inn and self.ogrn and len(self.ogrn) in (13, 15):
            if len(self.inn) == 10 and len(self.ogrn) != 13:
                raise ValidationError(
                    {
                        "ogrn": _(
                            "An organisation with a 10-digit INN has a 13-digit "
                            "OGRN, not an OGRNIP."
                        )
                    }
                )
            if len(self.inn) == 12 and len(self.ogrn) != 15:
                raise ValidationError(
                    {
                        "ogrn": _(
                            "A sole trader with a 12-digit INN has a 15-digit "
                            "OGRNIP, not an OGRN."
                        )
                    }
                )

    @property
    def name(self) -> str:
        return self.short_name or self.full_name

    @property
    def is_authority(self) -> bool:
        return self.kind in self.Kind.authorities()

    def compute_search_text(self) -> str:
        searchable = (self.full_name, self.short_name, self.inn or "", self.ogrn)
        return search_normalise(" ".join((*searchable, self.city)))


class PersonQuerySet(RegionScopedQuerySet):
    region_lookup = "region"


class Person(models.Model):
    """Someone the agency knows in a region: an entrepreneur, an official, an
    expert... Their employers are ``Affiliation`` rows, so changes keep history."""

    surname = models.CharField(_("surname"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    # Long enough for a number as typed ("+7 (912) 345-67-89 доб. 12" is not);
    # stored in E.164.
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        validators=[validators.validate_phone],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    telegram = models.CharField(
        _("Telegram"),
        max_length=100,
        blank=True,
        validators=[validators.validate_telegram],
    )
    region = models.ForeignKey(
        "geo.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="community_people",
    )
    expertise = models.TextField(_("expertise"), blank=True)
    roles = models.ManyToManyField(
        "community.PersonRole",
        verbose_name=_("roles"),
        blank=True,
        related_name="people",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, default="")

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[roles], excluded_fields=["search_text", "updated_at"]
    )

    NORMALISERS = {
        "phone": validators.normalise_phone,
        "email": validators.normalise_email,
        "telegram": validators.normalise_telegram,
    }

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("surname", "first_name", "patronymic", "pk")
        indexes = [
            models.Index(
                fields=("region", "surname", "first_name"),
                name="community_person_region",
            ),
            models.Index(
                fields=("surname", "first_name"), name="community_person_name"
            ),
            models.Index(fields=("phone",), name="community_person_phone"),
            models.Index(fields=("email",), name="community_person_email"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.compute_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        normalise_fields(self, self.NORMALISERS, exclude)
        super().clean_fields(exclude=exclude)

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.surname, self.first_name, self.patronymic) if part
        )

    def compute_search_text(self) -> str:
        searchable = (self.full_name, self.email, self.phone, self.telegram)
        return search_normalise(" ".join(searchable))


class AffiliationQuerySet(RegionScopedQuerySet):
    # Who works where is the person's data: it follows the person's region.
    region_lookup = "person__region"

    def current(self, on: date) -> AffiliationQuerySet:
        return self.filter(
            models.Q(started_on__isnull=True) | models.Q(started_on__lte=on),
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on),
        )


class Affiliation(models.Model):
    """A person's role at an organisation over a period; a new employer is a new
    row and the old one gets its end date, so the career stays on record."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=300, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)

    objects = AffiliationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ("person", "-started_on", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="community_affiliation_ends_after_start",
                violation_error_message=_(
                    "The end date must not be before the start date."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end date must not be before the start date.")}
            )

    def is_current_on(self, day: date) -> bool:
        started = self.started_on is None or self.started_on <= day
        return started and (self.ended_on is None or self.ended_on > day)


class ConsentQuerySet(RegionScopedQuerySet):
    region_lookup = "person__region"

    def valid_on(self, day: date, purpose: str | None = None) -> ConsentQuerySet:
        """Consents in force on ``day``: given by then and not withdrawn yet."""
        queryset = self.filter(
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=day),
            given_on__lte=day,
        )
        return queryset if purpose is None else queryset.filter(purpose=purpose)


class Consent(models.Model):
    """A person's consent to the processing of their personal data for one
    purpose (152-ФЗ): when and how it was given, and when it was withdrawn.
    Withdrawal ends it from that day on; the record itself is kept as proof."""

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Keeping records in the agency's database")
        MAILING = "mailing", _("News and mailings")
        EVENTS = "events", _("Invitations to events")
        SURVEYS = "surveys", _("Surveys and research")
        PUBLICATION = "publication", _("Publication of name and photos")
        TRANSFER = "transfer", _("Transfer to partner organisations")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Signed paper form")
        WEB_FORM = "web_form", _("Online form")
        EMAIL = "email", _("E-mail")
        EVENT_REGISTRATION = "event_registration", _("Event registration")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("Where the signed form or message is kept."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("person", "purpose", "-given_on", "-pk")
        indexes = [
            models.Index(fields=("person", "purpose"), name="community_consent_purpose")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="community_consent_withdrawn_after_given",
                violation_error_message=_(
                    "A consent cannot be withdrawn before the day it was given."
                ),
            ),
            models.UniqueConstraint(
                fields=("person", "purpose"),
                condition=models.Q(withdrawn_on__isnull=True),
                name="community_consent_one_open_per_purpose",
                violation_error_message=_(
                    "This person already has a consent for this purpose that has "
                    "not been withdrawn."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_purpose_display()}"

    def clean(self) -> None:
        super().clean()
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError(
                {
                    "withdrawn_on": _(
                        "A consent cannot be withdrawn before the day it was given."
                    )
                }
            )

    def is_valid_on(self, day: date) -> bool:
        """In force on ``day``: given by then and not withdrawn by then."""
        given = self.given_on <= day
        return given and (self.withdrawn_on is None or self.withdrawn_on > day)
