from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyReminder(models.Model):
    """A reminder e-mailed to the employer that a reply to a request for information is due.
    One per request at most, so the periodic job can run any number of times."""

    request = models.OneToOneField(
        "applications.StatusChange", on_delete=models.PROTECT, related_name="reply_reminder",
        verbose_name=_("request for information"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply reminder")
        verbose_name_plural = _("reply reminders")

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.sent_at:%d.%m.%Y}"
