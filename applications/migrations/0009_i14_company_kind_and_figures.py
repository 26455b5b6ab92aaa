"""A company's kind (legal entity or individual entrepreneur), tied to the lengths of its INN and
OGRN by a constraint; and the history of its revenue and headcount figures.

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
- The history is append-only: the database refuses UPDATE and DELETE on it, as for the case history.
"""

import applications.models.employer
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIGURES_TABLE = "applications_employerfigures"


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

    dependencies = [
        ('applications', '0008_employer_earlier_cases_index'),
        ('regions', '0003_region_time_zone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EmployerFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year the figures are for')),
                ('annual_revenue_rub', models.PositiveBigIntegerField(verbose_name='yearly revenue, roubles')),
                ('average_headcount', models.PositiveIntegerField(verbose_name='average headcount')),
                ('evidence', models.FileField(blank=True, upload_to=applications.models.employer.figures_evidence_path, verbose_name='evidence')),
                ('evidence_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('evidence_content_type', models.CharField(blank=True, max_length=50, verbose_name='type')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'company figures',
                'verbose_name_plural': 'company figures',
                'ordering': ['-recorded_at', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='employer',
            name='kind',
            field=models.CharField(choices=[('legal_entity', 'Legal entity'), ('entrepreneur', 'Individual entrepreneur')], default='legal_entity', help_text='A legal entity has a 10-digit INN and a 13-digit OGRN; an entrepreneur a 12-digit INN and a 15-digit OGRNIP.', max_length=20, verbose_name='kind of company'),
        ),
        migrations.AlterField(
            model_name='employer',
            name='annual_revenue_rub',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='yearly revenue, roubles'),
        ),
        migrations.AlterField(
            model_name='employer',
            name='average_headcount',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='average headcount'),
        ),
        migrations.RunPython(infer_kind, restore_zero_figures),
        migrations.AddConstraint(
            model_name='employer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inn__regex', '^\\d{10}$'), ('kind', 'legal_entity'), ('ogrn__regex', '^\\d{13}$')), models.Q(('inn__regex', '^\\d{12}$'), ('kind', 'entrepreneur'), ('ogrn__regex', '^\\d{15}$')), _connector='OR'), name='employer_numbers_match_kind'),
        ),
        migrations.AddField(
            model_name='employerfigures',
            name='employer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='figures_history', to='applications.employer', verbose_name='employer'),
        ),
        migrations.AddField(
            model_name='employerfigures',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddIndex(
            model_name='employerfigures',
            index=models.Index(fields=['employer', '-recorded_at'], name='employer_figures_latest'),
        ),
        migrations.AddConstraint(
            model_name='employerfigures',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='employer_figures_year_sane'),
        ),
        migrations.RunPython(first_figures, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE TRIGGER {FIGURES_TABLE}_append_only BEFORE UPDATE OR DELETE ON {FIGURES_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();",
            f"DROP TRIGGER IF EXISTS {FIGURES_TABLE}_append_only ON {FIGURES_TABLE};",
        ),
    ]
