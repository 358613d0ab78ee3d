"""The current certificates' list orders as partial indexes with the lists' own condition
(`WHERE is_current`), which SQLite matches where it takes the composite indexes' leading boolean
for no equality (issue 15)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0010_certificate_scored_with'),
        ('products', '0009_certificate_figures'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='certificate',
            index=models.Index(condition=models.Q(('is_current', True)), fields=['-issued_on', '-id'], name='certificates_current_order_idx'),
        ),
        migrations.AddIndex(
            model_name='certificate',
            index=models.Index(condition=models.Q(('is_current', True)), fields=['expires_on', 'id', 'valid_until', 'revoked_on'], name='certificates_expiring_idx'),
        ),
    ]
