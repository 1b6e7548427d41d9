"""The loads, driven by wrk: a fixed request, every request another page (vary.lua), the
test-suite mix with writes (mix.lua), and a soak of that mix in consecutive slices."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wrk(url: str, connections: int, seconds: float, headers: dict | None = None,
        script: str | None = None, env: dict | None = None) -> dict:
    """wrk's summary: req/s, p50 and p99 in ms, the answers that were not 2xx or 3xx and socket
    errors; with a script that prints "STATUSES code=count ...", the count of every status."""
    threads = 1 if connections == 1 else 2
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
           "--timeout", "5s", "--latency"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if script:
        cmd += ["-s", str(HERE / script)]
    done = subprocess.run(cmd + [url], capture_output=True, text=True,
                          env={**os.environ, "MIX_THREADS": str(threads), **(env or {})})
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        raise RuntimeError(f"wrk failed on {url}: {(done.stderr or done.stdout).strip()[:300]}")
    result = parse(done.stdout)
    result["load_average"] = round(os.getloadavg()[0], 2)  # other work on the machine, if any
    return result


def parse(out: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"^\s+(\d+)%\s+([\d.]+\w+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result = {"rps": round(rps), "p50_ms": lat.get("50"), "p99_ms": lat.get("99"),
              "requests": requests, "non_2xx": int(errors.group(1)) if errors else 0,
              "socket_errors": sum(map(int, sockets.groups())) if sockets else 0}
    counted = re.search(r"^STATUSES(.*)$", out, re.M)
    if counted:
        statuses = {code: int(n) for code, n in re.findall(r"(\d+)=(\d+)", counted.group(1))}
        answered = sum(statuses.values())
        bad = sum(n for code, n in statuses.items() if not code.startswith("2"))
        result["statuses"] = dict(sorted(statuses.items()))
        result["non_2xx"] = bad
        result["non_2xx_share"] = round(bad / answered, 5) if answered else None
    return result


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 3)


def pages(url: str, seconds: float, headers: dict, path: str) -> dict:
    """16 connections, every request another page of `path` (vary.lua)."""
    return wrk(url, 16, seconds, headers, "vary.lua", {"VARY_PATH": path})


def mix_env(creds: dict, deskie_auth: str, prefixes: dict | None = None,
            offset: int = 0) -> dict:
    prefixes = prefixes or {"deskchime": "/deskchime", "deskie": "/deskie"}
    return {"MIX_DESKCHIME_KEY": creds["deskchime"]["organizations"][0]["api_key"],
            "MIX_DESKIE_AUTH": deskie_auth, "MIX_OFFSET": str(offset),
            "MIX_PREFIX_DESKCHIME": prefixes["deskchime"], "MIX_PREFIX_DESKIE": prefixes["deskie"]}


def mix(base: str, seconds: float, env: dict, connections: int = 16) -> dict:
    """The test-suite mix (mix.lua) with 20 % writes."""
    return wrk(base + "/", connections, seconds, None, "mix.lua", env)


def soak_slices(seconds: float) -> tuple[int, float]:
    """(count, length) of the consecutive runs a soak is cut into: minutes when the soak lasts two
    minutes or more, else two halves."""
    if seconds >= 120:
        count = max(2, round(seconds / 60))
        return count, seconds / count
    return 2, seconds / 2


def soak(base: str, seconds: float, env: dict, progress=None) -> dict:
    """The mix for `seconds`, run as consecutive wrk runs (each continuing the sequence of pages
    where the last stopped), so the first and the last slice can be compared."""
    count, length = soak_slices(seconds)
    slices, offset = [], int(env.get("MIX_OFFSET", "0"))
    for i in range(count):
        result = mix(base, length, {**env, "MIX_OFFSET": str(offset)})
        offset += result["requests"]  # more than any one thread sent: no page comes again
        slices.append(result)
        if progress:
            progress(f"soak slice {i + 1}/{count}: {result['rps']} req/s")
    first, last = slices[0], slices[-1]
    answered = sum(s["requests"] for s in slices)
    bad = sum(s["non_2xx"] for s in slices)
    return {"seconds": seconds, "slice_seconds": round(length, 1), "slices": slices,
            "first_rps": first["rps"], "last_rps": last["rps"],
            "ratio": round(last["rps"] / first["rps"], 2) if first["rps"] else None,
            "non_2xx_share": round(bad / answered, 5) if answered else None}
