import datetime as dt
import itertools

import factory
from django.utils import timezone, translation

from applications.models import (
    Application,
    ApplicationKind,
    CaseWorker,
    Decision,
    DecisionWorker,
    Document,
    DocumentKind,
    EarlierPermitKind,
    Employer,
    EmployerMember,
    Sex,
    Status,
    StatusChange,
    Worker,
    WorkerEarlierPermit,
    WorkerOutcome,
)
from applications.models.application import planned_arrival_fields
from regions.time_zones import local_instant
from tests.portal.factories import UserFactory
from tests.regions.factories import arrival_checkpoint, region

# Real registered numbers would collide across tests, so the factories draw valid ones:
# 10-digit INNs and 13-digit OGRNs with correct check digits.
_serial = itertools.count(1)


def _inn10(n: int) -> str:
    base = f"77{n:07d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return base + str(sum(int(d) * w for d, w in zip(base, weights)) % 11 % 10)


def _ogrn13(n: int) -> str:
    base = f"102770{n:06d}"
    return base + str(int(base) % 11 % 10)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"ООО Стройка {n}")
    inn = factory.LazyFunction(lambda: _inn10(next(_serial)))
    ogrn = factory.LazyFunction(lambda: _ogrn13(next(_serial)))
    legal_address = "Москва, ул. Тверская, 1"
    region = factory.LazyFunction(lambda: region(77))
    annual_revenue_rub = 2_000_000_000
    average_headcount = 500
    verified_at = factory.LazyFunction(timezone.now)


class EmployerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerMember

    employer = factory.SubFactory(EmployerFactory)
    user = factory.SubFactory(UserFactory)


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    employer = factory.SubFactory(EmployerFactory)
    surname_latin = factory.Sequence(lambda n: f"KARIMOV{n}")
    given_names_latin = "ALISHER"
    sex = Sex.MALE
    date_of_birth = dt.date(1990, 5, 17)
    citizenship = "UZ"
    passport_number = factory.Sequence(lambda n: f"AA{n:07d}")
    passport_expiry = dt.date(2030, 1, 1)
    occupation = "Bricklayer"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft that passes Moscow's default rules once it has a worker with a fresh test.

    Give the arrival as `planned_arrival_at=` (an instant), or as `planned_arrival_date=` alone:
    the arrival is then 12:00 of that day in the zone of arrival (as migration 0009 made of
    date-only arrivals). Either way both fields are set as Application.set_planned_arrival does."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    employer = factory.SubFactory(EmployerFactory)
    region = factory.LazyFunction(lambda: region(77))
    kind = ApplicationKind.NEW_WORKERS
    project_name = "Residential block 4"
    planned_arrival_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    # Sheremetyevo for Moscow, the region's own airport elsewhere; a `border_crossing_point` given in words makes an "other" crossing
    # in the region of work (or in `border_region` when given too).
    border_crossing_point = ""
    checkpoint = factory.LazyAttribute(lambda o: None if o.border_crossing_point else arrival_checkpoint(o.region))
    border_region = factory.LazyAttribute(lambda o: o.region if o.border_crossing_point else None)
    planned_arrival_at = factory.LazyAttribute(
        lambda o: local_instant(
            o.planned_arrival_date, dt.time(12),
            Application(region=o.region, checkpoint=o.checkpoint, border_region=o.border_region).arrival_zone,
        )
    )
    transport_to_isolation = True
    isolation_address = "Moscow, Stroiteley 5"
    isolation_days = 14
    insurance_policy = "INGO-123456"
    status = Status.DRAFT
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status in (Status.DRAFT, Status.WITHDRAWN) else o.created_at + dt.timedelta(hours=1)
    )

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # The local date always follows the instant: given a date alone, the instant was made
        # from it above; given an instant, the default date is replaced by the instant's own.
        zone = Application(
            **{name: kwargs[name] for name in ("region", "checkpoint", "border_region") if name in kwargs}
        ).arrival_zone
        kwargs.update(planned_arrival_fields(kwargs["planned_arrival_at"], zone))
        return kwargs


class CaseWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseWorker

    application = factory.SubFactory(ApplicationFactory)
    worker = factory.SubFactory(WorkerFactory, employer=factory.SelfAttribute("..application.employer"))
    pcr_test_taken_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.application.planned_arrival_date - dt.timedelta(days=1), dt.time(10)))
    )
    # Entered in Moscow time, as the factory's test time above is.
    pcr_test_zone = factory.LazyAttribute(lambda o: "Europe/Moscow" if o.pcr_test_taken_at else "")
    # A reported arrival given as a date alone lands at noon on the clocks of the zone of arrival,
    # as CaseWorker.set_arrival would store it (the date and the instant are both or neither).
    arrived_on = None
    arrived_at = factory.LazyAttribute(
        lambda o: local_instant(o.arrived_on, dt.time(12), o.application.arrival_zone) if o.arrived_on else None
    )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    application = factory.SubFactory(ApplicationFactory)
    from_status = Status.DRAFT
    to_status = Status.SUBMITTED
    transition = "submit"
    actor = factory.SubFactory(UserFactory)


_IN_FORCE = object()


def decide(
    application: Application, *, user=None, outcome: str | None = None, reason: str = "", checks=(), rule_set=_IN_FORCE
) -> Decision:
    """The decision of a case a test put in a decided state directly (status and the lines'
    outcomes set by factories), frozen as the approval's effect freezes one: the case, the
    company and the workers as they are now. Lines still pending take the case's outcome."""
    from applications.decision_record import freeze
    from regions.legal_basis import format_legal_basis
    from regions.selectors import rule_set_in_force

    outcome = outcome or application.status
    pending = application.lines.filter(outcome=WorkerOutcome.PENDING)
    if outcome == Status.REJECTED:
        pending.update(outcome=WorkerOutcome.REFUSED, refusal_reason="other")
    else:
        pending.update(outcome=WorkerOutcome.APPROVED)
    if rule_set is _IN_FORCE:
        rule_set = rule_set_in_force(region_id=application.region_id, on=application.planned_arrival_date)
    language = application.employer.language or "ru"
    with translation.override(language):
        legal_basis = format_legal_basis(rule_set) if rule_set else ""
    if application.submitted_at is None:
        raise ValueError("a decided case was submitted: give the factory a decided status")
    return freeze(
        decision_model=Decision, worker_model=DecisionWorker, application=application, outcome=outcome, rule_set=rule_set,
        checks=list(checks), reason=reason, user=user or UserFactory(), override_notes={},
        lines=application.lines.select_related("worker").order_by("worker__surname_latin", "worker__given_names_latin", "pk"),
        decided_at=max(timezone.now(), application.submitted_at), letter_language=language, legal_basis=legal_basis,
    )


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision frozen as the approval's effect freezes one (see `decide`)."""

    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, status=Status.APPROVED)
    outcome = Status.APPROVED
    decided_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, application, outcome, decided_by, reason="", checks=(), rule_set=_IN_FORCE, **kwargs):
        if kwargs:
            raise TypeError(f"DecisionFactory takes no {sorted(kwargs)}: a decision is frozen from its case")
        return decide(application, user=decided_by, outcome=outcome, reason=reason, checks=checks, rule_set=rule_set)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.GUARANTEE_LETTER
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.4 test")
    original_name = "letter.pdf"
    content_type = "application/pdf"
    size = 13
    uploaded_by = factory.SubFactory(UserFactory)


class WorkerEarlierPermitFactory(factory.django.DjangoModelFactory):
    """A declared earlier work patent; with a scan unless `scan=""` (then no uploader either)."""

    class Meta:
        model = WorkerEarlierPermit

    worker = factory.SubFactory(WorkerFactory)
    kind = EarlierPermitKind.PATENT
    number = factory.Sequence(lambda n: f"77 № {n:07d}")
    issued_on = dt.date(2020, 2, 1)
    region = factory.LazyFunction(lambda: region(77))
    scan = factory.django.FileField(filename="patent.pdf", data=b"%PDF-1.4 patent")
    scan_name = factory.LazyAttribute(lambda o: "patent.pdf" if o.scan else "")
    scan_content_type = factory.LazyAttribute(lambda o: "application/pdf" if o.scan else "")
    scan_size = factory.LazyAttribute(lambda o: 15 if o.scan else None)
    uploaded_by = factory.LazyAttribute(lambda o: UserFactory() if o.scan else None)
    uploaded_at = factory.LazyAttribute(lambda o: timezone.now() if o.scan else None)
