"""Backup and restore as the README tells an operator: `pg_dump --format=custom` of a database
holding the demo data, `pg_restore` into a new database, and the same rows come back."""

import io
import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.signal_handlers import disable_reference_index_auto_update

from enterprises import demo as enterprise_demo
from marketplace import demo as market_demo
from tests.helpers import ON_POSTGRESQL

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump/pg_restore need PostgreSQL (CI runs it)"),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                       reason="needs pg_dump and pg_restore (Debian's postgresql-client)"),
]


@pytest.fixture
def demo_data(migrated_rows, monkeypatch, settings):
    """The demo data, committed (pg_dump reads from its own connection); tiny images and no admin
    search or reference indexing, which cost most of a seed's time and are not under test."""
    monkeypatch.setattr(market_demo, "PHOTO_SIZE", (40, 30))
    monkeypatch.setattr(enterprise_demo, "LOGO_SIZE", (24, 24))
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }
    with disable_reference_index_auto_update():
        call_command("seed_demo", stdout=io.StringIO())


def libpq_environment() -> dict:
    """The test database's connection, the way pg_dump and pg_restore read it."""
    database = connection.settings_dict
    given = {"PGHOST": database["HOST"], "PGPORT": database["PORT"], "PGUSER": database["USER"],
             "PGPASSWORD": database["PASSWORD"]}
    return {**os.environ, **{name: str(value) for name, value in given.items() if value}}


def run(*command: str) -> None:
    result = subprocess.run(command, env=libpq_environment(), capture_output=True,  # noqa: S603
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def figures(cursor) -> dict:
    """Row counts of every table, and checksums of the figures people rely on."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    tables = [name for (name,) in cursor.fetchall()]
    result = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalog
        result[table] = cursor.fetchone()[0]
    checks = {
        "order totals": "SELECT sum(total), sum(refunded_total) FROM marketplace_order",
        "income sums": "SELECT sum(amount), count(DISTINCT enterprise_id) "
                       "FROM enterprises_incomerecord",
        "ties": "SELECT md5(string_agg(concat_ws(',', id, kind, from_enterprise_id, "
                "to_enterprise_id), ';' ORDER BY id)) FROM enterprises_tie",
    }
    for name, sql in checks.items():
        cursor.execute(sql)
        result[name] = cursor.fetchone()
    return result


def test_pg_dump_and_pg_restore_round_trip_the_demo_data(demo_data, tmp_path):
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "guyub.dump"
    with connection.cursor() as cursor:
        before = figures(cursor)
    assert before["marketplace_order"] > 0
    assert before["enterprises_incomerecord"] > 0
    assert before["enterprises_tie"] > 0
    assert before["order totals"][0] > 0

    run("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={source}")
    assert dump.stat().st_size > 0
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
        database = connection.settings_dict
        with (
            psycopg.connect(dbname=restored, host=database["HOST"] or None,
                            port=database["PORT"] or None, user=database["USER"] or None,
                            password=database["PASSWORD"] or None) as copy,
            copy.cursor() as cursor,
        ):
            after = figures(cursor)
            # New rows must not collide with restored ones: sequences came back too.
            cursor.execute("SELECT nextval(pg_get_serial_sequence('marketplace_order', 'id')), "
                           "max(id) FROM marketplace_order")
            next_id, max_id = cursor.fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')

    assert after == before
    assert next_id > max_id
