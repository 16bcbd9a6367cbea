#!/usr/bin/env python3
"""Writes docs/benchmarks/compilation_speed.md from bench_compile (python3, stdlib only).

  python3 bench/compile_report.py [--build DIR] [--json FILE] [--cache-json FILE]
                                  [--repetitions N] [--runs N] [--out FILE]

Runs `DIR/bench/bench_compile --benchmark_format=json --benchmark_repetitions=5` (or reads FILE,
a saved run of it; every model at -O0..-O3, as BM_Compile/<model>/O<k>), runs
`DIR/triton/cache/bench_cache` the same way (JSON through --benchmark_out; or reads the
--cache-json FILE) for the compile cache table (cold, disk hit, memory hit, key), and times whole
`triton compile FILE --model NAME --no-cache` processes for every model, and
`triton compile models/resnet.tri --model resnet50` with a warm compile cache (median of --runs,
default 7, each output discarded), then writes the report. DIR defaults to build/release (the
`release` preset: scripts/setup.sh builds it).
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
STAGES = ["lex", "parse", "check", "elaborate", "verify", "passes"]
TARGET_MODEL, TARGET_MS = "resnet50", 10.0  # spec: ResNet-50 source -> verified IR < 10 ms
LEVELS = ["O0", "O1", "O2", "O3"]
DEFAULT_LEVEL = "O2"  # `triton compile`'s default: the main table


def cpu_info():
    model, cores = platform.processor() or "unknown", os.cpu_count()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return model, cores


def run_bench(bench, repetitions):
    cmd = [str(bench), "--benchmark_format=json", f"--benchmark_repetitions={repetitions}"]
    print("compile_report: running", " ".join(cmd), file=sys.stderr)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def run_cache_bench(bench, repetitions):
    """bench_cache's JSON. It prints its own console table (and ratios) on stdout, whatever
    --benchmark_format says, so the JSON goes through --benchmark_out to a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "cache.json"
        cmd = [str(bench), f"--benchmark_out={out}", "--benchmark_out_format=json",
               f"--benchmark_repetitions={repetitions}"]
        print("compile_report: running", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text())


def compile_rows(rows):
    """(model, level) -> row of BM_Compile/<model>/O<k>. A saved run from before the -O levels
    (BM_Compile/<model>, always -O2) counts as O2."""
    found = {}
    for k, v in rows.items():
        if not k.startswith("BM_Compile/"):
            continue
        parts = k.split("/")
        if len(parts) == 3 and parts[2] in LEVELS:
            found[(parts[1], parts[2])] = v
        elif len(parts) == 2:
            found.setdefault((parts[1], DEFAULT_LEVEL), v)
    return found


def medians(data):
    """benchmark name (no /real_time suffix) -> its median aggregate row (or the only run)."""
    rows = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"]).removesuffix("/real_time").removesuffix(
            "/process_time")
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                rows[name] = b
        else:
            rows.setdefault(name, b)  # one repetition: no aggregates
    return rows


def to_ms(row, key):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[row.get("time_unit", "ns")]
    return row[key] * scale


def model_files(models_dir):
    """model name -> .tri file, from the `model NAME =` lines (as bench_compile discovers them)."""
    found = {}
    for f in sorted(pathlib.Path(models_dir).glob("*.tri")):
        for line in f.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 3 and words[0] == "model" and words[2].startswith("="):
                found.setdefault(words[1], f)
    return found


def time_process(cmd, runs, env=None):
    """(median, min) wall ms of `runs` runs of cmd, after one untimed run (warms the file cache
    and, when the compile cache is on, fills it)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        if i > 0:
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def rel(path):
    try:
        return str(pathlib.Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default=str(ROOT / "build/release"))
    ap.add_argument("--json", help="read a saved bench_compile JSON instead of running it")
    ap.add_argument("--cache-json", help="read a saved bench_cache JSON (--benchmark_out) "
                    "instead of running it")
    ap.add_argument("--repetitions", type=int, default=5,
                    help="--benchmark_repetitions for bench_compile and bench_cache")
    ap.add_argument("--runs", type=int, default=7, help="whole-process runs per model (>= 5)")
    ap.add_argument("--out", default=str(ROOT / "docs/benchmarks/compilation_speed.md"))
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    bench, triton = build / "bench/bench_compile", build / "triton/cli/triton"
    cache_bench = build / "triton/cache/bench_cache"

    data = json.loads(pathlib.Path(args.json).read_text()) if args.json else run_bench(
        bench, args.repetitions)
    ctx = data["context"]
    rows = medians(data)
    by_level = compile_rows(rows)
    cache_data = None
    if args.cache_json:
        cache_data = json.loads(pathlib.Path(args.cache_json).read_text())
    elif cache_bench.exists():
        cache_data = run_cache_bench(cache_bench, args.repetitions)
    else:
        print(f"compile_report: {cache_bench} not found: no compile cache table", file=sys.stderr)
    cache_rows = medians(cache_data) if cache_data else {}
    models_dir = ctx.get("triton_models_dir", str(ROOT / "models"))
    files = model_files(models_dir)
    load = os.getloadavg()

    proc = []  # (command as shown, compile cache, (median, min))
    runs = max(args.runs, 5)
    if triton.exists():
        for name, f in files.items():
            shown = f"triton compile {rel(f)} --model {name} --no-cache"
            print("compile_report: timing", shown, file=sys.stderr)
            cmd = [str(triton), "compile", str(f), "--model", name, "--no-cache"]
            proc.append((shown, "off", time_process(cmd, runs)))
        if TARGET_MODEL in files:
            # The plain command, as a user runs it: the compile cache (in a fresh directory,
            # filled by the untimed first run) answers.
            f = files[TARGET_MODEL]
            shown = f"triton compile {rel(f)} --model {TARGET_MODEL}"
            print("compile_report: timing", shown, file=sys.stderr)
            with tempfile.TemporaryDirectory() as cache:
                env = dict(os.environ, TRITON_CACHE_DIR=cache)
                cmd = [str(triton), "compile", str(f), "--model", TARGET_MODEL]
                proc.append((shown, "warm", time_process(cmd, runs, env)))
        proc.append(("triton --version", "-", time_process([str(triton), "--version"], runs)))
    else:
        print(f"compile_report: {triton} not found: no whole-process times", file=sys.stderr)

    cpu, cores = cpu_info()
    cmd = "python3 bench/compile_report.py" + (
        "" if build.resolve() == (ROOT / "build/release").resolve() else f" --build {rel(build)}")
    if args.repetitions != 5:
        cmd += f" --repetitions {args.repetitions}"
    if args.runs != 7:
        cmd += f" --runs {args.runs}"
    out = []
    w = out.append
    w("# Compilation speed\n")
    w("<!-- Generated by bench/compile_report.py: do not edit by hand. -->")
    w(f"Generated by `bench/compile_report.py`. To regenerate, build `bench_compile`, "
      f"`bench_cache` and `triton` in a Release tree (`{rel(build)}`: the `release` preset, or any "
      f"`-DCMAKE_BUILD_TYPE=Release` build) and run `{cmd}`.\n")
    w(f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {cpu}, {cores} logical cores ({platform.machine()}, Linux "
      f"{platform.release()}); load average {load[0]:.2f} when the report was written")
    w(f"- Build: {ctx.get('triton_build_type', '?')} ({ctx.get('triton_compiler', '?')})"
      f", `{rel(bench)}`")
    w(f"- Benchmark: `{rel(bench)} --benchmark_format=json "
      f"--benchmark_repetitions={args.repetitions}`; Google Benchmark picks the iteration count, "
      "every number below is the median of the repetitions.")
    if cache_data:
        w(f"- Compile cache benchmark: `{rel(cache_bench)} --benchmark_out=FILE "
          f"--benchmark_out_format=json --benchmark_repetitions={args.repetitions}` "
          f"({cache_data['context'].get('triton_build_type', '?')} build), medians likewise.")
    w("")

    w("## Source to verified IR, in process (-O2)\n")
    w("One iteration is one cold `driver::CompileSource` call on the model's file text (already in "
      "memory; imports are read from disk) with `triton compile`'s default options (-O2): lex, "
      "parse, name check, elaborate, IR verify, the -O2 pass pipeline, then the result is "
      "destroyed. Nothing is cached between iterations. *Lines* counts the file and its "
      "imports (not the 140-line built-in prelude, which is lexed and parsed too). Stage columns "
      "are `CompileResult::times` averaged over the iterations; *wall* is the benchmark's real "
      "time per iteration (everything, allocation and teardown included), *CPU* the process CPU time "
      "per iteration (all threads: `CompileSource` runs the front end on a thread of its own), "
      "*us/line* is wall time over lines.\n")
    w("| model | lines | lex ms | parse ms | check ms | elaborate ms | verify ms | passes ms "
      "| stages ms | wall ms | CPU ms | us/line |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in sorted((m, v) for (m, level), v in by_level.items()
                          if level == DEFAULT_LEVEL):
        if r.get("error_occurred"):
            w(f"| {name} | error: {r.get('error_message', '')} ||||||||||")
            continue
        stages = " | ".join(f"{r.get(s + '_ms', 0):.3f}" for s in STAGES)
        w(f"| {name} | {r['lines']:.0f} | {stages} | {r['stages_ms']:.3f} | "
          f"{to_ms(r, 'real_time'):.3f} | {to_ms(r, 'cpu_time'):.3f} | {r['us_per_line']:.1f} |")
    target = by_level.get((TARGET_MODEL, DEFAULT_LEVEL))
    if target and not target.get("error_occurred"):
        wall, cpu_ms = to_ms(target, "real_time"), to_ms(target, "cpu_time")
        to_ir = target["stages_ms"] - target.get("passes_ms", 0)
        verdict = "meets" if wall < TARGET_MS else "misses"
        w(f"\nTarget (language spec): {TARGET_MODEL} source to verified IR in under "
          f"{TARGET_MS:g} ms in process. Measured: {wall:.2f} ms wall ({cpu_ms:.2f} ms CPU) for "
          f"the whole call including the -O2 passes; the stages up to the verified IR add up to "
          f"{to_ir:.2f} ms. It **{verdict}** the target on this machine.")
        if load[0] > (cores or 1):
            w(f"The machine was loaded (load average {load[0]:.1f} on {cores} cores) while this "
              "ran, so wall times include waiting for a core; the CPU column is the better "
              "estimate of the compiler's own cost.")
    w("")

    models = sorted({m for m, _ in by_level})
    if any(level != DEFAULT_LEVEL for _, level in by_level):
        w("## Per -O level\n")
        w("The same cold in-process `CompileSource` call as above (`BM_Compile/<model>/O<k>`) "
          "with `CompileOptions::opt_level` at -O0 to -O3: total wall ms per call (front end, "
          "verifier and that level's pass pipeline), median of the repetitions; the passes' "
          "share (`CompileResult::times.passes_ms`) is in parentheses. -O2 is `triton "
          "compile`'s default and the column the table above details.\n")
        w("| model | " + " | ".join(f"-{lv} ms (passes)" for lv in LEVELS) + " |")
        w("| --- |" + " ---: |" * len(LEVELS))
        for m in models:
            cells = []
            for lv in LEVELS:
                r = by_level.get((m, lv))
                if r is None:
                    cells.append("-")
                elif r.get("error_occurred"):
                    cells.append("error")
                else:
                    cells.append(f"{to_ms(r, 'real_time'):.3f} ({r.get('passes_ms', 0):.3f})")
            w(f"| {m} | " + " | ".join(cells) + " |")
        w("")

    cache_models = sorted({k.split("/")[1] for k in cache_rows if k.startswith("BM_Cold/")})
    if cache_models:
        w("## Compile cache\n")
        w("From `bench_cache` (`triton/cache/cache_bench.cc`), per model in one run, -O2: *cold* "
          "is `CompileFileCached` with the cache off (read the files, compile from source); *disk "
          "hit* answers from the on-disk cache only (read the sources, compute the key, read and "
          "validate the entry, parse the stored IR); *memory hit* from the in-process cache "
          "(read the sources, key, copy the cached module); *key* is reading the sources and "
          "computing the key alone, the floor of any hit. Wall ms per call, median of the "
          "repetitions; the ratios are cold / hit by wall time.\n")
        w("| model | cold ms | disk hit ms | memory hit ms | key ms | cold / disk hit "
          "| cold / memory hit |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")

        def cache_ms(bm, m):
            r = cache_rows.get(f"{bm}/{m}")
            return None if r is None or r.get("error_occurred") else to_ms(r, "real_time")

        def fmt(v):
            return "-" if v is None else f"{v:.3f}"

        for m in cache_models:
            cold, disk, mem, key = (cache_ms(b, m) for b in
                                    ("BM_Cold", "BM_DiskHit", "BM_MemoryHit", "BM_Key"))
            ratio = lambda hit: "-" if cold is None or not hit else f"{cold / hit:.1f}x"
            w(f"| {m} | {fmt(cold)} | {fmt(disk)} | {fmt(mem)} | {fmt(key)} | {ratio(disk)} "
              f"| {ratio(mem)} |")
        w("")
    w("Incremental (per-layer) recompilation is not implemented: a change to a model's source "
      "recompiles the whole model (the cache key covers the file and its imports), so there is "
      "no incremental column in these tables.\n")

    if proc:
        w("## Whole process\n")
        w("Whole `triton` processes (summary printed to /dev/null), timed from Python with "
          "`time.perf_counter` around `subprocess.run`: process start, reading the files, the "
          f"compile and printing. Median and minimum of {runs} runs after one untimed run. "
          "`--no-cache` compiles from source every time; the plain command uses the compile "
          "cache (a fresh `TRITON_CACHE_DIR`, filled by the untimed run), as a second run by a "
          "user does. `triton --version` is the start-up cost alone.\n")
        w("| command | compile cache | median ms | min ms |")
        w("| --- | --- | ---: | ---: |")
        for shown, cache, (med, low) in proc:
            w(f"| `{shown}` | {cache} | {med:.2f} | {low:.2f} |")
        w("")

    hostile = sorted((k.split("/", 1)[1], v) for k, v in rows.items()
                     if k.startswith("BM_Hostile/"))
    if hostile:
        w("## Hostile inputs\n")
        w("Inputs that must stay fast. The hostile inputs the fuzzing work names (see `fuzz/`) "
          "are rejected with diagnostics, never a crash, and must take well under a second; "
          "`linear_layers_20000` is a valid model of 20,000 `Linear` layers (40,000 parameters) "
          "that guards against quadratic elaboration. One compile-mode `CompileSource` call per "
          "iteration.\n")
        w("| input | bytes | diagnostics | wall ms | CPU ms |")
        w("| --- | ---: | ---: | ---: | ---: |")
        for name, r in hostile:
            w(f"| {name} | {r['bytes']:.0f} | {r['diagnostics']:.0f} | "
              f"{to_ms(r, 'real_time'):.2f} | {to_ms(r, 'cpu_time'):.2f} |")
        w("")

    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.out).write_text("\n".join(out))
    print(f"compile_report: wrote {rel(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
