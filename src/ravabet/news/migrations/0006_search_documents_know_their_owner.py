"""Give the search documents of unpublished items their owner (the author), so that authors keep
finding their own drafts under the "own draft" rule (network.permissions.reach)."""

from django.db import migrations


def fill_owners(apps, schema_editor):
    NewsItem = apps.get_model("news", "NewsItem")
    SearchDocument = apps.get_model("search", "SearchDocument")
    rows = (
        NewsItem.objects.exclude(status="published")
        .filter(author__isnull=False)
        .values_list("pk", "author_id")
    )
    for pk, author_id in rows.iterator(chunk_size=500):
        SearchDocument.objects.filter(source="news", key=str(pk)).update(owner_id=author_id)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_useful_vote_per_address"),
        ("search", "0004_document_owner"),
    ]

    operations = [migrations.RunPython(fill_owners, migrations.RunPython.noop)]
