from django.db import migrations

# Matches the expression marketplace.selectors.product_search filters on, so PostgreSQL uses it.
INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS product_search_gin ON marketplace_product "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS product_search_gin")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
