from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Charter references are drawn from their own sequence (migration 0026), like case references:
# two charters created at once can never draw the same one.
CHARTER_REFERENCE_SEQUENCE = "applications_charter_reference_seq"


def next_charter_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{CHARTER_REFERENCE_SEQUENCE}')")
        (number,) = cursor.fetchone()
    return charter_reference(number)


def charter_reference(number: int) -> str:
    return f"CH-{number:06d}"


class TransportKind(models.TextChoices):
    FLIGHT = "flight", _("flight")
    TRAIN = "train", _("train")
    BUS = "bus", _("bus")


class Charter(models.Model):
    """A flight, train or bus that brings the workers of one or several companies to one checkpoint
    on one date. Its cases are decided by the officers of one region of work; each company still
    files, and sees, only its own cases."""

    reference = models.CharField(_("charter reference"), max_length=20, unique=True, editable=False)
    transport_kind = models.CharField(_("transport"), max_length=10, choices=TransportKind.choices)
    transport_number = models.CharField(
        _("flight or train number"), max_length=20, help_text=_("As on the tickets, e.g. SU 1881.")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="charters", verbose_name=_("region of work")
    )
    checkpoint = models.ForeignKey(
        "regions.Checkpoint", on_delete=models.PROTECT, related_name="charters", verbose_name=_("border crossing point")
    )
    # The local date at the checkpoint, as the cases' planned_arrival_date.
    arrival_date = models.DateField(_("arrival date"))
    organiser = models.ForeignKey(
        "applications.Employer", on_delete=models.PROTECT, related_name="organised_charters", verbose_name=_("organiser")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["-arrival_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(reference__regex=r"^CH-\d+$"), name="charter_reference_format"),
            models.CheckConstraint(condition=~Q(transport_number=""), name="charter_transport_number_given"),
            models.CheckConstraint(condition=Q(transport_kind__in=TransportKind.values), name="charter_transport_kind_known"),
        ]
        indexes = [models.Index(fields=["region", "-arrival_date"], name="charter_region_arrival")]

    def __str__(self) -> str:
        return self.reference

    @property
    def label(self) -> str:
        """E.g. “CH-000012 (flight SU 1881, 05.03.2021)”, as a case page names its charter."""
        return gettext("%(reference)s (%(transport)s %(number)s, %(date)s)") % {
            "reference": self.reference, "transport": self.get_transport_kind_display(), "number": self.transport_number,
            "date": date_format(self.arrival_date, "SHORT_DATE_FORMAT"),
        }


class CharterMemberState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class CharterMember(models.Model):
    """A company on a charter. Its cases join only once it has accepted (its consent); the
    organiser is an accepted member from the start."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="members", verbose_name=_("charter"))
    employer = models.ForeignKey(
        "applications.Employer", on_delete=models.PROTECT, related_name="charter_memberships", verbose_name=_("company")
    )
    state = models.CharField(_("state"), max_length=10, choices=CharterMemberState.choices, default=CharterMemberState.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("charter member")
        verbose_name_plural = _("charter members")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "employer"], name="charter_member_once"),
            models.CheckConstraint(condition=Q(state__in=CharterMemberState.values), name="charter_member_state_known"),
            # An invitation waits for an answer; every other state is an answer, with who and when.
            models.CheckConstraint(
                condition=Q(state=CharterMemberState.INVITED, answered_at__isnull=True, answered_by__isnull=True)
                | (~Q(state=CharterMemberState.INVITED) & Q(answered_at__isnull=False, answered_by__isnull=False)),
                name="charter_member_answer_stamped",
            ),
        ]
        indexes = [models.Index(fields=["employer", "state"], name="charter_member_of_employer")]

    def __str__(self) -> str:
        return f"{self.charter.reference}: {self.employer.name}"


class CharterEventAction(models.TextChoices):
    ATTACH = "attach", _("Case joined the charter")
    DETACH = "detach", _("Case left the charter")


class CharterEvent(models.Model):
    """A case joining or leaving a charter: who, when. Append-only (trigger in migration 0026).
    Kept apart from the case's status history, which the deadlines and the answers read as a
    sequence of status changes."""

    charter = models.ForeignKey(Charter, on_delete=models.PROTECT, related_name="events", verbose_name=_("charter"))
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="charter_events", verbose_name=_("application")
    )
    action = models.CharField(_("action"), max_length=10, choices=CharterEventAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("charter event")
        verbose_name_plural = _("charter events")
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(action__in=CharterEventAction.values), name="charter_event_action_known")]

    def __str__(self) -> str:
        return f"{self.charter_id}: {self.action} {self.application_id}"
