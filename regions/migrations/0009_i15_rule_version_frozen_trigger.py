"""A rule version cannot change under a decision, in the database too (issue 15, point 4).

regions.models.RuleSet.frozen_reason is the home of the rule and the services and the admin
refuse first, with a message; this trigger is the last guard for every other writer (a shell,
a script, raw SQL, a form validated just before a case was submitted). An UPDATE or DELETE of a
version fails with a readable message when the version (as stored, OLD) is
- in force: it started on or before today by its region's own clock, or
- cited by a decision (applications_decision.rule_set_id), or
- cited by the stored check of a case that is no longer a draft
  (applications_application.rule_set_checked_id).
A change is a new version. The error carries the constraint name rule_version_frozen, by which
the services tell it from other integrity errors (regions.services).
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION regions_rule_version_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    region_today date;
    region_name text;
    reason text;
BEGIN
    SELECT (now() AT TIME ZONE r.time_zone)::date, r.name_en INTO region_today, region_name
      FROM regions_region AS r WHERE r.id = OLD.region_id;
    IF OLD.effective_from <= region_today THEN
        reason := format('it has been in force since %s', to_char(OLD.effective_from, 'DD.MM.YYYY'));
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
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER rule_version_frozen
BEFORE UPDATE OR DELETE ON regions_ruleset
FOR EACH ROW EXECUTE FUNCTION regions_rule_version_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0008_i15_ruleset_codes_checked"),
        # The trigger reads the decisions and the cases' checks.
        ("applications", "0022_i15_application_rule_set_checked"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS regions_rule_version_frozen();"),
        migrations.RunSQL(TRIGGER, "DROP TRIGGER IF EXISTS rule_version_frozen ON regions_ruleset;"),
    ]
