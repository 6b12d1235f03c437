"""PostgreSQL: an index in the order relevance and date sorting read matches in.

Both read the newest matches first (``published_at DESC NULLS LAST, id DESC``). The
ascending ``search_doc_published`` index cannot give that order (read backwards it puts
undated rows first), so PostgreSQL sorted every match of a common word — detoasting each
one's tsvector — to keep the newest 1,001. With this index it walks newest first and stops.
SQLite reads its candidates in FTS5 rowid order and needs nothing here.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE INDEX search_document_newest ON search_document "
    "(published_at DESC NULLS LAST, id DESC)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_document_newest"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
