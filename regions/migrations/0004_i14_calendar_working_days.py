"""Rule versions count in working days (issue 14, point 5): days to decide (default 5 for new
versions; existing versions keep their number, now read as working days) and the new days to
answer a request for information (5 for every version, existing ones included)."""

import django.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0003_region_time_zone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ruleset',
            name='days_to_answer',
            field=models.PositiveSmallIntegerField(default=5, help_text='Working days the employer has to answer a request for information; the officer may change them per request (1 to 30).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='working days to answer a request'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='days_to_decide',
            field=models.PositiveSmallIntegerField(default=5, help_text='Working days of the production calendar, from the day after submission; the clock stops while the employer is asked for information.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(90)], verbose_name='working days to decide'),
        ),
        migrations.AddConstraint(
            model_name='ruleset',
            constraint=models.CheckConstraint(condition=models.Q(('days_to_answer__gte', 1), ('days_to_answer__lte', 30)), name='ruleset_days_to_answer_sane'),
        ),
    ]
