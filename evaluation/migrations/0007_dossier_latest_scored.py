"""Dossier.is_latest_scored and star_gap (issue 15: the advisor list read from an index), filled
from the dossiers as evaluation.services.latest_scored_refresh and Dossier.save keep them from now
on."""

from collections import defaultdict

from django.db import migrations, models

BATCH = 500


def fill(apps, schema_editor):
    from evaluation.stars import star_gap

    Dossier = apps.get_model("evaluation", "Dossier")
    scored = Dossier.objects.filter(score__isnull=False)
    by_gap = defaultdict(list)
    latest = {}
    rows = scored.order_by("product_id", "created_at", "id").values_list("product_id", "id", "score", "stars", "state")
    for product_id, pk, score, stars, state in rows.iterator(chunk_size=5000):
        if (gap := star_gap(score, stars)) is not None:
            by_gap[gap].append(pk)
        if state != "not_recognised":
            latest[product_id] = pk
    for gap, ids in by_gap.items():
        for start in range(0, len(ids), BATCH):
            Dossier.objects.filter(pk__in=ids[start : start + BATCH]).update(star_gap=gap)
    ids = sorted(latest.values())
    for start in range(0, len(ids), BATCH):
        Dossier.objects.filter(pk__in=ids[start : start + BATCH]).update(is_latest_scored=True)


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0010_certificate_scored_with'),
        ('evaluation', '0006_open_rounds_council_marks_rule'),
        ('products', '0009_certificate_figures'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='is_latest_scored',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='dossier',
            name='star_gap',
            field=models.DecimalField(decimal_places=2, editable=False, max_digits=5, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('is_latest_scored', True), ('star_gap__isnull', False)), fields=['star_gap', '-score', 'id'], name='evaluation_dossier_advice_idx'),
        ),
    ]
