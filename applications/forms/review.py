"""Forms of the regional officer's pages: the queue's filter form, one form per action on a case,
and the border-service list's date range.

Each action form carries the case's `version` as it stood when the page was drawn; the view
passes it to the service as `expected_version`, so a decision is never taken on a stale page.
The forms validate and shape input; the services decide whether the action may happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.approval_drafts import Mark
from applications.forms.common import embedded_form_helper
from applications.forms.plain_widgets import PlainCheckboxInput, PlainRadioSelect, PlainSelect, PlainTextarea, PlainTextInput
from applications.models import Application, CaseWorker, DocumentKind, RefusalReason
from applications.overrides import (
    JUSTIFICATION_MAX_LENGTH,
    JUSTIFICATION_MIN_LENGTH,
    Failures,
    justification_problem,
    refusal_reason_for,
)
from applications.services.cases import MAX_ANSWER_DAYS, MIN_ANSWER_DAYS
from applications.transitions import region_today
from regions.models import RuleSet
from regions.production_calendar import add_working_days
from regions.selectors import rule_set_in_force


class ActionButton(Submit):
    """A submit button whose colour is given whole (crispy's Submit always adds btn-primary)."""

    field_classes = "btn"


QUEUE_PAGE_SIZES = (25, 50, 100)
DEFAULT_QUEUE_PAGE_SIZE = QUEUE_PAGE_SIZES[0]


class QueueFilterForm(forms.Form):
    """The form of `ApplicationQueueFilter` (applications/filters/review.py); its other fields
    come from the filters. The page size rides along so a bookmarked view keeps it."""

    per_page = forms.TypedChoiceField(
        label=_("Rows per page"), choices=[(size, size) for size in QUEUE_PAGE_SIZES], coerce=int, required=False,
        empty_value=DEFAULT_QUEUE_PAGE_SIZE,
    )

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is drawn, not with every form: the queue keeps the drawn form in
        # its cache and usually only reads what was typed in.
        helper = FormHelper()
        helper.form_method = "get"
        helper.form_id = "queue-filter"
        helper.attrs = {"role": "search", "aria-label": _("Filter the queue")}
        helper.layout = Layout(
            Row(
                Column("reference", css_class="col-md-3"),
                Column("employer", css_class="col-md-3"),
                Column("worker", css_class="col-md-3"),
                Column("citizenship", css_class="col-md-3"),
            ),
            Row(
                Column("kind", css_class="col-md-2"),
                Column("charter", css_class="col-md-2"),
                Column("submitted_from", css_class="col-md-2"),
                Column("submitted_to", css_class="col-md-2"),
                Column("arrival_from", css_class="col-md-2"),
                Column("arrival_to", css_class="col-md-2"),
            ),
            Row(Column(InlineCheckboxes("status"), css_class="col-12")),
            Row(
                Column("overdue", css_class="col-md-2"),
                Column("failing", css_class="col-md-3"),
                Column("mine", css_class="col-md-2"),
                Column("o", css_class="col-md-3"),
                Column("per_page", css_class="col-md-2"),
            ),
        )
        helper.add_input(ActionButton("apply", _("Show"), css_class="btn-primary"))
        return helper

    @property
    def page_size(self) -> int:
        """The rows per page asked for; anything else (its error shown at the field) gives the default."""
        if not self.is_bound:
            return DEFAULT_QUEUE_PAGE_SIZE
        self.is_valid()  # fills cleaned_data with the fields that are valid
        return self.cleaned_data.get("per_page") or DEFAULT_QUEUE_PAGE_SIZE

    def clean(self):
        cleaned_data = super().clean()
        for start, end in (("submitted_from", "submitted_to"), ("arrival_from", "arrival_to")):
            if cleaned_data.get(start) and cleaned_data.get(end) and cleaned_data[start] > cleaned_data[end]:
                self.add_error(end, _("This date is before the start of the range."))
        return cleaned_data


class CaseActionForm(forms.Form):
    """An action on one case: posts to `url_name` with the case's version as the page saw it."""

    url_name: str = ""
    submit_label = _("Save")
    submit_css_class = "btn-primary"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, application: Application, **kwargs):
        # Several action forms share one page: ids carry the action's name so labels stay unique,
        # while the posted names stay plain (`version`, `message`, ...).
        kwargs.setdefault("auto_id", f"id_{self.url_name}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", application.version)
        super().__init__(*args, **kwargs)
        self.application = application
        self.helper = FormHelper()
        self.helper.form_action = reverse(f"applications:{self.url_name}", kwargs={"pk": application.pk})
        self.helper.form_id = f"form-{self.url_name}"
        self.helper.layout = self.build_layout()
        self.helper.add_input(
            ActionButton("submit", self.submit_label, css_class=self.submit_css_class, css_id=f"submit-{self.url_name}")
        )

    def build_layout(self) -> Layout:
        return Layout(*self.fields)

    def clean(self):
        cleaned_data = super().clean()
        # The version is hidden, so its own error would never be seen: say it where it is.
        if self.has_error("version"):
            self.add_error(None, _("This form is out of date. Reload the page and try again."))
        return cleaned_data


class TakeIntoReviewForm(CaseActionForm):
    url_name = "review-take"
    submit_label = _("Take into review")


class LookUp:
    """Not given: the form reads it itself."""


class RequestInformationForm(CaseActionForm):
    url_name = "review-request-information"
    submit_label = _("Send the request")
    submit_css_class = "btn-outline-primary"

    message = forms.CharField(
        label=_("What the employer must provide or explain"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    requested_documents = forms.MultipleChoiceField(
        label=_("Documents the employer must send"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick none if only an explanation is needed."),
    )
    # Working days, as the region's rules count them; the service repeats the bounds.
    answer_days = forms.IntegerField(
        label=_("Working days to answer"),
        min_value=MIN_ANSWER_DAYS,
        max_value=MAX_ANSWER_DAYS,
        error_messages={
            "required": _("Give the number of working days the employer has to answer (1 to 30)."),
            "invalid": _("Enter a whole number of working days, from 1 to 30."),
            "min_value": _("Give the employer at least 1 working day."),
            "max_value": _("Give the employer at most 30 working days."),
        },
    )

    def __init__(self, *args, rules: RuleSet | None | type[LookUp] = LookUp, **kwargs):
        super().__init__(*args, **kwargs)
        # The case page passes the rules its rule check read already (one query less).
        if rules is LookUp:
            rules = rule_set_in_force(region_id=self.application.region_id, on=self.application.planned_arrival_date)
        days = rules.days_to_answer if rules else RuleSet._meta.get_field("days_to_answer").default
        self.fields["answer_days"].initial = days
        self.today = region_today(self.application)
        self.fields["answer_days"].help_text = ngettext(
            "Working days of the production calendar, counted from the day after today; the decision "
            "clock stops until the answer. %(days)s working day: reply due by %(date)s.",
            "Working days of the production calendar, counted from the day after today; the decision "
            "clock stops until the answer. %(days)s working days: reply due by %(date)s.",
            days,
        ) % {"days": days, "date": date_format(add_working_days(self.today, days), "SHORT_DATE_FORMAT")}

    @property
    def reply_due(self) -> dt.date | None:
        """The date the chosen working days give, for the page to show once the form is valid."""
        days = getattr(self, "cleaned_data", {}).get("answer_days")
        return add_working_days(self.today, days) if days else None


class OverrideFieldsMixin:
    """The override of a blocking failure, for the approval forms: per worker failing a blocking
    check, a tick "approve despite it" and a justification; for a failure of the whole
    application, the same once (`case_override`, `case_justification`).

    The form says at each field what is missing; the approval's guard (applications/transitions.py)
    runs the check again under the case lock and decides.
    """

    lines: list[CaseWorker]
    failures: Failures
    checks_case_override = True

    def add_override_fields(self) -> None:
        help_text = _(
            "At least a sentence: %(length)d characters and two words. Kept with the decision and shown to the employer."
        ) % {"length": JUSTIFICATION_MIN_LENGTH}
        for line in self.lines:
            if line.pk not in self.failures.by_line:
                continue
            name = line.worker.display_name
            self.fields[f"line_{line.pk}_override"] = forms.BooleanField(
                label=_("Approve %(worker)s against the failing check") % {"worker": name}, required=False,
                widget=PlainCheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"line_{line.pk}_justification"] = forms.CharField(
                label=_("Why %(worker)s is approved against it") % {"worker": name},
                widget=PlainTextarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
                max_length=JUSTIFICATION_MAX_LENGTH, required=False,
                help_text=help_text,
            )
        if self.failures.case:
            self.fields["case_override"] = forms.BooleanField(
                label=_("Approve against the failing checks of the whole application"), required=False,
            )
            self.fields["case_justification"] = forms.CharField(
                label=_("Why the application is approved against them"),
                widget=forms.Textarea(attrs={"rows": 2}), max_length=JUSTIFICATION_MAX_LENGTH, required=False,
                help_text=help_text,
            )

    def override_field_names(self) -> list[str]:
        return [name for name in self.fields if name.endswith(("_override", "_justification"))]

    def clean_overrides(self, approved_line_ids) -> None:
        """Each failing worker approved, and the whole application if it fails, needs its tick and
        a justification; the error stands next to the field that lacks it."""
        data = self.cleaned_data
        # Saving one page of a partial approval decides nothing yet: the whole application's
        # override is asked when the decision is taken.
        if self.failures.case and self.checks_case_override:
            if not data.get("case_override"):
                self.add_error(
                    "case_override",
                    _("The whole application fails a blocking check: %(checks)s Tick the override and justify it, or do not approve.")
                    % {"checks": " ".join(check.text for check in self.failures.case)},
                )
            elif problem := justification_problem(data.get("case_justification", "")):
                self.add_error("case_justification", problem)
        approved = set(approved_line_ids)
        for line in self.lines:
            if line.pk not in approved or line.pk not in self.failures.by_line:
                continue
            if not data.get(f"line_{line.pk}_override"):
                self.add_error(
                    f"line_{line.pk}_override",
                    _("%(worker)s fails a blocking check: refuse this worker, or tick the override and justify it.")
                    % {"worker": line.worker.display_name},
                )
            elif problem := justification_problem(data.get(f"line_{line.pk}_justification", "")):
                self.add_error(f"line_{line.pk}_justification", problem)

    @property
    def overrides(self) -> dict[int, str]:
        """Line id -> justification of each worker the officer approves against a failing check."""
        return {
            line.pk: self.cleaned_data.get(f"line_{line.pk}_justification", "").strip()
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}_override")
        }

    @property
    def case_override(self) -> str:
        if not self.cleaned_data.get("case_override"):
            return ""
        return self.cleaned_data.get("case_justification", "").strip()


class ApproveForm(OverrideFieldsMixin, CaseActionForm):
    """Approves every worker. While the rule check fails, it carries the overrides (see
    OverrideFieldsMixin); refusing some workers instead is the partial form's job."""

    url_name = "review-approve"
    submit_label = _("Approve all workers")
    submit_css_class = "btn-success"

    rule_check_confirmed = forms.BooleanField(
        label=_("I have checked the rule check"),
        error_messages={"required": _("Confirm that you have checked the rule check before approving.")},
    )

    def __init__(self, *args, application: Application, lines: Iterable[CaseWorker] = (), failures: Failures | None = None, **kwargs):
        self.lines = list(lines)
        self.failures = failures or Failures()
        super().__init__(*args, application=application, **kwargs)
        self.add_override_fields()
        # The overrides come before the confirmation: the officer reads them first.
        self.helper.layout = Layout("version", *self.override_field_names(), "rule_check_confirmed")

    def clean(self):
        cleaned_data = super().clean()
        self.clean_overrides(line.pk for line in self.lines)
        return cleaned_data


class RejectForm(CaseActionForm):
    url_name = "review-reject"
    submit_label = _("Reject the application")
    submit_css_class = "btn-danger"

    reason = forms.CharField(
        label=_("Reason for the rejection (sent to the employer)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Every worker on the application is refused."),
    )


APPROVE, REFUSE = "approve", "refuse"


class ApprovePartiallyForm(OverrideFieldsMixin, CaseActionForm):
    """One group per worker line: approve or refuse, and for a refusal a reason from the list and a note.
    A worker failing a blocking check starts on "refuse" with the reason the check suggests, and
    carries the override (tick and justification) should the officer approve them all the same.

    Drawn by templates/applications/review/_approve_partially.html, not by crispy's layout: a crispy
    Fieldset's legend is parsed as template source, and a worker's name typed by an employer must
    never be (it would run as template code and land unescaped in the page).
    """

    url_name = "review-approve-partially"
    submit_label = _("Approve the workers not refused")
    submit_css_class = "btn-warning"

    def __init__(self, *args, application: Application, lines: Iterable[CaseWorker], failures: Failures | None = None, **kwargs):
        self.lines = list(lines)
        self.failures = failures or Failures()
        super().__init__(*args, application=application, **kwargs)
        for line in self.lines:
            name = line.worker.display_name
            failing = self.failures.by_line.get(line.pk)
            self.fields[f"line_{line.pk}_decision"] = forms.ChoiceField(
                label=_("Decision for %(worker)s") % {"worker": name},
                choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
                initial=REFUSE if failing else APPROVE,
                widget=PlainRadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"line_{line.pk}_reason"] = forms.ChoiceField(
                label=_("Refusal reason for %(worker)s") % {"worker": name},
                choices=[("", _("— only if refused —")), *RefusalReason.choices],
                initial=refusal_reason_for(failing) if failing else "",
                required=False,
                widget=PlainSelect(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"line_{line.pk}_note"] = forms.CharField(
                label=_("Details for the employer on %(worker)s (optional)") % {"worker": name},
                max_length=500,
                required=False,
                widget=PlainTextInput(attrs={"class": "form-control form-control-sm"}),
            )
        self.add_override_fields()
        # The template writes the <form> tag; a helper with this form's action and id would
        # repeat them on every radio group that crispy draws.
        self.helper = embedded_form_helper()

    @property
    def worker_rows(self) -> list[dict]:
        """Per line, its worker and the three bound fields, in the order the page lists them; for a
        worker failing a blocking check, the failing checks and the override's two fields too."""
        rows = []
        for line in self.lines:
            failing = self.failures.by_line.get(line.pk, [])
            rows.append({
                "line": line,
                "decision": self[f"line_{line.pk}_decision"],
                "reason": self[f"line_{line.pk}_reason"],
                "note": self[f"line_{line.pk}_note"],
                "failures": failing,
                "override": self[f"line_{line.pk}_override"] if failing else None,
                "justification": self[f"line_{line.pk}_justification"] if failing else None,
            })
        return rows

    @property
    def case_override_fields(self) -> tuple | None:
        """The override of the whole application's failures (tick, justification), if it fails."""
        return (self["case_override"], self["case_justification"]) if self.failures.case else None

    def clean(self):
        cleaned_data = super().clean()
        for line in self.lines:
            if cleaned_data.get(f"line_{line.pk}_decision") == REFUSE and not cleaned_data.get(f"line_{line.pk}_reason"):
                self.add_error(f"line_{line.pk}_reason", _("Choose why this worker is refused."))
            # "Other" has no legal wording of its own: the letter prints the officer's words instead.
            if (
                cleaned_data.get(f"line_{line.pk}_decision") == REFUSE
                and cleaned_data.get(f"line_{line.pk}_reason") == RefusalReason.OTHER
                and not (cleaned_data.get(f"line_{line.pk}_note") or "").strip()
            ):
                self.add_error(
                    f"line_{line.pk}_note",
                    _("Write the grounds for refusing this worker: for “Other” the letter prints your words."),
                )
            # The row starts on "Refuse": a tick left beside it would silently approve no one.
            if cleaned_data.get(f"line_{line.pk}_decision") == REFUSE and cleaned_data.get(f"line_{line.pk}_override"):
                self.add_error(
                    f"line_{line.pk}_override",
                    _("To approve this worker against the check, choose “Approve” for them; or untick the override."),
                )
        self.clean_overrides(line.pk for line in self.lines if cleaned_data.get(f"line_{line.pk}_decision") != REFUSE)
        return cleaned_data

    @property
    def marks(self) -> dict[int, Mark]:
        """Line id -> the officer's mark of each worker of the form (one page of the case)."""
        data = self.cleaned_data
        marks = {}
        for line in self.lines:
            prefix = f"line_{line.pk}_"
            refused = data.get(f"{prefix}decision") == REFUSE
            marks[line.pk] = Mark(
                REFUSE if refused else APPROVE,
                data.get(f"{prefix}reason", "") if refused else "",
                data.get(f"{prefix}note", "").strip() if refused else "",
                bool(data.get(f"{prefix}override")) and not refused,
                data.get(f"{prefix}justification", "").strip() if data.get(f"{prefix}override") and not refused else "",
            )
        return marks

    @property
    def refusals(self) -> dict[int, tuple[str, str]]:
        """Line id -> (reason, note) of each refused worker, as the service takes them."""
        return {
            line.pk: (self.cleaned_data[f"line_{line.pk}_reason"], self.cleaned_data[f"line_{line.pk}_note"].strip())
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}_decision") == REFUSE
        }


class VerifyCompanyForm(CaseActionForm):
    """Verifies the case's company. Not a transition of the case, so no version: verifying twice
    changes nothing (the first verification stands)."""

    url_name = "review-verify-company"
    submit_label = _("Verify this company")
    submit_css_class = "btn-outline-success"

    version = None
    company_checked = forms.BooleanField(
        label=_("I have checked the company's INN and OGRN against the state register"),
        error_messages={"required": _("Confirm that you have checked the company before verifying it.")},
    )


class BorderListFilterForm(forms.Form):
    """The arrival dates of the border service's list; both ends are optional and included.

    Validation only: the queue page draws the inputs (templates/applications/review/_exports.html).
    """

    arrival_from = forms.DateField(label=_("Arrival from"), required=False)
    arrival_to = forms.DateField(label=_("Arrival to"), required=False)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("arrival_from"), cleaned_data.get("arrival_to")
        if start and end and end < start:
            self.add_error("arrival_to", _("The end of the range must not be before its start."))
        return cleaned_data
