"""The decision clock stops while a request for information is open (issue 14, point 5).

A case waiting for an answer now has no deadline; it keeps the working days that were left when
the request was made, counted from the day of the latest request in the region's time zone to
the deadline it had (negative when the officer was already late). The answer sets a new deadline
that many working days after the answer day. Deadlines of other pending cases, set in calendar
days before this change, are left as they are: they were promised under the old counting.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Max


def pause_open_requests(apps, schema_editor):
    from zoneinfo import ZoneInfo

    from regions.production_calendar import working_days_between

    Application = apps.get_model("applications", "Application")
    StatusChange = apps.get_model("applications", "StatusChange")
    waiting = (
        Application.objects.filter(status="info_requested")
        .annotate(requested_at=Max("history__at", filter=models.Q(history__to_status="info_requested")))
        .select_related("region")
    )
    for application in waiting.iterator(chunk_size=500):
        request = (
            StatusChange.objects.filter(application_id=application.pk, to_status="info_requested").order_by("-at", "-pk").first()
        )
        changes = {"reply_due": request.reply_due if request else None}
        if application.deadline is not None:
            requested_on = (
                application.requested_at.astimezone(ZoneInfo(application.region.time_zone)).date()
                if application.requested_at
                else application.deadline
            )
            changes.update(decision_days_left=working_days_between(requested_on, application.deadline), deadline=None)
        Application.objects.filter(pk=application.pk).update(**changes)


def restart_paused_clocks(apps, schema_editor):
    from django.utils import timezone

    from regions.production_calendar import add_working_days

    Application = apps.get_model("applications", "Application")
    today = timezone.localdate()
    for application in Application.objects.filter(decision_days_left__isnull=False).iterator(chunk_size=500):
        Application.objects.filter(pk=application.pk).update(
            deadline=add_working_days(today, application.decision_days_left), decision_days_left=None
        )
    Application.objects.filter(reply_due__isnull=False).update(reply_due=None)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0008_employer_earlier_cases_index'),
        ('regions', '0003_region_time_zone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='decision_days_left',
            field=models.SmallIntegerField(blank=True, null=True, verbose_name='working days left to decide (paused)'),
        ),
        migrations.AddField(
            model_name='application',
            name='reply_due',
            field=models.DateField(blank=True, null=True, verbose_name='reply due by'),
        ),
        migrations.RunPython(pause_open_requests, restart_paused_clocks),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('decision_days_left__isnull', True), models.Q(('deadline__isnull', True), ('status', 'info_requested')), _connector='OR'), name='application_paused_clock_has_no_deadline'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('reply_due__isnull', True), ('status', 'info_requested'), _connector='OR'), name='application_reply_due_while_asked'),
        ),
    ]
