"""The two countries, their institutions, the agreements between them, and who works where."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Side(models.TextChoices):
    """The side of the bilateral plan a body or a decision belongs to."""

    DK = "DK", _("Denmark")
    MX = "MX", _("Mexico")
    MULTILATERAL = "multilateral", _("Multilateral")


# The two governments: the sides that propose, decide, assess and attend as a country.
COUNTRY_SIDE_CHOICES = [(Side.DK, Side.DK.label), (Side.MX, Side.MX.label)]


class Country(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    name = models.CharField(_("name"), max_length=100)
    government = models.CharField(_("government"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}\Z"), name="country_code_is_iso_alpha2"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def government_name(self):
        """The government's official name in the active language (English otherwise)."""
        return self.government or self.name


class InstitutionQuerySet(models.QuerySet):
    def on_side(self, side):
        if side == Side.MULTILATERAL:
            return self.filter(country__isnull=True)
        return self.filter(country__code=side)


class Institution(models.Model):
    """A ministry, agency, embassy, legislature or international body named in the plan."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or secretariat")
        AGENCY = "agency", _("Agency")
        EMBASSY = "embassy", _("Embassy")
        LEGISLATURE = "legislature", _("Legislature")
        OMBUDSMAN = "ombudsman", _("Ombudsman")
        INVESTMENT_FUND = "investment_fund", _("Investment fund")
        HUMAN_RIGHTS_INSTITUTION = "human_rights_institution", _("Human rights institution")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        NETWORK = "network", _("Network or partnership")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("country"),
        help_text=_("Empty for a multilateral body."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    history = HistoricalRecords()

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="institution_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def side(self):
        return self.country.code if self.country_id else Side.MULTILATERAL


class Agreement(models.Model):
    """An MoU, joint statement, cooperation agreement or programme the plan builds on."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        AGREEMENT = "agreement", _("Cooperation agreement")
        PROGRAMME = "programme", _("Programme")

    class Precision(models.TextChoices):
        """How much of a date the source documents state; the rest is not invented."""

        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(
        _("signed on"),
        null=True,
        blank=True,
        help_text=_("Stored as the first day of the month or year when only that is known."),
    )
    signed_on_precision = models.CharField(
        _("precision of the signing date"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    signed_at = models.CharField(_("signed at"), max_length=200, blank=True)
    parties = models.ManyToManyField(
        Institution, related_name="agreements", blank=True, verbose_name=_("parties")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiary_agreements",
        verbose_name=_("in the framework of"),
    )
    description = models.TextField(_("description"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    commitments = models.JSONField(_("commitments"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="agreement_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def signed_display(self):
        return format_partial_date(self.signed_on, self.signed_on_precision)


class AgreementExtension(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("agreement")
    )
    extended_on = models.DateField(_("extended on"))
    extended_on_precision = models.CharField(
        _("precision of the date"),
        max_length=5,
        choices=Agreement.Precision.choices,
        default=Agreement.Precision.DAY,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["agreement", "extended_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "extended_on"], name="agreement_extension_unique_date"
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.extended_display}"

    @property
    def extended_display(self):
        return format_partial_date(self.extended_on, self.extended_on_precision)


def format_partial_date(value, precision):
    """Show a date only as precisely as the source documents state it, in the active language."""
    if value is None:
        return ""
    if precision == Agreement.Precision.YEAR:
        return str(value.year)
    if precision == Agreement.Precision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


class Membership(models.Model):
    """A user's place at an institution; what the user may do follows from it."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Plan administrator")
        EMBASSY_STAFF = "embassy_staff", _("Embassy staff")
        LIAISON = "liaison", _("Ministry liaison")
        OFFICIAL = "official", _("Official")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="membership_unique_user_institution"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.institution.short_name}"


def display_name(user):
    """How the portal names a person: full name, else user name; "System" for no one."""
    if user is None:
        return gettext("System")
    return user.get_full_name() or user.get_username()
