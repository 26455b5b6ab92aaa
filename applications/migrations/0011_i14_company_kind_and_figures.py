"""A company's kind (legal entity or individual entrepreneur) and the append-only history of its
revenue and headcount figures: the schema. The data follow in 0010, the constraint tying the
kind to the numbers' lengths in 0011 (separate migrations, so each runs in its own transaction:
PostgreSQL refuses to alter a table with rows just updated in the same transaction).
"""

import applications.models.employer
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIGURES_TABLE = "applications_employerfigures"


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0010_i14_returning_earlier_permits'),
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
        migrations.RunSQL(
            f"CREATE TRIGGER {FIGURES_TABLE}_append_only BEFORE UPDATE OR DELETE ON {FIGURES_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_rewrite();",
            f"DROP TRIGGER IF EXISTS {FIGURES_TABLE}_append_only ON {FIGURES_TABLE};",
        ),
    ]
