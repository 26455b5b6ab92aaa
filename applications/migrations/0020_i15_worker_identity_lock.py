"""A worker's identity on a case under review or approved cannot change, in the database too.

The registry's service (applications/services/workers.py, ensure_identity_may_change) refuses
first, with a message next to the form; Django admin calls the same check. This trigger is the
last guard for every other writer (a shell, a script, an admin form validated just before a
case was submitted): an UPDATE that changes the name (Latin), birth date, citizenship, passport
number or company of a worker listed on a case that is submitted, in review, approved or
partially approved fails with a readable message. Contact data and occupation may still change.

The statuses are those of IDENTITY_LOCKING_STATUSES, written out so this migration stays as it
ran; a test checks that the two agree. The error carries the constraint name
worker_identity_locked, by which the service tells it from other integrity errors.
"""

from django.db import migrations

LOCKED_COLUMNS = ("surname_latin", "given_names_latin", "date_of_birth", "citizenship", "passport_number", "employer_id")

FUNCTION = """
CREATE FUNCTION applications_worker_identity_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locking_reference text;
BEGIN
    SELECT a.reference INTO locking_reference
      FROM applications_applicationworker AS l
      JOIN applications_application AS a ON a.id = l.application_id
     WHERE l.worker_id = OLD.id
       AND a.status IN ('submitted', 'in_review', 'approved', 'partially_approved')
     ORDER BY a.reference
     LIMIT 1;
    IF locking_reference IS NOT NULL THEN
        RAISE EXCEPTION 'The name, birth date, citizenship, passport and company of worker % cannot change while application % is under review or approved.',
            OLD.id, locking_reference
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'worker_identity_locked',
                  HINT = 'A renewed passport is a new registry entry.';
    END IF;
    RETURN NEW;
END;
$$;
"""

TRIGGER = f"""
CREATE TRIGGER worker_identity_locked
BEFORE UPDATE OF {", ".join(LOCKED_COLUMNS)} ON applications_worker
FOR EACH ROW
WHEN ({" OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in LOCKED_COLUMNS)})
EXECUTE FUNCTION applications_worker_identity_locked();
"""


class Migration(migrations.Migration):
    dependencies = [("applications", "0019_i15_freeze_existing_decisions")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS applications_worker_identity_locked();"),
        migrations.RunSQL(TRIGGER, "DROP TRIGGER IF EXISTS worker_identity_locked ON applications_worker;"),
    ]
