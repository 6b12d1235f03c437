"""Holidays and the outbox now live in network (network 0004 took over the holiday table and copied
the outbox rows); here the demands app lets go of both."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0004_notification_claim"),
        ("network", "0004_holiday_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Holiday")],
            database_operations=[],
        ),
        migrations.DeleteModel(name="Notification"),
    ]
