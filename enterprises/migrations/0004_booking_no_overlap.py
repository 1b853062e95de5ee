from django.db import migrations

# No two confirmed bookings of one resource may overlap in time. PostgreSQL enforces it itself
# (btree_gist lets the GiST index compare resource ids with =); on SQLite the booking service
# checks inside a write transaction, which SQLite serialises.
FORWARD_SQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE enterprises_booking ADD CONSTRAINT booking_no_overlap
       EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status = 'confirmed')""",
]
BACKWARD_SQL = ["ALTER TABLE enterprises_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_cooperatives")]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD_SQL), on_postgresql(BACKWARD_SQL)),
    ]
