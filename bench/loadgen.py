"""The load generator: its own process, loopback only, bounded in requests and time.

    python -m bench.loadgen SPEC.json      # prints one JSON object: throughput, latencies

The spec names the server (a loopback address), the concurrency, the bounds (at most
``max_requests`` requests and ``max_seconds`` seconds, after ``warmup_requests`` that
are not counted) and the requests, which are sent in turn, round and round. Each of
``concurrency`` clients sends a request, reads the whole answer, then sends the next (a
closed loop), so latency is the time from the first byte sent to the last received.
Requests go over ``connections`` keep-alive connections (at least one per client), each
used in turn: with several app processes, two lone connections may both have been taken
by one process, which then serves every request on one core while another idles, a
coin flip that would decide a run's figures; many connections, as many clients have in
front of a real desk, spread over the processes.

A plain HTTP/1.1 client on asyncio streams, with keep-alive: the load generator shares
the machine with the server, and a lighter client leaves more of it to the server.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

MAX_SECONDS_CEILING = 600.0  # whatever the spec says, no run goes on longer than this


@dataclass
class Request:
    raw: bytes
    tag: str


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    samples: list[str] = field(default_factory=list)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def encode(host: str, port: int, spec: dict[str, Any]) -> Request:
    body = spec.get("body")
    data = body.encode() if isinstance(body, str) else b""
    headers = {"Host": f"{host}:{port}", "Connection": "keep-alive", **spec.get("headers", {})}
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
        headers["Content-Length"] = str(len(data))
    head = f"{spec.get('method', 'GET')} {spec['path']} HTTP/1.1\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return Request(head.encode("latin-1") + data, spec.get("tag", "all"))


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            chunks.append(chunk[:-2])
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, body, headers.get("connection") != "close"


class Run:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.host = spec.get("host", "127.0.0.1")
        if not is_loopback(self.host):
            raise SystemExit(f"refusing {self.host!r}: the load generator targets loopback only")
        self.port = int(spec["port"])
        self.concurrency = int(spec.get("concurrency", 1))
        # Keep-alive connections the requests are spread over, in turn (at least one per
        # request in flight): many clients' connections, as in front of a real desk.
        self.connections = max(self.concurrency, int(spec.get("connections", self.concurrency)))
        self.max_requests = int(spec.get("max_requests", 1000))
        self.max_seconds = min(float(spec.get("max_seconds", 10)), MAX_SECONDS_CEILING)
        self.warmup = int(spec.get("warmup_requests", 0))
        self.expect = set(spec.get("expect", [200, 201]))
        self.requests = [encode(self.host, self.port, r) for r in spec["requests"]]
        if not self.requests:
            raise SystemExit("the spec has no requests")
        self.sent = 0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(self.host, self.port)

    async def _worker(
        self, limit: int, deadline: float, results: Results, pool: asyncio.Queue[list[Any]]
    ) -> None:
        while self.sent < limit and time.perf_counter() < deadline:
            request = self.requests[self.sent % len(self.requests)]
            self.sent += 1
            conn = await pool.get()  # the connection idle longest: all are used in turn
            try:
                await self._send(request, results, conn)
            finally:
                pool.put_nowait(conn)

    async def _send(self, request: Request, results: Results, conn: list[Any]) -> None:
        if conn[0] is None:
            conn[0] = await self._connection()
        reader, writer = conn[0]
        start = time.perf_counter()
        try:
            writer.write(request.raw)
            status, body, keep = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            results.errors += 1
            if len(results.samples) < 3:
                results.samples.append(f"{type(exc).__name__}: {exc}")
            writer.close()
            conn[0] = None
            return
        elapsed = time.perf_counter() - start
        results.statuses[status] += 1
        if status in self.expect:
            results.latencies[request.tag].append(elapsed)
        else:
            results.errors += 1
            if len(results.samples) < 3:
                results.samples.append(f"{status}: {body[:300].decode(errors='replace')}")
        if not keep:
            writer.close()
            conn[0] = None

    async def _phase(
        self, count: int, seconds: float, conns: list[list[Any]]
    ) -> tuple[Results, float]:
        results = Results()
        self.sent = 0
        pool: asyncio.Queue[list[Any]] = asyncio.Queue()
        for c in conns:
            pool.put_nowait(c)
        start = time.perf_counter()
        await asyncio.gather(
            *(self._worker(count, start + seconds, results, pool) for _ in range(self.concurrency))
        )
        return results, time.perf_counter() - start

    async def run(self) -> dict[str, Any]:
        conns: list[list[Any]] = [[None] for _ in range(self.connections)]
        # Opened one by one, so that each is accepted by whichever app process is free
        # then (in a burst, one process's accept loop takes them all).
        for c in conns:
            c[0] = await self._connection()
            await asyncio.sleep(0.005)
        warmed = 0
        if self.warmup:
            await self._phase(self.warmup, self.max_seconds, conns)
            warmed = self.sent
        results, elapsed = await self._phase(self.max_requests, self.max_seconds, conns)
        for c in conns:
            if c[0] is not None:
                c[0][1].close()
        summary = summarise(results, elapsed, self.concurrency, self.connections)
        summary["requests_sent"] = warmed + self.sent  # the warm-up's too
        return summary


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def latency_summary(values: list[float], elapsed: float) -> dict[str, Any]:
    ordered = sorted(values)
    ms = [v * 1000 for v in ordered]
    return {
        "count": len(ms),
        "throughput_per_s": round(len(ms) / elapsed, 1) if elapsed > 0 else None,
        "p50_ms": round(percentile(ms, 0.50), 2) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 2) if ms else None,
        "p99_ms": round(percentile(ms, 0.99), 2) if ms else None,
        "max_ms": round(ms[-1], 2) if ms else None,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else None,
    }


def summarise(
    results: Results, elapsed: float, concurrency: int, connections: int
) -> dict[str, Any]:
    everything = [v for values in results.latencies.values() for v in values]
    summary = latency_summary(everything, elapsed)
    summary.update(
        seconds=round(elapsed, 2),
        concurrency=concurrency,
        connections=connections,
        errors=results.errors,
        statuses={str(k): v for k, v in sorted(results.statuses.items())},
        error_samples=results.samples,
    )
    if len(results.latencies) > 1:
        summary["by_tag"] = {
            tag: latency_summary(values, elapsed)
            for tag, values in sorted(results.latencies.items())
        }
    return summary


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.loadgen SPEC.json", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        spec = json.load(f)
    run = Run(spec)
    timeout = run.max_seconds * (2 if run.warmup else 1) + 60
    result = asyncio.run(asyncio.wait_for(run.run(), timeout))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
