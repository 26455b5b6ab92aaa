"""Synthetic national-scale data for performance work (`manage.py seed_scale` and `bench/`).

The default size is what one busy season of the procedure could leave behind: 200,000 cases and
600,000 worker lines in the 85 regions, a quarter of them in Moscow, in every state, with the
workers' citizenships, dates, decisions and history a real year would have. Rows are streamed
to PostgreSQL with COPY (psycopg 3 `cursor.copy()`), not saved one by one: the default size loads
in a few minutes on a 2-core machine, where the ORM would take hours.

The same seed always gives the same data, and a second run with the same seed and size finds it
there and changes nothing. Everything made here is recognisable, so it can be replaced:
accounts end in `@scale.local`, references start with `S<seed>-`.

This bypasses the services on purpose (history and decisions are written as the services would
have written them, in bulk; each decision frozen and sealed by the same functions a real one goes
through, applications/decision_record.py): it is test data, never a way to change real cases.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from applications.decision_record import LINE_ORDER, sealed_decision
from applications.letters import decision_letter_terms
from applications.models import (
    Application,
    ApplicationKind,
    CaseCitizenships,
    CaseWorker,
    Decision,
    DecisionWorker,
    Employer,
    EmployerMember,
    RefusalReason,
    Status,
    StatusChange,
    Worker,
    WorkerOutcome,
)
from applications.models.application import APPROVED_STATUSES, DECIDED_STATUSES, PENDING_STATUSES
from devdata.demo import seed_rule_sets, seed_threshold
from portal.accounts.models import Role, User
from regions.models import Checkpoint, Region, RuleSet
from regions.time_zones import local_instant

SCALE_EMAIL_DOMAIN = "scale.local"
# Development data only: every scale account shares this published password (the command
# refuses to run with DEBUG off, as seed_demo does).
SCALE_PASSWORD = "scale-pass-2021"
REFERENCE_PREFIX = "S"
MOSCOW = 77

BIG_EMPLOYER_EMAIL = f"employer.big@{SCALE_EMAIL_DOMAIN}"
ADMIN_EMAIL = f"admin@{SCALE_EMAIL_DOMAIN}"
# Reviews for every region at once (as the federal labour service's reviewers did): the officer
# whose exports run to 100,000 rows and more.
FEDERAL_OFFICER_EMAIL = f"officer.federal@{SCALE_EMAIL_DOMAIN}"


def officer_email(region_number: int) -> str:
    return f"officer.{region_number}@{SCALE_EMAIL_DOMAIN}"


def clerk_email(employer_index: int) -> str:
    return f"clerk.{employer_index}@{SCALE_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class ScaleSpec:
    cases: int = 200_000
    lines: int = 600_000  # worker lines over all cases
    workers: int | None = None  # people in the employers' registries; default: 80% of the lines
    employers: int | None = None  # default: one per 100 cases, at least 10
    seed: int = 2021
    moscow_share: float = 0.25
    # Cases filed by the one big Moscow company whose account shows the employer's case list.
    big_employer_share: float = 0.02
    # History rows and decisions; a test of the planner that needs only cases may skip them.
    with_history: bool = True

    def __post_init__(self):
        if self.cases < 10:
            raise ValueError("At least 10 cases: fewer cannot show every state of a case.")
        if not 0 <= self.seed <= 99_999:
            raise ValueError("The seed is a whole number from 0 to 99999 (it is part of every reference).")
        partial = round(self.cases * STATUS_MIX[Status.PARTIALLY_APPROVED])
        if self.lines < self.cases + partial:
            raise ValueError(
                f"{self.lines} worker lines are too few for {self.cases} cases: every case needs a worker "
                f"and a partly approved case two (at least {self.cases + partial})."
            )

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers is not None else max(1, round(self.lines * 0.8))

    @property
    def employer_count(self) -> int:
        return self.employers if self.employers is not None else max(10, self.cases // 100)

    @property
    def reference_prefix(self) -> str:
        return f"{REFERENCE_PREFIX}{self.seed}-"


@dataclass
class ScaleSummary:
    created: bool
    seed: int
    users: int = 0
    employers: int = 0
    workers: int = 0
    applications: int = 0
    lines: int = 0
    history: int = 0
    decisions: int = 0
    statuses: Counter = field(default_factory=Counter)
    moscow_applications: int = 0


class ScaleDataMismatch(Exception):
    """Scale data of another seed or size is there already; replacing it was not asked for."""


# What the data looks like


# Weights of the regions of work; every region not listed weighs 1. Moscow's share is set apart
# (ScaleSpec.moscow_share); the rest follows roughly where migrant labour went in 2020-2021.
REGION_WEIGHTS = {
    50: 30, 78: 28, 23: 14, 66: 10, 16: 9, 54: 8, 38: 8, 72: 7, 86: 7, 89: 6, 24: 6, 25: 6, 61: 6,
    63: 5, 2: 5, 52: 5, 74: 5, 59: 4, 47: 4, 36: 3, 34: 3, 55: 3, 42: 3, 64: 3, 27: 3, 14: 3, 65: 3,
}

# Citizenship -> (weight, passport series letters); the mix of 2020-2021's labour migration.
CITIZENSHIPS = {
    "UZ": (40, ("AA", "AB", "AC", "FA")),
    "TJ": (22, ("40", "41")),  # Tajik passports: nine digits, no letters
    "KG": (10, ("AC", "ID")),
    "AM": (4, ("AR", "AS")),
    "AZ": (4, ("C0", "AA")),
    "UA": (4, ("FE", "FH", "EK")),
    "MD": (3, ("AB", "BA")),
    "CN": (3, ("E", "EA", "EB")),
    "VN": (3, ("C", "B")),
    "TR": (3, ("U", "S")),
    "KZ": (2, ("N", "N")),
    "IN": (1, ("Z", "P", "M")),
    "BY": (1, ("MP", "KH")),
}

# Name groups: (surnames as (Latin, Cyrillic)), (given names as (Latin, Cyrillic)).
_CENTRAL_ASIAN = (
    (("KARIMOV", "Каримов"), ("RAKHIMOV", "Рахимов"), ("YUSUPOV", "Юсупов"), ("ABDULLAEV", "Абдуллаев"),
     ("NAZAROV", "Назаров"), ("SAIDOV", "Саидов"), ("ERGASHEV", "Эргашев"), ("TOSHMATOV", "Тошматов"),
     ("ISMOILOV", "Исмоилов"), ("KHOLMATOV", "Холматов"), ("MIRZOEV", "Мирзоев"), ("SHARIPOV", "Шарипов"),
     ("ALIEV", "Алиев"), ("BEKMURATOV", "Бекмуратов"), ("TURSUNOV", "Турсунов"), ("USMONOV", "Усмонов")),
    (("ALISHER", "Алишер"), ("RUSTAM", "Рустам"), ("FARRUKH", "Фаррух"), ("BAKHODIR", "Баходир"),
     ("SHERZOD", "Шерзод"), ("DILSHOD", "Дилшод"), ("JAMSHID", "Джамшид"), ("ULUGBEK", "Улугбек"),
     ("AZAMAT", "Азамат"), ("NURLAN", "Нурлан"), ("FIRDAVS", "Фирдавс"), ("MUNISA", "Муниса")),
)
_CAUCASIAN = (
    (("GRIGORYAN", "Григорян"), ("HAKOBYAN", "Акопян"), ("PETROSYAN", "Петросян"), ("MAMEDOV", "Мамедов"),
     ("HUSEYNOV", "Гусейнов"), ("ALIYEV", "Алиев"), ("SARGSYAN", "Саргсян"), ("GASANOV", "Гасанов")),
    (("ARMEN", "Армен"), ("TIGRAN", "Тигран"), ("ELCHIN", "Эльчин"), ("RASHAD", "Рашад"), ("GARIK", "Гарик"),
     ("ORKHAN", "Орхан")),
)
_EAST_SLAVIC = (
    (("KOVALENKO", "Коваленко"), ("BONDARENKO", "Бондаренко"), ("SHEVCHENKO", "Шевченко"), ("MELNIK", "Мельник"),
     ("CEBAN", "Чебан"), ("RUSU", "Русу"), ("NOVIK", "Новик"), ("KRAVCHUK", "Кравчук")),
    (("OLEKSANDR", "Олександр"), ("SERHII", "Сергей"), ("ION", "Ион"), ("VASILE", "Василе"), ("ANDREI", "Андрей"),
     ("MYKOLA", "Николай")),
)
_EAST_ASIAN = (
    (("WANG", "Ван"), ("LI", "Ли"), ("ZHANG", "Чжан"), ("NGUYEN", "Нгуен"), ("TRAN", "Чан"), ("LE", "Ле"),
     ("PHAM", "Фам"), ("LIU", "Лю")),
    (("WEI", "Вэй"), ("JUN", "Цзюнь"), ("VAN HUNG", "Ван Хунг"), ("THI LAN", "Тхи Лан"), ("MINH", "Минь"),
     ("HAO", "Хао")),
)
_TURKIC_SOUTH_ASIAN = (
    (("YILMAZ", "Йылмаз"), ("KAYA", "Кая"), ("DEMIR", "Демир"), ("SINGH", "Сингх"), ("KUMAR", "Кумар"),
     ("SHARMA", "Шарма")),
    (("MEHMET", "Мехмет"), ("MUSTAFA", "Мустафа"), ("AHMET", "Ахмет"), ("RAJESH", "Раджеш"), ("AMIT", "Амит")),
)
NAME_GROUPS = {
    "UZ": _CENTRAL_ASIAN, "TJ": _CENTRAL_ASIAN, "KG": _CENTRAL_ASIAN, "KZ": _CENTRAL_ASIAN,
    "AM": _CAUCASIAN, "AZ": _CAUCASIAN,
    "UA": _EAST_SLAVIC, "MD": _EAST_SLAVIC, "BY": _EAST_SLAVIC,
    "CN": _EAST_ASIAN, "VN": _EAST_ASIAN,
    "TR": _TURKIC_SOUTH_ASIAN, "IN": _TURKIC_SOUTH_ASIAN,
}

OCCUPATIONS = (
    "Bricklayer", "Concrete worker", "Welder", "Electrician", "Fitter", "Truck driver", "Warehouse worker",
    "Farm worker", "Cook", "Cleaner", "Seamstress", "Painter", "Carpenter", "Crane operator", "Miner",
    "Road worker", "Plasterer", "Tiler",
)

# OKVED code -> what a case's project is called.
ACTIVITIES = (
    ("41.20", "Строительство жилого комплекса «{name}», корпус {n}"),
    ("42.11", "Строительство автомобильной дороги, участок {n}"),
    ("43.99", "Монолитные работы на объекте «{name}»"),
    ("01.13", "Сбор урожая овощей, тепличный комплекс «{name}»"),
    ("07.29", "Добыча золота, месторождение «{name}», участок {n}"),
    ("10.11", "Мясоперерабатывающий завод «{name}», цех {n}"),
    ("49.41", "Грузовые перевозки, автоколонна № {n}"),
    ("52.10", "Складской комплекс «{name}», секция {n}"),
    ("81.21", "Уборка территории, объект «{name}»"),
    ("16.10", "Лесопильное производство «{name}»"),
)
PLACE_NAMES = (
    "Северный", "Южный парк", "Заречье", "Солнечный", "Берёзовый", "Светлый", "Речной", "Олимп", "Кедр",
    "Восток", "Полярный", "Рассвет", "Урожай", "Янтарь", "Ладога", "Сибирь",
)
COMPANY_WORDS = (
    "СтройИнвест", "Монолит", "АгроХолдинг", "ТрансЛогистик", "ГлавСтрой", "ПромМонтаж", "ЗолотоДобыча",
    "СеверСтройПроект", "ТеплицаПлюс", "МегаСклад", "ДорСтрой", "МясоПром", "ЛесЭкспорт", "ЧистыйГород",
)
COMPANY_FORMS = ("ООО", "ООО", "ООО", "АО", "ПАО")
# Codes of regions.Checkpoint (regions/data/checkpoints.csv).
BORDER_POINTS = (
    "SVO", "VKO", "DME", "LED", "SVX", "OVB", "KZN", "IKT", "KRR", "VVO", "road-mashtakov", "road-zabaikalsk", "road-troitsk",
)

# The share of cases in each state: a season that is mostly decided, with a live queue.
STATUS_MIX = {
    Status.DRAFT: 0.04,
    Status.SUBMITTED: 0.09,
    Status.IN_REVIEW: 0.09,
    Status.INFO_REQUESTED: 0.04,
    Status.APPROVED: 0.48,
    Status.PARTIALLY_APPROVED: 0.09,
    Status.REJECTED: 0.12,
    Status.WITHDRAWN: 0.05,
}
RUNNING_STATUSES = PENDING_STATUSES
DECIDED = DECIDED_STATUSES

FIRST_DAY = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
LAST_DAY = dt.datetime(2021, 12, 31, 20, tzinfo=dt.UTC)
# Cases still waiting for a decision were mostly filed in the last months of the season.
RECENT_FROM = dt.datetime(2021, 9, 1, tzinfo=dt.UTC)
MOSCOW_OFFSET = dt.timedelta(hours=3)  # dates a person reads are Moscow dates (no DST since 2014)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

CHECKS_PASSED = [
    {"code": "intake_open", "passed": True, "blocking": True, "message": "Регион принимает заявления."},
    {"code": "employer_thresholds", "passed": True, "blocking": True,
     "message": "Выручка и численность работодателя соответствуют порядку."},
    {"code": "pcr_test_age", "passed": True, "blocking": True, "message": "ПЦР-тесты всех работников действительны."},
]
CHECKS_FAILED = [
    {"code": "intake_open", "passed": True, "blocking": True, "message": "Регион принимает заявления."},
    {"code": "pcr_test_age", "passed": False, "blocking": True,
     "message": "ПЦР-тест одного из работников старше допустимого срока."},
]
REJECT_REASONS = (
    "Превышена месячная квота региона.",
    "Не представлены документы об обсервации.",
    "Деятельность по ОКВЭД закрыта для иностранных работников.",
)
PARTIAL_REFUSALS = (RefusalReason.PCR_TEST, RefusalReason.PASSPORT, RefusalReason.CITIZENSHIP_NOT_ACCEPTED, RefusalReason.DOCUMENTS)


# Company numbers with valid check digits (the FNS algorithms)


def inn10(first_nine: str) -> str:
    """A 10-digit INN (legal entity) from its first nine digits."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first_nine + str(sum(int(d) * w for d, w in zip(first_nine, weights)) % 11 % 10)


def ogrn13(first_twelve: str) -> str:
    """A 13-digit OGRN from its first twelve digits: the check digit is the number mod 11, mod 10."""
    return first_twelve + str(int(first_twelve) % 11 % 10)


def scale_inn(region_number: int, index: int) -> str:
    # Tax office code "99" after the region: a block no real demo company uses.
    return inn10(f"{region_number:02d}99{index:05d}")


def scale_ogrn(region_number: int, index: int) -> str:
    # 1 = legal entity, 20 = registered in 2020, the region, then the record's number.
    return ogrn13(f"120{region_number:02d}99{index:05d}")


# The plan: what will be written, drawn from one random generator


class _Case:
    __slots__ = (
        "id", "number", "employer", "region", "status", "created", "submitted", "taken", "decided", "arrival",
        "size", "withdrawn_after_submit", "info_round", "deadline", "updated", "rule_set_id", "version", "failing",
        "kind", "activity",
    )


def _weighted(rng: random.Random, population: Sequence, weights: Sequence[float], k: int) -> list:
    return rng.choices(population, weights=weights, k=k)


def _exact_counts(total: int, shares: dict) -> dict:
    """Splits `total` by `shares` exactly (largest remainder), each share getting at least one."""
    raw = {key: total * share for key, share in shares.items()}
    counts = {key: max(1, math.floor(value)) for key, value in raw.items()}
    by_remainder = sorted(shares, key=lambda key: raw[key] - math.floor(raw[key]), reverse=True)
    for key in itertools.cycle(by_remainder):
        difference = total - sum(counts.values())
        if difference == 0:
            break
        if difference > 0:
            counts[key] += 1
        elif counts[key] > 1:
            counts[key] -= 1
    return counts


def _uniform_time(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + dt.timedelta(seconds=int(rng.random() * (end - start).total_seconds()))


def _moscow_date(moment: dt.datetime) -> dt.date:
    return (moment + MOSCOW_OFFSET).date()


def _case_sizes(rng: random.Random, statuses: list[str], total_lines: int) -> list[int]:
    """Workers per case: mostly a few, some batches of dozens, summing to `total_lines` exactly.
    A partly approved case has two at least (one approved, one refused)."""
    count = len(statuses)
    mean = total_lines / count
    minimum = [2 if status == Status.PARTIALLY_APPROVED else 1 for status in statuses]
    sizes = []
    for low in minimum:
        if rng.random() < 0.03:
            size = rng.randint(15, 50)  # a batch for a site or a mine
        else:
            size = 1 + int(rng.expovariate(1 / max(mean * 0.75 - 0.5, 0.05)))
        sizes.append(min(max(size, low), 50))
    difference = total_lines - sum(sizes)
    while difference:
        index = rng.randrange(count)
        if difference > 0 and sizes[index] < 50:
            sizes[index] += 1
            difference -= 1
        elif difference < 0 and sizes[index] > minimum[index]:
            sizes[index] -= 1
            difference += 1
    return sizes


@dataclass
class _Accounts:
    admin_id: int
    federal_officer_id: int
    officers: dict[int, int]  # region number -> officer id
    clerks: list[int]  # employer index -> clerk id


@dataclass
class _Rules:
    """Per region: the versions' start dates, ids and days to decide, oldest first."""

    starts: dict[int, list[dt.date]]
    ids: dict[int, list[int]]
    days: dict[int, list[int]]

    def in_force(self, region_id: int, on: dt.date) -> tuple[int | None, int]:
        index = bisect.bisect_right(self.starts.get(region_id, []), on) - 1
        if index < 0:
            return None, 10
        return self.ids[region_id][index], self.days[region_id][index]


# Entry point


def existing_scale_data() -> tuple[int | None, int, int]:
    """(seed, cases, worker lines) of the scale data in the database; seed None when there is none."""
    cases = Application.objects.filter(reference__startswith=REFERENCE_PREFIX, created_by__email__endswith=f"@{SCALE_EMAIL_DOMAIN}")
    first = cases.order_by("pk").values_list("reference", flat=True).first()
    if first is None:
        return None, 0, 0
    seed = int(first[len(REFERENCE_PREFIX):].split("-", 1)[0])
    return seed, cases.count(), CaseWorker.objects.filter(application__in=cases).count()


def has_unsealed_decisions() -> bool:
    """Whether a decision of the scale data lacks its sealed record: data loaded before seed_scale
    froze decisions, whose letters, checks and border lists are empty. Such data is out of date
    even when its seed and size are the ones asked for."""
    return Decision.objects.filter(
        application__reference__startswith=REFERENCE_PREFIX,
        application__created_by__email__endswith=f"@{SCALE_EMAIL_DOMAIN}",
        record_sha256="",
    ).exists()


def seed_scale(spec: ScaleSpec, *, replace: bool = False, progress: Callable[[str], None] = lambda message: None) -> ScaleSummary:
    """Loads the scale data of `spec`, or leaves the database as it is when that data is there.

    With `replace`, any scale data there is deleted and loaded afresh (after the generator
    changed, say). Without it, scale data of another seed or size raises ScaleDataMismatch and
    nothing changes.
    """
    seed, cases, lines = existing_scale_data()
    if seed == spec.seed and cases == spec.cases and lines == spec.lines and not replace:
        if has_unsealed_decisions():
            raise ScaleDataMismatch(
                f"The scale data of seed {seed} there was loaded before decisions were sealed (its decisions have no "
                "record, letter code or workers). Use --replace to load it afresh."
            )
        progress(f"Scale data of seed {seed} ({cases} cases, {lines} worker lines) is there already: nothing to do.")
        return _summary(spec, created=False)
    has_accounts = User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}").exists()
    if (seed is not None or has_accounts) and not replace:
        found = f"seed {seed}, {cases} cases, {lines} worker lines" if seed is not None else "scale accounts without cases"
        raise ScaleDataMismatch(
            f"The database holds other scale data ({found}); asked for seed {spec.seed}, {spec.cases} cases, "
            f"{spec.lines} worker lines. Use --replace to delete it and load the new data."
        )
    with transaction.atomic():
        if seed is not None or has_accounts:
            progress("Deleting the previous scale data…")
            remove_scale_data()
        _load(spec, progress)
    return _summary(spec, created=True)


def _summary(spec: ScaleSpec, *, created: bool) -> ScaleSummary:
    cases = Application.objects.filter(reference__startswith=spec.reference_prefix)
    employers = Employer.objects.filter(members__user__email__endswith=f"@{SCALE_EMAIL_DOMAIN}")
    return ScaleSummary(
        created=created,
        seed=spec.seed,
        users=User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}").count(),
        employers=employers.count(),
        workers=Worker.objects.filter(employer__in=employers).count(),
        applications=cases.count(),
        lines=CaseWorker.objects.filter(application__in=cases).count(),
        history=StatusChange.objects.filter(application__in=cases).count(),
        decisions=Decision.objects.filter(application__in=cases).count(),
        statuses=Counter(cases.values_list("status", flat=True).order_by()),
        moscow_applications=cases.filter(region__number=MOSCOW).count(),
    )


# The append-only tables the scale data's rows reach (trigger `<table>_append_only`).
APPEND_ONLY_TABLES = (
    "applications_statuschange", "applications_decision", "applications_decisionworker", "applications_decisionletter",
    "applications_decisionoverride",
)


def remove_scale_data() -> None:
    """Deletes every row the scale data made. History and decisions are append-only (a trigger
    refuses to delete them); the triggers are switched off for this transaction only, for these
    synthetic rows, and switched back on before it commits."""
    domain = f"%@{SCALE_EMAIL_DOMAIN}"
    with connection.cursor() as cursor:
        # Every deleted row is checked against the tables that point at it (see _fresh_statistics).
        _fresh_statistics(cursor)
        # A table cannot be altered while it has deferred foreign-key checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "CREATE TEMPORARY TABLE scale_employers ON COMMIT DROP AS "
            "SELECT DISTINCT m.employer_id AS id FROM applications_employermember m "
            "JOIN accounts_user u ON u.id = m.user_id WHERE u.email LIKE %s",
            [domain],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE scale_cases ON COMMIT DROP AS "
            "SELECT id FROM applications_application WHERE employer_id IN (SELECT id FROM scale_employers)"
        )
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        # What hangs on the decisions: their workers, and a letter or an override if someone
        # made one on a scale case.
        for table in ("applications_decisionworker", "applications_decisionletter", "applications_decisionoverride"):
            cursor.execute(
                f"DELETE FROM {table} WHERE decision_id IN "
                "(SELECT id FROM applications_decision WHERE application_id IN (SELECT id FROM scale_cases))"
            )
        for table in ("applications_document", "applications_statuschange", "applications_decision", "applications_caseworker"):
            cursor.execute(f"DELETE FROM {table} WHERE application_id IN (SELECT id FROM scale_cases)")
        cursor.execute("DELETE FROM applications_application WHERE id IN (SELECT id FROM scale_cases)")
        for table in ("applications_worker", "applications_employermember", "applications_employerinvitation"):
            cursor.execute(f"DELETE FROM {table} WHERE employer_id IN (SELECT id FROM scale_employers)")
        cursor.execute("DELETE FROM applications_employer WHERE id IN (SELECT id FROM scale_employers)")
        cursor.execute("CREATE TEMPORARY TABLE scale_users ON COMMIT DROP AS SELECT id FROM accounts_user WHERE email LIKE %s", [domain])
        for table in ("accounts_user_officer_regions", "accounts_user_groups", "accounts_user_user_permissions", "django_admin_log"):
            cursor.execute(f"DELETE FROM {table} WHERE user_id IN (SELECT id FROM scale_users)")
        cursor.execute("DELETE FROM applications_queueexport WHERE requested_by_id IN (SELECT id FROM scale_users)")
        cursor.execute("UPDATE regions_ruleset SET created_by_id = NULL WHERE created_by_id IN (SELECT id FROM scale_users)")
        cursor.execute("DELETE FROM accounts_user WHERE id IN (SELECT id FROM scale_users)")
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# The tables the scale data writes to or deletes from, and those their foreign keys point at.
CHECKED_TABLES = (
    "accounts_user", "regions_region", "regions_ruleset", "applications_employer", "applications_employermember",
    "applications_worker", "applications_application", "applications_caseworker", "applications_statuschange",
    "applications_decision", "applications_decisionworker", "applications_document",
)


def _fresh_statistics(cursor) -> None:
    """ANALYZE before the foreign keys are checked. PostgreSQL checks each row's keys with a
    plan it caches per connection; planned on statistics that say a table is empty (as they do
    after tests roll back or a VACUUM of an emptied table), that plan is a sequential scan, run
    once per row: a load of 100,000 cases in a test session then ran for over a quarter of an
    hour instead of seconds. ANALYZE inside this transaction counts its own new rows, and the
    new statistics make PostgreSQL plan those checks again."""
    for table in CHECKED_TABLES:
        cursor.execute(f"ANALYZE {table}")


def analyze_scale_tables(*, vacuum: bool) -> None:
    """Fresh planner statistics (and, outside a transaction, the visibility map that index-only
    scans need) for the tables the scale data fills."""
    tables = [
        model._meta.db_table
        for model in (Application, CaseWorker, Worker, CaseCitizenships, StatusChange, Decision, DecisionWorker, Employer, User)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")


def _load(spec: ScaleSpec, progress: Callable[[str], None]) -> None:
    rng = random.Random(spec.seed)
    regions = {region.number: region.pk for region in Region.objects.order_by("number")}
    if MOSCOW not in regions:
        raise ValueError("The regions are not loaded (run the migrations first).")
    checkpoints = dict(Checkpoint.objects.values_list("code", "pk"))

    progress("Rule versions of every region and the eligibility thresholds…")
    seed_rule_sets(regions={r.number: r for r in Region.objects.all()}, today=timezone.localdate(), created_by=None)
    seed_threshold()
    rules = _rules_by_region()

    progress("Accounts and employers…")
    employer_regions = _employer_regions(rng, spec, regions)
    accounts = _create_accounts(spec, regions, employer_count=len(employer_regions))
    employer_ids = _create_employers(rng, spec, employer_regions, accounts)

    progress("Planning the cases…")
    cases = _plan_cases(rng, spec, regions, employer_regions, rules)
    # Read before the COPYs: the rows are generated while the connection is busy copying.
    zones = _region_zones()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        first_case_id = _reserve_ids(cursor, Application._meta.db_table, len(cases))
        for offset, case in enumerate(cases):
            case.id = first_case_id + offset

        progress(f"Workers and their lines on the cases ({spec.lines} lines)…")
        worker_rows, line_rows = _plan_workers_and_lines(rng, spec, cases, employer_ids, cursor, zones)
        _copy(cursor, Worker, WORKER_COLUMNS, worker_rows)
        progress(f"Cases ({len(cases)})…")
        _copy(cursor, Application, APPLICATION_COLUMNS, _application_rows(rng, spec, cases, employer_ids, accounts, regions, checkpoints, zones))
        _copy(cursor, CaseWorker, LINE_COLUMNS, line_rows)
        if spec.with_history:
            progress("History and decisions…")
            _copy(cursor, StatusChange, HISTORY_COLUMNS, _history_rows(rng, cases, accounts))
            # Planned on statistics that count the rows just copied, each batch's reads use the indexes.
            _fresh_statistics(cursor)
            _freeze_decisions(cursor, rng, cases, accounts, progress)
        # Deferred foreign keys are checked now rather than at COMMIT, so a mistake names its row.
        progress("Checking the foreign keys…")
        _fresh_statistics(cursor)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _rules_by_region() -> _Rules:
    starts: dict[int, list[dt.date]] = {}
    ids: dict[int, list[int]] = {}
    days: dict[int, list[int]] = {}
    for region_id, effective_from, pk, days_to_decide in RuleSet.objects.published().order_by("region_id", "effective_from").values_list(
        "region_id", "effective_from", "pk", "days_to_decide"
    ):
        starts.setdefault(region_id, []).append(effective_from)
        ids.setdefault(region_id, []).append(pk)
        days.setdefault(region_id, []).append(days_to_decide)
    return _Rules(starts, ids, days)


def _region_weights(spec: ScaleSpec, regions: dict[int, int]) -> tuple[list[int], list[float]]:
    others = [number for number in regions if number != MOSCOW]
    other_total = sum(REGION_WEIGHTS.get(number, 1) for number in others)
    numbers = [MOSCOW, *others]
    weights = [spec.moscow_share] + [(1 - spec.moscow_share) * REGION_WEIGHTS.get(n, 1) / other_total for n in others]
    return numbers, weights


def _employer_regions(rng: random.Random, spec: ScaleSpec, regions: dict[int, int]) -> list[int]:
    """The region (number) each employer is registered in; employer 0 is the big Moscow company."""
    numbers, weights = _region_weights(spec, regions)
    return [MOSCOW, *_weighted(rng, numbers, weights, spec.employer_count - 1)]


def _create_accounts(spec: ScaleSpec, regions: dict[int, int], *, employer_count: int) -> _Accounts:
    password = make_password(SCALE_PASSWORD)  # hashed once: the same for every scale account
    joined = dt.datetime(2020, 5, 15, tzinfo=dt.UTC)
    users = [User(email=ADMIN_EMAIL, full_name="Scale admin", role=Role.ADMIN, is_staff=True, is_superuser=True)]
    users.append(User(email=FEDERAL_OFFICER_EMAIL, full_name="Federal reviewer", role=Role.OFFICER))
    users += [User(email=officer_email(n), full_name=f"Officer of region {n}", role=Role.OFFICER) for n in regions]
    users += [
        User(email=BIG_EMPLOYER_EMAIL if index == 0 else clerk_email(index), full_name=f"Clerk {index}", role=Role.EMPLOYER)
        for index in range(employer_count)
    ]
    for user in users:
        user.password, user.date_joined, user.preferred_language = password, joined, "ru"
    User.objects.bulk_create(users, batch_size=2000)
    by_email = dict(User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}").values_list("email", "pk"))
    officers = {number: by_email[officer_email(number)] for number in regions}
    through = User.officer_regions.through
    links = [through(user_id=officers[number], region_id=region_id) for number, region_id in regions.items()]
    links += [through(user_id=by_email[FEDERAL_OFFICER_EMAIL], region_id=region_id) for region_id in regions.values()]
    through.objects.bulk_create(links)
    clerks = [by_email[BIG_EMPLOYER_EMAIL if index == 0 else clerk_email(index)] for index in range(employer_count)]
    return _Accounts(by_email[ADMIN_EMAIL], by_email[FEDERAL_OFFICER_EMAIL], officers, clerks)


def _create_employers(rng: random.Random, spec: ScaleSpec, employer_regions: list[int], accounts: _Accounts) -> list[int]:
    region_ids = dict(Region.objects.values_list("number", "pk"))
    employers = []
    for index, number in enumerate(employer_regions):
        name = (
            "ПАО «ГлавМосСтрой-Холдинг»" if index == 0
            else f"{rng.choice(COMPANY_FORMS)} «{rng.choice(COMPANY_WORDS)}-{index}»"
        )
        employers.append(Employer(
            name=name,
            inn=scale_inn(number, index),
            ogrn=scale_ogrn(number, index),
            legal_address=f"Регион {number}, ул. {rng.choice(PLACE_NAMES)}, д. {rng.randint(1, 120)}",
            region_id=region_ids[number],
            phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            main_activity_okved=rng.choice(ACTIVITIES)[0],
            annual_revenue_rub=rng.randint(800, 40_000) * 1_000_000,
            average_headcount=rng.randint(100, 8_000),
            verified_at=dt.datetime(2020, 5, 20, tzinfo=dt.UTC) + dt.timedelta(hours=rng.randint(0, 240)),
            verified_by_id=accounts.officers[number],
        ))
    created = Employer.objects.bulk_create(employers, batch_size=2000)
    EmployerMember.objects.bulk_create(
        [EmployerMember(employer_id=employer.pk, user_id=clerk) for employer, clerk in zip(created, accounts.clerks)],
        batch_size=2000,
    )
    return [employer.pk for employer in created]


def _plan_cases(
    rng: random.Random, spec: ScaleSpec, regions: dict[int, int], employer_regions: list[int], rules: _Rules
) -> list[_Case]:
    statuses: list[str] = []
    for status, count in _exact_counts(spec.cases, STATUS_MIX).items():
        statuses += [status] * count
    rng.shuffle(statuses)
    sizes = _case_sizes(rng, statuses, spec.lines)

    # Moscow's share exactly (the queue's target is stated for a region of that size), the rest
    # drawn by weight.
    numbers, weights = _region_weights(spec, regions)
    in_moscow = round(spec.cases * spec.moscow_share)
    case_regions = [MOSCOW] * in_moscow + _weighted(rng, numbers[1:], weights[1:], spec.cases - in_moscow)
    rng.shuffle(case_regions)
    # Employers by region, each with a weight: a few file most of the cases, as in life.
    employers_in: dict[int, list[int]] = {}
    for index, number in enumerate(employer_regions[1:], start=1):
        employers_in.setdefault(number, []).append(index)
    employer_weight = [rng.paretovariate(1.2) for _ in employer_regions]
    cumulative_in = {
        number: list(itertools.accumulate(employer_weight[index] for index in members)) for number, members in employers_in.items()
    }
    all_others = list(range(1, len(employer_regions)))
    cumulative_all = list(itertools.accumulate(employer_weight[index] for index in all_others))
    big_share_of_moscow = spec.big_employer_share / spec.moscow_share

    cases = []
    for number, (status, size, region_number) in enumerate(zip(statuses, sizes, case_regions), start=1):
        case = _Case()
        case.number, case.status, case.size, case.region = number, status, size, region_number
        if region_number == MOSCOW and rng.random() < big_share_of_moscow:
            case.employer = 0
        elif region_number in employers_in and rng.random() < 0.85:
            members = employers_in[region_number]
            case.employer = members[bisect.bisect(cumulative_in[region_number], rng.random() * cumulative_in[region_number][-1])]
        else:
            case.employer = all_others[bisect.bisect(cumulative_all, rng.random() * cumulative_all[-1])]
        _plan_timeline(rng, case, rules, regions)
        cases.append(case)
    # Created in order of time, as the ids of real cases are.
    cases.sort(key=lambda case: case.created)
    return cases


def _plan_timeline(rng: random.Random, case: _Case, rules: _Rules, regions: dict[int, int]) -> None:
    status = case.status
    pending = status in RUNNING_STATUSES or status == Status.DRAFT
    start = RECENT_FROM if pending and rng.random() < 0.7 else FIRST_DAY
    case.created = _uniform_time(rng, start, LAST_DAY - 6 * DAY)
    case.arrival = _moscow_date(case.created) + dt.timedelta(days=rng.randint(20, 75))
    case.kind = ApplicationKind.RETURNING_WORKERS if rng.random() < 0.35 else ApplicationKind.NEW_WORKERS
    case.activity = rng.randrange(len(ACTIVITIES))
    case.submitted = case.taken = case.decided = case.deadline = None
    case.withdrawn_after_submit = status == Status.WITHDRAWN and rng.random() < 0.6
    case.info_round = status in (Status.IN_REVIEW, *DECIDED) and rng.random() < 0.2
    case.failing = status in RUNNING_STATUSES and rng.random() < 0.06
    case.rule_set_id, days_to_decide = rules.in_force(regions[case.region], case.arrival)
    moment = case.created
    transitions = 0
    if status != Status.DRAFT and (status != Status.WITHDRAWN or case.withdrawn_after_submit):
        case.submitted = moment = case.created + dt.timedelta(minutes=rng.randint(30, 5 * 24 * 60))
        case.deadline = _moscow_date(case.submitted) + dt.timedelta(days=days_to_decide)
        transitions += 1
    if status in (Status.IN_REVIEW, Status.INFO_REQUESTED, *DECIDED):
        case.taken = moment = moment + dt.timedelta(minutes=rng.randint(60, 3 * 24 * 60))
        transitions += 1 + (2 if case.info_round else 0)
        if case.info_round:
            moment += 2 * DAY
    if status == Status.INFO_REQUESTED:
        moment += dt.timedelta(minutes=rng.randint(60, 2 * 24 * 60))
        transitions += 1
    if status in DECIDED:
        case.decided = moment = moment + dt.timedelta(minutes=rng.randint(60, days_to_decide * 24 * 60))
        transitions += 1
    if status == Status.WITHDRAWN:
        moment += dt.timedelta(minutes=rng.randint(30, 4 * 24 * 60))
        case.deadline = None  # a withdrawn case awaits no decision
        transitions += 1
    case.updated = moment
    case.version = 1 + transitions


# COPY

WORKER_COLUMNS = (
    "id", "employer_id", "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "sex",
    "date_of_birth", "citizenship", "passport_number", "passport_expiry", "occupation", "phone", "created_at",
)
APPLICATION_COLUMNS = (
    "id", "reference", "employer_id", "region_id", "kind", "project_name", "activity_okved", "planned_arrival_date",
    "border_crossing_point", "transport_to_isolation", "isolation_address", "isolation_days", "insurance_policy",
    "charter_transport_agreed", "vaccination_booked", "status", "version", "deadline", "assigned_officer_id",
    "created_by_id", "created_at", "updated_at", "submitted_at", "decided_at", "copied_from_id", "rule_check_failing",
    "rule_check_at", "checkpoint_id", "border_region_id", "planned_arrival_at", "rule_set_checked_id",
)
LINE_COLUMNS = (
    "application_id", "worker_id", "pcr_test_taken_at", "outcome", "refusal_reason", "refusal_note", "arrived_on",
    "isolation_started_on", "isolation_ended_on", "pcr_test_zone", "arrived_at",
)
HISTORY_COLUMNS = (
    "application_id", "from_status", "to_status", "transition", "actor_id", "at", "message", "reply_due",
    "requested_documents",
)


def _reserve_ids(cursor, table: str, count: int) -> int:
    """Takes `count` consecutive ids from the table's sequence, so rows can be written with their
    ids known in advance (lines point at cases and workers). Writers wait on the lock meanwhile,
    so nobody else draws from the sequence between the two statements."""
    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute("SELECT nextval(%s)", [sequence])
    (first,) = cursor.fetchone()
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def _copy_instances(cursor, model, instances: Sequence) -> int:
    """Streams unsaved model instances into the model's table, every column as the ORM would
    write it (JSON included); the id too when the instances have one, else the sequence's."""
    fields = [
        field for field in model._meta.concrete_fields
        if not field.generated and not (field.primary_key and instances and instances[0].pk is None)
    ]
    rows = ((field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields) for instance in instances)
    return _copy(cursor, model, [field.column for field in fields], rows)


def _copy(cursor, model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Streams `rows` into the model's table. A column the rows do not give (a field added to the
    model since this was written) gets the field's default, as the ORM would have given it."""
    missing = [
        field for field in model._meta.concrete_fields
        if field.column not in columns and not (field.primary_key and "id" not in columns)
        # A generated column (Worker.passport_key) is computed by the database and takes no value.
        and not field.generated
    ]
    tail = tuple(field.get_db_prep_save(field.get_default(), connection) for field in missing)
    statement = f"COPY {model._meta.db_table} ({', '.join([*columns, *(field.column for field in missing)])}) FROM STDIN"
    written = 0
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *tail) if tail else row)
            written += 1
    return written


def _plan_workers_and_lines(
    rng: random.Random, spec: ScaleSpec, cases: list[_Case], employer_ids: list[int], cursor, zones: dict[int, ZoneInfo]
):
    """Each employer's registry is sized to its cases' lines (a worker returns on 1.25 cases on
    average, for the default mix); a case takes the next workers of its company's registry in
    turn, so a worker is never twice on one case and returns on later cases."""
    lines_of: Counter = Counter()
    largest: Counter = Counter()
    for case in cases:
        lines_of[case.employer] += case.size
        largest[case.employer] = max(largest[case.employer], case.size)
    reuse = spec.lines / spec.worker_count
    registry_size = {e: max(largest[e], math.ceil(lines_of[e] / reuse)) for e in lines_of}
    total_workers = sum(registry_size.values())
    first_worker_id = _reserve_ids(cursor, Worker._meta.db_table, total_workers)
    first_of: dict[int, int] = {}
    next_id = first_worker_id
    for employer in sorted(registry_size):
        first_of[employer] = next_id
        next_id += registry_size[employer]

    codes = list(CITIZENSHIPS)
    citizenship_weights = [CITIZENSHIPS[code][0] for code in codes]

    def workers() -> Iterator[tuple]:
        serial = 0
        added = dt.datetime(2020, 5, 25, tzinfo=dt.UTC)
        for employer in sorted(registry_size):
            employer_id = employer_ids[employer]
            drawn = _weighted(rng, codes, citizenship_weights, registry_size[employer])
            for offset, citizenship in enumerate(drawn):
                serial += 1
                surnames, given_names = NAME_GROUPS[citizenship]
                surname_latin, surname_cyrillic = rng.choice(surnames)
                given_latin, given_cyrillic = rng.choice(given_names)
                female = rng.random() < 0.12
                if female and surname_latin.endswith(("OV", "EV", "IN")):
                    surname_latin, surname_cyrillic = surname_latin + "A", surname_cyrillic + "а"
                born = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 40 * 365))
                series = rng.choice(CITIZENSHIPS[citizenship][1])
                yield (
                    first_of[employer] + offset, employer_id, surname_latin, given_latin, surname_cyrillic, given_cyrillic,
                    "F" if female else "M", born, citizenship, f"{series}{serial:07d}",
                    dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 9 * 365)), rng.choice(OCCUPATIONS),
                    "", added,
                )

    def lines() -> Iterator[tuple]:
        taken: Counter = Counter()
        for case in cases:
            size = registry_size[case.employer]
            start = taken[case.employer]
            taken[case.employer] += case.size
            arrival_midnight = dt.datetime.combine(case.arrival, dt.time.min, tzinfo=dt.UTC) - MOSCOW_OFFSET
            refused = _refused_lines(rng, case)
            for position in range(case.size):
                worker_id = first_of[case.employer] + (start + position) % size
                tested = None if case.status == Status.DRAFT and rng.random() < 0.3 else (
                    arrival_midnight - dt.timedelta(hours=rng.randint(6, 70))
                )
                tested_zone = "Europe/Moscow" if tested else ""
                if case.status in APPROVED_STATUSES and position not in refused:
                    arrived = isolated = ended = None
                    if rng.random() < 0.7:
                        arrived = isolated = case.arrival + dt.timedelta(days=rng.randint(0, 3))
                        ended = isolated + dt.timedelta(days=14) if rng.random() < 0.85 else None
                    arrived_at = _noon(arrived, zones[case.region]) if arrived else None
                    yield (case.id, worker_id, tested, WorkerOutcome.APPROVED, "", "", arrived, isolated, ended, tested_zone, arrived_at)
                elif case.status == Status.REJECTED:
                    yield (case.id, worker_id, tested, WorkerOutcome.REFUSED, RefusalReason.OTHER, "", None, None, None, tested_zone, None)
                elif position in refused:
                    reason = rng.choice(PARTIAL_REFUSALS)
                    yield (case.id, worker_id, tested, WorkerOutcome.REFUSED, reason, "", None, None, None, tested_zone, None)
                else:
                    yield (case.id, worker_id, tested, WorkerOutcome.PENDING, "", "", None, None, None, tested_zone, None)

    return workers(), lines()


def _refused_lines(rng: random.Random, case: _Case) -> set[int]:
    if case.status != Status.PARTIALLY_APPROVED:
        return set()
    return set(rng.sample(range(case.size), rng.randint(1, case.size - 1)))


def _application_rows(
    rng: random.Random, spec: ScaleSpec, cases: list[_Case], employer_ids: list[int], accounts: _Accounts,
    regions: dict[int, int], checkpoints: dict[str, int], zones: dict[int, ZoneInfo],
) -> Iterator[tuple]:
    for case in cases:
        okved, project = ACTIVITIES[case.activity]
        officer = accounts.officers[case.region] if case.taken else None
        moscow = case.region == MOSCOW
        project_name = project.format(name=rng.choice(PLACE_NAMES), n=rng.randint(1, 40))
        checkpoint = "SVO" if moscow and rng.random() < 0.6 else rng.choice(BORDER_POINTS)
        yield (
            case.id, f"{spec.reference_prefix}{case.number:07d}", employer_ids[case.employer], regions[case.region], case.kind,
            project_name, okved, case.arrival,
            "",  # the crossing is a checkpoint of the list: see the last columns
            True, f"Регион {case.region}, общежитие «{rng.choice(PLACE_NAMES)}», д. {rng.randint(1, 60)}", 14,
            f"ВСК-{rng.randint(100000, 999999)}", case.region == 86, moscow and case.arrival >= dt.date(2021, 6, 16),
            case.status, case.version, case.deadline, officer, accounts.clerks[case.employer], case.created, case.updated,
            case.submitted, case.decided, None, case.failing, case.submitted, checkpoints[checkpoint], None,
            _noon(case.arrival, zones[case.region]),
            # A submitted case's stored check read the version in force on its arrival (and so
            # cites it, which freezes it); a draft was never checked and stored.
            case.rule_set_id if case.submitted else None,
        )


def _region_zones() -> dict[int, ZoneInfo]:
    return {number: ZoneInfo(name) for number, name in Region.objects.values_list("number", "time_zone")}


def _noon(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Generated arrivals are at 12:00 on the clocks of the region, as migrated ones are; the
    local date (the row's date column) is `day` itself, as planned_arrival_fields would give."""
    return local_instant(day, dt.time(12), zone)


def _history_rows(rng: random.Random, cases: list[_Case], accounts: _Accounts) -> Iterator[tuple]:
    empty: list[str] = []
    for case in cases:
        clerk, officer = accounts.clerks[case.employer], accounts.officers[case.region]
        status = case.status
        if case.submitted:
            yield (case.id, Status.DRAFT, Status.SUBMITTED, "submit", clerk, case.submitted, "", None, empty)
        if status == Status.WITHDRAWN:
            source = Status.SUBMITTED if case.submitted else Status.DRAFT
            yield (case.id, source, Status.WITHDRAWN, "withdraw", clerk, case.updated, "Набор отменён заказчиком.", None, empty)
            continue
        if not case.taken:
            continue
        yield (case.id, Status.SUBMITTED, Status.IN_REVIEW, "take_into_review", officer, case.taken, "", None, empty)
        moment = case.taken
        if case.info_round:
            asked, answered = moment + 4 * HOUR, moment + DAY + 4 * HOUR
            yield (case.id, Status.IN_REVIEW, Status.INFO_REQUESTED, "request_information", officer, asked,
                   "Представьте договор на размещение в обсервации.", _moscow_date(asked) + 10 * DAY, ["isolation_housing"])
            yield (case.id, Status.INFO_REQUESTED, Status.IN_REVIEW, "answer_request", clerk, answered,
                   "Договор приложен.", None, empty)
        if status == Status.INFO_REQUESTED:
            yield (case.id, Status.IN_REVIEW, Status.INFO_REQUESTED, "request_information", officer, case.updated,
                   "Уточните адрес обсервации.", _moscow_date(case.updated) + 10 * DAY, empty)
        elif status in DECIDED:
            transition = {Status.APPROVED: "approve", Status.PARTIALLY_APPROVED: "approve_partially", Status.REJECTED: "reject"}[status]
            message = rng.choice(REJECT_REASONS) if status == Status.REJECTED else ""
            yield (case.id, Status.IN_REVIEW, status, transition, officer, case.decided, message, None, empty)


# Decided cases per batch of `_freeze_decisions`: about 6,000 worker lines read and written at once.
DECISION_BATCH = 2000


def _freeze_decisions(cursor, rng: random.Random, cases: list[_Case], accounts: _Accounts, progress: Callable[[str], None]) -> None:
    """A decision for every decided case, frozen and sealed as a real decision is: the same rows
    `applications.decision_record.sealed_decision` makes for `record_decision` (snapshot of the
    case, company, officer and rules, one worker row per line with its outcome, the record's
    digest and verification code), read from the rows just copied and written with COPY, a batch
    of cases at a time so memory stays flat at any size."""
    decided = [case for case in cases if case.status in DECIDED]
    # Drawn in the order they always were, so a seed gives the same data as before.
    reasons = {case.id: rng.choice(REJECT_REASONS) if case.status == Status.REJECTED else "" for case in decided}
    first_id = _reserve_ids(cursor, Decision._meta.db_table, len(decided))
    rule_sets = RuleSet.objects.in_bulk()  # a few versions per region
    officers = User.objects.in_bulk(list(accounts.officers.values()))
    for start in range(0, len(decided), DECISION_BATCH):
        if start % (10 * DECISION_BATCH) == 0:
            progress(f"Decisions frozen and sealed: {start} of {len(decided)}…")
        batch = decided[start : start + DECISION_BATCH]
        ids = [case.id for case in batch]
        applications = Application.objects.select_related("employer", "region", "checkpoint__region", "border_region").in_bulk(ids)
        lines_of: dict[int, list[CaseWorker]] = {case_id: [] for case_id in ids}
        for line in CaseWorker.objects.filter(application_id__in=ids).select_related("worker").order_by("application_id", *LINE_ORDER):
            lines_of[line.application_id].append(line)
        decisions, workers = [], []
        for offset, case in enumerate(batch, start=start):
            application = applications[case.id]
            rule_set = rule_sets.get(case.rule_set_id)
            language, legal_basis = decision_letter_terms(application, rule_set)
            decision, decision_workers = sealed_decision(
                decision_model=Decision, worker_model=DecisionWorker, application=application, outcome=case.status,
                rule_set=rule_set, checks=CHECKS_FAILED if case.status == Status.REJECTED else CHECKS_PASSED,
                reason=reasons[case.id], user=officers[accounts.officers[case.region]], lines=lines_of[case.id],
                override_notes={}, decided_at=application.decided_at, letter_language=language, legal_basis=legal_basis,
            )
            decision.pk = first_id + offset
            for worker in decision_workers:
                worker.decision_id = decision.pk
            decisions.append(decision)
            workers += decision_workers
        _copy_instances(cursor, Decision, decisions)
        _copy_instances(cursor, DecisionWorker, workers)


def progress_lines(summary: ScaleSummary, statuses: Iterable[tuple[str, str]]) -> list[str]:
    """What the command prints about the data."""
    mix = ", ".join(f"{label.lower()} {summary.statuses[value]}" for value, label in statuses if summary.statuses[value])
    return [
        f"Accounts: {summary.users} (password {SCALE_PASSWORD}); employers: {summary.employers}; workers: {summary.workers}.",
        f"Cases: {summary.applications} ({summary.moscow_applications} in Moscow): {mix}.",
        f"Worker lines: {summary.lines}; history rows: {summary.history}; decisions: {summary.decisions}.",
    ]
