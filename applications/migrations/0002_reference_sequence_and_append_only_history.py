"""Reference numbers from a sequence (no two cases can draw the same one), and a history that the
database itself refuses to rewrite: an UPDATE or DELETE on a status change or a decision fails,
whether it comes from a view, Django admin or a shell."""

from django.db import migrations

APPEND_ONLY_TABLES = ["applications_statuschange", "applications_decision"]

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_history_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();"
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS applications_reference_seq;",
            "DROP SEQUENCE IF EXISTS applications_reference_seq;",
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS portal_refuse_history_rewrite();"),
        *[
            migrations.RunSQL(trigger_sql(table), f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            for table in APPEND_ONLY_TABLES
        ],
    ]
