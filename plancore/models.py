"""The plan itself: its chapters and the Sustainable Development Goals it is tagged with."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RemembersLoaded:
    """A model that remembers the values of its `remembered` fields as read from the database
    or last saved, so that its save() can tell whether they moved (`moved_since_loaded`)."""

    remembered = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_loaded()
        return instance

    def remember_loaded(self):
        self._loaded = tuple(self.__dict__.get(name) for name in self.remembered)

    def moved_since_loaded(self):
        return getattr(self, "_loaded", None) != tuple(
            self.__dict__.get(name) for name in self.remembered
        )


class Plan(models.Model):
    """A signed bilateral plan, such as the Joint Strategic Action Plan 2023–2027."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(
        "partners.Country", related_name="plans", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signed on"))
    signed_at = models.CharField(_("signed at"), max_length=120, blank=True)
    signatories = models.JSONField(
        _("signatories"),
        default=list,
        blank=True,
        help_text=_("Who signed for each party: name, position and country code."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    preamble = models.TextField(_("preamble"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="plan_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class ChapterQuerySet(models.QuerySet):
    def with_actions(self):
        """The chapters that hold actions. The signed text numbers its "1. Contents" and
        "2. Preamble" as chapters, and the plan keeps that numbering (action 6.3 is in chapter
        6), but a page that lists chapters for their actions shows neither."""
        action = self.model._meta.get_field("actions").related_model
        return self.filter(models.Exists(action.objects.filter(chapter=models.OuterRef("pk"))))


class Chapter(RemembersLoaded, models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"), blank=True)
    history = HistoricalRecords()

    objects = ChapterQuerySet.as_manager()
    remembered = ("plan_id", "number")  # its actions' plan order follows them

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="chapter_number_unique_in_plan"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="chapter_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        renumbered = not self._state.adding and self.moved_since_loaded()
        super().save(*args, **kwargs)
        if renumbered:
            self.actions.update(plan_order=F("position") + self.order_base)
        self.remember_loaded()

    @property
    def order_base(self):
        """Its actions' plan order (Action.plan_order) less their positions: plan, then
        chapter number (a position and a chapter number each fit in 16 bits)."""
        return (self.plan_id << 32) + (self.number << 16)


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals, a cross-cutting priority of the plan."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    title = models.CharField(_("goal"), max_length=300)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_between_1_and_17"
            ),
        ]

    def __str__(self):
        return gettext("SDG %(number)s: %(name)s") % {"number": self.number, "name": self.name}
