"""Forms of filling a draft with many workers (issue 17). They validate and shape; the services
in applications/services/case_workers.py persist."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applications.forms.workers import MAX_REPORTED_ROWS, CheckedRows, RowError, WorkerImportForm, check_import_rows
from applications.models import Application, CaseWorker, Employer
from applications.selectors.people import live_lines
from applications.worker_import import ImportRow, clip

# The most rows one request may tick: a page lists 100, and "all matching" sends none. Kept
# well under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), which would refuse the whole request.
MAX_SELECTED = 500


class IdListField(forms.MultipleChoiceField):
    """Ids ticked on a list page; the rows are looked up (scoped to the company) by the service,
    so the field only checks they are whole numbers and not too many."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid_id": _("The page was incomplete or out of date. Reload it and try again."),
        "too_many": _("Tick at most %(count)d rows at once, or use “all matching”."),
    }

    def to_python(self, value) -> list[int]:
        values = super().to_python(value)
        if len(values) > MAX_SELECTED:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"count": MAX_SELECTED})
        try:
            return [int(item) for item in values]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid_id"], code="invalid_id") from None

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class BulkAddForm(forms.Form):
    """The rows ticked on the registry's filtered list, or all the rows the filter matches."""

    worker = IdListField(required=False)
    all_matching = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_matching") and not cleaned.get("worker") and not self.errors:
            raise forms.ValidationError(_("Tick the workers to add, or choose to add all the workers the filter matches."))
        return cleaned


class LineSelectionForm(forms.Form):
    """Lines of a draft ticked for removal or a move to another draft of the company."""

    ACTIONS = (("remove", _("Remove from this draft")), ("move", _("Move to another draft")))

    line = IdListField(error_messages={"required": _("Tick the workers first.")})
    action = forms.ChoiceField(choices=ACTIONS)
    target = forms.ModelChoiceField(
        label=_("Move to draft"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("Choose a draft"),
    )

    def __init__(self, *args, drafts: QuerySet[Application], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = drafts
        self.fields["target"].label_from_instance = lambda draft: f"{draft.reference} — {draft.project_name}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "move" and not cleaned.get("target") and "target" not in self.errors:
            self.add_error("target", _("Choose the draft to move the workers to."))
        return cleaned


def check_case_import_rows(
    rows: list[ImportRow], *, employer: Employer, headers: dict[str, str], progress: Callable[[int], None] | None = None
) -> CheckedRows:
    """The rows of a file to import onto a case, checked as a registry import checks them, except
    that a person already in the registry (same citizenship and passport) is matched, not
    refused. A person already on a live case of the company (under review, or approved and not
    arrived) is refused with the case named: one person is sent once for the same time."""
    checked = check_import_rows(rows, employer=employer, headers=headers, progress=progress, existing_passports=set())
    if checked.error_rows:
        return checked
    # Every row passed, so the checked rows are the file's rows in order.
    numbers = {(data["citizenship"], data["passport_number"]): row.number for row, data in zip(rows, checked.rows, strict=True)}
    busy = (
        CaseWorker.objects.filter(
            live_lines(), worker__employer=employer, worker__passport_key__in={key for _c, key in numbers}
        )
        .order_by("application__reference")
        .values_list("worker__citizenship", "worker__passport_key", "application__reference")
    )
    references: dict[tuple[str, str], list[str]] = {}
    for citizenship, key, reference in busy:
        if (citizenship, key) in numbers:
            references.setdefault((citizenship, key), []).append(reference)
    for person, row_number in sorted(numbers.items(), key=lambda item: item[1]):
        if person in references:
            checked.error_rows += 1
            if checked.error_rows <= MAX_REPORTED_ROWS:
                checked.errors.append(
                    RowError(
                        row=row_number,
                        column=clip(headers.get("passport_number", "")),
                        message=str(
                            _("This person is already on application %(references)s, which is under review or approved.")
                            % {"references": ", ".join(references[person])}
                        ),
                    )
                )
    if checked.error_rows:
        checked.rows = []
    return checked


class CaseWorkerImportForm(WorkerImportForm):
    """A file of workers to put on a draft: the registry import's reader and rules, with people
    already in the registry matched (see check_case_import_rows). All or nothing per file."""

    def check_rows(self, table):
        return check_case_import_rows(table.rows, employer=self.employer, headers=table.headers)
