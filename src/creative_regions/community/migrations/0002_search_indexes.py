"""Trigram indexes for searching names on PostgreSQL (SQLite scans the column)."""

from django.db import migrations

INDEXED = {
    "community_org_search_trgm": "community_organisation",
    "community_person_search_trgm": "community_person",
    "community_community_search_trgm": "community_community",
    "community_inter_search_trgm": "community_interaction",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXED.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("community", "0001_community_records")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
