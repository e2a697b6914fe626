"""The high-level meetings where the two governments take stock of the plan: who met, the
agenda the portal drafts from the plan's state, and the decisions taken."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actions.models import written_language_field
from amendments.models import Amendment
from partners.models import COUNTRY_SIDE_CHOICES, Side

# The amendments a meeting's decision may propose of one action (amendments/ applies them).
AMENDMENT_KINDS = [
    (kind.value, kind.label) for kind in (Amendment.Kind.TARGET_DATE, Amendment.Kind.RETIREMENT)
]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CONSULTATIONS = "consultations", _("High-level political consultations")
        WORKING_GROUP = "working_group", _("Joint working group of a chapter")
        FORUM = "forum", _("Meeting on the sidelines of an international forum")

    plan = models.ForeignKey(
        "plancore.Plan", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    chapter = models.ForeignKey(
        "plancore.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("chapter"),
        help_text=_("The chapter whose joint working group meets."),
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="working_group", chapter__isnull=False)
                | (~Q(kind="working_group") & Q(chapter__isnull=True)),
                name="meeting_chapter_only_for_working_groups",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | (Q(starts_at__isnull=False) & Q(ends_at__gt=models.F("starts_at"))),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.date.isoformat()}"

    @property
    def title(self):
        if self.kind == self.Kind.WORKING_GROUP and self.chapter_id:
            return _("Joint working group of chapter %(number)s") % {"number": self.chapter.number}
        return str(self.get_kind_display())

    def has_taken_place(self, today=None):
        return self.date <= (today or timezone.localdate())


class Participant(models.Model):
    """Someone of one side at the meeting: a user of the portal, or a guest named with their
    institution."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    side = models.CharField(_("side"), max_length=12, choices=COUNTRY_SIDE_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("user of the portal"),
    )
    name = models.CharField(_("guest's name"), max_length=200, blank=True)
    institution = models.CharField(_("guest's institution"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "side", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(name=""))
                | (Q(user__isnull=True) & ~Q(name="") & ~Q(institution="")),
                name="participant_user_or_named_guest",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(side__in=[Side.DK, Side.MX]), name="participant_side_is_a_country"
            ),
        ]

    def __str__(self):
        return self.name or str(self.user)


class AgendaItem(models.Model):
    """One point of a meeting's agenda: drafted by the portal from the plan's state (and kept as
    drafted, with what it points at), or added by staff; staff may retitle and reorder any."""

    class Section(models.TextChoices):
        DELAYED = "delayed", _("Actions delayed or at risk")
        OVERDUE = "overdue", _("Milestones overdue")
        AMENDMENTS = "amendments", _("Amendments waiting for a decision")
        ASSESSMENTS = "assessments", _("Assessments that differ")
        RETURNED = "returned", _("Updates returned twice")
        FOLLOW_UP = "follow_up", _("Follow-up of past decisions")
        OTHER = "other", pgettext_lazy("agenda section", "Other business")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("Empty on a drafted item: it reads what the portal drafted."),
    )
    notes = models.TextField(_("notes"), blank=True)
    language = written_language_field()
    drafted = models.BooleanField(_("drafted by the portal"), default=False)
    drafted_text = models.CharField(
        _("as drafted"),
        max_length=300,
        blank=True,
        help_text=_("What the portal drafted, in English, kept when staff change the item."),
    )
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("action"),
    )
    milestone = models.ForeignKey(
        "actions.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("milestone"),
    )
    update = models.ForeignKey(
        "actions.ProgressUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("progress update"),
    )
    amendment = models.ForeignKey(
        "amendments.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("amendment"),
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("decision followed up"),
    )
    # What else the item was drafted for, e.g. "assessment:2025-q2" (the period assessed).
    subject_key = models.CharField(max_length=60, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(drafted=True) | ~Q(title=""), name="agenda_item_has_a_title"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title or self.drafted_text}"

    @property
    def is_changed(self):
        """A drafted item whose title staff have rewritten."""
        return self.drafted and bool(self.title)


class Decision(models.Model):
    """What the meeting decided, linked to actions; accepted, it becomes a milestone or an
    amendment proposal, and until it is done or decided it comes back on the next agenda."""

    class Outcome(models.TextChoices):
        MILESTONE = "milestone", _("A new milestone")
        AMENDMENT = "amendment", _("An amendment proposal")
        NOTED = "noted", _("Noted, nothing to follow")

    class State(models.TextChoices):
        RECORDED = "recorded", pgettext_lazy("decision state", "Recorded")
        ACCEPTED = "accepted", pgettext_lazy("decision state", "Accepted")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(
        _("short title"),
        max_length=200,
        help_text=_("Also the title of the milestone made of it."),
    )
    text = models.TextField(_("decision"))
    language = written_language_field()
    actions = models.ManyToManyField(
        "actions.Action", related_name="meeting_decisions", blank=True, verbose_name=_("actions")
    )
    outcome = models.CharField(_("to become"), max_length=10, choices=Outcome.choices)
    owner = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("owner institution"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    amendment_kind = models.CharField(
        _("amendment proposed"),
        max_length=20,
        choices=AMENDMENT_KINDS,
        blank=True,
        help_text=_("For an amendment: what it changes; a new target date is the due date."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECORDED
    )
    milestone = models.OneToOneField(
        "actions.Milestone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("milestone made of it"),
    )
    amendment = models.OneToOneField(
        "amendments.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name=_("amendment proposed of it"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="decision_text_required"),
            models.CheckConstraint(condition=~Q(title=""), name="decision_title_required"),
            models.CheckConstraint(
                condition=~Q(outcome="milestone")
                | (Q(owner__isnull=False) & Q(due_date__isnull=False)),
                name="decision_milestone_has_owner_and_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="amendment") | ~Q(amendment_kind=""),
                name="decision_amendment_has_a_kind",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="amendment", amendment_kind="target_date")
                | Q(due_date__isnull=False),
                name="decision_new_target_date_given",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="amendment", state="accepted") | Q(amendment__isnull=False),
                name="decision_accepted_amendment_is_linked",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="decision_accepted_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="milestone", state="accepted") | Q(milestone__isnull=False),
                name="decision_accepted_milestone_is_linked",
            ),
        ]

    def __str__(self):
        return _("Decision %(number)s of %(meeting)s") % {
            "number": self.number,
            "meeting": self.meeting,
        }
