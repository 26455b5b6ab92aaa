"""Forms of the regional officer's pages: the queue's filter form and one form per action on a case.

Each action form carries the case's `version` as it stood when the page was drawn; the view
passes it to the service as `expected_version`, so a decision is never taken on a stale page.
The forms validate and shape input; the services decide whether the action may happen.
"""

from __future__ import annotations

from collections.abc import Iterable

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationWorker, RefusalReason


class ActionButton(Submit):
    """A submit button whose colour is given whole (crispy's Submit always adds btn-primary)."""

    field_classes = "btn"


class QueueFilterForm(forms.Form):
    """The form of `ApplicationQueueFilter` (applications/filters.py); its fields come from the filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "queue-filter"
        self.helper.attrs = {"role": "search", "aria-label": _("Filter the queue")}
        self.helper.layout = Layout(
            Row(
                Column("reference", css_class="col-md-3"),
                Column("employer", css_class="col-md-3"),
                Column("kind", css_class="col-md-3"),
                Column("o", css_class="col-md-3"),
            ),
            Row(
                Column(InlineCheckboxes("status"), css_class="col-md-6"),
                Column("arrival_from", css_class="col-md-3"),
                Column("arrival_to", css_class="col-md-3"),
            ),
        )
        self.helper.add_input(ActionButton("apply", _("Show"), css_class="btn-primary"))


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


class RequestInformationForm(CaseActionForm):
    url_name = "review-request-information"
    submit_label = _("Send the request")
    submit_css_class = "btn-outline-primary"

    message = forms.CharField(
        label=_("What the employer must provide or explain"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    reply_due = forms.DateField(
        label=_("Reply due by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ApproveForm(CaseActionForm):
    url_name = "review-approve"
    submit_label = _("Approve all workers")
    submit_css_class = "btn-success"

    rule_check_confirmed = forms.BooleanField(
        label=_("I have checked the rule check"),
        error_messages={"required": _("Confirm that you have checked the rule check before approving.")},
    )


class RejectForm(CaseActionForm):
    url_name = "review-reject"
    submit_label = _("Reject the application")
    submit_css_class = "btn-danger"

    reason = forms.CharField(
        label=_("Reason for the rejection (sent to the employer)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


APPROVE, REFUSE = "approve", "refuse"


class ApprovePartiallyForm(CaseActionForm):
    """One row per worker line: approve or refuse, and for a refusal a reason from the list and a note."""

    url_name = "review-approve-partially"
    submit_label = _("Approve the workers not refused")
    submit_css_class = "btn-warning"

    def __init__(self, *args, application: Application, lines: Iterable[ApplicationWorker], **kwargs):
        self.lines = list(lines)
        super().__init__(*args, application=application, **kwargs)
        for line in self.lines:
            name = line.worker.display_name
            self.fields[f"line_{line.pk}_decision"] = forms.ChoiceField(
                label=_("Decision for %(worker)s") % {"worker": name},
                choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
                initial=APPROVE,
            )
            self.fields[f"line_{line.pk}_reason"] = forms.ChoiceField(
                label=_("Refusal reason for %(worker)s") % {"worker": name},
                choices=[("", "—"), *RefusalReason.choices],
                required=False,
            )
            self.fields[f"line_{line.pk}_note"] = forms.CharField(
                label=_("Note on %(worker)s (optional)") % {"worker": name},
                max_length=500,
                required=False,
            )
        self.helper.layout = self.build_layout()

    def build_layout(self) -> Layout:
        rows = [
            Fieldset(
                line.worker.display_name,
                Row(
                    Column(f"line_{line.pk}_decision", css_class="col-md-3"),
                    Column(f"line_{line.pk}_reason", css_class="col-md-4"),
                    Column(f"line_{line.pk}_note", css_class="col-md-5"),
                ),
            )
            for line in getattr(self, "lines", [])
        ]
        return Layout("version", *rows)

    def clean(self):
        cleaned_data = super().clean()
        for line in self.lines:
            if cleaned_data.get(f"line_{line.pk}_decision") == REFUSE and not cleaned_data.get(f"line_{line.pk}_reason"):
                self.add_error(f"line_{line.pk}_reason", _("Choose why this worker is refused."))
        return cleaned_data

    @property
    def refusals(self) -> dict[int, tuple[str, str]]:
        """Line id -> (reason, note) of each refused worker, as the service takes them."""
        return {
            line.pk: (self.cleaned_data[f"line_{line.pk}_reason"], self.cleaned_data[f"line_{line.pk}_note"].strip())
            for line in self.lines
            if self.cleaned_data.get(f"line_{line.pk}_decision") == REFUSE
        }
