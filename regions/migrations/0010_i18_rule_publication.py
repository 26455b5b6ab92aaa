"""Rule versions are published on purpose (issue 18, item 9).

Until now a version went into force by the calendar alone, once its start date came. From here a
version is a draft until an admin publishes it (regions.services.rule_set_publish), which records
who and when; a draft applies to no case. Every version that exists was made under the old rule
and may already be applied, so it becomes published, as of its creation (by nobody recorded).

The trigger of migration 0009 is replaced: a version is frozen once it is published (in force or
not yet), or cited by a decision or a submitted case's check; a draft, even one whose date has
passed, is not in force and stays editable. Publishing a draft is the one change the trigger
lets through, and only to take effect after today by the region's clock (the date of an act
cannot be reached back to; the service says so first, in words).
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F

# The trigger as 0009 made it, to put back when this migration is reversed.
_0009_sql = import_module("regions.migrations.0009_i15_rule_version_frozen_trigger")

NEW_FUNCTION = """
CREATE FUNCTION regions_rule_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    region_today date;
    region_name text;
    reason text;
BEGIN
    SELECT (now() AT TIME ZONE r.time_zone)::date, r.name_en INTO region_today, region_name
      FROM regions_region AS r WHERE r.id = OLD.region_id;
    IF OLD.published_at IS NOT NULL AND OLD.effective_from <= region_today THEN
        reason := format('it has been in force since %s', to_char(OLD.effective_from, 'DD.MM.YYYY'));
    ELSIF OLD.published_at IS NOT NULL THEN
        reason := format('it has been published to take effect on %s', to_char(OLD.effective_from, 'DD.MM.YYYY'));
    ELSIF EXISTS (SELECT 1 FROM applications_decision AS d WHERE d.rule_set_id = OLD.id) THEN
        reason := 'a decision cites it';
    ELSIF EXISTS (SELECT 1 FROM applications_application AS a
                   WHERE a.rule_set_checked_id = OLD.id AND a.status <> 'draft') THEN
        reason := 'the rule check of a submitted application cites it';
    END IF;
    IF reason IS NOT NULL THEN
        RAISE EXCEPTION 'Rule version % of % (from %) is frozen: %. Add a new version instead.',
            OLD.id, region_name, to_char(OLD.effective_from, 'DD.MM.YYYY'), reason
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'rule_version_frozen',
                  HINT = 'A change of rules is always a new version.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.published_at IS NOT NULL AND NEW.effective_from <= region_today THEN
        RAISE EXCEPTION 'Rule version % of % cannot be published to take effect on %: a version is published to start after today.',
            OLD.id, region_name, to_char(NEW.effective_from, 'DD.MM.YYYY')
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'rule_version_published_late',
                  HINT = 'Move the start date of the draft first.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
"""

DROP = """
DROP TRIGGER IF EXISTS rule_version_frozen ON regions_ruleset;
DROP FUNCTION IF EXISTS regions_rule_version_frozen();
"""


def publish_existing_versions(apps, schema_editor):
    RuleSet = apps.get_model("regions", "RuleSet")
    RuleSet.objects.filter(published_at__isnull=True).update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0009_i15_rule_version_frozen_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The old trigger would refuse to stamp the versions in force; it is replaced below.
        migrations.RunSQL(DROP, _0009_sql.FUNCTION + _0009_sql.TRIGGER),
        migrations.AlterModelOptions(
            name="ruleset",
            options={
                "ordering": ["region__number", "-effective_from"],
                "permissions": [("publish_ruleset", "Can publish rule version")],
                "verbose_name": "rule version",
                "verbose_name_plural": "rule versions",
            },
        ),
        migrations.AddField(
            model_name="ruleset",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published at"),
        ),
        migrations.AddField(
            model_name="ruleset",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AddConstraint(
            model_name="ruleset",
            constraint=models.CheckConstraint(
                condition=models.Q(("published_by__isnull", True), ("published_at__isnull", False), _connector="OR"),
                name="ruleset_published_by_with_time",
            ),
        ),
        migrations.RunPython(publish_existing_versions, migrations.RunPython.noop),
        migrations.RunSQL(NEW_FUNCTION + _0009_sql.TRIGGER, DROP),
    ]
