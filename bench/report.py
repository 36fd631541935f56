"""The benchmark's report: one JSON file with everything measured, and a short Markdown
page with the targets, the figures, the machine, the versions and how to run it again."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

LIBRARIES = ("fastapi", "starlette", "uvicorn", "SQLAlchemy", "psycopg", "pydantic", "alembic")


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "system": platform.system(),
        "load_average_at_start": list(os.getloadavg()),
    }


def versions(postgres: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    if postgres:
        found["postgresql"] = postgres
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    try:
        found["complaintdesk_commit"] = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=Path(__file__).parent,
                check=False,
                timeout=10,
            ).stdout.strip()
            or None
        )
    except OSError:
        found["complaintdesk_commit"] = None
    return found


def _p95(result: dict[str, Any] | None) -> float | None:
    return None if not result else result.get("p95_ms")


def _target(
    name: str, goal: str, measured: Any, met: bool | None, note: str = ""
) -> dict[str, Any]:
    return {"target": name, "goal": goal, "measured": measured, "met": met, "note": note}


def targets(report: dict[str, Any], baseline: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each of the issue's targets against what was measured (None: not measured here)."""
    s = report["scenarios"]
    out = []
    intake, ceiling = s.get("intake"), s.get("ceiling") or {}
    if intake:
        rate, p99 = intake.get("throughput_per_s"), intake.get("p99_ms")
        notes = []
        if rate and ceiling.get("inserts_per_s"):
            notes.append(
                f"{100 * rate / ceiling['inserts_per_s']:.1f}% of the durable-insert ceiling"
            )
        stack = (s.get("floor") or {}).get("at_intake_concurrency") or {}
        if rate and stack.get("throughput_per_s"):
            notes.append(
                f"{100 * rate / stack['throughput_per_s']:.1f}% of what the served stack "
                f"answers at all ({stack['throughput_per_s']:,.0f} SELECT 1 requests/s)"
            )
        out.append(
            _target(
                "intake throughput",
                ">= 1,000 complaints/s",
                rate,
                rate is not None and rate >= 1000,
                "; ".join(notes),
            )
        )
        out.append(_target("intake p99", "<= 100 ms", p99, p99 is not None and p99 <= 100))
    queue = s.get("queue")
    if queue:
        first, deep = _p95(queue["first"]), _p95(queue.get("deep"))
        out.append(_target("queue page p95", "<= 15 ms", first, first is not None and first <= 15))
        if deep is not None and first is not None:
            out.append(
                _target(
                    "deep queue page p95",
                    "as fast as the first (<= 1.25x, or within 1 ms)",
                    deep,
                    deep <= max(first * 1.25, first + 1),
                    f"page {queue['deep_pages'][0]}, {queue['rows_before_deep_page']:,} rows in",
                )
            )
        if baseline and baseline.get("scenarios", {}).get("queue") and first is not None:
            base = _p95(baseline["scenarios"]["queue"]["first"])
            if base:
                out.append(
                    _target(
                        "queue growth",
                        f"<= 1.5x the {baseline['meta']['size']:,}-case figure",
                        round(first / base, 2),
                        first <= 1.5 * base,
                        f"{base} ms at {baseline['meta']['size']:,} cases",
                    )
                )
    case = s.get("case")
    if case:
        p95 = _p95(case)
        out.append(_target("case view p95", "<= 20 ms", p95, p95 is not None and p95 <= 20))
    found = s.get("search")
    if found:
        worst = max(
            (t["p95_ms"] for t in found.get("by_tag", {}).values() if t.get("p95_ms") is not None),
            default=_p95(found),
        )
        out.append(
            _target("search p95 (worst term)", "<= 50 ms", worst, worst is not None and worst <= 50)
        )
    settle = s.get("settlement")
    if settle:
        rate, goliath = settle.get("singles_accas_per_second"), settle.get("goliath_ms_p50")
        out.append(
            _target(
                "settlement", ">= 20,000/s on one core", rate, rate is not None and rate >= 20_000
            )
        )
        out.append(_target("Goliath", "<= 5 ms", goliath, goliath is not None and goliath <= 5))
    memory = s.get("memory")
    if memory:
        peak = memory.get("max_peak_rss_mb")
        out.append(
            _target(
                "server memory", "<= 200 MB per process", peak, peak is not None and peak <= 200
            )
        )
    return out


def _row(name: str, r: dict[str, Any] | None, extra: str = "") -> str:
    if not r:
        return f"| {name} | – | – | – | – | – | – | {extra} |"
    cpu = r.get("cpu_ms_per_request")
    cost = (
        f"{cpu['app']} + {cpu['database']} (≤ {r.get('cpu_bound_per_s'):,}/s)"
        if cpu and r.get("cpu_bound_per_s")
        else "–"
    )
    return (
        f"| {name} | {r.get('throughput_per_s')} | {r.get('p50_ms')} | {r.get('p95_ms')} | "
        f"{r.get('p99_ms')} | {r.get('count')} ({r.get('errors', 0)} errors) | {cost} | {extra} |"
    )


def markdown(report: dict[str, Any]) -> str:
    s, meta = report["scenarios"], report["meta"]
    lines = [
        f"# complaintdesk benchmark: {meta['size']:,} cases on {meta['db']}"
        + (" (quick mode)" if meta["quick"] else ""),
        "",
        f"Measured {meta['finished']}, {meta['workers']} app processes, "
        f"reads at concurrency {meta['read_concurrency']} over "
        f"{meta.get('read_connections', meta['read_concurrency'])} keep-alive connections, "
        "intake at "
        f"{meta['intake_concurrency']}. Rerun: `{meta['command']}`.",
        "",
        "## Targets",
        "",
        "| target | goal | measured | met | note |",
        "| --- | --- | --- | :-: | --- |",
    ]
    for t in report["targets"]:
        met = {True: "yes", False: "**no**", None: "–"}[t["met"]]
        lines.append(f"| {t['target']} | {t['goal']} | {t['measured']} | {met} | {t['note']} |")
    lines += [
        "",
        "## Scenarios (latency in ms)",
        "",
        "| scenario | per second | p50 | p95 | p99 | requests | CPU ms app + db | note |",
        "| --- | --: | --: | --: | --: | --- | --- | --- |",
    ]
    intake, ceiling = s.get("intake"), s.get("ceiling") or {}
    share = ""
    if intake and ceiling.get("inserts_per_s"):
        share = (
            f"{100 * intake['throughput_per_s'] / ceiling['inserts_per_s']:.1f}% of "
            f"pgbench's {ceiling['inserts_per_s']:,.0f} inserts/s"
        )
    floor = s.get("floor")
    lines.append(_row("floor (GET /healthz: one SELECT 1)", floor))
    if floor and floor.get("at_intake_concurrency"):
        lines.append(
            _row(
                f"floor at intake's concurrency ({floor['at_intake_concurrency']['concurrency']})",
                floor["at_intake_concurrency"],
                "the most requests/s the served stack answers here",
            )
        )
    lines.append(_row("intake (POST /api/v1/complaints)", intake, share))
    queue = s.get("queue")
    if queue:
        lines.append(
            _row(
                f"queue, first page (team {queue['team']}, {queue['open_cases_in_team']:,} open)",
                queue["first"],
            )
        )
        lines.append(
            _row(
                f"queue, deep page (page {queue['deep_pages'][0] if queue['deep_pages'] else '-'})",
                queue.get("deep"),
                f"{queue['rows_before_deep_page']:,} rows in",
            )
        )
    lines.append(_row("case view (GET /api/v1/complaints/{ref})", s.get("case")))
    lines.append(_row("tracking page (GET /api/v1/track/{ref})", s.get("track")))
    found = s.get("search")
    if found:
        lines.append(_row("search, all terms", found))
        counts = {t["tag"]: t["matching_cases"] for t in found.get("terms", [])}
        for tag, r in found.get("by_tag", {}).items():
            lines.append(_row(f"search `{tag}`", r, f"{counts.get(tag)} matching cases"))
    lines += [
        "",
        "CPU ms app + db: the user and system time of the server's processes and of its "
        "PostgreSQL backends, divided by the requests sent; ≤ N/s is what the machine's "
        "cores could serve at that cost with nothing else running. It moves less than "
        "latency when other work shares the machine, but it moves too (caches, switches): "
        "the floor's own cost shows by how much.",
    ]
    settle = s.get("settlement")
    if settle:
        lines += [
            "",
            f"Settlement verifier (one core): {settle['singles_accas_per_second']:,} "
            f"singles and accumulators/s; Goliath p50 {settle['goliath_ms_p50']} ms, "
            f"p95 {settle['goliath_ms_p95']} ms (process CPU time).",
        ]
    memory = s.get("memory")
    if memory:
        per = ", ".join(f"{p['role']} {p['peak_rss_mb']} MB" for p in memory["processes"])
        lines += ["", f"Server memory, peak RSS per process (VmHWM): {per}."]
        if memory.get("app_process_restarts"):
            lines += [
                "",
                f"**{memory['app_process_restarts']} app processes died and were "
                "restarted during the run: its figures are not valid.**",
            ]
    if ceiling:
        lines += [
            "",
            "Physical limit: "
            + (
                f"pgbench, one single-row INSERT per transaction, -c 16 -j 2, "
                f"{ceiling['seconds']} s: {ceiling['inserts_per_s']:,} inserts/s "
                f"(synchronous_commit={ceiling['settings']['synchronous_commit']}, "
                f"fsync={ceiling['settings']['fsync']})."
                if "inserts_per_s" in ceiling
                else json.dumps(ceiling)
            ),
        ]
    load = report.get("load") or {}
    if load:
        rows = ", ".join(f"{k} {v:,}" for k, v in load.get("rows", {}).items())
        lines += ["", f"Data: {rows}; loaded in {load.get('seconds', {}).get('total')} s."]
    m, v = report["machine"], report["versions"]
    lines += [
        "",
        "## Machine and versions",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB memory, {m['system']}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}.",
        "",
        ", ".join(f"{k} {val}" for k, val in v.items() if val),
        "",
    ]
    return "\n".join(lines)


def write(report: dict[str, Any], out: Path, stem: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path


def summary_table(results: Path) -> str:
    """The README's table: one line per full (not quick) report found in ``results``."""
    rows = []
    for path in results.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        meta = report.get("meta", {})
        if meta.get("quick"):
            continue
        rows.append(((meta.get("db") != "postgresql", meta.get("size", 0)), report))
    lines = [
        "| database | cases | intake /s | intake p99 | queue page p95, first / deep "
        "| case view p95 | search p95, worst term | peak MB per process "
        "| pace: probe CPU ms | commit |",
        "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --- |",
    ]
    for _, report in sorted(rows, key=lambda r: r[0]):
        s, meta = report["scenarios"], report["meta"]
        queue = s.get("queue") or {}
        search = s.get("search") or {}
        worst = max((r.get("p95_ms") or 0 for r in search.get("by_tag", {}).values()), default=None)
        name = "PostgreSQL" if meta["db"] == "postgresql" else "SQLite"
        cells = [
            name,
            f"{meta['size']:,}",
            (s.get("intake") or {}).get("throughput_per_s"),
            (s.get("intake") or {}).get("p99_ms"),
            f"{_p95(queue.get('first'))} / {_p95(queue.get('deep'))}",
            _p95(s.get("case")),
            worst,
            (s.get("memory") or {}).get("max_app_worker_peak_rss_mb"),
            # The app CPU of one GET /healthz in the same run: how fast the machine was then.
            ((s.get("floor") or {}).get("cpu_ms_per_request") or {}).get("app"),
            report.get("versions", {}).get("complaintdesk_commit"),
        ]
        lines.append("| " + " | ".join("–" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results"
    print(summary_table(folder))
