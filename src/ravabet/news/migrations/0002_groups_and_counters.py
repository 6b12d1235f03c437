"""The network's standard news groups, and the one-row counters the newsroom relies on."""

from django.db import migrations

GROUPS = [
    ("province", "اخبار استان", "Province news"),
    ("council", "شورای هماهنگی روابط عمومی‌ها", "PR coordination council"),
    ("pr-week", "هفته ارتباطات و روابط عمومی", "Communications and PR week"),
    ("training", "آموزش", "Training"),
    ("media", "رسانه و فضای مجازی", "Media and cyberspace"),
    ("crisis", "مدیریت رسانه‌ای بحران", "Crisis media management"),
    ("announcements", "اطلاعیه‌ها", "Announcements"),
]


def forwards(apps, schema_editor):
    NewsGroup = apps.get_model("news", "NewsGroup")
    for position, (slug, fa, en) in enumerate(GROUPS):
        NewsGroup.objects.get_or_create(
            slug=slug, defaults={"title_fa": fa, "title_en": en, "position": position}
        )
    apps.get_model("news", "NewsCode").objects.get_or_create(pk=1, defaults={"last": 1000})
    apps.get_model("news", "PageGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
