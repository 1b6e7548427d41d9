"""Load benchmark of the sandbox, side by side in one run with Stoplight Prism and a bare Flask app:

- `memory`: `mockserver serve --rate-limits off` (every vendor, one process, the store in memory);
- `redis`: the same with `--store redis://… --workers 2` on a redis-server of the benchmark's own
  (a row says "not available: …" when the sandbox refuses that configuration);
- `prism`: `prism mock -m specs/deskchime.yaml` (Prism 5, installed under bench/.prism by npm);
- `bare`: a bare Flask app answering the sandbox's bytes under the sandbox's gunicorn settings.

Figures (wrk; 16 connections unless said): a fixed DeskChime users page and a fixed Deskie case
list at 16 and 1 connections, every request another page of each, the test-suite mix with 20 %
writes (mix.lua) and a soak of that mix, launch to a healthy answer, reset, and memory (PSS and
RSS). Results go to bench/results/latest.json; a Markdown table for the README is printed.

Usage: python bench/bench.py [--seconds 10] [--soak-seconds 240] [--soak-memory]
                             [--only memory,redis,prism,bare,ready,reset,c16,c1,pages,mix,soak]
                             [--skip-prism]          (bench/run.sh installs wrk first)
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loads  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402
from servers import Unavailable  # noqa: E402

HERE = Path(__file__).resolve().parent
CONFIGS = ("memory", "redis", "prism", "bare")
FIGURES = ("ready", "reset", "c16", "c1", "pages", "mix", "soak")
SANDBOX_FLAGS = {"memory": ["--rate-limits", "off"],
                 "redis": ["--store", "redis://127.0.0.1:{port}/0", "--workers", "2",
                           "--rate-limits", "off"]}
PRISM_SPEC = "specs/deskchime.yaml"
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def endpoints(creds: dict) -> tuple[dict, str]:
    """name -> (path, headers of a valid caller), read from the credentials document, and the
    Deskie Basic credentials (base64 of a full-access active agent's email:api_key)."""
    deskie = creds["deskie"]["accounts"][0]
    agent = next(a for a in deskie["agents"] if a["active"] and a["access"] == "full")
    basic = base64.b64encode(f"{agent['email']}:{deskie['api_key']}".encode()).decode()
    return {
        "deskchime_users": ("/deskchime/api/v1/users?limit=50",
                            {"x-api-key": creds["deskchime"]["organizations"][0]["api_key"]}),
        "deskie_cases": ("/deskie/api/cases.json?limit=50&status=open",
                         {"Authorization": f"Basic {basic}"}),
    }, basic


def get_json(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def cli_credentials() -> dict:
    """The credentials document without a server (`mockserver credentials`, the default seed)."""
    out = subprocess.run([sys.executable, "-m", "mockserver.cli", "credentials"],
                         capture_output=True, text=True, check=True, cwd=servers.ROOT).stdout
    return json.loads(out)


def reset(base: str) -> dict:
    return get_json(f"{base}/__sandbox/reset", method="POST")


def deskie_case_count(base: str, headers: dict) -> int:
    return get_json(f"{base}/deskie/api/cases.json?limit=1", headers)["total_count"]


def run_sandbox(name: str, args, figures: set, soak: bool, bodies: dict) -> dict:
    """Every sandbox figure of one configuration; fills `bodies` (path -> answer) for bare."""
    result: dict = {}
    redis = None
    try:
        flags = SANDBOX_FLAGS[name]
        if name == "redis":
            redis, port = servers.redis_server()
            flags = [f.format(port=port) for f in flags]
        result["command"] = "mockserver serve " + " ".join(flags)
        log(f"{name}: starting {result['command']}")
        proc, base = servers.sandbox(flags, name)
    except Unavailable as exc:
        if redis:
            redis.stop()
        log(f"{name}: not available: {exc}")
        return {**result, "available": False, "error": str(exc)}
    try:
        result.update(available=True, ready_s=proc.ready_s)
        creds = get_json(f"{base}/__sandbox/credentials")
        targets, deskie_auth = endpoints(creds)
        for path, headers in targets.values():
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as r:
                bodies.setdefault(path, r.read())
        if "reset" in figures:
            resets = []
            for _ in range(20):
                start = time.perf_counter()
                took = reset(base)["took_ms"]
                resets.append(((time.perf_counter() - start) * 1000, took))
            result["reset_ms"] = {"http_median": round(statistics.median(r[0] for r in resets), 2),
                                  "server_median": round(statistics.median(r[1] for r in resets),
                                                         3)}
        result["rows"] = {}
        for target, (path, headers) in targets.items():
            row = result["rows"][target] = {"path": path}
            if figures & {"c16", "c1"}:
                loads.wrk(base + path, 16, 2, headers)  # warm-up
            for figure, connections in (("c16", 16), ("c1", 1)):
                if figure in figures:
                    row[figure] = loads.wrk(base + path, connections, args.seconds, headers)
                    log(f"{name}: {target} {figure}: {row[figure]['rps']} req/s")
            if "pages" in figures:
                row["pages"] = loads.pages(base + path, args.seconds, headers, path)
                log(f"{name}: {target} every page: {row['pages']['rps']} req/s")
        result["memory_mb"] = proc.memory_mb()
        if redis:
            result["redis_server_memory_mb"] = redis.memory_mb()
        count_headers = targets["deskie_cases"][1]
        if "mix" in figures:
            env = loads.mix_env(creds, deskie_auth)
            loads.mix(base, 2, {**env, "MIX_OFFSET": "100000000"})  # warm-up, pages never reused
            reset(base)
            result["mix"] = loads.mix(base, args.seconds, env)
            result["mix"]["deskie_cases_after"] = deskie_case_count(base, count_headers)
            log(f"{name}: mix: {result['mix']['rps']} req/s, statuses {result['mix']['statuses']}")
        if soak:
            reset(base)
            result["deskie_cases_before_soak"] = deskie_case_count(base, count_headers)
            log(f"{name}: soak of {args.soak_seconds} s")
            env = loads.mix_env(creds, deskie_auth, offset=200000000)
            result["soak"] = loads.soak(base, args.soak_seconds, env,
                                        progress=lambda m: log(f"{name}: {m}"))
            result["soak"]["deskie_cases_after"] = deskie_case_count(base, count_headers)
            result["soak"]["memory_after_mb"] = proc.memory_mb()
            if redis:
                result["soak"]["redis_server_memory_after_mb"] = redis.memory_mb()
    except Exception as exc:  # a server that dies under load: say so, keep the other rows
        log(f"{name}: failed: {exc!r}")
        result["failed"] = f"{type(exc).__name__}: {exc}"
        if proc.proc.poll() is not None:
            result["failed"] += f" (server exited: {proc.stderr_line()})"
    finally:
        proc.stop()
        if redis:
            redis.stop()
    return result


def run_prism(args, figures: set, creds: dict) -> dict:
    targets, _ = endpoints(creds)
    _, headers = targets["deskchime_users"]
    path = "/api/v1/users?limit=50"
    result: dict = {"path": path, "spec": PRISM_SPEC}
    try:
        log("prism: starting prism mock -m " + PRISM_SPEC)
        proc, base, version = servers.prism(PRISM_SPEC, path, headers)
    except Unavailable as exc:
        log(f"prism: not available: {exc}")
        return {**result, "available": False, "error": str(exc)}
    try:
        result.update(available=True, version=version, ready_s=proc.ready_s, rows={})
        row = result["rows"]["deskchime_users"] = {"path": path}
        if figures & {"c16", "c1"}:
            loads.wrk(base + path, 16, 2, headers)
        for figure, connections in (("c16", 16), ("c1", 1)):
            if figure in figures:
                row[figure] = loads.wrk(base + path, connections, args.seconds, headers)
                log(f"prism: {figure}: {row[figure]['rps']} req/s")
        result["memory_mb"] = proc.memory_mb()
    except Exception as exc:
        log(f"prism: failed: {exc!r}")
        result["failed"] = f"{type(exc).__name__}: {exc}"
    finally:
        proc.stop()
    return result


def run_bare(args, figures: set, bodies: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        index = {}
        for i, (path, body) in enumerate(bodies.items()):
            (Path(folder) / f"{i}.json").write_bytes(body)
            index[path.split("?")[0]] = f"{i}.json"
        (Path(folder) / "index.json").write_text(json.dumps(index))
        try:
            proc, base = servers.bare(folder, next(iter(bodies)))
        except Unavailable as exc:
            return {"available": False, "error": str(exc)}
        try:
            result: dict = {"available": True, "rows": {}}
            for name, path in zip(("deskchime_users", "deskie_cases"), bodies):
                row = result["rows"][name] = {"path": path}
                loads.wrk(base + path, 16, 2, {})
                for figure, connections in (("c16", 16), ("c1", 1)):
                    if figure in figures:
                        row[figure] = loads.wrk(base + path, connections, args.seconds, {})
                        log(f"bare: {name} {figure}: {row[figure]['rps']} req/s")
            result["memory_mb"] = proc.memory_mb()
        finally:
            proc.stop()
    return result


def sandbox_bodies(creds: dict) -> dict:
    """The answers the bare app repeats, from a short-lived sandbox (when no sandbox row ran)."""
    proc, base = servers.sandbox(SANDBOX_FLAGS["memory"], "bodies")
    try:
        bodies = {}
        for path, headers in endpoints(creds)[0].values():
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as r:
                bodies[path] = r.read()
        return bodies
    finally:
        proc.stop()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Load benchmark of the sandbox against Prism "
                                     "and a bare Flask app (see the module docstring).")
    parser.add_argument("--seconds", type=float, default=10, help="length of each wrk run")
    parser.add_argument("--soak-seconds", type=float, default=240,
                        help="length of the soak (the mix, on the Redis configuration)")
    parser.add_argument("--soak-memory", action="store_true",
                        help="soak the in-memory configuration too (as long again)")
    parser.add_argument("--only", default="", metavar="NAMES",
                        help="comma-separated configurations (%s) and/or figures (%s) to run; "
                             "default all" % (", ".join(CONFIGS), ", ".join(FIGURES)))
    parser.add_argument("--skip-prism", action="store_true", help="leave Prism out")
    args = parser.parse_args(argv)
    names = {n.strip() for n in args.only.split(",") if n.strip()}
    unknown = names - set(CONFIGS) - set(FIGURES)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}")
    args.configs = [c for c in CONFIGS if c in names] or list(CONFIGS)
    if args.skip_prism and "prism" in args.configs:
        args.configs.remove("prism")
    args.figures = {f for f in FIGURES if f in names} or set(FIGURES)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind, stopping every server
    results: dict = {"machine": {"cores": os.cpu_count(),
                                 "load_average_at_start": round(os.getloadavg()[0], 2)},
                     "settings": {"seconds": args.seconds, "soak_seconds": args.soak_seconds,
                                  "connections": 16, "threads": servers.THREADS,
                                  "configs": args.configs, "figures": sorted(args.figures)},
                     "configs": {}}
    if args.skip_prism:
        results["configs"]["prism"] = {"available": False, "error": "skipped (--skip-prism)"}
    if "ready" in args.figures and "memory" in args.configs:
        log("launch to healthy, median of 3")
        results["ready_s"] = servers.time_to_healthy()
    bodies: dict = {}
    creds = None
    for name in args.configs:
        if name in SANDBOX_FLAGS:
            soak = "soak" in args.figures and (name == "redis" or args.soak_memory)
            results["configs"][name] = run_sandbox(name, args, args.figures, soak, bodies)
        elif name == "prism":
            creds = creds or cli_credentials()
            results["configs"][name] = run_prism(args, args.figures, creds)
        elif name == "bare":
            if len(bodies) < 2:
                creds = creds or cli_credentials()
                bodies = sandbox_bodies(creds)
            results["configs"][name] = run_bare(args, args.figures, bodies)
    results["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    results["ratios"], results["targets"] = report.assess(results)
    results["took_s"] = round(time.monotonic() - STARTED, 1)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(report.markdown(results))
    print(f"\n(all figures: bench/results/latest.json; the run took {results['took_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
