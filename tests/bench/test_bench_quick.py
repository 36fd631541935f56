"""The benchmark suite in its quick mode: it loads, serves, measures and reports.

Times are not asserted (CI machines differ and are shared); what is asserted is that
every scenario ran and produced figures, so the suite cannot rot between full runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.report import summary_table

ROOT = Path(__file__).resolve().parents[2]


def test_quick_mode_reports_every_scenario(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--size",
            "1500",
            "--db",
            "sqlite",
            "--quick",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "sqlite-1500-quick.json").read_text(encoding="utf-8"))
    markdown = (tmp_path / "sqlite-1500-quick.md").read_text(encoding="utf-8")

    assert report["load"]["rows"]["complaints"] == 1500
    assert report["load"]["rows"]["complaint_events"] > 3 * 1500
    scenarios = report["scenarios"]
    timed = [
        scenarios["floor"],
        scenarios["floor"]["at_intake_concurrency"],
        scenarios["intake"],
        scenarios["queue"]["first"],
        scenarios["queue"]["deep"],
        scenarios["case"],
        scenarios["track"],
        scenarios["search"],
    ]
    for result in timed:
        assert result["count"] > 0
        assert result["errors"] == 0, result["error_samples"]
        for key in ("throughput_per_s", "p50_ms", "p95_ms", "p99_ms"):
            assert isinstance(result[key], float | int), (key, result)
    assert scenarios["queue"]["deep_pages"][0] > 1
    tags = set(scenarios["search"]["by_tag"])
    assert any(t.startswith("ru/") for t in tags)
    assert any(t.startswith("en/") for t in tags)
    assert scenarios["settlement"]["singles_accas_per_second"] > 0
    assert scenarios["settlement"]["goliath_ms_p50"] > 0
    roles = {p["role"] for p in scenarios["memory"]["processes"]}
    assert {"supervisor", "app worker"} <= roles
    assert scenarios["memory"]["max_peak_rss_mb"] > 0
    assert {t["target"] for t in report["targets"]} >= {
        "intake throughput",
        "queue page p95",
        "case view p95",
        "search p95 (worst term)",
        "settlement",
        "server memory",
    }
    assert report["machine"]["cores"] >= 1
    assert report["versions"]["python"]
    assert "python -m bench --size 1500 --db sqlite --quick" in markdown

    # The README's table lists full runs only, each with the machine's pace and the commit.
    assert summary_table(tmp_path).count("\n") == 1  # the header alone: a quick run is left out
    report["meta"]["quick"] = False
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "sqlite-1500.json").write_text(json.dumps(report), encoding="utf-8")
    row = summary_table(tmp_path / "full").splitlines()[-1].split(" | ")
    assert row[0] == "| SQLite"
    assert row[1] == "1,500"
    assert row[-2] == str(scenarios["floor"]["cpu_ms_per_request"]["app"])
    assert row[-1] == f"{report['versions']['complaintdesk_commit'] or '–'} |"


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_in_process_reads_measure_a_loaded_desk(tmp_path: Path) -> None:
    env = {**os.environ, "COMPLAINTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}"}
    loaded = _run("bench", "load", "--size", "300", env=env)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    done = _run("bench.inprocess", "--reads", "20", "--rounds", "2", "--json", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert figures["reads_per_round"] == 20
    for read in ("case view", "queue page"):
        assert len(figures[read]["cpu_ms_rounds"]) == 2
        assert figures[read]["cpu_ms_min"] > 0
    assert "intake" not in figures
    assert _cases(tmp_path / "desk.db") == 300

    filed = _run("bench.inprocess", "--reads", "20", "--rounds", "2", "--intake", env=env)
    assert filed.returncode == 0, filed.stderr[-3000:]
    assert "intake:" in filed.stdout
    # Two rounds of 20, after as many (up to 30) to warm up: they stay in the desk.
    assert _cases(tmp_path / "desk.db") == 300 + 20 + 2 * 20


def _cases(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM complaints").fetchone()[0])


def test_the_in_process_reads_need_a_desk() -> None:
    env = {k: v for k, v in os.environ.items() if k != "COMPLAINTDESK_DATABASE_URL"}
    done = _run("bench.inprocess", env=env)
    assert done.returncode == 2
    assert "COMPLAINTDESK_DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr
