"""The "batch" scenario of the bench (issue 17, "Real batch sizes"): one case of 5,000 workers in
review, and what an officer and an employer do with it, each beside a trivial page of the same
server measured in the same run.

    .venv/bin/python bench/run.py --only batch        # or: make bench BENCH_ARGS="--only batch"

The case is a copy of one of the big Moscow employer's cases in review in the scale data (its
details, crossing and arrival), with 5,000 new workers copied from one of its workers (new
passport numbers) and their lines, all with bulk_create. Each run adds a new one (its reference
starts with `B17-`): approving it seals its decision, which can no longer be deleted.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

BATCH_WORKERS = 5_000
REFERENCE_PREFIX = "B17-"

# Issue 17's targets.
CASE_PAGE_P95_MS = 300
CASE_PAGE_HTML_KB = 200
CASE_PAGE_QUERIES = 15
APPROVE_SECONDS = 2.0
BORDER_LIST_SECONDS = 1.0
EXPORT_ROWS_PER_SECOND = 30_000
EXPORT_FIRST_ROW_MS = 300
EXPORT_GROWTH_MB = 50
DECIDE_TOGETHER_SECONDS = 2.0  # not a target of the issue: "approve all" of one case, for each case

# The charter: the 2021 plane of 3,415 workers of 14 companies, filed in Moscow's cases of at most 100.
CHARTER_COMPANIES = 14
CHARTER_WORKERS = 3_415
MOSCOW_CAP = 100
PARTIAL_REFUSALS = 500  # the partial approval's target: 500 refusals of 5,000


def seed_batch_case(workers: int = BATCH_WORKERS, *, failing: int = 0, days_ahead: int = 21) -> dict:
    """A new case of `workers` workers in review, copied from one of the big Moscow employer's
    cases in review, assigned to Moscow's officer; returns its id, reference and arrival date.
    The first `failing` workers' passports expire the day before the arrival, so each fails a
    blocking check (the partial approval's refusals)."""
    from devdata import scale_data
    from portal.accounts.models import User

    employer = User.objects.get(email=scale_data.BIG_EMPLOYER_EMAIL).employer_membership.employer
    source = _sources_in_review(employer_ids=[employer.pk]).first()
    if source is None:
        raise SystemExit("batch: the scale data has no case in review of the big Moscow employer to copy.")
    started = time.monotonic()
    case = _copy_case(source, workers, failing=failing, arrival=_arrival(days_ahead))
    return {
        "id": case.pk,
        "reference": case.reference,
        "workers": workers,
        "failing": failing,
        "copied_from": source.reference,
        "arrival_date": case.planned_arrival_date.isoformat(),
        "seed_seconds": round(time.monotonic() - started, 1),
    }


def seed_charter(companies: int = CHARTER_COMPANIES, workers: int = CHARTER_WORKERS, *, days_ahead: int = 35) -> dict:
    """The 2021 plane as a charter: `workers` workers of `companies` Moscow companies arriving
    together, each company's workers filed in cases of at most Moscow's cap (100), all in review.
    The charter is organised, joined and filled through the services an employer's clicks call
    (charter_create, charter_invite, charter_answer, charter_attach)."""
    from applications import services
    from applications.models import Employer, Status
    from devdata import scale_data
    from portal.accounts.models import User
    from regions.models import Checkpoint, Region

    employers = list(
        Employer.objects.filter(
            verified_at__isnull=False, applications__region__number=scale_data.MOSCOW, applications__status=Status.IN_REVIEW
        )
        .distinct()
        .order_by("pk")[:companies]
    )
    if len(employers) < 2:
        raise SystemExit("batch: the scale data has fewer than two verified companies with a Moscow case in review.")
    clerks = {user.employer_membership.employer_id: user for user in User.objects.filter(employer_membership__employer__in=employers)}
    employers = [employer for employer in employers if employer.pk in clerks]
    moscow = Region.objects.get(number=scale_data.MOSCOW)
    checkpoint = Checkpoint.objects.filter(active=True).order_by("pk").first()
    arrival = _arrival(days_ahead)
    started = time.monotonic()
    organiser = employers[0]
    charter = services.charter_create(
        employer=organiser, user=clerks[organiser.pk], transport_kind="flight", transport_number="SU 1851",
        region=moscow, checkpoint=checkpoint, arrival_date=arrival.date(),
    )
    shares = [workers // len(employers) + (1 if index < workers % len(employers) else 0) for index in range(len(employers))]
    sources = {case.employer_id: case for case in _sources_in_review(employer_ids=[e.pk for e in employers])}
    cases = []
    for employer, share in zip(employers, shares, strict=True):
        if employer != organiser:
            services.charter_invite(charter=charter, user=clerks[organiser.pk], inn=employer.inn)
            services.charter_answer(charter=charter, user=clerks[employer.pk], accept=True)
        own = []
        for first in range(0, share, MOSCOW_CAP):
            own.append(_copy_case(sources[employer.pk], min(MOSCOW_CAP, share - first), arrival=arrival, checkpoint=checkpoint))
        services.charter_attach(charter=charter, user=clerks[employer.pk], application_ids=[case.pk for case in own])
        cases += own
    return {
        "id": charter.pk,
        "reference": charter.reference,
        "companies": len(employers),
        "cases": len(cases),
        "workers": workers,
        "case_ids": [case.pk for case in cases],
        "arrival_date": charter.arrival_date.isoformat(),
        "seed_seconds": round(time.monotonic() - started, 1),
    }


def _arrival(days_ahead: int) -> dt.datetime:
    # Arriving in a few weeks, each worker with a PCR test taken two days before and a passport
    # valid for years, so that no worker fails a check: the scale data's cases arrived in 2020-21.
    # A day of its own also makes the case's border list hold only its workers.
    from django.utils import timezone

    return (timezone.now() + dt.timedelta(days=days_ahead)).replace(hour=9, minute=0, second=0, microsecond=0)


def _sources_in_review(*, employer_ids: list[int]):
    """Each company's first Moscow case in review in the scale data: the cases to copy."""
    from applications.models import Application, Status
    from devdata import scale_data

    return (
        Application.objects.filter(employer__in=employer_ids, region__number=scale_data.MOSCOW, status=Status.IN_REVIEW)
        .exclude(reference__startswith=REFERENCE_PREFIX)
        .order_by("employer_id", "pk")
        .distinct("employer_id")
    )


def _copy_case(source, workers: int, *, arrival: dt.datetime, failing: int = 0, checkpoint=None):
    """A copy of `source` in review for Moscow's officer, with `workers` new workers copied from
    its first one (new passports) and their lines, written with bulk_create."""
    from django.db import transaction

    from applications.models import Application, ApplicationKind, CaseWorker, Worker
    from devdata import scale_data
    from portal.accounts.models import User

    officer = User.objects.get(email=scale_data.officer_email(scale_data.MOSCOW))
    source_line = source.lines.select_related("worker").order_by("pk").first()
    run = secrets.token_hex(3).upper()
    with transaction.atomic():
        case = Application.objects.get(pk=source.pk)
        case.pk = None
        case.reference = f"{REFERENCE_PREFIX}{run}"
        case.assigned_officer = officer
        case.version = 1
        case.set_planned_arrival(arrival)
        if checkpoint is not None:
            case.checkpoint, case.border_crossing_point, case.border_region = checkpoint, "", None
        # New workers with the vaccination booked: no worker needs evidence of earlier work, so the
        # only failing check is Moscow's cap of 100, which the officer overrides for the whole case.
        case.kind = ApplicationKind.NEW_WORKERS
        case.vaccination_booked = True
        case.save(force_insert=True)
        people = []
        for number in range(workers):
            person = Worker.objects.get(pk=source_line.worker_id) if number == 0 else _copy(people[0])
            person.pk = None
            person.passport_number = f"B{run}{number:06d}"
            person.surname_latin = f"BATCH{number:05d}"
            expiry_days = -1 if number < failing else 3 * 365
            person.passport_expiry = arrival.date() + dt.timedelta(days=expiry_days)
            people.append(person)
        Worker.objects.bulk_create(people, batch_size=1000)
        lines = []
        for person in people:
            line = _copy(source_line)
            line.pk = None
            line.application = case
            line.worker = person
            line.pcr_test_taken_at = arrival - dt.timedelta(days=2)
            lines.append(line)
        CaseWorker.objects.bulk_create(lines, batch_size=1000)
    return case


def _copy(instance):
    clone = type(instance)()
    clone.__dict__.update({key: value for key, value in instance.__dict__.items() if key != "_state"})
    return clone


def case_page_facts(path: str, account_email: str, second_factor_session) -> dict:
    """Queries, HTML size and status of one request of the page through Django's test client
    (`second_factor_session(user)`: run.py's session data of a user who gave the second factor)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User

    user = User.objects.get(email=account_email)
    client = Client()
    client.force_login(user)
    session = client.session
    session.update(second_factor_session(user))
    session.save()
    started = time.monotonic()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    seconds = time.monotonic() - started
    queries = [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    return {
        "status": response.status_code,
        "queries": len(queries),
        "html_kb": round(len(response.content) / 1024),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000),
        "test_client_ms": round(seconds * 1000),
    }


def post_with_csrf(base: str, path: str, cookie: str, fields: dict, *, timeout: int = 600) -> dict:
    """One POST to the server as the signed-in user, with a CSRF cookie and token of the bench's
    own (Django compares the two); the redirect is not followed. Returns status and seconds."""
    token = secrets.token_hex(16)  # 32 characters, as Django's unmasked secret
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True).encode()
    request = urllib.request.Request(
        base + path,
        data=body,
        method="POST",
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": base + path,
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return {"status": status, "seconds": round(time.monotonic() - started, 2)}


def approve_all(base: str, cookie: str, case_id: int) -> dict:
    """Approves every worker of the case, as the officer's "Approve all workers" button does, and
    reads back what became of the case."""
    from applications.models import Application

    case = Application.objects.get(pk=case_id)
    # Moscow takes at most 100 workers an application (issue 17's cap): the officer approves the
    # whole batch as an exception, with its justification.
    fields = {
        "version": case.version,
        "rule_check_confirmed": "on",
        "case_override": "on",
        "case_justification": "The whole charter arrives together; approved as one batch by the bench.",
    }
    result = post_with_csrf(base, f"/review/applications/{case_id}/approve/", cookie, fields)
    case.refresh_from_db()
    result["status_after"] = case.status
    result["approved_lines"] = case.lines.filter(outcome="approved").count()
    return result


def approve_partially(base: str, cookie: str, case_id: int) -> dict:
    """Takes the partial approval with every mark left at its default, as an officer does after
    "refuse all failing": the workers failing a check are refused with the reason it suggests."""
    from applications.models import Application

    case = Application.objects.get(pk=case_id)
    fields = {
        "step": "decide",
        "version": case.version,
        "page_lines": "",
        "rule_check_confirmed": "on",
        "case_override": "on",
        "case_justification": "The whole charter arrives together; decided as one batch by the bench.",
    }
    result = post_with_csrf(base, f"/review/applications/{case_id}/approve-partially/", cookie, fields)
    case.refresh_from_db()
    result["status_after"] = case.status
    result["approved_lines"] = case.lines.filter(outcome="approved").count()
    result["refused_lines"] = case.lines.filter(outcome="refused").count()
    return result


def decide_charter(base: str, cookie: str, charter: dict) -> dict:
    """"Decide together" on the officer's charter page: every case ticked, "approve every worker";
    each case is approved through its own decision, one after the other."""
    from applications.models import Application

    versions = dict(Application.objects.filter(pk__in=charter["case_ids"]).values_list("pk", "version"))
    fields = {"cases": list(versions), "action": "approve", "reason": ""}
    fields.update({f"version-{pk}": version for pk, version in versions.items()})
    result = post_with_csrf(base, f"/review/charters/{charter['id']}/decide/", cookie, fields)
    statuses = Application.objects.filter(pk__in=charter["case_ids"]).values_list("status", flat=True)
    result["approved_cases"] = sum(1 for status in statuses if status == "approved")
    return result


def targets(batch: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, target, measured, met) rows for the report."""
    rows = []
    trivial = batch["trivial"]["single"]
    for key, label in (
        ("officer_case", "Officer's case page, 5,000 workers"),
        ("employer_case", "Employer's case page, same case"),
    ):
        page = batch[key]
        p95 = page["single"]["p95_ms"]
        ratio = page["single"]["rps"] / trivial["rps"] if trivial["rps"] else 0
        measured = f"p95 {p95:.0f} ms ({page['single']['rps']} req/s, {ratio:.3f} of the trivial page's)"
        target = f"p95 ≤ {CASE_PAGE_P95_MS} ms"
        met = p95 <= CASE_PAGE_P95_MS
        if key == "officer_case":
            measured += f"; {page['facts']['html_kb']} KB of HTML; {page['facts']['queries']} queries"
            target += f", HTML ≤ {CASE_PAGE_HTML_KB} KB, ≤ {CASE_PAGE_QUERIES} queries"
            met = met and page["facts"]["html_kb"] <= CASE_PAGE_HTML_KB and page["facts"]["queries"] <= CASE_PAGE_QUERIES
        rows.append((label, target, measured, met))
    approve = batch["approve"]
    approved = approve["status_after"] == "approved"
    rows.append(
        (
            "Approve all 5,000 (request time)",
            f"≤ {APPROVE_SECONDS:.0f} s",
            f"{approve['seconds']} s (HTTP {approve['status']}; case {approve['status_after']}, "
            f"{approve['approved_lines']:,} lines approved)",
            approved and approve["seconds"] <= APPROVE_SECONDS,
        )
    )
    partial = batch.get("approve_partially")
    if partial:
        rows.append(
            (
                f"Partial approval, {partial['refused_lines']:,} refusals of {partial['refused_lines'] + partial['approved_lines']:,}",
                f"≤ {APPROVE_SECONDS:.0f} s",
                f"{partial['seconds']} s (HTTP {partial['status']}; case {partial['status_after']})",
                partial["status_after"] == "partially_approved" and partial["seconds"] <= APPROVE_SECONDS,
            )
        )
    charter = batch.get("charter")
    if charter:
        page = charter["page"]["single"]
        rows.append(
            (
                f"Officer's charter page ({charter['seeded']['cases']} cases of {charter['seeded']['companies']} companies)",
                f"p95 ≤ {CASE_PAGE_P95_MS} ms (the case page's target)",
                f"p95 {page['p95_ms']:.0f} ms ({page['rps']} req/s); {charter['page'].get('kilobytes', '?')} KB of HTML",
                page["p95_ms"] <= CASE_PAGE_P95_MS,
            )
        )
        decide = charter["decide"]
        per_case = decide["seconds"] / charter["seeded"]["cases"]
        rows.append(
            (
                f"Decide together: approve all {charter['seeded']['cases']} cases, {charter['seeded']['workers']:,} workers",
                f"≤ {DECIDE_TOGETHER_SECONDS:.0f} s a case (no target in the issue)",
                f"{decide['seconds']} s in all, {per_case:.2f} s a case (HTTP {decide['status']}; "
                f"{decide['approved_cases']} of {charter['seeded']['cases']} approved)",
                decide["approved_cases"] == charter["seeded"]["cases"] and per_case <= DECIDE_TOGETHER_SECONDS,
            )
        )
        border = charter["border_list"]
        rows.append(
            (
                f"Charter's border list ({border['rows']:,} rows)",
                f"≤ {BORDER_LIST_SECONDS:.0f} s (the border list's target)",
                f"{border['seconds']} s, first data row after {border['first_row_ms']} ms",
                border["seconds"] <= BORDER_LIST_SECONDS and border["rows"] == charter["seeded"]["workers"],
            )
        )
    border = batch["border_list"]
    rows.append(
        (
            f"Border list of the case's arrival day ({border['rows']:,} rows)",
            f"≤ {BORDER_LIST_SECONDS:.0f} s",
            f"{border['seconds']} s, first data row after {border['first_row_ms']} ms",
            border["seconds"] <= BORDER_LIST_SECONDS if approved else None,
        )
    )
    export = batch["export"]
    single = export["single"]
    rate = single["rows"] / single["seconds"] if single["seconds"] else 0
    rows.append(
        (
            f"CSV export of the queue, {single['rows']:,} rows",
            f"≥ {EXPORT_ROWS_PER_SECOND:,} rows/s",
            f"{rate:,.0f} rows/s ({single['seconds']} s, {single['megabytes']} MB)",
            rate >= EXPORT_ROWS_PER_SECOND,
        )
    )
    rows.append(
        (
            "CSV export, first data row",
            f"≤ {EXPORT_FIRST_ROW_MS} ms",
            f"{single['first_row_ms']} ms",
            single["first_row_ms"] <= EXPORT_FIRST_ROW_MS,
        )
    )
    growth = export["growth_mb"]
    rows.append(
        (
            "CSV export, memory growth of a gunicorn worker",
            f"< {EXPORT_GROWTH_MB} MB",
            f"{growth} MB",
            growth is not None and growth < EXPORT_GROWTH_MB,
        )
    )
    return rows


def render(batch: dict) -> str:
    trivial = batch["trivial"]["single"]
    case = batch["case"]
    lines = [
        f"Case {case['reference']}: {case['workers']:,} workers in review (copied from {case['copied_from']}, "
        f"seeded with bulk_create in {case['seed_seconds']} s), arrival {case['arrival_date']}. "
        f"Trivial page (the anonymous login page) in the same run: {trivial['rps']} req/s, p95 {trivial['p95_ms']} ms "
        f"with {trivial['connections']} connection.",
        "",
        "| measure | target | measured | met |",
        "|---|---|---|---|",
    ]
    for measure, target, measured, met in targets(batch):
        lines.append(f"| {measure} | {target} | {measured} | {'' if met is None else ('met' if met else '**not met**')} |")
    return "\n".join(lines)


def arrival_range(case: dict) -> str:
    day = dt.date.fromisoformat(case["arrival_date"]).isoformat()
    return urllib.parse.urlencode({"arrival_from": day, "arrival_to": day})
