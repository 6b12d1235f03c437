"""The working-day calendar's holidays and the notification outbox move down from demands to network,
so that every app shares them. The holiday table is taken over (renamed), keeping its rows; the
demands' outbox rows are copied into the network's outbox with their demand as the topic, then the
demands' tables are dropped by demands 0005."""

import django.db.models.deletion  # noqa: F401
from django.db import migrations, models


def copy_notifications(apps, schema_editor):
    Notification = apps.get_model("demands", "Notification")
    OutboxMessage = apps.get_model("network", "OutboxMessage")
    batch = []
    for row in Notification.objects.order_by("pk").iterator():
        batch.append(
            OutboxMessage(
                channel=row.channel,
                recipient=row.recipient,
                subject=row.subject,
                body=row.body,
                topic=f"demands.demand:{row.demand_id}" if row.demand_id else "demands",
                sent_at=row.sent_at,
                attempts=row.attempts,
                last_error=row.last_error,
            )
        )
        if len(batch) >= 500:
            OutboxMessage.objects.bulk_create(batch)
            batch = []
    OutboxMessage.objects.bulk_create(batch)  # created_at: the time of the move (auto_now_add)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_shared_counters_and_audit_repeats"),
        ("demands", "0004_notification_claim"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("day", models.DateField(unique=True, verbose_name="date")),
                        ("name_fa", models.CharField(max_length=200, verbose_name="Persian name")),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="English name"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "official holiday",
                        "verbose_name_plural": "official holidays",
                        "ordering": ["day"],
                        "db_table": "demands_holiday",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="holiday", table=None),
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("channel", models.CharField(default="email", max_length=12)),
                ("recipient", models.CharField(max_length=254)),
                ("subject", models.CharField(max_length=200)),
                ("body", models.TextField()),
                ("topic", models.CharField(blank=True, db_index=True, max_length=80)),
                ("attachments", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("claim", models.CharField(blank=True, db_index=True, max_length=32)),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("sent_at__isnull", True)),
                        fields=["created_at"],
                        name="outbox_pending",
                    )
                ],
            },
        ),
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
    ]
