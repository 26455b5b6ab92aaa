"""ApplicationWorker becomes CaseWorker (issue 19, item 6): the model and its table.

The table's rows keep their ids, triggers, indexes and grants (PostgreSQL renames in place). The
functions written in SQL by earlier migrations name the table in their bodies, which PostgreSQL
does not rewrite, so each function that names the old table is redefined with the new name; the
triggers that call them are renamed for what they are on."""

from django.db import migrations

OLD_TABLE, NEW_TABLE = "applications_applicationworker", "applications_caseworker"
TRIGGERS = ("citizenships_insert", "citizenships_delete", "citizenships_update")


def _rename_in_functions(schema_editor, old: str, new: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace"
            " WHERE n.nspname = current_schema() AND p.prosrc LIKE %s",
            [f"%{old}%"],
        )
        for (definition,) in cursor.fetchall():
            # pg_get_functiondef gives CREATE OR REPLACE: the function keeps its oid, owner and grants.
            cursor.execute(definition.replace(old, new))


def _rename_triggers(schema_editor, table: str, old_prefix: str, new_prefix: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for suffix in TRIGGERS:
            cursor.execute(f"ALTER TRIGGER {old_prefix}_{suffix} ON {table} RENAME TO {new_prefix}_{suffix}")


# SQL functions' bodies are checked when they are (re)defined, so each is rewritten while the
# table it names exists under that name: after the rename going forwards, before it going back.
def functions_and_triggers_forwards(apps, schema_editor):
    _rename_in_functions(schema_editor, OLD_TABLE, NEW_TABLE)
    _rename_triggers(schema_editor, NEW_TABLE, "applicationworker", "caseworker")


def triggers_backwards(apps, schema_editor):
    _rename_triggers(schema_editor, NEW_TABLE, "caseworker", "applicationworker")


def functions_backwards(apps, schema_editor):
    _rename_in_functions(schema_editor, NEW_TABLE, OLD_TABLE)


class Migration(migrations.Migration):
    dependencies = [("applications", "0035_i20_api_keys")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, functions_backwards),
        migrations.RenameModel("ApplicationWorker", "CaseWorker"),
        migrations.RunPython(functions_and_triggers_forwards, triggers_backwards),
    ]
