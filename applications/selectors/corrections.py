"""Reads of the correction log (CaseCorrection) for the case pages: each correction described in
the reader's language, and set on the history row it came before. Scoping is the caller's: pass
a case fetched through a scoped selector.

The log keeps raw values (codes, ISO dates, ids, instants with their zone); they are rendered
here, with the field's label and display logic, so a correction reads the same in either language
as the rest of the page. A case page reads the log in one query, plus one per kind of related row
named (regions, checkpoints), whatever the number of corrections.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from applications.models import (
    Application,
    CaseCorrection,
    CaseWorker,
    CorrectionKind,
    Document,
    EarlierPermitKind,
    StatusChange,
    Worker,
    WorkerEarlierPermit,
)
from applications.models.correction import FIELD_KINDS
from regions.countries import country_name
from regions.models import Checkpoint, Region
from regions.time_zones import in_zone

# An empty value: an empty text, no date, no related row.
EMPTY = "—"

# The model whose field a correction of each kind names.
FIELD_MODEL: dict[str, type[models.Model]] = {
    CorrectionKind.CASE_FIELD: Application,
    CorrectionKind.WORKER_FIELD: Worker,
    CorrectionKind.WORKER_ADDED: CaseWorker,
    CorrectionKind.WORKER_REMOVED: CaseWorker,
}
PERMIT_KINDS = (CorrectionKind.PERMIT_DECLARED, CorrectionKind.PERMIT_SCAN_ADDED)
DOCUMENT_KINDS = (CorrectionKind.DOCUMENT_ADDED, CorrectionKind.DOCUMENT_REMOVED)

# Related rows by model and id, read once for all the corrections of a page.
Related = dict[type[models.Model], dict[int, models.Model]]


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since renamed or removed: shown by its stored name
        return None


def _related_ids(corrections: Iterable[CaseCorrection]) -> dict[type[models.Model], set[int]]:
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for correction in corrections:
        if correction.what in PERMIT_KINDS:
            for value in (correction.before, correction.after):
                if value and value.get("region"):
                    wanted[Region].add(value["region"])
            continue
        field = _model_field(FIELD_MODEL.get(correction.what, Application), correction.field) if correction.field else None
        if field is not None and field.is_relation:
            wanted[field.related_model].update(value for value in (correction.before, correction.after) if value is not None)
    return wanted


def _read_related(corrections: Sequence[CaseCorrection]) -> Related:
    related: Related = {}
    for model, ids in _related_ids(corrections).items():
        # A checkpoint's label names its region.
        queryset = Checkpoint.objects.select_related("region") if model is Checkpoint else model._default_manager.all()
        related[model] = queryset.in_bulk(ids)
    return related


def _value_text(model: type[models.Model], name: str, raw: Any, related: Related) -> str:
    """A stored value as the field shows it in the active language."""
    if raw is None or raw == "":
        return EMPTY
    field = _model_field(model, name)
    if field is None:
        return str(raw)
    if field.is_relation:
        row = related.get(field.related_model, {}).get(raw)
        return str(row) if row is not None else str(raw)
    if name == "citizenship":
        return country_name(raw)
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if raw else gettext("No")
    if isinstance(field, models.DateTimeField):
        return in_zone(dt.datetime.fromisoformat(raw["at"]), raw["zone"])
    if isinstance(field, models.DateField):
        return date_format(dt.date.fromisoformat(raw), "SHORT_DATE_FORMAT")
    return str(raw)


def _field_label(model: type[models.Model], name: str) -> str:
    field = _model_field(model, name)
    return str(field.verbose_name) if field is not None else name


def _worker_line_text(correction: CaseCorrection, value: Any, related: Related) -> str:
    """A worker added or removed: the name, and the line's PCR test as printed."""
    if not correction.field:
        return correction.worker_name
    return gettext("%(worker)s, PCR test taken at %(time)s") % {
        "worker": correction.worker_name,
        "time": _value_text(CaseWorker, correction.field, value, related),
    }


def _document_text(value: dict) -> str:
    kind = _value_text(Document, "kind", value.get("kind"), {})
    return f"{value.get('name', '')} ({kind})"


def _permit_text(correction: CaseCorrection, value: dict, related: Related) -> str:
    permit = gettext("%(kind)s %(number)s of %(date)s, %(region)s") % {
        "kind": EarlierPermitKind(value["kind"]).label if value.get("kind") in EarlierPermitKind.values else value.get("kind"),
        "number": value.get("number", ""),
        "date": _value_text(WorkerEarlierPermit, "issued_on", value.get("issued_on"), related),
        "region": _value_text(WorkerEarlierPermit, "region", value.get("region"), related),
    }
    scan = gettext("with its scan") if value.get("scan") else gettext("without a scan")
    return f"{correction.worker_name} — {permit} ({scan})"


def _describe(correction: CaseCorrection, related: Related) -> None:
    """Sets what the page shows: `title`, and either `before_text` → `after_text` (a field that
    changed, `is_change`) or `text` (a worker, document or permit added or removed)."""
    correction.is_change = correction.what in FIELD_KINDS
    if correction.is_change:
        model = FIELD_MODEL[correction.what]
        label = _field_label(model, correction.field)
        correction.title = (
            capfirst(label) if correction.what == CorrectionKind.CASE_FIELD else f"{correction.worker_name} — {label}"
        )
        correction.before_text = _value_text(model, correction.field, correction.before, related)
        correction.after_text = _value_text(model, correction.field, correction.after, related)
        return
    correction.title = correction.get_what_display()
    value = correction.after if correction.after is not None else correction.before
    if correction.what in DOCUMENT_KINDS:
        correction.text = _document_text(value or {})
    elif correction.what in PERMIT_KINDS:
        correction.text = _permit_text(correction, value or {}, related)
    else:
        correction.text = _worker_line_text(correction, value, related)


def corrections_of_case(application: Application) -> list[CaseCorrection]:
    """The case's corrections, oldest first, each described for the page."""
    corrections = list(CaseCorrection.objects.filter(application=application).select_related("actor").order_by("at", "pk"))
    related = _read_related(corrections)
    for correction in corrections:
        _describe(correction, related)
    return corrections


def with_corrections(history: Iterable[StatusChange], corrections: Sequence[CaseCorrection]) -> list[CaseCorrection]:
    """Sets `corrections` on each history row: those made since the row before it. Corrections
    are made only while the authority waits, so a row that gets some is the answer they were sent
    with (or the withdrawal). Returns those made after the last row: not yet sent."""
    remaining = iter(corrections)
    pending = next(remaining, None)
    for change in history:
        change.corrections = []
        while pending is not None and pending.at <= change.at:
            change.corrections.append(pending)
            pending = next(remaining, None)
    return [] if pending is None else [pending, *remaining]
