"""Border crossing points as reference data, loaded from regions/data/checkpoints.csv.

The file's first line (`# source: ...`) says where the list comes from; the loader skips it.
Loading is idempotent (update or create by code), so a corrected file is loaded by a new
migration calling `load_checkpoints` again.
"""

import django.db.models.deletion
from django.db import migrations, models

from regions.checkpoints import load_checkpoints


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0006_i14_company_legal_basis_parts'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('name_ru', models.CharField(max_length=100, verbose_name='name in Russian')),
                ('name_en', models.CharField(max_length=100, verbose_name='name in English')),
                ('kind', models.CharField(choices=[('airport', 'airport'), ('road', 'road crossing'), ('rail', 'railway crossing'), ('sea', 'sea or river port')], max_length=10, verbose_name='kind')),
                ('active', models.BooleanField(default=True, verbose_name='open to the procedure')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checkpoints', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'border crossing point',
                'verbose_name_plural': 'border crossing points',
                'ordering': ['name_en', 'kind'],
            },
        ),
        # Reverse: the rows go with the table (the reverse of CreateModel).
        migrations.RunPython(load_checkpoints, migrations.RunPython.noop),
    ]
