from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class CaseCitizenships(models.Model):
    """The citizenships of each case's workers, for the queue's citizenship filter.

    Kept by PostgreSQL triggers on the worker lines and on the workers' citizenship (migration
    0007), never written by Django: a case or worker saved from a stale instance cannot undo it,
    and the filter reads one narrow table with a GIN index instead of joining every case of a
    region with its workers. A case without workers has no row.
    """

    # No foreign key constraint of Django's: the one in migration 0007 cascades in the database.
    application = models.OneToOneField(
        "applications.Application", on_delete=models.DO_NOTHING, primary_key=True, related_name="citizenships",
        db_constraint=False,
    )
    codes = ArrayField(models.CharField(max_length=2))

    class Meta:
        indexes = [GinIndex(fields=["codes"], name="case_citizenships_codes")]

    def __str__(self) -> str:
        return f"{self.application_id}: {', '.join(self.codes)}"
