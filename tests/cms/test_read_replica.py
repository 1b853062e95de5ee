"""The optional read replica (cms.db_routers): the router's decisions inside and outside
reads_from_replica(), the DATABASE_REPLICA_URL setting, and, with a "replica" alias that is the
test database under a second connection, which connection the impact report and the network
metrics really use."""

import asyncio
import datetime
import io
import json
import threading

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.db_routers import REPLICA, ReplicaRouter, reads_from_replica
from enterprises import network
from enterprises.impact import ImpactQuery, impact_panel, impact_report
from enterprises.models import Enterprise, IncomeRecord, NetworkPosition, NetworkSnapshot, Tie
from enterprises.network import network_metrics_compute
from tests.cms.test_settings import server_environment, settings_values
from tests.factories import EnterpriseFactory, TieFactory, program_officer
from tests.helpers import ON_POSTGRESQL

ROUTER = "cms.db_routers.ReplicaRouter"
WINDOW = {"start": datetime.date(2024, 1, 1), "end": datetime.date(2024, 12, 1)}


def without_replica():
    """The settings of a deployment without DATABASE_REPLICA_URL (DATABASES overridden on
    purpose: the router reads nothing else)."""
    databases = {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS]}
    return override_settings(DATABASES=databases)


# --- The router ----------------------------------------------------------------------------------


def test_outside_the_context_everything_goes_to_default():
    router = ReplicaRouter()

    assert router.db_for_read(Tie) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Tie) == DEFAULT_DB_ALIAS


def test_inside_the_context_reads_go_to_the_replica_and_writes_to_default():
    router = ReplicaRouter()
    loaded_from_replica = Enterprise()
    loaded_from_replica._state.db = REPLICA

    with reads_from_replica():
        assert router.db_for_read(Tie) == REPLICA
        assert router.db_for_read(IncomeRecord, instance=loaded_from_replica) == REPLICA
        assert router.db_for_write(Tie) == DEFAULT_DB_ALIAS
        # Saving something read from the replica still writes to the primary.
        assert router.db_for_write(Enterprise, instance=loaded_from_replica) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Tie) == DEFAULT_DB_ALIAS


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_without_a_replica_alias_the_context_reads_from_default():
    with without_replica(), reads_from_replica():
        assert ReplicaRouter().db_for_read(Tie) == DEFAULT_DB_ALIAS


def test_the_context_nests_decorates_and_is_reset_after_an_error():
    router = ReplicaRouter()

    @reads_from_replica()
    def inner():
        return router.db_for_read(Tie)

    assert inner() == REPLICA
    assert router.db_for_read(Tie) == DEFAULT_DB_ALIAS
    with reads_from_replica():
        assert inner() == REPLICA
        assert router.db_for_read(Tie) == REPLICA  # the inner exit does not end the outer one
    with pytest.raises(RuntimeError), reads_from_replica():
        raise RuntimeError("boom")
    assert router.db_for_read(Tie) == DEFAULT_DB_ALIAS


def test_threads_and_asyncio_tasks_keep_their_own_flag():
    router = ReplicaRouter()
    seen = {}

    with reads_from_replica():
        # A request served by another thread meanwhile reads from default.
        thread = threading.Thread(target=lambda: seen.update(thread=router.db_for_read(Tie)))
        thread.start()
        thread.join()
    assert seen["thread"] == DEFAULT_DB_ALIAS

    async def report(started: asyncio.Event, checked: asyncio.Event):
        with reads_from_replica():
            started.set()
            await checked.wait()
            return router.db_for_read(Tie)

    async def page(started: asyncio.Event, checked: asyncio.Event):
        await started.wait()  # the report task is inside its context now
        alias = router.db_for_read(Tie)
        checked.set()
        return alias

    async def both():
        started, checked = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(report(started, checked), page(started, checked))

    assert asyncio.run(both()) == [REPLICA, DEFAULT_DB_ALIAS]


def test_migrations_and_relations():
    router = ReplicaRouter()

    assert router.allow_migrate(DEFAULT_DB_ALIAS, "enterprises") is True
    assert router.allow_migrate(REPLICA, "enterprises") is False  # a physical copy
    assert router.allow_migrate(REPLICA, "enterprises", model_name="tie") is False
    assert router.allow_relation(Enterprise(), Tie()) is True


# --- The setting ---------------------------------------------------------------------------------


def test_no_replica_and_no_router_unless_database_replica_url_is_set():
    values = settings_values(
        server_environment(DATABASE_REPLICA_URL=None), "DATABASES", "DATABASE_ROUTERS"
    )

    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []


def test_database_replica_url_adds_the_replica_and_the_router():
    env = server_environment(
        DATABASE_REPLICA_URL="postgres://reader:secret@replica.example:5433/guyub",
        DB_CONN_MAX_AGE="60",
    )
    values = settings_values(env, "DATABASES", "DATABASE_ROUTERS")

    replica = values["DATABASES"]["replica"]
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"], replica["NAME"], replica["USER"]) == (
        "replica.example",
        5433,
        "guyub",
        "reader",
    )
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (60, True)
    assert values["DATABASE_ROUTERS"] == [ROUTER]


# --- With a replica: which connection runs what ---------------------------------------------------


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"].lower() for query in captured.captured_queries]


def touching(captured: CaptureQueriesContext, table: str) -> list[str]:
    return [sql for sql in statements(captured) if table in sql]


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        sql
        for sql in statements(captured)
        if sql.lstrip().startswith(("insert", "update", "delete"))
    ]


@pytest.fixture
def platform(migrated_rows):
    """24 enterprises with monthly income in 2024; two cohorts tie in April and July."""
    people = [EnterpriseFactory() for _ in range(24)]
    IncomeRecord.objects.bulk_create(
        [
            IncomeRecord(
                enterprise=enterprise,
                month=datetime.date(2024, month, 1),
                amount=1_000_000
                + 10_000 * index
                + 5_000 * month
                + (
                    200_000 if (index < 6 and month >= 4) or (6 <= index < 12 and month >= 7) else 0
                ),
            )
            for index, enterprise in enumerate(people)
            for month in range(1, 13)
        ]
    )
    for first, started in ((0, datetime.date(2024, 4, 10)), (6, datetime.date(2024, 7, 5))):
        for offset in range(0, 6, 2):
            a, b = people[first + offset], people[first + offset + 1]
            TieFactory(from_enterprise=a, to_enterprise=b, started_on=started)
    return people


@pytest.fixture
def replica_router():
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        yield


def on_both():
    """(default, replica) query captures."""
    return (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]),
        CaptureQueriesContext(connections[REPLICA]),
    )


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_impact_report_reads_its_panel_and_version_from_the_replica(platform, replica_router):
    query = ImpactQuery(**WINDOW)
    primary, replica = on_both()
    with primary, replica:
        routed = impact_report(query=query)

    assert statements(primary) == []  # not even the data version behind the cache key
    assert touching(replica, "enterprises_incomerecord")
    assert touching(replica, "enterprises_tie")
    assert writes(replica) == []
    assert routed["n_units"] == 24

    # The same report as without a replica.
    from django.core.cache import cache

    cache.clear()
    with override_settings(DATABASE_ROUTERS=[]):
        direct = impact_report(query=query)
        direct_panel = impact_panel(query=query)
    assert json.dumps(routed, sort_keys=True, default=str) == json.dumps(
        direct, sort_keys=True, default=str
    )
    pd.testing.assert_frame_equal(impact_panel(query=query), direct_panel)


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_report_page_and_csv_read_the_panel_from_the_replica(platform, replica_router, client):
    client.force_login(program_officer())
    months = {"start": "2024-01", "end": "2024-12"}
    for name in ("network_report", "network_panel_csv"):
        primary, replica = on_both()
        with primary, replica:
            response = client.get(reverse(name), months)

        assert response.status_code == 200, name
        # The session, the user and the snapshot status come from default; the panel does not.
        assert touching(primary, "auth_user")
        assert touching(primary, "enterprises_incomerecord") == [], name
        assert touching(replica, "enterprises_incomerecord"), name
    assert response.content.decode().count("\n") == 1 + 24 * 12  # header and the panel


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_the_impact_report_command_reads_from_the_replica(platform, replica_router):
    out = io.StringIO()
    primary, replica = on_both()
    with primary, replica:
        call_command("impact_report", "--json", "--from", "2024-01", "--to", "2024-12", stdout=out)

    assert statements(primary) == []
    assert touching(replica, "enterprises_incomerecord")
    assert json.loads(out.getvalue())["n_units"] == 24


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_network_metrics_read_from_the_replica_and_write_to_default(
    platform, replica_router, monkeypatch
):
    copied_from = []
    copy_columns = network._copy_columns

    def spy(rows, fields):  # PostgreSQL reads the ties by COPY, which no capture sees
        copied_from.append(rows.db)
        return copy_columns(rows, fields)

    monkeypatch.setattr(network, "_copy_columns", spy)
    snapshot = NetworkSnapshot.objects.create()
    primary, replica = on_both()
    with primary, replica:
        snapshot = network_metrics_compute(snapshot=snapshot, samples=4)

    assert snapshot.status == NetworkSnapshot.Status.DONE, snapshot.error
    assert touching(replica, "enterprises_enterprise")
    assert touching(replica, "enterprises_membership")
    assert writes(replica) == []
    for table in ("enterprises_enterprise", "enterprises_tie", "enterprises_membership"):
        assert [
            sql
            for sql in touching(primary, table)
            if sql.lstrip().startswith("select") and "networkposition" not in sql
        ] == [], table
    if ON_POSTGRESQL:
        assert copied_from == [REPLICA]
    else:
        assert copied_from == []
        assert touching(replica, "enterprises_tie")
    assert any("enterprises_networkposition" in sql for sql in writes(primary))
    assert NetworkPosition.objects.filter(snapshot=snapshot).count() == 24
    assert snapshot.summary["ties"] == 6
