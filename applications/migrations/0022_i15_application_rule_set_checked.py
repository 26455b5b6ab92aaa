"""The rule version a case's stored check read (issue 15, point 4: rules cannot change under a
decision). A case that is no longer a draft freezes the version it cites; the trigger of regions
migration 0009 refuses to change or delete it.

Existing cases that were submitted (not drafts, and not withdrawn before submission) are filled
where it can be derived:
- a decided case cites the version its decision applied (the approval's check ran afresh on it);
- any other submitted case cites the version in force in its region on its planned arrival date,
  the one `case_rule_check` reads: every rule change re-checked the region's pending cases, so the
  stored flag was computed on that version.
A case with no version in force on its arrival (none to cite) and drafts stay empty.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE applications_application AS a
   SET rule_set_checked_id = COALESCE(
           (SELECT d.rule_set_id FROM applications_decision AS d WHERE d.application_id = a.id),
           (SELECT r.id FROM regions_ruleset AS r
             WHERE r.region_id = a.region_id AND r.effective_from <= a.planned_arrival_date
             ORDER BY r.effective_from DESC LIMIT 1))
 WHERE a.status <> 'draft' AND a.submitted_at IS NOT NULL AND a.rule_set_checked_id IS NULL;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0021_i15_case_corrections'),
        ('regions', '0008_i15_ruleset_codes_checked'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='rule_set_checked',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checked_applications', to='regions.ruleset', verbose_name='rule version checked'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
