"""The page cache's generation moves to the network's named stamps (`news.pages`); the time of
the next scheduled publication goes with it, so scheduled items still publish on time."""

from django.db import migrations


def carry_over(apps, schema_editor):
    PageGeneration = apps.get_model("news", "PageGeneration")
    Stamp = apps.get_model("network", "Stamp")
    row = PageGeneration.objects.filter(pk=1).first()
    if row is not None:
        Stamp.objects.update_or_create(
            name="news.pages", defaults={"number": row.number + 1, "due": row.next_due}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_indexes_for_lists"),
        ("network", "0002_stamps"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="PageGeneration"),
    ]
