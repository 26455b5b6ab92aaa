"""The legal basis of a rule version in parts: type of act, issuing body, number, date.

Existing text such as "Постановление Губернатора Московской области № 108-ПГ" is split into type
(resolution), body ("Губернатора Московской области") and number ("108-ПГ") by
regions.legal_basis.parse_legal_basis (copied below, as a migration must not change with the
code). A bare number ("12-УМ") stays the number; any other text (e.g. "Проект постановления …")
moves to the body, so it is still printed as written and never after "№". The date is kept.
Going back joins the parts into the number field again.
"""

import re

from django.db import migrations, models

ACT_TYPE_WORDS = {
    "приказ": "order", "постановление": "resolution", "указ": "decree", "распоряжение": "directive",
    "протокол": "protocol", "закон": "law",
}
WORD_OF_TYPE = {
    "order": "Приказ", "resolution": "Постановление", "decree": "Указ", "directive": "Распоряжение",
    "protocol": "Протокол", "law": "Закон",
}
FREE_TEXT = re.compile(r"^\s*(?P<type>\w+)\s+(?P<body>.*?)\s*№\s*(?P<number>\S+)\s*$", re.S)


def parse(text):
    text = " ".join(text.split())
    match = FREE_TEXT.match(text)
    if match and match["type"].lower() in ACT_TYPE_WORDS:
        return ACT_TYPE_WORDS[match["type"].lower()], match["body"], match["number"]
    if text and " " not in text:
        return "", "", text.removeprefix("№")
    return "", text, ""


def split_legal_basis(apps, schema_editor):
    RuleSet = apps.get_model("regions", "RuleSet")
    for rule_set in RuleSet.objects.exclude(legal_basis_number="").only("pk", "legal_basis_number"):
        act_type, body, number = parse(rule_set.legal_basis_number)
        RuleSet.objects.filter(pk=rule_set.pk).update(legal_basis_type=act_type, legal_basis_body=body[:300], legal_basis_number=number)


def join_legal_basis(apps, schema_editor):
    RuleSet = apps.get_model("regions", "RuleSet")
    for rule_set in RuleSet.objects.exclude(legal_basis_type="", legal_basis_body=""):
        parts = [WORD_OF_TYPE.get(rule_set.legal_basis_type, ""), rule_set.legal_basis_body]
        if rule_set.legal_basis_number:
            parts.append(f"№ {rule_set.legal_basis_number}")
        text = " ".join(part for part in parts if part)[:100]
        RuleSet.objects.filter(pk=rule_set.pk).update(legal_basis_number=text)


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0005_i14_returning_kinds_accepted'),
    ]

    operations = [
        migrations.AddField(
            model_name='ruleset',
            name='legal_basis_body',
            field=models.CharField(blank=True, help_text='The issuing body as it follows the type of act, e.g. Губернатора Московской области.', max_length=300, verbose_name='issued by'),
        ),
        migrations.AddField(
            model_name='ruleset',
            name='legal_basis_type',
            field=models.CharField(blank=True, choices=[('order', 'order'), ('resolution', 'resolution'), ('decree', 'decree'), ('directive', 'directive'), ('protocol', 'minutes'), ('law', 'law')], max_length=20, verbose_name='type of the act'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='legal_basis_date',
            field=models.DateField(blank=True, null=True, verbose_name='date of the act'),
        ),
        migrations.AlterField(
            model_name='ruleset',
            name='legal_basis_number',
            field=models.CharField(blank=True, help_text='Only the number, e.g. 108-ПГ (without “№”).', max_length=100, verbose_name='number of the act'),
        ),
        migrations.RunPython(split_legal_basis, join_legal_basis),
    ]
