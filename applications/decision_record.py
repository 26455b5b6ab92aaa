"""What a decision keeps (docs/design.md, "What a decision keeps").

At the moment of a decision, in its transaction, the decision row and one row per worker are
written with everything the decision rests on as it stood: the rule version's content and its
SHA-256, the checks as structured data, the application's particulars, the company, the officer,
the legal basis printed on the letter, and per worker the identity and the outcome. The record is
those rows in a canonical JSON form (`decision_record`); its SHA-256 is stored with the decision,
and the letter's verification code is derived from it.

Everything here reads plain attributes only, so the data migration that freezes decisions made
before this existed can call it with its historical models.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import translation

from regions.models import CheckpointKind

RECORD_VERSION = 1
# Fields of a rule version that are not rules: who typed it in and when.
_RULE_SET_METADATA = {"created_at", "created_by"}


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of a decision record")


def canonical_json(value: Any) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8, instants in UTC."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default).encode()


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def _plain(value: Any) -> Any:
    """A value as the JSON column gives it back (dates as ISO text), so what is digested before
    the insert is what is read after it."""
    return json.loads(canonical_json(value))


def rule_set_content(rule_set) -> dict | None:
    """Every rule of the version, by field name; the id and the region say which version it is."""
    if rule_set is None:
        return None
    return _plain(
        {field.attname: getattr(rule_set, field.attname) for field in rule_set._meta.concrete_fields if field.name not in _RULE_SET_METADATA}
    )


def verification_code(record_sha256: str) -> str:
    """80 bits of the record's digest in base32, as four groups of four: "ABCD-EFGH-JKLM-NPQR".
    Too many to guess, few enough to type from a printed letter."""
    letters = base64.b32encode(bytes.fromhex(record_sha256)[:10]).decode()
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def normalise_code(text: str) -> str:
    """What a person typed as a code, in the stored form (case, spaces and dashes forgiven)."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _crossing_labels(application) -> dict:
    labels = {}
    for language in ("ru", "en"):
        with translation.override(language):
            if application.checkpoint_id is not None:
                checkpoint = application.checkpoint
                kind = str(CheckpointKind(checkpoint.kind).label)
                if checkpoint.kind == CheckpointKind.AIRPORT:
                    kind = f"{kind} ({checkpoint.code})"
                labels[language] = f"{getattr(checkpoint, f'name_{language}')} — {kind}, {getattr(checkpoint.region, f'name_{language}')}"
            elif application.border_region_id is not None:
                labels[language] = f"{application.border_crossing_point}, {getattr(application.border_region, f'name_{language}')}"
            else:
                labels[language] = application.border_crossing_point
    return labels


def _arrival_zone(application) -> str:
    if application.checkpoint_id is not None:
        return application.checkpoint.region.time_zone
    if application.border_region_id is not None:
        return application.border_region.time_zone
    return application.region.time_zone


def case_particulars(application) -> dict:
    """The application as it was decided: what the letter and the border list print of it."""
    region = application.region
    return _plain(
        {
            "reference": application.reference,
            "kind": application.kind,
            "project_name": application.project_name,
            "activity_okved": application.activity_okved,
            "region": {"number": region.number, "name_ru": region.name_ru, "name_en": region.name_en, "time_zone": region.time_zone},
            "planned_arrival_at": application.planned_arrival_at,
            "planned_arrival_date": application.planned_arrival_date,
            "arrival_zone": _arrival_zone(application),
            "crossing": {
                "code": application.checkpoint.code if application.checkpoint_id is not None else "",
                "label_ru": (labels := _crossing_labels(application))["ru"],
                "label_en": labels["en"],
            },
            "transport_to_isolation": application.transport_to_isolation,
            "isolation_address": application.isolation_address,
            "isolation_days": application.isolation_days,
            "insurance_policy": application.insurance_policy,
            "charter_transport_agreed": application.charter_transport_agreed,
            "vaccination_booked": application.vaccination_booked,
            "submitted_at": application.submitted_at,
        }
    )


# The order of a case's lines on the letter (and so the workers' positions): by name, then line.
LINE_ORDER = ("worker__surname_latin", "worker__given_names_latin", "pk")

WORKER_FIELDS = (
    "position", "line_id", "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic",
    "date_of_birth", "citizenship", "passport_number", "passport_expiry", "outcome", "refusal_reason",
    "refusal_note", "override_note",
)


# What the retention job removes from a decision's worker (applications/services/retention.py).
IDENTITY_FIELDS = (
    "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "date_of_birth", "passport_number",
    "passport_expiry",
)
# Between the values of an identity digest: a character no name or number holds.
IDENTITY_SEPARATOR = "\x1f"


def identity_digest(salt: str, values: Mapping[str, Any]) -> str:
    """SHA-256 of a worker's identity (IDENTITY_FIELDS, dates as ISO text) after the row's salt,
    joined by IDENTITY_SEPARATOR: what a redacted worker of a decision keeps. The retention job
    computes it in SQL the same way; whoever holds the letter can recompute it with the row's salt."""
    parts = [salt, *(value.isoformat() if isinstance(value, dt.date) else str(value) for value in (values[name] for name in IDENTITY_FIELDS))]
    return hashlib.sha256(IDENTITY_SEPARATOR.join(parts).encode()).hexdigest()


def _worker_entry(worker) -> dict:
    # A redacted worker is in the record by the digest of the identity removed, not by it.
    if getattr(worker, "redacted_at", None) is not None:
        entry = {name: getattr(worker, name) for name in WORKER_FIELDS if name not in IDENTITY_FIELDS}
        entry["identity_sha256"] = worker.identity_sha256
        return entry
    return {name: getattr(worker, name) for name in WORKER_FIELDS}


def decision_record(decision, workers: Iterable) -> dict:
    """The canonical record of a decision and its workers, from their rows (saved or not). A
    worker redacted by the retention job counts by its identity's digest (see `record_matches`)."""
    return _plain(
        {
            "version": RECORD_VERSION,
            "application_id": decision.application_id,
            "outcome": decision.outcome,
            "decided_at": decision.decided_at,
            "decided_by": {"id": decision.decided_by_id, "name": decision.officer_name, "position": decision.officer_position},
            "reason": decision.reason,
            "case_override_note": decision.case_override_note,
            "rules": {"id": decision.rule_set_id, "sha256": decision.rule_set_sha256, "content": decision.rule_set_content},
            "checks": decision.checks,
            "case": decision.case_particulars,
            "company": {
                "name": decision.company_name, "inn": decision.company_inn, "ogrn": decision.company_ogrn,
                "address": decision.company_address,
            },
            "letter": {"language": decision.letter_language, "legal_basis": decision.legal_basis},
            "workers": [_worker_entry(worker) for worker in sorted(workers, key=lambda worker: worker.position)],
        }
    )


def stored_record_matches(decision) -> bool:
    """Whether the decision's rows still give the digest stored when it was made, or, once some
    of its workers were redacted, the digest the latest redaction stored after checking the one
    before it (models/retention.py, DecisionRedaction)."""
    return record_matches(decision, list(decision.workers.all()), decision.redactions.order_by("-at", "-pk").first())


def record_matches(decision, workers: list, latest_redaction) -> bool:
    """`stored_record_matches` on rows already read."""
    digest = sha256_of(decision_record(decision, workers))
    if any(getattr(worker, "redacted_at", None) is not None for worker in workers):
        return latest_redaction is not None and digest == latest_redaction.record_sha256
    return bool(decision.record_sha256) and digest == decision.record_sha256


def snapshot_fields(*, application, rule_set, user, letter_language: str, legal_basis: str) -> dict:
    """The decision's frozen columns besides its outcome, checks and reason."""
    employer = application.employer
    content = rule_set_content(rule_set)
    return {
        "rule_set_content": content,
        "rule_set_sha256": sha256_of(content) if content is not None else "",
        "case_particulars": case_particulars(application),
        "company_name": employer.name,
        "company_inn": employer.inn,
        "company_ogrn": employer.ogrn,
        "company_address": employer.legal_address,
        "officer_name": user.full_name or user.email,
        "officer_position": user.position,
        "letter_language": letter_language,
        "legal_basis": legal_basis,
    }


def worker_rows(worker_model, lines: Iterable, override_notes: Mapping[int, str]) -> list:
    """One unsaved row per line, numbered in the order given; `lines` have their outcome set and
    `worker` fetched."""
    rows = []
    for position, line in enumerate(lines, start=1):
        person = line.worker
        rows.append(
            worker_model(
                line_id=line.pk,
                position=position,
                surname_latin=person.surname_latin,
                given_names_latin=person.given_names_latin,
                surname_cyrillic=person.surname_cyrillic,
                given_names_cyrillic=person.given_names_cyrillic,
                date_of_birth=person.date_of_birth,
                citizenship=person.citizenship,
                passport_number=person.passport_number,
                passport_expiry=person.passport_expiry,
                outcome=line.outcome,
                refusal_reason=line.refusal_reason,
                refusal_note=line.refusal_note,
                override_note=override_notes.get(line.pk, ""),
            )
        )
    return rows


def seal(decision, workers: list) -> None:
    """Sets the record's digest and the verification code derived from it."""
    decision.record_sha256 = sha256_of(decision_record(decision, workers))
    decision.verification_code = verification_code(decision.record_sha256)


def sealed_decision(
    *,
    decision_model,
    worker_model,
    application,
    outcome: str,
    rule_set,
    checks: list,
    reason: str,
    user,
    lines: Iterable,
    override_notes: Mapping[int, str],
    case_override_note: str = "",
    decided_at: dt.datetime,
    letter_language: str,
    legal_basis: str,
) -> tuple[Any, list]:
    """The decision and its workers as unsaved rows, sealed: what `freeze` writes. Bulk writers
    (the scale data's generator) write the same rows their own way."""
    decision = decision_model(
        application=application,
        outcome=outcome,
        rule_set=rule_set,
        checks=_plain(checks),
        reason=reason,
        decided_by=user,
        decided_at=decided_at,
        case_override_note=case_override_note,
        **snapshot_fields(
            application=application, rule_set=rule_set, user=user, letter_language=letter_language, legal_basis=legal_basis
        ),
    )
    workers = worker_rows(worker_model, lines, override_notes)
    seal(decision, workers)
    return decision, workers


def freeze(*, decision_model, worker_model, **particulars):
    """Writes the decision and its workers with the record's digest; returns the decision. Takes
    the arguments of `sealed_decision`.

    The caller runs this inside the decision's transaction: if any insert fails, nothing of the
    decision is kept and the case keeps its status."""
    decision, workers = sealed_decision(decision_model=decision_model, worker_model=worker_model, **particulars)
    decision.save(force_insert=True)
    for worker in workers:
        worker.decision = decision
    # One INSERT whatever the number of workers: on PostgreSQL Django sends the rows as arrays
    # (INSERT ... SELECT FROM UNNEST), so there is no limit of parameters to batch under.
    worker_model.objects.bulk_create(workers)
    return decision
