"""A document of a decided case built by a background task because the case is large."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentBuildKind(models.TextChoices):
    DECISION_LETTER = "decision_letter", _("Decision letter")
    WORKER_NOTICES = "worker_notices", _("Notices to the approved workers")


class DocumentBuildState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", pgettext_lazy("document build state", "Failed")


class DocumentBuild(models.Model):
    """The build of a large case's document, queued once the decision commits.

    The letter itself is kept where every letter is kept, in the append-only DecisionLetter (one
    per decision, served as built): this row only says whether that build is still running, is
    done, or failed and why, so the status page can show it and a request never builds a letter of
    thousands of workers itself.

    The notices to a large case's approved workers have no such record of their own: their PDF is
    kept in `file`, in the private storage of uploads (no public URL; served only through the
    case's scoped view), and is empty for every other kind.
    """

    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, related_name="document_builds", verbose_name=_("decision")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentBuildKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=DocumentBuildState.choices, default=DocumentBuildState.PENDING)
    failure = models.TextField(_("why it failed"), blank=True)
    file = models.FileField(_("file"), upload_to="document-builds/", blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document build")
        verbose_name_plural = _("document builds")
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="document_build_one_per_decision_and_kind"),
            models.CheckConstraint(
                condition=models.Q(state="pending") | models.Q(finished_at__isnull=False),
                name="document_build_finished_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="worker_notices", state="done") | ~models.Q(file=""),
                name="document_build_notices_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of decision {self.decision_id}: {self.state}"

    @property
    def is_pending(self) -> bool:
        return self.state == DocumentBuildState.PENDING

    @property
    def is_ready(self) -> bool:
        return self.state == DocumentBuildState.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == DocumentBuildState.FAILED
