"""``hrdocs serve``: how fast a letter's preview re-renders, and whether the server stays right under load.

    python bench/bench_serve.py                  # 200 sequential previews, then 50 at once
    python bench/bench_serve.py -n 500 -c 50

It starts the real command (``hrdocs serve --no-browser``) on a free loopback port over a fresh
workspace, then, as the page's script does as a person types:

1. **Re-render.** ``n`` previews of a one-page offer one after another, each with another salary (so no
   cache of a value can answer): ``POST /letters/offer/check`` (validate + render the HTML letter),
   then ``GET`` the preview it names. Reports p50/p95/max of the check alone and of check + fetch.
   The goal is p95 < 100 ms.
2. **Load.** ``c`` clients at once, each with its own candidate name: every check must answer 200 and
   ok, and every preview must hold that client's own name (no answer crossed over to another).

The clients use the standard library only (``urllib``), with the CSRF cookie and header the page
sends. Figures depend on the machine: run it on a quiet one.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

OFFER = {
    "candidate": "Jane Q. Doe",
    "role": "hr-generalist",
    "salary": "72000",
    "start": "2027-01-04",
    "manager": "Dana Whitfield",
    "location": "Denver, CO",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Client:
    """One browser tab: its CSRF cookie, then checks and previews."""

    def __init__(self, base: str) -> None:
        self.base = base
        with urllib.request.urlopen(base + "/letters/offer") as response:
            cookie = response.headers["set-cookie"].split(";")[0]
        self.cookie = cookie
        self.csrf = cookie.split("=", 1)[1]

    def check(self, fields: dict[str, str]) -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(
            self.base + "/letters/offer/check",
            data=urlencode(fields).encode(),
            headers={"Cookie": self.cookie, "X-CSRF-Token": self.csrf},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())

    def fetch(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode("utf-8")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rerender(base: str, n: int) -> None:
    client = Client(base)
    for _ in range(5):  # the first render loads the templates: not what a person waits for while typing
        client.check(OFFER)
    checks, rounds = [], []
    for i in range(n):
        started = time.perf_counter()
        status, result = client.check({**OFFER, "salary": str(60000 + i * 25)})
        checked = time.perf_counter()
        assert status == 200 and result["ok"], result
        status, html = client.fetch(str(result["preview"]))
        done = time.perf_counter()
        assert status == 200 and f"{60000 + i * 25:,}" in html
        checks.append((checked - started) * 1000)
        rounds.append((done - started) * 1000)
    for name, values in (("check (validate + render)", checks), ("check + fetch preview", rounds)):
        print(
            f"{name:<28} n={n}  p50 {statistics.median(values):6.1f} ms"
            f"  p95 {percentile(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
        )
    p95 = percentile(rounds, 0.95)
    print(f"goal p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'} ({p95:.1f} ms)")


def load(base: str, clients: int) -> None:
    tabs = [Client(base) for _ in range(clients)]

    def one(i: int) -> tuple[bool, float]:
        name = f"Candidate Number{i:03d}"
        started = time.perf_counter()
        status, result = tabs[i].check({**OFFER, "candidate": name})
        if status != 200 or not result.get("ok"):
            return False, 0.0
        status, html = tabs[i].fetch(str(result["preview"]))
        took = (time.perf_counter() - started) * 1000
        others = [f"Candidate Number{j:03d}" for j in range(clients) if j != i]
        return status == 200 and name in html and not any(o in html for o in others), took

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(clients)))
    wall = time.perf_counter() - started
    good = sum(ok for ok, _ in results)
    times = [t for ok, t in results if ok]
    print(
        f"{clients} concurrent previews: {good}/{clients} right (200, ok, own name only)"
        f" in {wall * 1000:.0f} ms; latency p50 {statistics.median(times):.0f} ms,"
        f" p95 {percentile(times, 0.95):.0f} ms"
    )
    if good != clients:
        raise SystemExit("some answers were wrong")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="sequential previews (default 200)")
    parser.add_argument("-c", type=int, default=50, help="concurrent clients (default 50)")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="hrdocs-bench-serve-") as workspace:
        command = [sys.executable, "-m", "hrdocs", "-w", workspace, "serve", "--no-browser"]
        command += ["--port", str(port)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("hrdocs serve did not start") from None
                    time.sleep(0.1)
            rerender(base, args.n)
            load(base, args.c)
            assert not Path(workspace, "output").exists(), "a preview wrote a file"
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
