"""Demo data for `manage.py seed_demo`: rule versions for every region, demo accounts, two
companies with their workers, and cases in every state.

Cases are built through applications.services, as a person would build them on the pages, so
their history rows, deadlines and decisions are real and the rule check runs at submission.
Everything is found by a natural key before it is created (e-mail, INN, region and date,
passport, employer and project name), so running the seed again adds nothing; it only resets the
demo passwords, so they always work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationKind,
    EarlierPermitKind,
    Employer,
    EmployerFigures,
    EmployerMember,
    RefusalReason,
    Sex,
    Status,
    Worker,
    WorkerEarlierPermit,
)
from applications.services.earlier_permits import earlier_permit_declare
from devdata import demo_rules
from portal.accounts.models import Role, User
from regions.models import Checkpoint, EligibilityThreshold, Region, RuleSet
from regions.rules import MOSCOW
from regions.time_zones import local_instant

DEMO_PASSWORD = "demo-pass-2021"

MOSCOW_REGION, SPB_REGION = 77, 78


# Accounts


@dataclass(frozen=True)
class AccountSpec:
    email: str
    full_name: str
    role: str
    officer_region: int | None = None  # officers: the region they decide for
    employer_inn: str | None = None  # employer staff: the company they work for
    position: str = ""  # officers: as printed under their decision letters


MOSCOW_COMPANY_INN = "7729641238"
SPB_COMPANY_INN = "7810548711"

ADMIN_EMAIL = "admin@demo.local"
EMPLOYER_EMAIL = "employer@demo.local"
EMPLOYER_SPB_EMAIL = "employer.spb@demo.local"
OFFICER_EMAIL = "officer@demo.local"
OFFICER_SPB_EMAIL = "officer.spb@demo.local"

ACCOUNTS = (
    AccountSpec(ADMIN_EMAIL, "Соколова Марина Викторовна", Role.ADMIN),
    AccountSpec(EMPLOYER_EMAIL, "Петров Андрей Сергеевич", Role.EMPLOYER, employer_inn=MOSCOW_COMPANY_INN),
    # The Saint Petersburg company needs someone to file its cases; the services act for a member.
    AccountSpec(EMPLOYER_SPB_EMAIL, "Смирнова Ольга Игоревна", Role.EMPLOYER, employer_inn=SPB_COMPANY_INN),
    AccountSpec(
        OFFICER_EMAIL, "Кузнецов Дмитрий Александрович", Role.OFFICER, officer_region=MOSCOW_REGION,
        position="Главный специалист-эксперт отдела трудовой миграции",
    ),
    AccountSpec(
        OFFICER_SPB_EMAIL, "Васильева Елена Николаевна", Role.OFFICER, officer_region=SPB_REGION,
        position="Начальник отдела по вопросам трудовой миграции",
    ),
)


# Companies and their workers


@dataclass(frozen=True)
class WorkerSpec:
    surname_latin: str
    given_names_latin: str
    surname_cyrillic: str
    given_names_cyrillic: str
    sex: str
    date_of_birth: dt.date
    citizenship: str
    passport_number: str
    passport_expiry: dt.date
    occupation: str


@dataclass(frozen=True)
class CaseSpec:
    project_name: str
    status: str  # the state the case is brought to
    workers: tuple[int, ...]  # indexes into the company's workers
    arrival_in_days: int  # planned arrival, counted from the day the case is created
    border_crossing_point: str
    isolation_address: str
    insurance_policy: str
    kind: str = ApplicationKind.NEW_WORKERS
    activity_okved: str = "41.20"
    vaccination_booked: bool = True
    pcr_days_before_arrival: int = 1  # the test is taken at 10:00 Moscow time that many days before
    request: str = ""  # the officer's request for information
    answer: str = ""  # the employer's answer to it
    reason: str = ""  # rejection or withdrawal reason, or the approval's message
    refusals: dict[int, tuple[str, str]] = field(default_factory=dict)  # worker index -> (reason, note)


@dataclass(frozen=True)
class PermitSpec:
    """An earlier work permit or patent declared in the registry, with a scan: the evidence for
    bringing the worker back."""

    worker: int  # index into the company's workers
    kind: str
    number: str
    issued_on: dt.date
    region: int


@dataclass(frozen=True)
class CompanySpec:
    name: str
    inn: str
    ogrn: str
    legal_address: str
    region: int
    phone: str
    main_activity_okved: str
    annual_revenue_rub: int
    average_headcount: int
    workers: tuple[WorkerSpec, ...]
    cases: tuple[CaseSpec, ...]
    earlier_permits: tuple[PermitSpec, ...] = ()


_MOSCOW_ISOLATION = "г. Москва, ул. Зорге, д. 9, общежитие ООО «СтройИнвест»"
_MOSCOW_INSURANCE = "ВСК № 2100-ДМС-004512"

# Fictional companies; the INN and OGRN check digits are computed, so the validators accept them.
MOSCOW_COMPANY = CompanySpec(
    name="ООО «СтройИнвест»",
    inn=MOSCOW_COMPANY_INN,
    ogrn="1177746358129",
    legal_address="119415, г. Москва, пр-т Вернадского, д. 37, корп. 2, офис 14",
    region=MOSCOW_REGION,
    phone="+7 495 640-12-38",
    main_activity_okved="41.20",
    annual_revenue_rub=3_450_000_000,
    average_headcount=1240,
    workers=(
        WorkerSpec("KARIMOV", "ALISHER", "Каримов", "Алишер", Sex.MALE, dt.date(1988, 3, 14), "UZ", "FA4417203", dt.date(2031, 5, 20), "Каменщик"),
        WorkerSpec("RAKHIMOV", "DILSHOD", "Рахимов", "Дилшод", Sex.MALE, dt.date(1992, 11, 2), "UZ", "AB7731904", dt.date(2030, 9, 8), "Арматурщик"),
        WorkerSpec("YULDASHEVA", "NILUFAR", "Юлдашева", "Нилуфар", Sex.FEMALE, dt.date(1995, 6, 27), "UZ", "FA0963318", dt.date(2032, 2, 11), "Маляр-штукатур"),
        WorkerSpec("NAZAROV", "FIRDAVS", "Назаров", "Фирдавс", Sex.MALE, dt.date(1990, 1, 19), "TJ", "401238575", dt.date(2030, 12, 1), "Электромонтажник"),
        WorkerSpec("SAIDOV", "SHERZOD", "Саидов", "Шерзод", Sex.MALE, dt.date(1986, 8, 5), "TJ", "400915632", dt.date(2031, 7, 30), "Бетонщик"),
        WorkerSpec("ABDYLDAEV", "NURLAN", "Абдылдаев", "Нурлан", Sex.MALE, dt.date(1991, 4, 23), "KG", "AC2450917", dt.date(2030, 10, 14), "Монтажник металлоконструкций"),
        WorkerSpec("TOKTOGULOVA", "AIZADA", "Токтогулова", "Айзада", Sex.FEMALE, dt.date(1997, 9, 9), "KG", "AC3371046", dt.date(2033, 3, 3), "Повар"),
        WorkerSpec("HOVHANNISYAN", "ARMEN", "Оганнисян", "Армен", Sex.MALE, dt.date(1984, 12, 16), "AM", "AU0482913", dt.date(2030, 6, 25), "Сварщик"),
    ),
    # A worker returns on later cases, but never on two live cases (pending, or approved and not
    # arrived) arriving less than Moscow's 14 days of isolation apart: the rule check would block
    # the later one (one person is approved once for the same time).
    cases=(
        CaseSpec(
            "ЖК «Северный парк», корпус 3", Status.DRAFT, (0, 1), 50,
            "Аэропорт Шереметьево (SVO)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
        ),
        # A draft the rule check stops: no vaccination booked and a PCR test too old for Moscow.
        CaseSpec(
            "Реконструкция школы № 1514", Status.DRAFT, (6,), 20,
            "Аэропорт Внуково (VKO)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
            activity_okved="41.20", vaccination_booked=False, pcr_days_before_arrival=5,
        ),
        CaseSpec(
            "Бизнес-центр «Калужский», 2-я очередь", Status.SUBMITTED, (2, 3), 38,
            "Аэропорт Домодедово (DME)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
        ),
        CaseSpec(
            "Станция метро «Мнёвники», отделочные работы", Status.IN_REVIEW, (4, 5), 36,
            "Аэропорт Шереметьево (SVO)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
            kind=ApplicationKind.RETURNING_WORKERS, activity_okved="43.31",
            request="Приложите копии трудовых договоров, действовавших с работниками до марта 2020 года.",
            answer="Копии трудовых договоров с Саидовым Ш. и Абдылдаевым Н. приложены к заявке.",
        ),
        CaseSpec(
            "ЖК «Парк Легенд», корпус 7", Status.INFO_REQUESTED, (0, 7), 35,
            "Аэропорт Внуково (VKO)", "г. Москва, Кожуховская ул., д. 12, стр. 1", _MOSCOW_INSURANCE,
            request="Приложите договор аренды помещения для изоляции на Кожуховской ул., д. 12: "
            "в заявке указан адрес, которого нет в гарантийном письме.",
        ),
        CaseSpec(
            "Многофункциональный комплекс «Крылатское»", Status.APPROVED, (1, 2, 4), 18,
            "Аэропорт Шереметьево (SVO)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
            reason="Требования оперативного штаба выполнены.",
        ),
        CaseSpec(
            "Школа на 1\u202f100 мест, пос. Коммунарка", Status.PARTIALLY_APPROVED, (3, 5, 6), 22,
            "Аэропорт Домодедово (DME)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
            refusals={6: (RefusalReason.PCR_TEST, "Справка о ПЦР-тесте выдана лабораторией, не внесённой в перечень.")},
        ),
        CaseSpec(
            "Склад-холодильник, Бирюлёво", Status.REJECTED, (7,), 21,
            "Аэропорт Внуково (VKO)", "г. Москва, Липецкая ул., д. 46", _MOSCOW_INSURANCE,
            activity_okved="52.10",
            reason="Помещение для изоляции не соответствует санитарным требованиям: нет отдельных комнат.",
        ),
        CaseSpec(
            "ЖК «Северный парк», корпус 4", Status.WITHDRAWN, (0,), 49,
            "Аэропорт Шереметьево (SVO)", _MOSCOW_ISOLATION, _MOSCOW_INSURANCE,
            reason="Начало работ по корпусу 4 перенесено на следующий год.",
        ),
    ),
    # The workers brought back on the "Мнёвники" case worked for the company on patents in 2019-2020.
    earlier_permits=(
        PermitSpec(4, EarlierPermitKind.PATENT, "77 № 1904518", dt.date(2019, 4, 12), MOSCOW_REGION),
        PermitSpec(5, EarlierPermitKind.PATENT, "77 № 2001273", dt.date(2020, 1, 28), MOSCOW_REGION),
    ),
)

_SPB_ISOLATION = "г. Санкт-Петербург, Кронштадтское ш., д. 4, общежитие"
_SPB_INSURANCE = "РЕСО-Гарантия № SYS-1877302"

SPB_COMPANY = CompanySpec(
    name="ООО «БалтСудоМонтаж»",
    inn=SPB_COMPANY_INN,
    ogrn="1197847023560",
    legal_address="198184, г. Санкт-Петербург, Канонерский о-в, д. 17, лит. А",
    region=SPB_REGION,
    phone="+7 812 335-40-71",
    main_activity_okved="33.15",
    annual_revenue_rub=1_180_000_000,
    average_headcount=340,
    workers=(
        WorkerSpec("ERGASHEV", "BOBUR", "Эргашев", "Бобур", Sex.MALE, dt.date(1989, 2, 7), "UZ", "FA2290471", dt.date(2031, 1, 16), "Слесарь-судосборщик"),
        WorkerSpec("MIRZOEV", "UMED", "Мирзоев", "Умед", Sex.MALE, dt.date(1993, 7, 21), "TJ", "401557203", dt.date(2030, 11, 4), "Сварщик"),
        WorkerSpec("OSMONOV", "BAKYT", "Осмонов", "Бакыт", Sex.MALE, dt.date(1987, 10, 30), "KG", "AC1908452", dt.date(2032, 4, 19), "Электромонтажник судовой"),
    ),
    cases=(
        CaseSpec(
            "Ремонт сухогруза «Нева-Лес», Канонерский судоремонтный завод", Status.SUBMITTED, (0, 1), 21,
            "Аэропорт Пулково (LED)", _SPB_ISOLATION, _SPB_INSURANCE, activity_okved="33.15",
        ),
        CaseSpec(
            "Монтаж судовых кабельных трасс, Кронштадт", Status.SUBMITTED, (2,), 33,
            "Аэропорт Пулково (LED)", _SPB_ISOLATION, _SPB_INSURANCE, activity_okved="33.15",
        ),
    ),
)

COMPANIES = (MOSCOW_COMPANY, SPB_COMPANY)

THRESHOLD_EFFECTIVE_FROM = dt.date(2021, 1, 1)


@dataclass
class DemoSummary:
    accounts: list[User]
    rule_sets: int
    rule_sets_created: int
    rule_sets_pending: int
    employers: int
    workers: int
    applications: int
    applications_created: int
    statuses: Counter = field(default_factory=Counter)


@transaction.atomic
def seed_demo() -> DemoSummary:
    """Builds (or completes) the demo data in one transaction and says what there is."""
    today = timezone.localdate()
    regions = {region.number: region for region in Region.objects.all()}
    users = seed_accounts(regions=regions)
    admin = users[ADMIN_EMAIL]
    rule_sets_created = seed_rule_sets(regions=regions, today=today, created_by=admin)
    seed_threshold()

    applications_created = 0
    employers = []
    for company in COMPANIES:
        employer = seed_employer(company, region=regions[company.region], verified_by=admin)
        employers.append(employer)
        for account in ACCOUNTS:
            if account.employer_inn == company.inn:
                EmployerMember.objects.update_or_create(user=users[account.email], defaults={"employer": employer})
        workers = seed_workers(employer, company.workers)
        clerk = next(users[a.email] for a in ACCOUNTS if a.employer_inn == company.inn)
        seed_earlier_permits(company.earlier_permits, workers=workers, regions=regions, clerk=clerk)
        officer = next(users[a.email] for a in ACCOUNTS if a.officer_region == company.region)
        for case in company.cases:
            applications_created += seed_case(
                case, employer=employer, region=regions[company.region], workers=workers, clerk=clerk, officer=officer, today=today
            )

    seed_company_waiting_for_verification(region=regions[MOSCOW_REGION])

    demo_applications = Application.objects.filter(employer__in=employers)
    return DemoSummary(
        accounts=[users[account.email] for account in ACCOUNTS],
        rule_sets=RuleSet.objects.count(),
        rule_sets_created=rule_sets_created,
        rule_sets_pending=RuleSet.objects.filter(Q(effective_from__gt=today) | Q(published_at__isnull=True)).count(),
        employers=len(employers),
        workers=Worker.objects.filter(employer__in=employers).count(),
        applications=demo_applications.count(),
        applications_created=applications_created,
        statuses=Counter(demo_applications.values_list("status", flat=True)),
    )


def seed_accounts(*, regions: dict[int, Region]) -> dict[str, User]:
    """The demo accounts by e-mail; names, roles and the password are reset on every run."""
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first() or User(email=account.email)
        user.full_name = account.full_name
        user.position = account.position
        user.role = account.role
        user.is_staff = user.is_superuser = account.role == Role.ADMIN
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if account.officer_region is not None:
            user.officer_regions.set([regions[account.officer_region]])
        users[account.email] = user
    return users


def seed_rule_sets(*, regions: dict[int, Region], today: dt.date, created_by: User) -> int:
    """A base version for every region and the later versions of devdata/demo_rules.py, all
    published, and one draft not yet published for admins to edit and publish. A version that
    exists is left as it is: a published one is never edited. Returns how many were created."""
    created = 0
    latest: dict[int, dict] = {}
    for number, region in regions.items():
        fields = {**demo_rules.BASE_RULES, **demo_rules.default_legal_basis(number), "notes": ""}
        fields.update(demo_rules.BASE_OVERRIDES.get(number, {}))
        created += _rule_set(region, demo_rules.BASE_EFFECTIVE_FROM, fields, created_by)
        latest[number] = fields
    for number, effective_from, changes in sorted(demo_rules.LATER_VERSIONS, key=lambda version: version[1]):
        latest[number] = {**latest[number], **changes}
        created += _rule_set(regions[number], effective_from, latest[number], created_by)

    region = regions[demo_rules.FUTURE_VERSION_REGION]
    # Keyed on "a draft or a version pending" rather than on a date: the date moves with today,
    # and a second run on another day must not add a second draft.
    if not RuleSet.objects.filter(Q(effective_from__gt=today) | Q(published_at__isnull=True), region=region).exists():
        fields = {**latest[region.number], **demo_rules.FUTURE_VERSION_CHANGES}
        created += _rule_set(region, demo_rules.future_effective_from(today), fields, created_by, published=False)
    return created


def _rule_set(region: Region, effective_from: dt.date, fields: dict, created_by: User, *, published: bool = True) -> int:
    defaults = {name: list(value) if isinstance(value, list) else value for name, value in fields.items()}
    if published:
        # Seeded as the rules that stood; the seeding admin stands as their publisher.
        defaults.update(published_at=timezone.now(), published_by=created_by)
    _version, created = RuleSet.objects.get_or_create(
        region=region, effective_from=effective_from, defaults={**defaults, "created_by": created_by}
    )
    return int(created)


def seed_threshold() -> EligibilityThreshold:
    threshold, _created = EligibilityThreshold.objects.get_or_create(
        effective_from=THRESHOLD_EFFECTIVE_FROM,
        defaults={
            "min_annual_revenue_rub": 800_000_000,
            "min_average_headcount": 100,
            "legal_basis": "Порядок въезда иностранных граждан для осуществления трудовой деятельности, ред. 2021 г.",
        },
    )
    return threshold


def seed_employer(company: CompanySpec, *, region: Region, verified_by: User) -> Employer:
    employer, _created = Employer.objects.update_or_create(
        inn=company.inn,
        defaults={
            "name": company.name,
            "ogrn": company.ogrn,
            "legal_address": company.legal_address,
            "region": region,
            "phone": company.phone,
            "main_activity_okved": company.main_activity_okved,
            "annual_revenue_rub": company.annual_revenue_rub,
            "average_headcount": company.average_headcount,
        },
    )
    # The figures as the company stated them on signing up in January 2021, for 2020.
    if not EmployerFigures.objects.filter(employer=employer).exists():
        EmployerFigures.objects.create(
            employer=employer, year=2020, annual_revenue_rub=company.annual_revenue_rub,
            average_headcount=company.average_headcount, recorded_at=dt.datetime(2021, 1, 15, 10, tzinfo=dt.UTC),
        )
    return services.employer_verify(employer=employer, user=verified_by)


def seed_company_waiting_for_verification(*, region: Region) -> Employer:
    """A company that has just signed up in Moscow, so the officer's "Companies" queue has one to
    verify (or refuse). Left as it is on later runs: the officer's decision stands."""
    employer, created = Employer.objects.get_or_create(
        inn="7719382055",
        defaults={
            "name": "ООО «НовоСтрой Подряд»", "ogrn": "1207746405184", "region": region,
            "legal_address": "105187, г. Москва, ул. Щербаковская, д. 53, корп. 3", "phone": "+7 495 118-52-09",
            "main_activity_okved": "43.99", "annual_revenue_rub": 920_000_000, "average_headcount": 160,
        },
    )
    if created:
        EmployerFigures.objects.create(employer=employer, year=2020, annual_revenue_rub=920_000_000, average_headcount=160)
    return employer


def seed_workers(employer: Employer, specs: tuple[WorkerSpec, ...]) -> list[Worker]:
    """The company's registry, in the order of `specs`, found by citizenship and passport."""
    workers = []
    for spec in specs:
        worker, _created = Worker.objects.get_or_create(
            employer=employer,
            citizenship=spec.citizenship,
            passport_number=spec.passport_number,
            defaults={
                "surname_latin": spec.surname_latin,
                "given_names_latin": spec.given_names_latin,
                "surname_cyrillic": spec.surname_cyrillic,
                "given_names_cyrillic": spec.given_names_cyrillic,
                "sex": spec.sex,
                "date_of_birth": spec.date_of_birth,
                "passport_expiry": spec.passport_expiry,
                "occupation": spec.occupation,
            },
        )
        workers.append(worker)
    return workers


# A one-page PDF standing in for the scan of a permit.
DEMO_SCAN = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def seed_earlier_permits(specs: tuple[PermitSpec, ...], *, workers: list[Worker], regions: dict[int, Region], clerk: User) -> None:
    """Declares each permit through the service, with its scan, unless it is declared already."""
    for spec in specs:
        worker = workers[spec.worker]
        if WorkerEarlierPermit.objects.filter(worker=worker, kind=spec.kind, number=spec.number).exists():
            continue
        earlier_permit_declare(
            worker=worker, user=clerk, kind=spec.kind, number=spec.number, issued_on=spec.issued_on,
            region=regions[spec.region], scan=SimpleUploadedFile("scan.pdf", DEMO_SCAN, content_type="application/pdf"),
        )


IATA_IN_BRACKETS = re.compile(r"\(([A-Z]{3})\)")


def crossing_fields(border_crossing_point: str, *, region: Region) -> dict:
    """The crossing as the case's fields: the demo names airports as employers write them
    ("Аэропорт Шереметьево (SVO)"), and the IATA code in brackets is the checkpoint's code;
    anything else is another crossing in the region of work."""
    match = IATA_IN_BRACKETS.search(border_crossing_point)
    checkpoint = Checkpoint.objects.filter(code=match.group(1)).first() if match else None
    if checkpoint is not None:
        return {"checkpoint": checkpoint}
    return {"border_crossing_point": border_crossing_point, "border_region": region}


def seed_case(
    case: CaseSpec, *, employer: Employer, region: Region, workers: list[Worker], clerk: User, officer: User, today: dt.date
) -> int:
    """Files the case and walks it to its state through the services; 0 if it exists already."""
    # A name seeded before its numbers were grouped by a narrow no-break space is the same case.
    names = {case.project_name, case.project_name.replace("\u202f", " ")}
    if Application.objects.filter(employer=employer, project_name__in=names).exists():
        return 0
    arrival = today + dt.timedelta(days=case.arrival_in_days)
    crossing = crossing_fields(case.border_crossing_point, region=region)
    application = services.application_create_draft(
        employer=employer,
        user=clerk,
        region=region,
        kind=case.kind,
        project_name=case.project_name,
        activity_okved=case.activity_okved,
        **crossing,
        # The demo's flights land at 12:00 on the clocks of the region where the border is crossed.
        planned_arrival_at=local_instant(arrival, dt.time(12), Application(region=region, **crossing).arrival_zone),
        transport_to_isolation=True,
        isolation_address=case.isolation_address,
        isolation_days=14,
        insurance_policy=case.insurance_policy,
        vaccination_booked=case.vaccination_booked,
    )
    test_day = arrival - dt.timedelta(days=case.pcr_days_before_arrival)
    pcr_test_taken_at = dt.datetime.combine(test_day, dt.time(10, 0), tzinfo=MOSCOW)
    lines = {
        index: services.application_add_worker(
            application=application, user=clerk, worker=workers[index], pcr_test_taken_at=pcr_test_taken_at
        )
        for index in case.workers
    }
    if case.status == Status.DRAFT:
        return 1

    application = services.application_submit(application=application, user=clerk)
    if case.status == Status.WITHDRAWN:
        services.application_withdraw(application=application, user=clerk, reason=case.reason)
        return 1
    if case.status == Status.SUBMITTED:
        return 1

    application = services.application_take_into_review(application=application, user=officer)
    if case.request:
        application = services.application_request_information(
            application=application, user=officer, message=case.request  # the region's working days to answer
        )
        if case.answer:
            application = services.application_answer_request(application=application, user=clerk, message=case.answer)

    if case.status == Status.APPROVED:
        services.application_approve(application=application, user=officer, message=case.reason)
    elif case.status == Status.PARTIALLY_APPROVED:
        refusals = {lines[index].pk: refusal for index, refusal in case.refusals.items()}
        services.application_approve_partially(application=application, user=officer, refusals=refusals, message=case.reason)
    elif case.status == Status.REJECTED:
        services.application_reject(application=application, user=officer, reason=case.reason)
    return 1
