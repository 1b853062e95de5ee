from django.db import migrations

import marketplace.models

# On PostgreSQL a trigger keeps search_vector in step with search_document on every insert and
# update (services, bulk inserts, admin edits alike), and a GIN index on the stored vector serves
# matching and ranking without re-parsing each row's text. SQLite searches search_document.
FORWARD_SQL = [
    """CREATE TRIGGER product_search_vector_update
       BEFORE INSERT OR UPDATE OF search_document ON marketplace_product
       FOR EACH ROW EXECUTE FUNCTION
       tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_document)""",
    "UPDATE marketplace_product SET search_document = search_document",
    "CREATE INDEX product_search_gin ON marketplace_product USING gin (search_vector)",
]
BACKWARD_SQL = [
    "DROP TRIGGER IF EXISTS product_search_vector_update ON marketplace_product",
    "DROP INDEX IF EXISTS product_search_gin",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_vector",
            field=marketplace.models.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL)),
    ]
