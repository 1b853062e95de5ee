"""manage.py impact_report: the published reference through the command, bad CSV input and the
platform report."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.enterprises.test_impact import ECONOMY_WINDOW, MPDTA, _economy

BASE_DIR = Path(__file__).resolve().parents[2]
MPDTA_OPTIONS = ["--from-csv", str(MPDTA), "--unit", "countyreal", "--time", "year",
                 "--outcome", "lemp", "--first-treated", "first.treat"]


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("impact_report", *args, stdout=out)
    return out.getvalue()


def fails(*args, returncode: int = 1) -> tuple[str, str]:
    """The CommandError message and what was printed before it."""
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("impact_report", *args, stdout=out)
    assert raised.value.returncode == returncode
    return str(raised.value), out.getvalue()


def write(tmp_path, text: str, name: str = "panel.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def csv_options(path: str) -> list[str]:
    return ["--from-csv", path, "--unit", "id", "--time", "t", "--outcome", "y",
            "--first-treated", "g"]


def test_mpdta_through_the_command_prints_one_json_object_with_the_published_att():
    output = run(*MPDTA_OPTIONS, "--control-group", "never", "--json")

    result = json.loads(output)  # the whole output is exactly one object
    assert round(result["att"], 3) == -0.040
    assert result["se"] == pytest.approx(0.0118, rel=0.05)  # see test_impact for the tolerance
    assert result["ci_low"] < result["att"] < result["ci_high"]
    assert (result["n_units"], result["n_treated"], result["n_cohorts"]) == (500, 191, 3)
    assert {row["e"] for row in result["event_study"]} == {-4, -3, -2, -1, 0, 1, 2, 3}
    assert all({"e", "att", "se"} <= set(row) for row in result["event_study"])
    assert result["caveats"] and all(isinstance(text, str) for text in result["caveats"])
    assert result["control_group"] == "never"


def test_mpdta_readable_report():
    output = run(*MPDTA_OPTIONS, "--control-group", "never")

    assert "Effect: -0.0400 (95% interval -0.0636 to -0.0163" in output
    assert "Event study" in output and "Pre-trend test: F =" in output
    assert "Units 500, treated 191 in 3 cohorts" in output
    assert "Caveats:" in output and "parallel trends" in output


def test_the_not_yet_treated_comparison_is_the_default():
    result = json.loads(run(*MPDTA_OPTIONS, "--json"))

    assert result["control_group"] == "notyet"
    assert result["n_comparison"] > 309


def test_a_refusal_prints_the_json_and_exits_with_status_2(tmp_path):
    rows = ["id,t,y,g"] + [f"{unit},{t},{unit + t},{3 if unit < 3 else 0}"
                           for unit in range(8) for t in range(1, 6)]
    message, output = fails(*csv_options(write(tmp_path, "\n".join(rows))), "--json",
                            returncode=2)

    result = json.loads(output)
    assert result["status"] == "refused" and result["att"] is None
    assert result["reason"] == message
    assert "at least 10" in message


def test_the_exit_status_of_a_real_run(tmp_path):
    """Scripts see 0 with an estimate and 2 for a refusal, with one JSON object on stdout."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    command = [sys.executable, "manage.py", "impact_report", "--json"]
    ok = subprocess.run(command + MPDTA_OPTIONS, cwd=BASE_DIR, env=environment,  # noqa: S603
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["status"] == "ok"

    rows = ["id,t,y,g"] + [f"{unit},{t},{t},0" for unit in range(8) for t in range(1, 6)]
    refused = subprocess.run(  # noqa: S603
        command + csv_options(write(tmp_path, "\n".join(rows))), cwd=BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["status"] == "refused"


@pytest.mark.parametrize(("text", "expected"), [
    ("", "is empty"),
    ("id,t,y,g\n", "no data rows"),
    ("id,t,y\n1,1,5\n", "no column g (--first-treated)"),
    ("id,t,y,g\n1,1,5,0\n1,2,abc,0\n", "Column 'y', row 2 (line 3): 'abc' is not a number"),
    ("id,t,y,g\n1,1,5,0\n1,2,,0\n", "Column 'y', row 2 (line 3): is empty"),
    ("id,t,y,g\n1,1,5,0\n1,2019-01,5,0\n", "Column 't', row 2 (line 3)"),
    ("id,t,y,g\n1,1,5,0\n1,2,inf,0\n", "Column 'y', row 2"),
    ("id,t,y,g\n1,1,5,0\n2,1,5,0\n1,1,6,0\n", "Rows 1 and 3 are both unit '1' at time 1"),
    ("id,t,y,g\n1,1,5,0\n1,2,5,2\n", "changes within unit '1'"),
    ("id,t,y,g\n1,1,5,-1\n", "Column 'g', row 1 (line 2): the first treated time cannot be "
                             "negative"),
    ("id,t,y,g\n1,1,5,0\n,2,5,0\n", "Column 'id', row 2 (line 3): the unit is empty"),
])
def test_bad_csv_input_is_a_clear_error(tmp_path, text, expected):
    message, output = fails(*csv_options(write(tmp_path, text)))

    assert expected in message
    assert output == ""


def test_a_missing_file_is_a_clear_error(tmp_path):
    message, _output = fails(*csv_options(str(tmp_path / "nowhere.csv")))

    assert "No such file" in message


def test_a_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_bytes(b"\xff\xfe\x00\x01" * 50)

    message, _output = fails(*csv_options(str(path)))

    assert "not a readable CSV file" in message or "no column" in message


def test_csv_mode_needs_every_column_option():
    message, _output = fails("--from-csv", str(MPDTA), "--unit", "countyreal")

    assert "--time" in message and "--outcome" in message and "--first-treated" in message


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "expected"), [
    (["--unit", "id"], "only apply with --from-csv"),
    (["--kinds", "referral,friendship"], "friendship"),
    (["--sector", "mining"], "Unknown sector"),
    (["--cooperative", "no-such-koperasi"], "No cooperative"),
    (["--from", "2024/01"], "--from must be a month written YYYY-MM"),
    (["--from", "2024-05", "--to", "2024-02"], "before the last month"),
])
def test_bad_platform_options_are_clear_errors(args, expected):
    message, _output = fails(*args)

    assert expected in message


@pytest.mark.django_db
def test_the_platform_report_as_json():
    _economy(30, seed=21)

    result = json.loads(run("--json", "--from", "2024-01", "--to", "2025-12", "--kinds",
                            "collaboration"))

    assert result["status"] == "ok"
    assert result["filters"]["kinds"] == ["collaboration"]
    assert result["filters"]["start"] == ECONOMY_WINDOW["start"].isoformat()
    assert result["n_units"] == 30 and result["marketplace_only"]["status"] == "ok"
    assert result["association"]["slope"] is not None
    assert len(result["caveats"]) == 5


@pytest.mark.django_db
def test_the_platform_report_as_text():
    _economy(30, seed=22)

    output = run("--from", "2024-01", "--to", "2025-12")

    assert "Network impact, 2024-01 to 2025-12" in output
    assert "Effect: Rp " in output or "Effect: -Rp " in output
    assert "Association (two-way fixed effects" in output and "Sales on Guyub only" in output


@pytest.mark.django_db
def test_the_platform_report_refuses_small_groups_for_privacy():
    _economy(4, seed=23)

    message, output = fails("--json", "--from", "2024-01", "--to", "2025-12", returncode=2)

    assert "privacy" in message
    assert json.loads(output)["income_by_network_size"] == {"months": [], "groups": []}
