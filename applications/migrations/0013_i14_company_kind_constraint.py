"""The database holds a company's numbers to its kind: a legal entity has a 10-digit INN and a
13-digit OGRN, an individual entrepreneur a 12-digit INN and a 15-digit OGRNIP (the kinds of
existing companies were set in 0010)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("applications", "0012_i14_company_kind_and_figures_data")]

    operations = [
        migrations.AddConstraint(
            model_name='employer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('inn__regex', '^\\d{10}$'), ('kind', 'legal_entity'), ('ogrn__regex', '^\\d{13}$')), models.Q(('inn__regex', '^\\d{12}$'), ('kind', 'entrepreneur'), ('ogrn__regex', '^\\d{15}$')), _connector='OR'), name='employer_numbers_match_kind'),
        ),
    ]
