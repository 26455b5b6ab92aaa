"""Changes made to a decided case's worker and company afterwards, which the decision must not follow."""

import datetime as dt

from django.db import connection

from applications.models import Worker

WORKER_EDITS = {
    "surname_latin": "KARIMOFF",
    "given_names_latin": "ALI",
    "surname_cyrillic": "Каримофф",
    "given_names_cyrillic": "Али",
    "date_of_birth": dt.date(1991, 1, 1),
    "citizenship": "TJ",
    "passport_number": "ZZ0000001",
    "passport_expiry": dt.date(2040, 1, 1),
}


def edit_worker_past_the_lock(worker_id: int, **fields) -> None:
    """Changes a worker as only a bug or a script with the owner's rights could: the registry's
    service and the database refuse to change the identity of a worker on an approved case."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE applications_worker DISABLE TRIGGER worker_identity_locked")
    Worker.objects.filter(pk=worker_id).update(**fields)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE applications_worker ENABLE TRIGGER worker_identity_locked")


COMPANY_EDITS = {"name": "ООО «Переименовано»", "inn": "7707083893", "ogrn": "1027700132195", "legal_address": "Kazan, Baumana 2"}
