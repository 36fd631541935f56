"""The desk served as in production, and the load generator run against it.

``complaintdesk serve --workers N`` runs as a child process on a free loopback port
against the benchmark database; its processes' peak memory is read from /proc (VmHWM).
Each measurement writes a spec and runs ``python -m bench.loadgen`` on it, in a process
of its own, bounded in requests and time.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench.load import ADMIN_USERNAME
from complaintdesk.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def child_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process the suite starts: it runs the code of this checkout,
    wherever the environment's installed package happens to point."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return env


# --- the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used (from /proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


class Server:
    """``complaintdesk serve`` as a child process, with its memory read from /proc."""

    def __init__(self, url: str, workers: int, data_dir: Path) -> None:
        self.url, self.workers, self.data_dir = url, workers, data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.peaks: dict[int, dict[str, Any]] = {}

    def env(self) -> dict[str, str]:
        env = child_env({k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTDESK_")})
        env.update(
            COMPLAINTDESK_DATABASE_URL=self.url,
            COMPLAINTDESK_DATA_DIR=str(self.data_dir),
            COMPLAINTDESK_ENVIRONMENT="production",
            COMPLAINTDESK_SECRET_KEY=secrets.token_urlsafe(48),
            # One client address sends everything here: the per-address limit would stop it.
            COMPLAINTDESK_PUBLIC_RATE_LIMIT="0/minute",
        )
        return env

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "complaintdesk.cli.main",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env(),
                cwd=self.data_dir,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        with httpx.Client(base_url=self.base, timeout=5) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server stopped:\n{self.log_tail()}")
                try:
                    if (
                        client.get("/healthz").status_code == 200
                        and self._log_count("Application startup complete") >= self.workers
                    ):
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.3)
        raise RuntimeError(f"the server did not answer in 120 s:\n{self.log_tail()}")

    def _log_count(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text)

    def restarts(self) -> int:
        """App processes that died and were started again (uvicorn's supervisor does)."""
        return self._log_count("died")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(_children(pid))
        return found

    def database_pids(self) -> list[int]:
        """The PostgreSQL backends serving the app (empty on SQLite: it runs in-process)."""
        if not self.url.startswith("postgresql"):
            return []
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                return [
                    int(pid)
                    for pid in conn.scalars(
                        sa.text(
                            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()"
                        )
                    )
                ]
        finally:
            engine.dispose()

    def cpu(self) -> tuple[float, float]:
        """(app, database) CPU seconds used so far by the server's processes and backends."""
        return _cpu_seconds(self.pids()), _cpu_seconds(self.database_pids())

    def sample_memory(self) -> None:
        """Remember every server process's peak (VmHWM) while it is alive."""
        for pid in self.pids():
            status = _status(pid)
            if "VmHWM" not in status:
                continue
            peak_kb = int(status["VmHWM"].split()[0])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            role = (
                "supervisor"
                if self.process and pid == self.process.pid
                else ("app worker" if b"multiprocessing.spawn" in cmdline else "helper")
            )
            self.peaks[pid] = {
                "pid": pid,
                "role": role,
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "rss_mb": round(int(status["VmRSS"].split()[0]) / 1024, 1),
            }

    def memory(self) -> dict[str, Any]:
        self.sample_memory()
        processes = sorted(self.peaks.values(), key=lambda p: p["pid"])
        app = [p["peak_rss_mb"] for p in processes if p["role"] == "app worker"]
        return {
            "processes": processes,
            "max_peak_rss_mb": max((p["peak_rss_mb"] for p in processes), default=None),
            "max_app_worker_peak_rss_mb": max(app, default=None),
            "workers": self.workers,
            "app_process_restarts": self.restarts(),
        }

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def admin_password(url: str) -> str:
    """Give the benchmark's admin account a fresh password (creating it if needed)."""
    from argon2 import PasswordHasher  # noqa: PLC0415
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from complaintdesk.staff import services  # noqa: PLC0415
    from complaintdesk.staff.models import Role, User  # noqa: PLC0415

    password = secrets.token_urlsafe(18)
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            user = session.scalar(sa.select(User).where(User.username == ADMIN_USERNAME))
            if user is None:
                services.create_user(
                    session,
                    username=ADMIN_USERNAME,
                    password=password,
                    role=Role.admin,
                    display_name="Benchmark",
                )
            else:
                user.password_hash = PasswordHasher().hash(password)
                user.active = True
    finally:
        engine.dispose()
    return password


# --- running the load generator -----------------------------------------------------


def loadgen(
    server: Server,
    requests: list[dict[str, Any]],
    *,
    count: int,
    seconds: float,
    concurrency: int,
    warmup: int,
    expect: tuple[int, ...] = (200,),
    connections: int | None = None,
) -> dict[str, Any]:
    spec = {
        "host": "127.0.0.1",
        "port": server.port,
        "concurrency": concurrency,
        "connections": connections or concurrency,
        "max_requests": count,
        "max_seconds": seconds,
        "warmup_requests": warmup,
        "expect": list(expect),
        "requests": requests,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    app_before, db_before = server.cpu()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.loadgen", f.name],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=seconds * 2 + 120,
            check=False,
        )
    finally:
        os.unlink(f.name)
    app_after, db_after = server.cpu()
    server.sample_memory()
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    # CPU per request: the cost of a request whatever else the machine is doing, and from
    # it what two dedicated cores could serve (backends that came and went are missed).
    sent = max(1, result["requests_sent"])
    app_ms = 1000 * (app_after - app_before) / sent
    db_ms = max(0.0, 1000 * (db_after - db_before) / sent)  # a backend that left takes its time
    result["cpu_ms_per_request"] = {"app": round(app_ms, 2), "database": round(db_ms, 2)}
    cores = os.cpu_count() or 1
    result["cpu_bound_per_s"] = (
        round(1000 * cores / (app_ms + db_ms), 1) if app_ms + db_ms else None
    )
    return result


def login(server: Server, password: str) -> str:
    answer = httpx.post(
        f"{server.base}/api/v1/auth/token",
        timeout=30,
        json={"username": ADMIN_USERNAME, "password": password},
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])
