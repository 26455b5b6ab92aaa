"""Keeps applications_casecitizenships in step with the worker lines and the workers'
citizenship, in PostgreSQL: statement-level triggers with transition tables, so a bulk insert
(seed_scale's COPY of 600,000 lines) refreshes each case once, not once per line."""

from django.db import migrations

REFRESH = """
CREATE FUNCTION applications_refresh_citizenships(case_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO applications_casecitizenships (application_id, codes)
    SELECT line.application_id, array_agg(DISTINCT worker.citizenship ORDER BY worker.citizenship)
    FROM applications_applicationworker line
    JOIN applications_worker worker ON worker.id = line.worker_id
    WHERE line.application_id = ANY(case_ids)
    GROUP BY line.application_id
    ON CONFLICT (application_id) DO UPDATE SET codes = EXCLUDED.codes;
    DELETE FROM applications_casecitizenships kept
    WHERE kept.application_id = ANY(case_ids)
      AND NOT EXISTS (SELECT 1 FROM applications_applicationworker line WHERE line.application_id = kept.application_id);
$$;

CREATE FUNCTION applications_lines_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_refresh_citizenships(ARRAY(SELECT DISTINCT application_id FROM added_lines));
    RETURN NULL;
END $$;

CREATE FUNCTION applications_lines_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_refresh_citizenships(ARRAY(SELECT DISTINCT application_id FROM removed_lines));
    RETURN NULL;
END $$;

CREATE FUNCTION applications_lines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_refresh_citizenships(ARRAY(
        SELECT application_id FROM old_lines UNION SELECT application_id FROM new_lines
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION applications_workers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM applications_refresh_citizenships(ARRAY(
        SELECT DISTINCT line.application_id
        FROM new_workers
        JOIN old_workers ON old_workers.id = new_workers.id
        JOIN applications_applicationworker line ON line.worker_id = new_workers.id
        WHERE new_workers.citizenship IS DISTINCT FROM old_workers.citizenship
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER applicationworker_citizenships_insert AFTER INSERT ON applications_applicationworker
    REFERENCING NEW TABLE AS added_lines FOR EACH STATEMENT EXECUTE FUNCTION applications_lines_added();
CREATE TRIGGER applicationworker_citizenships_delete AFTER DELETE ON applications_applicationworker
    REFERENCING OLD TABLE AS removed_lines FOR EACH STATEMENT EXECUTE FUNCTION applications_lines_removed();
CREATE TRIGGER applicationworker_citizenships_update AFTER UPDATE ON applications_applicationworker
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION applications_lines_changed();
CREATE TRIGGER worker_citizenships_update AFTER UPDATE ON applications_worker
    REFERENCING OLD TABLE AS old_workers NEW TABLE AS new_workers FOR EACH STATEMENT EXECUTE FUNCTION applications_workers_changed();

-- A case deleted takes its row with it (Django's own constraints cannot cascade in the database).
ALTER TABLE applications_casecitizenships ADD CONSTRAINT casecitizenships_application_fk
    FOREIGN KEY (application_id) REFERENCES applications_application (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

-- The cases there already.
SELECT applications_refresh_citizenships(ARRAY(SELECT DISTINCT application_id FROM applications_applicationworker));
"""

DROP = """
ALTER TABLE applications_casecitizenships DROP CONSTRAINT casecitizenships_application_fk;
DROP TRIGGER worker_citizenships_update ON applications_worker;
DROP TRIGGER applicationworker_citizenships_update ON applications_applicationworker;
DROP TRIGGER applicationworker_citizenships_delete ON applications_applicationworker;
DROP TRIGGER applicationworker_citizenships_insert ON applications_applicationworker;
DROP FUNCTION applications_workers_changed();
DROP FUNCTION applications_lines_changed();
DROP FUNCTION applications_lines_removed();
DROP FUNCTION applications_lines_added();
DROP FUNCTION applications_refresh_citizenships(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_queue_export_and_case_citizenships")]

    operations = [migrations.RunSQL(REFRESH, DROP)]
