"""A search document's address has no length limit (a percent-encoded Persian slug of
100 letters is about 600 characters; PostgreSQL refused it in a 500-character column).

On SQLite, Django alters a column by rebuilding the table, which drops its triggers: the
FTS5 triggers of 0002 are created again and the FTS5 index rebuilt from the table (ids
survive the copy).
"""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF title_terms, body_terms "
    "ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def _triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_document_owner")]

    operations = [
        migrations.AlterField(
            model_name="searchdocument",
            name="url",
            field=models.TextField(verbose_name="address"),
        ),
        migrations.RunPython(_triggers, _triggers),
    ]
