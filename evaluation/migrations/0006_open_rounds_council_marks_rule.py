"""Open rounds whose criteria-set revision predates `council_marks_rule` move to a revision with the same
sheets that carries the decree's reading (per criterion, by majority): evaluation/revisions.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from evaluation.revisions import adopt_council_marks_rule

    adopt_council_marks_rule(
        apps.get_model("evaluation", "CriteriaSet"),
        apps.get_model("evaluation", "Round"),
        apps.get_model("evaluation", "ScoreSheet"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_list_order_indexes")]

    # Backwards: nothing to undo (the rounds keep the revision with the rule; the old one is kept).
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
