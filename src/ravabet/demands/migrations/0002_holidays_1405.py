"""Ship the official holidays of 1405 (data/holidays-1405.json) into the editable table."""

import json
from pathlib import Path

from django.db import migrations
from persiantools.jdatetime import JalaliDate

# The list now lives with the working-day calendar in network (moved there in network 0004).
DATA = Path(__file__).resolve().parents[2] / "network" / "data" / "holidays-1405.json"


def load(apps, schema_editor):
    Holiday = apps.get_model("demands", "Holiday")
    for item in json.loads(DATA.read_text(encoding="utf-8"))["holidays"]:
        year, month, day = (int(part) for part in item["date"].split("/"))
        Holiday.objects.get_or_create(
            day=JalaliDate(year, month, day).to_gregorian(),
            defaults={"name_fa": item["fa"], "name_en": item.get("en", "")},
        )


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
