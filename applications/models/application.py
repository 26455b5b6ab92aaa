import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The groups of statuses, defined here only (modules name them for their use, e.g. the border
# list's statuses are APPROVED_STATUSES).
# Waiting for the authority: the decision clock runs (paused while information is asked).
PENDING_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)
# Some or all workers may enter.
APPROVED_STATUSES = (Status.APPROVED, Status.PARTIALLY_APPROVED)
DECIDED_STATUSES = (*APPROVED_STATUSES, Status.REJECTED)
FINAL_STATUSES = (*DECIDED_STATUSES, Status.WITHDRAWN)
# Waiting for the officer's decision, where the queue opens: submitted, and in review (which is
# also where an answered request for information returns). A case whose request is still open
# waits for the employer, not for the officer, so it is not among them.
AWAITING_DECISION_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW)
# Not decided or withdrawn yet: a case may still join or leave a charter.
OPEN_STATUSES = (Status.DRAFT, *PENDING_STATUSES)


class ApplicationKind(models.TextChoices):
    NEW_WORKERS = "new", _("Invite new workers")
    RETURNING_WORKERS = "returning", _("Bring back former workers")


class Application(models.Model):
    """A case: an employer asks a region to let the listed workers enter."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    employer = models.ForeignKey(
        "applications.Employer", on_delete=models.PROTECT, related_name="applications", verbose_name=_("employer")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="applications", verbose_name=_("region of work")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.NEW_WORKERS)
    project_name = models.CharField(_("project or site"), max_length=300)
    activity_okved = models.CharField(
        _("activity (OKVED)"), max_length=8, blank=True, help_text=_("OKVED code of the work, e.g. 41.20.")
    )
    # The arrival's local date in the zone of arrival, kept beside the instant for the indexes,
    # the monthly quota and the queue's filters. Both are set only by set_planned_arrival().
    planned_arrival_date = models.DateField(_("planned arrival date"))
    planned_arrival_at = models.DateTimeField(_("planned arrival"))
    # "Other crossing": a point not in the reference list, named in words with its region. Empty
    # when the case names a `checkpoint` (constraint application_one_crossing_point).
    border_crossing_point = models.CharField(_("other border crossing point"), max_length=200, blank=True)

    # The employer's guarantees, at its own expense.
    transport_to_isolation = models.BooleanField(_("transport from the border to the isolation site"), default=False)
    isolation_address = models.CharField(_("isolation address"), max_length=500, blank=True)
    isolation_days = models.PositiveSmallIntegerField(_("isolation days guaranteed"), default=14)
    insurance_policy = models.CharField(_("medical insurance policy"), max_length=200, blank=True)
    charter_transport_agreed = models.BooleanField(_("charter transport agreed with the headquarters"), default=False)
    vaccination_booked = models.BooleanField(_("vaccination booked for the list"), default=False)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every transition so a page can tell that the case changed since it was loaded.
    version = models.PositiveIntegerField(default=1, editable=False)
    deadline = models.DateField(_("decision due by"), null=True, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_applications",
        verbose_name=_("assigned officer"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )
    # Kept up to date by the services (on submit, on answer, and when a region's rules change) so
    # the queue can filter "fails a blocking check" in SQL instead of running the check per row.
    rule_check_failing = models.BooleanField(_("fails a blocking check"), default=False)
    rule_check_at = models.DateTimeField(_("rule check run at"), null=True, blank=True)
    # The rule version the stored check read (set with rule_check_at). Once the case is no longer
    # a draft, this citation freezes the version (RuleSet.frozen_reason, and the database trigger
    # of regions migration 0009): the submission and the queue's flag rest on it.
    rule_set_checked = models.ForeignKey(
        "regions.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="checked_applications",
        verbose_name=_("rule version checked"),
    )
    # Set once by the periodic deadline job (manage.py run_deadlines) the day the deadline passed.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    # While a request for information is open the decision clock stops: `deadline` is empty and
    # this keeps the working days that were left (negative when the officer was already late);
    # the employer's answer sets the deadline that many working days after the answer day.
    decision_days_left = models.SmallIntegerField(_("working days left to decide (paused)"), null=True, blank=True)
    # The employer's own due date while a request is open (the latest request's reply date, kept
    # on the case so lists show it without reading the history).
    reply_due = models.DateField(_("reply due by"), null=True, blank=True)
    # Where the workers cross the border: a checkpoint of the reference list, or "other" (the
    # free text above with its region). The crossing's region gives the clock of the arrival.
    checkpoint = models.ForeignKey(
        "regions.Checkpoint", on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("border crossing point"),
    )
    border_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region of the other crossing"),
    )
    # The flight or train the workers come on with other cases (see models/charter.py); set and
    # cleared only by services/charters.py, which checks the case matches it.
    charter = models.ForeignKey(
        "applications.Charter", on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("charter"),
    )
    # A draft the employer deleted. Kept, not removed: its history row ("created") is append-only
    # and names it, and its reference number must never be handed out again. Hidden from the
    # employer's pages; officers never saw it.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("deleted by")
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(isolation_days__lte=60), name="application_isolation_days_sane"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(status="draft"), name="application_only_a_draft_is_deleted"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_at__gte=F("created_at")),
                name="application_submitted_after_created",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(submitted_at__isnull=False, decided_at__gte=F("submitted_at")),
                name="application_decided_after_submitted",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
            # The days left are kept only while the clock is stopped, and then no deadline runs.
            models.CheckConstraint(
                condition=Q(decision_days_left__isnull=True) | Q(status="info_requested", deadline__isnull=True),
                name="application_paused_clock_has_no_deadline",
            ),
            models.CheckConstraint(
                condition=Q(reply_due__isnull=True) | Q(status="info_requested"), name="application_reply_due_while_asked"
            ),
            # Exactly one of: a checkpoint of the list, or another crossing named with its region.
            # Drafts too: a draft is saved with its crossing (the form requires it, as before).
            models.CheckConstraint(
                condition=Q(checkpoint__isnull=False, border_crossing_point="", border_region__isnull=True)
                | Q(checkpoint__isnull=True, border_crossing_point__gt="", border_region__isnull=False),
                name="application_one_crossing_point",
                violation_error_message=_(
                    "Choose the border crossing point from the list, or name another crossing and its region."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-submitted_at"], name="application_region_queue"),
            models.Index(fields=["employer", "-created_at"], name="application_employer_list"),
            # Django admin's list of cases (Meta.ordering, then -pk), whole and by region of work.
            models.Index(fields=["-created_at", "-id"], name="application_admin_recent"),
            models.Index(fields=["region", "-created_at", "-id"], name="application_admin_region"),
            models.Index(fields=["region"], condition=Q(rule_check_failing=True), name="application_failing_checks"),
            # The queue's default order. Partial because drafts never reach an officer, and the
            # condition is exactly the queue's `.exclude(status=DRAFT)`, so the planner proves it
            # applies: the first page reads 25 index entries instead of sorting the whole region.
            models.Index(
                fields=["region", "deadline", "submitted_at", "id"],
                condition=~Q(status="draft"),
                name="application_queue_deadline",
            ),
            # The same order across all regions, for a reviewer of many regions (the federal
            # one's 85): without it the first row of their export waited for PostgreSQL to sort
            # their whole queue; with it the rows come in order from the start.
            models.Index(
                fields=["deadline", "submitted_at", "id"],
                condition=~Q(status="draft"),
                name="application_queue_national",
            ),
            # The queue opens on the cases awaiting decision (filters/review.py AWAITING_DECISION),
            # in its default order, for one region and for a reviewer of many: the first page
            # reads 25 index entries instead of skipping the region's decided cases one by one.
            models.Index(
                fields=["region", "deadline", "submitted_at", "id"],
                condition=Q(status__in=["submitted", "in_review"]),
                name="application_queue_awaiting",
            ),
            models.Index(
                fields=["deadline", "submitted_at", "id"],
                condition=Q(status__in=["submitted", "in_review"]),
                name="application_queue_awaiting_all",
            ),
            # The monthly quota (approved arrivals in a month) and the queue's arrival filters.
            models.Index(fields=["region", "planned_arrival_date"], name="application_region_arrival"),
            # The case page's "earlier cases of this company": a large company's 4,000 cases were
            # read and sorted to show 10 (7-30 ms); now 10 index entries.
            models.Index(
                fields=["employer", "region", "-submitted_at", "-id"],
                condition=Q(submitted_at__isnull=False),
                name="application_employer_earlier",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def arrival_zone(self) -> ZoneInfo:
        """The clock an arrival is entered and shown in: that of the region where the border is
        crossed (a flight from Tashkent lands in Novosibirsk at Novosibirsk's time)."""
        if self.checkpoint_id is not None:
            return self.checkpoint.zone
        if self.border_region_id is not None:
            return self.border_region.zone
        return self.region.zone

    @property
    def crossing_point_label(self) -> str:
        """The crossing as people read it: the checkpoint with its kind and region, or the other
        crossing's name with its region. Expects checkpoint__region and border_region fetched."""
        if self.checkpoint_id is not None:
            return self.checkpoint.label
        if self.border_crossing_point and self.border_region_id is not None:
            return f"{self.border_crossing_point}, {self.border_region.name}"
        return self.border_crossing_point

    def set_planned_arrival(self, at: dt.datetime) -> None:
        """The one place the planned arrival is set: the instant and its local date together.
        Set the crossing (checkpoint or other region) first: it gives the zone."""
        for name, value in planned_arrival_fields(at, self.arrival_zone).items():
            setattr(self, name, value)


def planned_arrival_fields(at: dt.datetime, zone: ZoneInfo) -> dict:
    """The stored fields of a planned arrival at the instant `at`: the instant, and its date on
    the clocks of the zone of arrival. For code that writes rows without a model instance (bulk
    loads); everything else calls Application.set_planned_arrival."""
    if at.tzinfo is None:
        raise ValueError("a planned arrival must be an aware datetime")
    return {"planned_arrival_at": at, "planned_arrival_date": at.astimezone(zone).date()}


class WorkerOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RefusalReason(models.TextChoices):
    CITIZENSHIP_NOT_ACCEPTED = "citizenship", _("Citizenship not accepted by the region")
    PCR_TEST = "pcr_test", _("PCR test missing or too old")
    PASSPORT = "passport", _("Passport invalid or expiring")
    QUOTA = "quota", _("Monthly quota reached")
    DOCUMENTS = "documents", _("Documents missing or inconsistent")
    OTHER = "other", _("Other")


class CaseWorker(models.Model):
    """A worker's line on a case, with the worker's own test data and outcome."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines", verbose_name=_("application"))
    worker = models.ForeignKey(
        "applications.Worker", on_delete=models.PROTECT, related_name="application_lines", verbose_name=_("worker")
    )
    pcr_test_taken_at = models.DateTimeField(_("PCR test taken at"), null=True, blank=True)
    # The zone the test time was entered in (where it was taken), to show it back as printed on
    # the certificate; the instant itself is pcr_test_taken_at.
    pcr_test_zone = models.CharField(_("time zone of the PCR test"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=WorkerOutcome.choices, default=WorkerOutcome.PENDING)
    refusal_reason = models.CharField(_("refusal reason"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_note = models.CharField(_("refusal note"), max_length=500, blank=True)
    # Reported by the employer after an approval.
    arrived_on = models.DateField(_("actual arrival date"), null=True, blank=True)
    # The actual arrival as an instant; arrived_on is its local date in the zone of arrival (the
    # isolation dates are compared with it). Both are set only by set_arrival().
    arrived_at = models.DateTimeField(_("actual arrival"), null=True, blank=True)
    # Where a region wants a test within N hours after arrival, the time the employer reports.
    arrival_test_taken_at = models.DateTimeField(_("PCR test after arrival taken at"), null=True, blank=True)
    isolation_started_on = models.DateField(_("isolation began on"), null=True, blank=True)
    isolation_ended_on = models.DateField(_("isolation ended on"), null=True, blank=True)
    # Where this worker is isolated, when not at the case's address: reported with the arrival
    # (a charter's workers are spread over several hostels). Empty: the case's address.
    isolation_address = models.CharField(_("isolation address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("worker on an application")
        verbose_name_plural = _("workers on applications")
        ordering = ["worker__surname_latin", "worker__given_names_latin"]
        constraints = [
            models.UniqueConstraint(fields=["application", "worker"], name="application_worker_once_per_case"),
            models.CheckConstraint(
                condition=Q(outcome="refused", refusal_reason__gt="") | (~Q(outcome="refused") & Q(refusal_reason="")),
                name="application_worker_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(isolation_started_on__isnull=True) | Q(arrived_on__isnull=False, isolation_started_on__gte=F("arrived_on")),
                name="application_worker_isolation_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(isolation_ended_on__isnull=True)
                | Q(isolation_started_on__isnull=False, isolation_ended_on__gte=F("isolation_started_on")),
                name="application_worker_isolation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(outcome="approved"),
                name="application_worker_only_approved_arrive",
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True, arrived_at__isnull=True) | Q(arrived_on__isnull=False, arrived_at__isnull=False),
                name="application_worker_arrival_date_and_time",
            ),
            models.CheckConstraint(
                condition=Q(arrival_test_taken_at__isnull=True) | Q(arrived_at__isnull=False, arrival_test_taken_at__gte=F("arrived_at")),
                name="application_worker_arrival_test_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(pcr_test_taken_at__isnull=True) | ~Q(pcr_test_zone=""),
                name="application_worker_pcr_test_has_zone",
            ),
        ]
        indexes = [models.Index(fields=["outcome"], name="application_worker_outcome")]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.worker}"

    @property
    def as_decided(self):
        """The worker as the decision named them and its outcome (the DecisionWorker) once the case
        is decided; before that the line itself. A page fetches lines with
        `select_related("worker", "decided")` so this costs no query."""
        try:
            return self.decided
        except ObjectDoesNotExist:
            return self

    @property
    def person(self):
        """Who the worker is, as shown: as the decision named them once decided (DecisionWorker),
        else the registry's worker as it is today. Both have the same identity fields."""
        decided = self.as_decided
        return self.worker if decided is self else decided

    @property
    def pcr_test_zone_info(self) -> ZoneInfo:
        # Tests entered before zones were asked for were entered in Moscow time.
        return ZoneInfo(self.pcr_test_zone or settings.TIME_ZONE)

    def set_arrival(self, at: dt.datetime | None, zone: ZoneInfo) -> None:
        """The one place the actual arrival is set: the instant and its local date in `zone`
        (the application's arrival_zone) together; None clears both."""
        if at is not None and at.tzinfo is None:
            raise ValueError("an arrival must be an aware datetime")
        self.arrived_at = at
        self.arrived_on = at.astimezone(zone).date() if at is not None else None
