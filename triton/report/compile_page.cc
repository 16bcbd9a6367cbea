#include "triton/report/compile_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "triton/report/svg.h"

namespace triton::report {

namespace {

constexpr const char* kTargetModel = "resnet50";

const CompileModel* FindModel(const CompileRun& c, const std::string& name) {
  for (const CompileModel& m : c.models) {
    if (m.name == name && m.error.empty()) return &m;
  }
  return nullptr;
}

double UsPerLine(const CompileModel& m) {
  const CompileLevel* l = m.Level(2);
  return l && m.lines > 0 ? 1e3 * l->wall_ms / static_cast<double>(m.lines) : NAN;
}

std::string StagesSvg(const CompileRun& c) {
  svg::BarChart ch;
  ch.title = "Cold compile at -O2 per stage (in process, median)";
  ch.y_label = "ms";
  ch.stacked = true;
  const char* names[] = {"lex", "parse", "check", "elaborate", "verify", "passes", "CPU plan"};
  std::vector<svg::Series> s;
  for (const char* n : names) s.push_back({n, {}});
  for (const CompileModel& m : c.models) {
    const CompileLevel* l = m.Level(2);
    if (!l) continue;
    ch.categories.push_back(m.name);
    const double v[] = {l->lex_ms,    l->parse_ms,  l->check_ms, l->elaborate_ms,
                        l->verify_ms, l->passes_ms, m.plan_ms};
    for (size_t i = 0; i < s.size(); ++i) s[i].values.push_back(v[i]);
  }
  ch.series = s;
  return svg::Render(ch);
}

std::string LevelsSvg(const CompileRun& c) {
  svg::BarChart ch;
  ch.title = "Cold compile per -O level (in process, wall time, median)";
  ch.y_label = "ms";
  std::vector<svg::Series> s;
  for (int k = 0; k <= 3; ++k) s.push_back({fmt::format("-O{}", k), {}});
  for (const CompileModel& m : c.models) {
    if (!m.error.empty()) continue;
    ch.categories.push_back(m.name);
    for (int k = 0; k <= 3; ++k) {
      const CompileLevel* l = m.Level(k);
      s[k].values.push_back(l ? l->wall_ms : NAN);
    }
  }
  ch.series = s;
  return svg::Render(ch);
}

// Where the target model's used-layer edit spends its time, and what the edit target leaves it:
// such an edit first does all an incremental hit does (the unused edit: read and key the files,
// lex and parse the edited one, the name checks, the definitions key), so the target's bound
// (cold / kEditSpeedupTarget) less that hit is what is left for running the edited layer's code,
// building the module and storing the result. Computed from this run's figures; "" when they
// are not all there (older results).
std::string UsedEditBound(const CompileRun& c) {
  const CompileModel* m = FindModel(c, kTargetModel);
  if (!m) return "";
  const CompileModel::Edit& used = m->edit_used;
  const CompileModel::Edit& unused = m->edit_unused;
  const double bound = Div(m->edit_cold_ms, kEditSpeedupTarget);
  for (double x : {used.ms, used.cache_ms, used.front_end_ms, used.elaborate_ms, used.optimize_ms,
                   unused.ms, bound}) {
    if (!std::isfinite(x)) return "";
  }
  const double rest =
      used.ms - used.cache_ms - used.front_end_ms - used.elaborate_ms - used.optimize_ms;
  std::string o = fmt::format(
      "Where {}'s used-layer edit (`{}`) spends its {} ms: the cache's work {} ms (reading and "
      "keying the files, the two key lookups, keeping the result and handing its store to the "
      "background), the front end {} ms (lexing, parsing and the name checks of the edited "
      "file), elaboration {} ms (the layer's own code and the replayed instances, building the "
      "module), the optimized-module memo {} ms (digest and lookup; verifier and passes when the "
      "module changed), and {} ms besides (setting up the compile, freeing it). ",
      kTargetModel, used.declaration, Ms(used.ms), Ms(used.cache_ms), Ms(used.front_end_ms),
      Ms(used.elaborate_ms), Ms(used.optimize_ms), Ms(rest));
  o += fmt::format(
      "Such an edit first does all an incremental hit does - read and key the files, lex and "
      "parse the edited one, check names, compute the definitions key - and only then finds that "
      "key new. The {}x target bounds the edit at cold / {} = {} ms; the unused-declaration edit, "
      "an incremental hit and nothing more, takes {} ms of it, which leaves {} ms to run the "
      "edited layer's code, build the module and hand over its store ({} ms in this run).\n\n",
      Fixed(kEditSpeedupTarget, 0), Fixed(kEditSpeedupTarget, 0), Ms(bound), Ms(unused.ms),
      Ms(bound - unused.ms), Ms(used.ms - unused.ms));
  return o;
}

// The one-layer-edit table (driver/bench_compile_edit.h), when measured.
std::string EditSection(const CompileRun& c) {
  bool any = false;
  for (const CompileModel& m : c.models) any = any || std::isfinite(m.edit_cold_ms);
  if (!any) return "";
  std::string o = "## One-layer edits (incremental compilation)\n\n";
  o += "The compile after the user edits one declaration, through the compile cache as `triton "
       "compile` uses it (memory and disk layers, warm with the unedited sources; "
       "driver/bench_compile_edit.h). The model's file and its imports are copied; every call "
       "first writes the file with a new statement `let _edit_K = K` just inside the "
       "declaration (not timed): new code each time, so no earlier entry can answer, that builds "
       "the same module. *Unused*: the first declaration the model does not read "
       "(lang/check/depends.h) - the incremental layer reuses the optimized module after the "
       "front end and the name checks (only the edited file is lexed and parsed again: the "
       "process keeps the others' parses, parsed_files.h). *Used*: the model's own top-level layer "
       "- a miss for both "
       "keys: its own code runs again, the instances it builds are replayed by the in-process "
       "instance memo, the passes are skipped when the module is unchanged (the optimized-module "
       "memo, as here), and the result is stored in the background (cached_compile.h: the compile "
       "answers first; each edit is written once the previous store has finished, as edits come "
       "at a person's pace; *store* is that background work per edit, which no compile waited "
       "for; architecture.md section 4). *Comment*: the "
       "used declaration edited with a comment line `# edit K` instead - the definitions key "
       "reads tokens, so the incremental layer serves it. *Cold*: the used edit with the cache "
       "off. *ms* is the edit's compile, with the cache's own work in it in parentheses (keys, "
       "lookups, the store of a miss; all of an incremental hit). Ratios are cold / edit.\n\n";
  Table t({"model", "unused declaration edited", "ms", "outcome", "cold / unused",
           "used declaration edited", "ms", "outcome", "cold / used", "comment in it ms", "outcome",
           "cold / comment", "cold ms"},
          "llrlrlrlrrlrr");
  for (const CompileModel& m : c.models) {
    if (!m.error.empty() || !std::isfinite(m.edit_cold_ms)) continue;
    auto cells = [&](const CompileModel::Edit& e) -> std::vector<std::string> {
      if (!std::isfinite(e.ms)) return {"none (the model reads every declaration)", "", "", ""};
      std::string ms = Ms(e.ms);
      if (std::isfinite(e.cache_ms)) ms += " (cache " + Ms(e.cache_ms) + ")";
      if (std::isfinite(e.background_store_ms) && e.background_store_ms > 0) {
        ms += "; store " + Ms(e.background_store_ms);
      }
      return {Code(e.file + ": " + e.declaration), ms, e.outcome,
              Times(Div(m.edit_cold_ms, e.ms), 1)};
    };
    std::vector<std::string> row{m.name};
    for (const auto& x : cells(m.edit_unused)) row.push_back(x);
    for (const auto& x : cells(m.edit_used)) row.push_back(x);
    if (std::isfinite(m.edit_used_comment.ms)) {
      row.push_back(Ms(m.edit_used_comment.ms));
      row.push_back(m.edit_used_comment.outcome);
      row.push_back(Times(Div(m.edit_cold_ms, m.edit_used_comment.ms), 1));
    } else {
      row.insert(row.end(), {"", "", ""});
    }
    row.push_back(Ms(m.edit_cold_ms));
    t.Row(row);
  }
  o += t.Render() + "\n";
  o += UsedEditBound(c);
  o += "On disk, reuse is per model, at the granularity of top-level declarations; comments, "
       "blank lines and indentation are not code. Within one process an edit of a layer the model "
       "uses re-runs that layer's own code and replays the instances whose code and arguments did "
       "not change; a module that changed still goes through the verifier and every pass, and a "
       "miss still stores its entries (in the background once the process has stored to the "
       "directory; `triton compile`, one compile per process, stores before it exits).\n\n";
  return o;
}

}  // namespace

std::vector<CompileTarget> CompileTargets(const CompileRun* c) {
  std::vector<CompileTarget> out;
  const CompileModel* m = c ? FindModel(*c, kTargetModel) : nullptr;
  const CompileLevel* l2 = m ? m->Level(2) : nullptr;
  out.push_back({fmt::format("{} cold compile, source to optimized CPU plan at -O2, < {} ms",
                             kTargetModel, Fixed(kToPlanTargetMs, 0)),
                 m && std::isfinite(m->to_plan_ms)
                     ? fmt::format("{} ms (compile {} + plan {})", Fixed(m->to_plan_ms, 2),
                                   Fixed(l2 ? l2->wall_ms : NAN, 2), Fixed(m->plan_ms, 2))
                     : kMissing,
                 m ? Verdict(m->to_plan_ms, kToPlanTargetMs, false) : "not measured"});
  // The slowest hit of any model decides.
  double worst = NAN;
  std::string worst_text = kMissing;
  if (c) {
    for (const CompileModel& x : c->models) {
      for (auto [ms, layer] : {std::pair{x.disk_hit_ms, "disk"}, {x.memory_hit_ms, "memory"}}) {
        if (std::isfinite(ms) && !(ms <= worst)) {
          worst = ms;
          worst_text = fmt::format("slowest: {} ms ({}, {} layer)", Fixed(ms, 3), x.name, layer);
        }
      }
    }
  }
  if (m && std::isfinite(m->disk_hit_ms)) {
    worst_text = fmt::format("{}: disk {} ms, memory {} ms; {}", kTargetModel,
                             Fixed(m->disk_hit_ms, 3), Fixed(m->memory_hit_ms, 3), worst_text);
  }
  out.push_back({fmt::format("a compile-cache hit < {} ms (every model, both layers)",
                             Fixed(kCacheHitTargetMs, 0)),
                 worst_text, Verdict(worst, kCacheHitTargetMs, false)});
  // One-layer edit: the spec's case is an edit to a layer the model uses; the reuse of an edit
  // elsewhere is shown beside it.
  {
    const double used = m ? Div(m->edit_cold_ms, m->edit_used.ms) : NAN;
    const double unused = m ? Div(m->edit_cold_ms, m->edit_unused.ms) : NAN;
    std::string text = kMissing;
    if (std::isfinite(used)) {
      text = fmt::format("a layer it uses ({}): {}", m->edit_used.declaration, Times(used, 1));
      if (std::isfinite(unused)) {
        text += fmt::format("; a declaration it does not read ({}): {}", m->edit_unused.declaration,
                            Times(unused, 1));
      }
      const double comment = Div(m->edit_cold_ms, m->edit_used_comment.ms);
      if (std::isfinite(comment)) {
        text += fmt::format("; a comment in the layer it uses: {}", Times(comment, 1));
      }
    }
    out.push_back({fmt::format("a one-layer edit of {} at least {}x faster than a cold compile",
                               kTargetModel, Fixed(kEditSpeedupTarget, 0)),
                   text, Verdict(used, kEditSpeedupTarget, true)});
  }
  const double per_line = m ? UsPerLine(*m) : NAN;
  out.push_back({fmt::format("< {} us per source line ({} at -O2, wall time over lines)",
                             Fixed(kPerLineTargetUs, 0), kTargetModel),
                 std::isfinite(per_line)
                     ? fmt::format("{} us ({} lines)", Fixed(per_line, 1), m->lines)
                     : kMissing,
                 Verdict(per_line, kPerLineTargetUs, false)});
  return out;
}

std::vector<OutputFile> CompilePage(const Results& r) {
  std::vector<OutputFile> files;
  std::string o = "# Compilation speed\n\n";
  o += GeneratedNote(r.compile ? std::vector<std::string>{r.compile->file}
                               : std::vector<std::string>{}) +
       "\n";
  if (!r.compile) {
    o += fmt::format(
        "No `compile.json` in `{}`: run `triton bench compile --json {}/compile.json` and "
        "regenerate.\n",
        kResultsDir, kResultsDir);
    files.push_back({"compilation_speed.md", o});
    return files;
  }
  const CompileRun& c = *r.compile;
  o += fmt::format("- Machine: {}.\n", MachineText(c.machine));
  o += fmt::format("- Date: {}{}.\n", c.machine.date.empty() ? "not recorded" : c.machine.date,
                   c.machine.load >= 0
                       ? fmt::format("; 1-minute load average {} at the start (a shared VM: "
                                     "the CPU column is the better estimate of the compiler's "
                                     "own cost when it is high)",
                                     Fixed(c.machine.load, 2))
                       : std::string());
  o += fmt::format("- Build: {} ({}{}).\n",
                   c.machine.build_type.empty() ? "?" : c.machine.build_type,
                   c.machine.compiler.empty() ? "?" : c.machine.compiler,
                   c.machine.allocator.empty() ? "" : ", " + c.machine.allocator);
  o += fmt::format("- Command: {}.\n", Code(c.command));
  o += fmt::format(
      "- Method: every number is the median of {} repetitions; a repetition repeats the call "
      "until {} s have passed and keeps the mean per call. Nothing is cached between calls "
      "unless the row says so.\n\n",
      c.repetitions, Fixed(c.min_time_s, 3));

  o += "## Targets (spec/benchmarks.md)\n\n";
  Table t({"target", "measured", ""}, "lll");
  for (const CompileTarget& x : CompileTargets(&c)) t.Row({x.target, x.measured, x.verdict});
  o += t.Render() + "\n";

  o += "## Source to verified IR, per stage (-O2)\n\n";
  o += "One call is one cold `driver::CompileSource` on the model's file text (already in memory; "
       "imports are read from disk) with `triton compile`'s default options (-O2): lex, parse, "
       "name check, elaborate, IR verify, the -O2 pass pipeline. *Lines* counts the file and its "
       "imports (not the built-in prelude, which is lexed and parsed too). Stage columns are "
       "`CompileResult::times`; *wall* is the time of the whole call (allocation and teardown "
       "included), *CPU* the process CPU time per call (all threads). *Plan* is "
       "`codegen::BuildCpuPlan` of the optimized module at batch 1 "
       "(the CPU engine's plan, no weights materialized); *to plan* = wall + plan. *us/line* is "
       "wall time over lines.\n\n";
  Table s({"model", "lines", "lex ms", "parse ms", "check ms", "elaborate ms", "verify ms",
           "passes ms", "stages ms", "wall ms", "CPU ms", "plan ms", "to plan ms", "us/line"},
          "lrrrrrrrrrrrrr");
  std::vector<std::string> failed;
  for (const CompileModel& m : c.models) {
    if (!m.error.empty()) {
      failed.push_back(fmt::format("- {}: {}", m.name, m.error));
      continue;
    }
    const CompileLevel* l = m.Level(2);
    if (!l) continue;
    s.Row({m.name, std::to_string(m.lines), Ms(l->lex_ms), Ms(l->parse_ms), Ms(l->check_ms),
           Ms(l->elaborate_ms), Ms(l->verify_ms), Ms(l->passes_ms), Ms(l->stages_ms),
           Ms(l->wall_ms), Ms(l->cpu_ms), Ms(m.plan_ms), Ms(m.to_plan_ms), Fixed(UsPerLine(m), 1)});
  }
  o += s.Render() + "\n![Compile time per stage at -O2](compile_stages.svg)\n\n";
  files.push_back({"compile_stages.svg", StagesSvg(c)});
  if (!failed.empty()) {
    o += "Models that failed to compile:\n\n";
    for (const std::string& f : failed) o += f + "\n";
    o += "\n";
  }

  o += "## Per -O level\n\n";
  o += "The same cold in-process call with `CompileOptions::opt_level` at -O0 to -O3: wall ms per "
       "call (front end, verifier and that level's pass pipeline); the passes' share "
       "(`CompileResult::times.passes_ms`) in parentheses. -O2 is `triton compile`'s default.\n\n";
  Table lv({"model", "-O0 ms (passes)", "-O1 ms (passes)", "-O2 ms (passes)", "-O3 ms (passes)"},
           "lrrrr");
  for (const CompileModel& m : c.models) {
    if (!m.error.empty()) continue;
    std::vector<std::string> row = {m.name};
    for (int k = 0; k <= 3; ++k) {
      const CompileLevel* l = m.Level(k);
      row.push_back(l ? fmt::format("{} ({})", Ms(l->wall_ms), Ms(l->passes_ms)) : kMissing);
    }
    lv.Row(row);
  }
  o += lv.Render() + "\n![Compile time per -O level](compile_levels.svg)\n\n";
  files.push_back({"compile_levels.svg", LevelsSvg(c)});

  // Per pass: rows are the -O2 pipeline's positions, columns the models.
  std::vector<const CompileModel*> with_passes;
  for (const CompileModel& m : c.models) {
    if (m.error.empty() && !m.passes.empty()) with_passes.push_back(&m);
  }
  if (!with_passes.empty()) {
    o += "## Per pass (-O2)\n\n";
    o += "Every pass of the -O2 pipeline in order (`PassResult::timings`, what `triton compile "
         "--time-passes` prints), ms per call; `*`: the pass changed the module.\n\n";
    std::vector<std::string> headers = {"#", "pass"};
    std::string align = "rl";
    for (const CompileModel* m : with_passes) {
      headers.push_back(m->name);
      align += 'r';
    }
    Table pt(headers, align);
    size_t rows = 0;
    for (const CompileModel* m : with_passes) rows = std::max(rows, m->passes.size());
    for (size_t i = 0; i < rows; ++i) {
      std::string name;
      for (const CompileModel* m : with_passes) {
        if (i < m->passes.size() && name.empty()) name = m->passes[i].pass;
      }
      std::vector<std::string> row = {std::to_string(i + 1), name};
      for (const CompileModel* m : with_passes) {
        if (i >= m->passes.size() || m->passes[i].pass != name) {
          row.push_back(kMissing);
          continue;
        }
        row.push_back(Ms(m->passes[i].ms) + (m->passes[i].changed ? " *" : ""));
      }
      pt.Row(row);
    }
    o += pt.Render() + "\n";
  }

  o += "## Compile cache\n\n";
  o += "`driver::CompileFileCached` on the model's file, -O2, in a fresh cache directory: *cold* "
       "with the cache off (read the files, compile from source); *disk hit* answered by the "
       "on-disk layer alone (read the sources, compute the key, read and validate the entry, "
       "decode and verify the stored module); *memory hit* by the in-process layer (read the "
       "sources, key, share "
       "the cached module); *key* is reading the sources and computing the key alone, the floor "
       "of any hit. The ratios are cold / hit.\n\n";
  Table ct({"model", "cold ms", "disk hit ms", "memory hit ms", "key ms", "cold / disk hit",
            "cold / memory hit"},
           "lrrrrrr");
  for (const CompileModel& m : c.models) {
    if (!m.error.empty() || !std::isfinite(m.cold_ms)) continue;
    ct.Row({m.name, Ms(m.cold_ms), Ms(m.disk_hit_ms), Ms(m.memory_hit_ms), Ms(m.key_ms),
            Times(Div(m.cold_ms, m.disk_hit_ms), 1), Times(Div(m.cold_ms, m.memory_hit_ms), 1)});
  }
  o += ct.Render() + "\n";
  o += EditSection(c);

  bool any_process = !c.version.command.empty() || !c.warm_cache.command.empty();
  for (const CompileModel& m : c.models) any_process = any_process || !m.process.command.empty();
  if (any_process) {
    o += "## Whole process\n\n";
    o += fmt::format(
        "Whole `triton` processes (output to /dev/null), timed around `posix_spawn` and "
        "`waitpid`: process start, reading the files, the compile and printing. Median and "
        "minimum of {} runs after one untimed run. `--no-cache` compiles from source every time; "
        "the plain command uses the compile cache (a fresh `TRITON_CACHE_DIR`, filled by the "
        "untimed run); `triton --version` is the start-up cost alone (`triton` does not link "
        "libtorch, whose loading takes ~0.4 s: `triton train` and `triton bench perf` run in "
        "the helper `triton-torch`, docs/cli.md).\n\n",
        c.process_runs);
    Table pt({"command", "compile cache", "median ms", "min ms"}, "llrr");
    for (const CompileModel& m : c.models) {
      if (m.process.command.empty()) continue;
      pt.Row({Code(m.process.command), "off", Fixed(m.process.median_ms, 2),
              Fixed(m.process.min_ms, 2)});
    }
    if (!c.warm_cache.command.empty()) {
      pt.Row({Code(c.warm_cache.command), "warm", Fixed(c.warm_cache.median_ms, 2),
              Fixed(c.warm_cache.min_ms, 2)});
    }
    if (!c.version.command.empty()) {
      pt.Row({Code(c.version.command), "-", Fixed(c.version.median_ms, 2),
              Fixed(c.version.min_ms, 2)});
    }
    o += pt.Render() + "\n";
  }
  o += "The hostile inputs (deep nesting, huge tokens, random bytes, 20,000 layers) are timed by "
       "the `bench_compile` Google Benchmark (`bench/compile_bench.cc`).\n\n";
  o += "## Reproduce\n\n```sh\n" +
       (c.command.empty() ? std::string("triton bench compile --json bench/results/compile.json")
                          : c.command) +
       "\n" + kReportCommand + "\n```\n";
  files.insert(files.begin(), {"compilation_speed.md", o});
  return files;
}

}  // namespace triton::report
