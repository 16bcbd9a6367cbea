// `triton compile FILE [--model NAME] [-O0..3] [--emit=tokens|ast|ir|plan|summary] [--batch N]
// [--json] [--timing] [--no-cache] [--cache-dir DIR] [-v] [-o model.tnn [--seed N]]`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "triton/base/file.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/codegen/plan_builder.h"
#include "triton/driver/cached_compile.h"
#include "triton/driver/summary.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"
#include "triton/ir/passes/pass.h"
#include "triton/ir/printer.h"
#include "triton/lang/lex/lexer.h"
#include "triton/lang/parse/parser.h"

namespace triton::cli {

namespace {
struct CompileArgs {
  std::string file, model, emit = "summary", diagnostics = "text", output;
  uint64_t seed = 0;
  int64_t batch = 1;  // --emit=plan
  int opt = 2;
  bool json = false, timing = false, no_cache = false, verbose = false;
  bool time_passes = false, verify_each = false;
  std::string print_after, cache_dir;
  std::vector<std::string> imports;
};

// Stage times are those of this run: zero on a cache hit, whose own time is cache_ms.
nlohmann::json TimingJson(const driver::CachedCompileResult& r) {
  return {{"lex_ms", r.times.lex_ms},
          {"parse_ms", r.times.parse_ms},
          {"check_ms", r.times.check_ms},
          {"elaborate_ms", r.times.elaborate_ms},
          {"verify_ms", r.times.verify_ms},
          {"passes_ms", r.times.passes_ms},
          {"total_ms", r.times.total_ms()},
          {"lines", r.lines},
          {"cache", driver::CacheOutcomeName(r.cache.outcome)},
          {"cache_ms", r.cache.ms}};
}

nlohmann::json PassesJson(const driver::CompileResult& r) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& t : r.passes.timings) {
    j.push_back({{"pass", t.pass}, {"ms", t.ms}, {"changed", t.changed}});
  }
  return j;
}

int Run(const CompileArgs& a) {
  driver::CompileOptions o;
  o.model = a.model;
  o.opt_level = a.opt;
  o.import_paths = a.imports;
  o.verify_each = a.verify_each;
  o.print_after = a.print_after;
  driver::CacheOptions co;
  // --time-passes times the passes, and tokens/ast are printed from the source: both compile.
  co.enabled = !a.no_cache && !a.time_passes && a.emit != "tokens" && a.emit != "ast";
  co.dir = a.cache_dir;
  co.memory = false;  // one compile per process: the in-memory layer would only cost a copy
  driver::CachedCompileResult r = driver::CompileFileCached(a.file, o, co);
  if (!r.cache.warning.empty()) {
    std::fprintf(stderr, "triton: warning: %s\n", r.cache.warning.c_str());
  }
  if (a.verbose) {
    for (const std::string& n : r.cache.notes) std::fprintf(stderr, "%s\n", n.c_str());
  }
  if (!r.read_error.empty()) {
    std::fprintf(stderr, "triton: error: %s\n", r.read_error.c_str());
    return kUserError;
  }
  if (a.emit == "tokens" || a.emit == "ast") {
    // Tokens and AST are printed even when later stages fail: they are for looking at input.
    const diag::SourceFile* main = nullptr;
    diag::FileId id = 0;
    for (size_t i = 0; i < r.sources->size(); ++i) {
      if (r.sources->file(static_cast<diag::FileId>(i)).name() == a.file)
        id = static_cast<diag::FileId>(i);
    }
    main = &r.sources->file(id);
    diag::SourceManager sm;
    diag::FileId fid = sm.Add(main->name(), std::string(main->text()));
    diag::DiagEngine scratch(sm);
    std::vector<lang::Token> toks = lang::Lex(sm, fid, scratch);
    if (a.emit == "tokens") {
      std::fputs(lang::DumpTokens(sm, toks).c_str(), stdout);
    } else {
      std::fputs(lang::DumpAst(lang::Parse(toks, fid, scratch), sm).c_str(), stdout);
    }
    return ReportDiagnostics(r, a.diagnostics);
  }
  int code = ReportDiagnostics(r, a.diagnostics);
  if (code != kOk || !r.module) return code == kOk ? kUserError : code;
  if (!a.output.empty()) {
    // A package with initialized FP32 (latent) weights; `triton quantize` ternarizes it.
    format::Package pkg = driver::InitialPackage(*r.module, a.seed, r.source_hash);
    Status st = format::WritePackage(a.output, pkg);
    if (!st.ok()) {
      std::fprintf(stderr, "triton: error: %s\n", st.message().c_str());
      return kUserError;
    }
    std::fprintf(stderr, "wrote %s (%zu tensors, %lld parameters, seed %llu)\n", a.output.c_str(),
                 pkg.tensors.size(), static_cast<long long>(r.module->ParameterCount()),
                 static_cast<unsigned long long>(a.seed));
    if (a.emit == "summary" && !a.json && !a.timing) return kOk;
  }
  if (!r.passes.printed.empty()) std::fputs(r.passes.printed.c_str(), stderr);
  if (a.emit == "ir") {
    std::fputs(ir::Print(*r.module).c_str(), stdout);
  } else if (a.emit == "plan") {
    Result<runtime::Plan> plan = codegen::BuildPlan(*r.module, a.batch);
    if (!plan.ok()) {
      std::fprintf(stderr, "triton: error: %s\n", plan.status().message().c_str());
      return kUserError;
    }
    std::fputs(runtime::PrintPlan(plan.value()).c_str(), stdout);
  } else if (a.json) {
    nlohmann::json j = driver::SummaryJson(*r.module);
    j["opt_level"] = a.opt;
    if (a.timing) j["timing"] = TimingJson(r);
    if (a.time_passes) j["passes"] = PassesJson(r);
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(driver::SummaryText(*r.module).c_str(), stdout);
  }
  std::fflush(stdout);
  if (a.timing && !a.json) {
    std::fprintf(stderr,
                 "timing (ms): lex %.3f  parse %.3f  check %.3f  elaborate %.3f  verify %.3f  "
                 "passes %.3f  total %.3f  cache %s %.3f  (%zu lines)\n",
                 r.times.lex_ms, r.times.parse_ms, r.times.check_ms, r.times.elaborate_ms,
                 r.times.verify_ms, r.times.passes_ms, r.times.total_ms(),
                 driver::CacheOutcomeName(r.cache.outcome), r.cache.ms, r.lines);
  }
  if (a.time_passes && !a.json) {
    for (const auto& t : r.passes.timings) {
      std::fprintf(stderr, "pass %-16s %8.3f ms%s\n", t.pass.c_str(), t.ms,
                   t.changed ? "  (changed)" : "");
    }
  }
  if (a.verbose) {
    std::fprintf(stderr, "compiled %s: model %s, -O%d, %zu passes\n", a.file.c_str(),
                 r.module->name.c_str(), a.opt, r.passes.timings.size());
  }
  return kOk;
}
}  // namespace

void AddCompile(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CompileArgs>();
  auto* cmd = app.add_subcommand("compile", "Compile a model to verified IR and summarize it");
  cmd->add_option("file", a->file, "source file (.tri)")->required();
  cmd->add_option("--model", a->model,
                  "which `model` declaration to build (needed when there are several)");
  cmd->add_option("-O", a->opt, "optimization level 0-3 (default 2; see docs/compiler.md)")
      ->check(CLI::Range(0, 3));
  cmd->add_option("--print-after", a->print_after, "print the IR after PASS (or all) to stderr")
      ->check([](const std::string& v) -> std::string {
        ir::passes::PassId p;
        if (v == "all" || ir::passes::ParsePassName(v, &p)) return "";
        std::string names;
        for (ir::passes::PassId q : ir::passes::AllPasses())
          names += std::string(" ") + ir::passes::PassName(q);
        return "unknown pass '" + v + "'; passes:" + names;
      });
  cmd->add_flag("--time-passes", a->time_passes, "print the time of every pass");
  cmd->add_flag("--verify-each", a->verify_each, "verify the IR after every pass");
  cmd->add_option("--emit", a->emit, "what to print: tokens, ast, ir, plan or summary")
      ->check(CLI::IsMember({"tokens", "ast", "ir", "plan", "summary"}));
  cmd->add_option("--batch", a->batch, "batch size of --emit=plan (default 1)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_flag("--json", a->json, "print the summary as one JSON object");
  cmd->add_flag("--timing", a->timing, "print the wall time of every stage in milliseconds");
  cmd->add_flag("--no-cache", a->no_cache, "compile without the compile cache (memory or disk)");
  cmd->add_option("--cache-dir", a->cache_dir,
                  "compile cache directory (default $TRITON_CACHE_DIR, $XDG_CACHE_HOME/triton, "
                  "~/.cache/triton)");
  cmd->add_flag("-v,--verbose", a->verbose, "say more");
  cmd->add_option("--diagnostics", a->diagnostics, "diagnostic output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-I,--import-path", a->imports, "extra directories searched by import");
  cmd->add_option("-o,--output", a->output, "write a .tnn package with initialized weights");
  cmd->add_option("--seed", a->seed, "seed of the weight initialization (default 0)");
  cmd->callback([a, &exit_code] { exit_code = Run(*a); });
}

}  // namespace triton::cli
