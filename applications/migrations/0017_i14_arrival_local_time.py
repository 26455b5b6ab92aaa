"""Arrivals and PCR tests become instants in their own time zones.

Existing data, which held dates only:
- a planned arrival date becomes 12:00 (noon) on that date in the case's zone of arrival: the
  region of its checkpoint, else of its other crossing, else the region of work (as
  Application.arrival_zone); planned_arrival_date keeps the date (noon moves to no other date in
  any Russian zone, which differ by at most ten hours);
- a reported arrival date becomes 12:00 on that date in the same zone;
- a PCR test time was entered as Moscow time (the form said so): its zone is Europe/Moscow.
- Undecided cases (submitted, in review, information requested) are marked for a new rule
  check (rule_check_at cleared): the PCR age is now exact, so their "fails a blocking check"
  flag may change. `manage.py recheck_rule_checks` (run by `make migrate` and `make serve`
  after migrating) re-runs the check of every case so marked.

Reversing drops the new columns; the dates stay as they were.
"""

from django.db import migrations, models

# Each case's zone of arrival, as Application.arrival_zone: the checkpoint's region, else the other
# crossing's region, else the region of work.
ARRIVAL_ZONE_CTE = """WITH arrival_zone AS (
    SELECT a.id, COALESCE(cr.time_zone, br.time_zone, r.time_zone) AS time_zone
      FROM applications_application AS a
      JOIN regions_region AS r ON r.id = a.region_id
      LEFT JOIN regions_checkpoint AS c ON c.id = a.checkpoint_id
      LEFT JOIN regions_region AS cr ON cr.id = c.region_id
      LEFT JOIN regions_region AS br ON br.id = a.border_region_id
)
"""

NOON_IN_ARRIVAL_ZONE = """
{arrival_zone}UPDATE applications_application AS a
   SET planned_arrival_at = (a.planned_arrival_date + time '12:00') AT TIME ZONE z.time_zone
  FROM arrival_zone AS z
 WHERE z.id = a.id AND a.planned_arrival_at IS NULL;

{arrival_zone}UPDATE applications_applicationworker AS l
   SET arrived_at = (l.arrived_on + time '12:00') AT TIME ZONE z.time_zone
  FROM arrival_zone AS z
 WHERE z.id = l.application_id AND l.arrived_on IS NOT NULL AND l.arrived_at IS NULL;

UPDATE applications_applicationworker
   SET pcr_test_zone = 'Europe/Moscow'
 WHERE pcr_test_taken_at IS NOT NULL AND pcr_test_zone = '';

UPDATE applications_application
   SET rule_check_at = NULL
 WHERE status IN ('submitted', 'in_review', 'info_requested');

-- The updates queue the deferred foreign-key checks of the rows they touch; PostgreSQL refuses
-- to ALTER a table with such pending events, and the next operations alter these tables.
SET CONSTRAINTS ALL IMMEDIATE;
""".format(arrival_zone=ARRIVAL_ZONE_CTE)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0016_i14_overlap_person_key'),
        ('regions', '0007_i14_checkpoints_checkpoint'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='planned_arrival_at',
            field=models.DateTimeField(null=True, verbose_name='planned arrival'),
        ),
        migrations.AddField(
            model_name='applicationworker',
            name='arrival_test_taken_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='PCR test after arrival taken at'),
        ),
        migrations.AddField(
            model_name='applicationworker',
            name='arrived_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='actual arrival'),
        ),
        migrations.AddField(
            model_name='applicationworker',
            name='pcr_test_zone',
            field=models.CharField(blank=True, max_length=64, verbose_name='time zone of the PCR test'),
        ),
        migrations.RunSQL(NOON_IN_ARRIVAL_ZONE, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='application',
            name='planned_arrival_at',
            field=models.DateTimeField(verbose_name='planned arrival'),
        ),
        migrations.AddConstraint(
            model_name='applicationworker',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('arrived_at__isnull', True), ('arrived_on__isnull', True)), models.Q(('arrived_at__isnull', False), ('arrived_on__isnull', False)), _connector='OR'), name='application_worker_arrival_date_and_time'),
        ),
        migrations.AddConstraint(
            model_name='applicationworker',
            constraint=models.CheckConstraint(condition=models.Q(('arrival_test_taken_at__isnull', True), models.Q(('arrival_test_taken_at__gte', models.F('arrived_at')), ('arrived_at__isnull', False)), _connector='OR'), name='application_worker_arrival_test_after_arrival'),
        ),
        migrations.AddConstraint(
            model_name='applicationworker',
            constraint=models.CheckConstraint(condition=models.Q(('pcr_test_taken_at__isnull', True), models.Q(('pcr_test_zone', ''), _negated=True), _connector='OR'), name='application_worker_pcr_test_has_zone'),
        ),
    ]
