"""Least privilege in the database (docs/security.md, "Database roles").

Two roles share the portal's database. The owner owns every table and runs the migrations. The
app role, which the portal serves as, owns nothing, is no superuser, and may read and write the
ordinary tables but only read and add to the append-only ones: the status history, the
decisions and everything kept with them. Those are the tables with a trigger named
`<table>_append_only` (the migrations' convention for a trigger that refuses every UPDATE and
DELETE), read from pg_trigger, so a new append-only table is covered by its own migration.

After every `migrate` (the post_migrate signal, connected in portal/security/apps.py) the owner
creates the app role if it is missing and grants it exactly these rights again, so the tables a
migration added are covered too. docs/deploy.md lists the same statements for an administrator.

One UPDATE is let through on some append-only tables: the removal of personal data once it is
kept no longer (applications/services/retention.py). Their `_append_only` trigger runs
`portal_allow_redaction_only` with the columns the redaction writes as its first argument
(migration applications/0034); the app role may update those columns and no other.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction

APPEND_ONLY_TRIGGER_SUFFIX = "_append_only"

# What PostgreSQL says when it refuses a change on principle rather than by accident:
# 42501 insufficient_privilege (the app role lacks the right), 23000 integrity_constraint_violation
# (raised by the portal's triggers: append-only tables, a worker's identity under review; the
# built-in constraints raise its subclasses, 23505 and so on, never 23000 itself).
REFUSAL_SQLSTATES = {"42501", "23000"}


def refused_change(exception: BaseException) -> bool:
    """True when the database refused a change because the portal must never make it."""
    cause = exception.__cause__ if isinstance(exception, DatabaseError) else None
    return getattr(cause, "sqlstate", None) in REFUSAL_SQLSTATES


def append_only_tables(cursor) -> list[str]:
    cursor.execute(
        """
        SELECT DISTINCT c.relname
          FROM pg_trigger AS t
          JOIN pg_class AS c ON c.oid = t.tgrelid
         WHERE c.relnamespace = current_schema()::regnamespace
           AND NOT t.tgisinternal
           AND t.tgname = c.relname || %s
         ORDER BY c.relname
        """,
        [APPEND_ONLY_TRIGGER_SUFFIX],
    )
    return [name for (name,) in cursor.fetchall()]


def redactable_columns(cursor) -> dict[str, list[str]]:
    """table -> the columns its append-only trigger lets the retention job's redaction write
    (the trigger's first argument, a PostgreSQL array), without generated columns."""
    cursor.execute("SELECT to_regproc('portal_allow_redaction_only')::oid")
    (function,) = cursor.fetchone()
    if function is None:  # a database migrated to before that function existed
        return {}
    cursor.execute(
        """
        SELECT c.relname, t.tgargs
          FROM pg_trigger AS t
          JOIN pg_class AS c ON c.oid = t.tgrelid
         WHERE c.relnamespace = current_schema()::regnamespace
           AND t.tgname = c.relname || %s
           AND t.tgfoid = %s
         ORDER BY c.relname
        """,
        [APPEND_ONLY_TRIGGER_SUFFIX, function],
    )
    found = {}
    for table, arguments in cursor.fetchall():
        listed = bytes(arguments).split(b"\x00")[0].decode().strip("{}").split(",")
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
            " AND attgenerated = ''",
            [table],
        )
        writable = {name for (name,) in cursor.fetchall()}
        found[table] = [column for column in listed if column in writable]
    return found


def grant_statements(
    *, role: str, schema: str, append_only: list[str], quote, redactable: dict[str, list[str]] | None = None
) -> list[str]:
    """The statements that give `role` the app's rights, in order (docs/deploy.md lists them)."""
    role, schema = quote(role), quote(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    if append_only:
        statements.append(f"REVOKE UPDATE, DELETE ON {', '.join(quote(table) for table in append_only)} FROM {role}")
    # After the REVOKE, which takes back the column rights too.
    for table, columns in (redactable or {}).items():
        statements.append(f"GRANT UPDATE ({', '.join(quote(column) for column in columns)}) ON {quote(table)} TO {role}")
    return statements


def _role_attributes(cursor, role: str):
    cursor.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, pg_has_role(rolname, current_user, 'MEMBER')"
        " FROM pg_roles WHERE rolname = %s",
        [role],
    )
    return cursor.fetchone()


def ensure_app_role(cursor, *, role: str, password: str = "") -> None:
    """Creates the app role if it does not exist (LOGIN, nothing else), and refuses to grant to
    an existing role that could do more than the app should: the portal never alters a role it
    did not create."""
    quote = cursor.db.ops.quote_name
    if _role_attributes(cursor, role) is None:
        try:
            with transaction.atomic(using=cursor.db.alias):
                cursor.execute(
                    f"CREATE ROLE {quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                    + (" PASSWORD %s" if password else ""),
                    [password] if password else None,
                )
        except DatabaseError as error:
            sqlstate = getattr(error.__cause__, "sqlstate", None)
            if sqlstate == "42501":
                raise ImproperlyConfigured(
                    f"The database role {role!r} does not exist and the owner may not create it: an administrator "
                    "creates it as docs/deploy.md shows, then run migrate again."
                ) from error
            if sqlstate not in {"42710", "23505"}:  # another migrate created it at the same moment
                raise
    superuser, create_role, create_db, bypass_rls, member_of_owner = _role_attributes(cursor, role)
    if superuser or create_role or create_db or bypass_rls or member_of_owner:
        raise ImproperlyConfigured(
            f"The database role {role!r} the portal serves as may do more than read and write rows (it is a superuser, "
            "may create roles or databases, bypasses row security or is a member of the owner). Use an ordinary "
            "role, as docs/deploy.md shows."
        )
    cursor.execute(
        "SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_class"
        " WHERE relowner = %s::regrole AND relnamespace = current_schema()::regnamespace",
        [quote(role)],
    )
    (owned,) = cursor.fetchone()
    if owned:
        raise ImproperlyConfigured(f"The database role {role!r} the portal serves as owns {owned}; the owner role must own them.")


def set_up_app_role(*, using: str = "default", role: str, password: str = "") -> list[str]:
    """As the owner: creates the app role if missing and grants it the app's rights on every
    table of the schema. Idempotent; returns the append-only tables it left insert-only."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        ensure_app_role(cursor, role=role, password=password)
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        append_only = append_only_tables(cursor)
        redactable = redactable_columns(cursor)
        for statement in grant_statements(
            role=role, schema=schema, append_only=append_only, quote=connection.ops.quote_name, redactable=redactable
        ):
            cursor.execute(statement)
    return append_only


def grant_app_rights_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: every migrate, as the owner, ends with the app role's rights."""
    role = settings.PORTAL_APP_DB_ROLE
    if not role or connections[using].settings_dict["USER"] == role:
        return  # one role does both (DATABASE_URL alone), or this is the app role itself
    set_up_app_role(using=using, role=role, password=settings.PORTAL_APP_DB_PASSWORD)
