"""The benchmark's results as ratios, targets met or missed, and a Markdown table for the README."""
from __future__ import annotations

COLUMNS = (("memory", "sandbox memory"), ("redis", "sandbox redis `--workers 2`"),
           ("prism", "Prism"), ("bare", "bare Flask"))


def ms(value) -> str:
    if value is None:
        return "?"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 1:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def _ratio(a, b):
    return round(a / b, 2) if a and b else None


def _row(results, config, target, figure):
    return (results["configs"].get(config, {}).get("rows", {}).get(target) or {}).get(figure)


def assess(results: dict) -> tuple[dict, list]:
    """(ratios, targets): each target names the configuration, the figure, and whether it is met
    (None when the figure was not measured)."""
    ratios: dict = {}
    for config in ("memory", "redis"):
        for target in ("deskchime_users", "deskie_cases"):
            mine, bare = _row(results, config, target, "c16"), _row(results, "bare", target, "c16")
            if mine and bare:
                ratios[f"{config}_vs_bare_{target}_c16"] = _ratio(mine["rps"], bare["rps"])
        mine, prism = (_row(results, config, "deskchime_users", "c16"),
                       _row(results, "prism", "deskchime_users", "c16"))
        if mine and prism:
            ratios[f"{config}_vs_prism_c16"] = _ratio(mine["rps"], prism["rps"])
            ratios[f"{config}_vs_prism_p99"] = _ratio(mine["p99_ms"], prism["p99_ms"])

    targets = []

    def target(text, value, met):
        targets.append({"target": text, "value": value, "met": met})

    r = ratios.get("redis_vs_prism_c16")
    target("redis --workers 2 ≥ 1.0 × Prism throughput (DeskChime users, 16 connections)",
           r, None if r is None else r >= 1.0)
    mine, prism = (_row(results, "redis", "deskchime_users", "c16"),
                   _row(results, "prism", "deskchime_users", "c16"))
    target("redis --workers 2 p99 ≤ Prism's p99", mine and prism and
           f"{ms(mine['p99_ms'])} vs {ms(prism['p99_ms'])}",
           None if not (mine and prism) else mine["p99_ms"] <= prism["p99_ms"])
    for config in ("redis", "memory"):
        pages = _row(results, config, "deskie_cases", "pages")
        target(f"{config}: Deskie case list, every request another page ≥ 600 req/s",
               pages and pages["rps"], None if not pages else pages["rps"] >= 600)
    for config in ("redis", "memory"):
        soak = results["configs"].get(config, {}).get("soak")
        if soak or config == "redis":
            target(f"{config}: soak, last minute ≥ 0.8 × first", soak and soak["ratio"],
                   None if not soak else soak["ratio"] >= 0.8)
        mix = results["configs"].get(config, {}).get("mix")
        if mix:
            target(f"{config}: test-suite mix, non-2xx share ~0", mix["non_2xx_share"],
                   mix["non_2xx_share"] is not None and mix["non_2xx_share"] < 0.001)
    for target_name in ("deskchime_users", "deskie_cases"):
        mine = _row(results, "memory", target_name, "c16")
        r = ratios.get(f"memory_vs_bare_{target_name}_c16")
        if mine and r is not None:
            target(f"memory: {target_name} ≥ 0.6 × bare, p99 ≤ 20 ms", f"{r} × bare, "
                   f"p99 {ms(mine['p99_ms'])}", r >= 0.6 and mine["p99_ms"] <= 20)
        one = _row(results, "memory", target_name, "c1")
        if one:
            target(f"memory: {target_name}, 1 connection, p50 ≤ 1.5 ms", ms(one["p50_ms"]),
                   one["p50_ms"] <= 1.5)
    if results.get("ready_s") is not None:
        target("launch to healthy < 1 s", results["ready_s"], results["ready_s"] < 1)
    mem = results["configs"].get("memory", {})
    if mem.get("reset_ms"):
        target("reset < 100 ms", mem["reset_ms"]["http_median"], mem["reset_ms"]["http_median"] < 100)
    if mem.get("memory_mb"):
        target("memory PSS < 150 MB", mem["memory_mb"]["pss"], mem["memory_mb"]["pss"] < 150)
    return ratios, targets


def load(r: dict | None, bare: dict | None = None, prism: dict | None = None) -> str:
    if not r:
        return ""
    text = f"{r['rps']:,} req/s, p50 {ms(r['p50_ms'])}, p99 {ms(r['p99_ms'])}"
    notes = []
    if bare and bare.get("rps"):
        notes.append(f"{r['rps'] / bare['rps']:.2f} × bare")
    if prism and prism.get("rps"):
        notes.append(f"{r['rps'] / prism['rps']:.2f} × Prism")
    if notes:
        text += f" ({', '.join(notes)})"
    bad = r.get("non_2xx", 0) + r.get("socket_errors", 0)
    if "non_2xx_share" in r:
        share = r["non_2xx_share"]
        text += f", non-2xx {share * 100:.2f} %" if share is not None else ", non-2xx ?"
    elif bad:
        text += f", {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors"
    return text


def markdown(results: dict) -> str:
    configs = results["configs"]
    seconds = results["settings"]["seconds"]
    said = set()

    def cell(config: str, text: str | None) -> str:
        c = configs.get(config)
        if c is None:
            return ""
        if not c.get("available"):
            if config in said:
                return "not available"
            said.add(config)
            return "not available: " + c.get("error", "?")
        if not text and c.get("failed") and config not in said:
            said.add(config)
            return "failed: " + c["failed"]
        return text or ""

    printed = []

    def row(figure, values: dict, target="", alone=None):
        """One line of the table, or None when nothing was measured; `alone` is the figure's
        name when the line above it (which `figure` calls "same") is left out."""
        if not any(values.values()):
            return None  # not measured in this run
        if alone and alone[1] and printed[-1:] != [alone[0]]:
            figure = alone[1]
        printed.append(alone[0] if alone else figure)
        line = [figure] + [cell(c, values.get(c)) for c, _ in COLUMNS] + [target]
        return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in line) + " |"

    def loads_of(target, figure, with_bare=True, with_prism=False):
        bare = _row(results, "bare", target, figure) if with_bare else None
        prism = _row(results, "prism", "deskchime_users", figure) if with_prism else None
        return {c: load(_row(results, c, target, figure),
                        bare if c in ("memory", "redis") else None,
                        prism if c in ("memory", "redis") else None) for c, _ in COLUMNS}

    lines = ["| figure | " + " | ".join(title for _, title in COLUMNS) + " | target |",
             "| --- | --- | --- | --- | --- | --- |"]
    users = "`GET /deskchime/api/v1/users?limit=50`"
    cases = "`GET /deskie/api/cases.json?limit=50&status=open` (Basic auth)"
    lines.append(row(f"{users} (Prism: `/api/v1/users?limit=50`), 16 connections",
                     loads_of("deskchime_users", "c16", with_prism=True),
                     "redis `--workers 2` ≥ 1.0 × Prism, p99 ≤ Prism's; sandbox ≥ 0.6 × bare, "
                     "p99 ≤ 20 ms", alone=("users", None)))
    lines.append(row("same, 1 connection", loads_of("deskchime_users", "c1"), "p50 ≤ 1.5 ms",
                     alone=("users", f"{users}, 1 connection")))
    lines.append(row("same, 16 connections, every request another page",
                     loads_of("deskchime_users", "pages", False),
                     alone=("users", f"{users}, 16 connections, every request another page")))
    lines.append(row(f"{cases}, 16 connections", loads_of("deskie_cases", "c16"),
                     "≥ 0.6 × bare, p99 ≤ 20 ms", alone=("cases", None)))
    lines.append(row("same, 1 connection", loads_of("deskie_cases", "c1"), "p50 ≤ 1.5 ms",
                     alone=("cases", f"{cases}, 1 connection")))
    lines.append(row("same, 16 connections, every request another page",
                     loads_of("deskie_cases", "pages", False), "≥ 600 req/s",
                     alone=("cases", f"{cases}, 16 connections, every request another page")))
    mixes = {}
    for c in ("memory", "redis"):
        m = configs.get(c, {}).get("mix")
        if m:
            mixes[c] = load(m) + f"; {m['deskie_cases_after']:,} Deskie cases after"
    lines.append(row("test-suite mix, 16 connections: 40 % DeskChime user lists and 40 % Deskie "
                     "case lists, each another page or filter, 20 % Deskie case creates",
                     mixes, "non-2xx ~0 %"))
    soaks = {}
    for c in ("memory", "redis"):
        s = configs.get(c, {}).get("soak")
        if s:
            soaks[c] = (f"{s['first_rps']:,} → {s['last_rps']:,} req/s ({s['ratio']:.2f} ×), "
                        f"non-2xx {s['non_2xx_share'] * 100:.2f} %, "
                        f"{s['deskie_cases_after']:,} Deskie cases after")
    soak_s = results["settings"]["soak_seconds"]
    slice_s = next((s["soak"]["slice_seconds"] for s in configs.values() if s.get("soak")), 60)
    lines.append(row(f"soak: the mix for {soak_s:g} s, req/s of the first → the last "
                     f"{slice_s:g} s", soaks, "last ≥ 0.8 × first"))
    ratios = results["ratios"]
    versus = {}
    for c in ("memory", "redis"):
        if ratios.get(f"{c}_vs_prism_c16") is not None:
            mine = _row(results, c, "deskchime_users", "c16")
            prism = _row(results, "prism", "deskchime_users", "c16")
            versus[c] = (f"{ratios[f'{c}_vs_prism_c16']:.2f} × Prism's req/s; p99 "
                         f"{ms(mine['p99_ms'])} vs {ms(prism['p99_ms'])} "
                         f"({'≤' if mine['p99_ms'] <= prism['p99_ms'] else '>'} Prism's)")
    lines.append(row("DeskChime users, 16 connections, against Prism", versus,
                     "redis `--workers 2` ≥ 1.0 ×, p99 ≤ Prism's"))
    ready = {}
    if results.get("ready_s") is not None:
        ready["memory"] = f"{results['ready_s']:.2f} s (median of 3)"
    for c in ("redis", "prism"):
        if configs.get(c, {}).get("ready_s") is not None:
            ready[c] = f"{configs[c]['ready_s']:.2f} s (one launch)"
    lines.append(row("launch to a healthy answer", ready, "< 1 s"))
    resets = {c: f"{configs[c]['reset_ms']['http_median']:.2f} ms over HTTP "
                 f"({configs[c]['reset_ms']['server_median'] * 1000:.0f} µs in the server)"
              for c in ("memory", "redis") if configs.get(c, {}).get("reset_ms")}
    lines.append(row("reset (`POST /__sandbox/reset`)", resets, "< 100 ms"))
    for key, figure in (("pss", "memory, PSS (a page shared by the processes counted once)"),
                        ("rss", "memory, RSS summed over the processes")):
        values = {}
        for c, _ in COLUMNS:
            m = configs.get(c, {}).get("memory_mb")
            if m:
                values[c] = f"{m[key]:.0f} MB"
                r = configs[c].get("redis_server_memory_mb")
                if r:
                    values[c] += f" + redis-server {r[key]:.0f} MB"
        lines.append(row(figure, values, "< 150 MB" if key == "pss" else ""))

    notes = [f"\nwrk, {seconds:g} s per figure, 2 threads (1 for one connection); "
             f"{results['machine']['cores']} cores; sandbox and bare app "
             f"{results['settings']['threads']} gunicorn threads per worker."]
    machine = results["machine"]
    notes.append(f"Load average (1 min) {machine['load_average_at_start']:g} at the start, "
                 f"{machine['load_average_at_end']:g} at the end: above the core count, other "
                 "work shared the machine and the figures are noisy (each wrk run's is in the "
                 "JSON).")
    prism = configs.get("prism", {})
    if prism.get("version"):
        notes.append(f"Prism {prism['version']}, `prism mock -m {prism['spec']}`.")
    for c, title in COLUMNS:
        if configs.get(c, {}).get("failed"):
            notes.append(f"{title} failed during the run: {configs[c]['failed']}")
    notes.append("\nTargets:")
    for t in results["targets"]:
        mark = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        value = "" if t["value"] in (None, False) else f" ({t['value']})"
        notes.append(f"- {mark}: {t['target']}{value}")
    return "\n".join(l for l in lines if l) + "\n" + "\n".join(notes)
