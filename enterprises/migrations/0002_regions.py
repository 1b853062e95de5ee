"""Load Indonesia's provinces and the regencies/cities Guyub starts with from data/regions.csv.

Re-running (or re-applying after an edit to the CSV) updates rows by slug; unapplying keeps them,
since enterprises point at regions with PROTECT."""

import csv
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("enterprises", "Region")
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Provinces first, so every regency finds its parent.
    rows.sort(key=lambda row: row["level"] != "province")
    by_slug = {}
    for row in rows:
        parent = by_slug[row["parent_slug"]] if row["parent_slug"] else None
        region, _ = Region.objects.update_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "level": row["level"], "parent": parent},
        )
        by_slug[region.slug] = region


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop, elidable=False)]
