"""The data of a company's kind and figures history (schema in 0009, constraint in 0011).

Data:
- The kind of an existing company is inferred from its INN: 12 digits, an entrepreneur; 10, a legal
  entity. A row whose OGRN length disagrees (INN of 10 digits with a 15-digit OGRNIP, or the
  reverse) cannot be fixed by guessing, as one of the two numbers is wrong: the migration stops
  and names those rows (id, INN, OGRN), so an admin corrects them in the register's terms and
  runs it again. Nothing is changed until then.
- "Not stated" figures were stored as 0 and 0 (the sign-up left them optional): they become
  empty. Any other figures become the first row of the company's history, dated when the company
  registered and taken to be for the year before it (what a company states on signing up);
  their evidence is empty.
- The history is append-only (a trigger made in 0009 refuses UPDATE and DELETE), so going back
  leaves its rows; 0009 going back drops the table.
"""

from django.db import migrations


def infer_kind(apps, schema_editor):
    Employer = apps.get_model("applications", "Employer")
    inconsistent = []
    for employer in Employer.objects.only("pk", "inn", "ogrn").iterator():
        kind = "entrepreneur" if len(employer.inn) == 12 else "legal_entity"
        if len(employer.ogrn) != (15 if kind == "entrepreneur" else 13):
            inconsistent.append(f"id {employer.pk}: INN {employer.inn}, OGRN {employer.ogrn}")
    if inconsistent:
        raise RuntimeError(
            "These companies' INN and OGRN are of different kinds (a 10-digit INN goes with a 13-digit OGRN, "
            "a 12-digit INN with a 15-digit OGRNIP); correct them and migrate again:\n" + "\n".join(inconsistent)
        )
    Employer.objects.filter(inn__regex=r"^\d{12}$").update(kind="entrepreneur")
    Employer.objects.filter(annual_revenue_rub=0, average_headcount=0).update(annual_revenue_rub=None, average_headcount=None)


def restore_zero_figures(apps, schema_editor):
    Employer = apps.get_model("applications", "Employer")
    Employer.objects.filter(annual_revenue_rub__isnull=True).update(annual_revenue_rub=0)
    Employer.objects.filter(average_headcount__isnull=True).update(average_headcount=0)


def first_figures(apps, schema_editor):
    Employer = apps.get_model("applications", "Employer")
    EmployerFigures = apps.get_model("applications", "EmployerFigures")
    stated = Employer.objects.filter(annual_revenue_rub__isnull=False, average_headcount__isnull=False)
    EmployerFigures.objects.bulk_create(
        (
            EmployerFigures(
                employer_id=employer.pk, year=employer.created_at.year - 1, annual_revenue_rub=employer.annual_revenue_rub,
                average_headcount=employer.average_headcount, recorded_at=employer.created_at,
            )
            for employer in stated.iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [("applications", "0011_i14_company_kind_and_figures")]

    operations = [
        migrations.RunPython(infer_kind, restore_zero_figures),
        migrations.RunPython(first_figures, migrations.RunPython.noop),
    ]
