"""The ballots table as the secrecy design needs it (docs/elections.md):

- SQLite: rebuilt WITHOUT ROWID, so that rows live in the order of their random primary key and
  no hidden, ever-growing rowid records the order of insertion.
- Both databases: a trigger refuses any UPDATE that changes a ballot (insert-only). A no-op
  rewrite is allowed: the close uses it on PostgreSQL to give every ballot the same xmin.
"""

from django.db import migrations

TRIGGER_SQLITE = """
CREATE TRIGGER elections_ballot_insert_only BEFORE UPDATE ON elections_ballot
WHEN NEW.id IS NOT OLD.id OR NEW.election_id IS NOT OLD.election_id
  OR NEW.receipt IS NOT OLD.receipt OR NEW.choices IS NOT OLD.choices
BEGIN SELECT RAISE(ABORT, 'ballots are insert-only'); END;
"""

TRIGGER_PG = """
CREATE FUNCTION elections_ballot_insert_only() RETURNS trigger AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.election_id IS DISTINCT FROM OLD.election_id
     OR NEW.receipt IS DISTINCT FROM OLD.receipt
     OR NEW.choices::text IS DISTINCT FROM OLD.choices::text THEN
    RAISE EXCEPTION 'ballots are insert-only';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER elections_ballot_insert_only BEFORE UPDATE ON elections_ballot
FOR EACH ROW EXECUTE FUNCTION elections_ballot_insert_only();
"""

DROP_PG = """
DROP TRIGGER IF EXISTS elections_ballot_insert_only ON elections_ballot;
DROP FUNCTION IF EXISTS elections_ballot_insert_only();
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=%s", ["elections_ballot"]
            )
            create = cursor.fetchone()[0]
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=%s AND sql IS NOT NULL",
                ["elections_ballot"],
            )
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute("ALTER TABLE elections_ballot RENAME TO elections_ballot_old")
            cursor.execute(create.rstrip().rstrip(";") + " WITHOUT ROWID")
            cursor.execute("INSERT INTO elections_ballot SELECT * FROM elections_ballot_old")
            cursor.execute("DROP TABLE elections_ballot_old")
            for sql in indexes:
                cursor.execute(sql)
            cursor.execute(TRIGGER_SQLITE)
        elif connection.vendor == "postgresql":
            cursor.execute(TRIGGER_PG)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS elections_ballot_insert_only")
        elif connection.vendor == "postgresql":
            cursor.execute(DROP_PG)


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
