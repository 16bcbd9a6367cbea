// One-layer-edit timings (bench_compile_edit.h states what is measured).
#include "triton/driver/bench_compile_edit.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "triton/base/file.h"
#include "triton/base/temp_dir.h"
#include "triton/base/timer.h"
#include "triton/driver/cached_compile.h"
#include "triton/lang/check/depends.h"

namespace triton::driver {
namespace {

namespace fs = std::filesystem;

struct Target {
  std::string file;  // as the compiler names it (a path in the temporary copy)
  std::string name;
  size_t brace = 0;  // offset just after the declaration's `{`
};

bool Write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f.flush());
}

// The declarations to edit, found by asking the compile's reuse hook for the dependencies.
Status FindTargets(const std::string& main, const std::string& model, std::optional<Target>* unused,
                   std::optional<Target>* used) {
  CompileOptions co;
  co.model = model;
  std::vector<lang::check::DeclarationUse> decls;
  bool asked = false;
  co.reuse = [&](const lang::check::SourceSet& set, const diag::SourceManager& sm,
                 const std::string& entry) -> std::shared_ptr<const ir::Module> {
    lang::check::FeedModelDependencies(
        set, sm, entry, [](std::string_view) {}, &decls);
    asked = true;
    return nullptr;
  };
  FileCompileResult r = CompileFile(main, co);
  if (!r.ok() || !asked) {
    return Status::Error(fmt::format("{} --model {} does not compile", main, model));
  }
  for (const lang::check::DeclarationUse& d : decls) {
    if (d.kind != lang::ast::StmtKind::kLayer && d.kind != lang::ast::StmtKind::kFn) continue;
    Result<std::string> text = base::ReadFile(d.file);
    if (!text.ok()) return text.status();
    const size_t brace = text.value().find('{', d.begin);
    if (brace == std::string::npos || brace >= d.end) continue;
    Target t{d.file, d.name, brace + 1};
    if (!d.included && !*unused) *unused = t;
    if (d.included && d.kind == lang::ast::StmtKind::kLayer && d.file == main && !*used) *used = t;
  }
  return Status();
}

// Median over `repetitions` of the mean compile time of edited sources (the write not timed).
// What an edit inserts just inside the declaration's `{`, with a fresh counter each time: a
// statement (new tokens: the cache sees changed code) or a comment line (new bytes, same tokens).
enum class EditKind { kStatement, kComment };

Result<nlohmann::json> TimeEdits(const std::string& main, const std::string& model, const Target& t,
                                 EditKind kind, const CacheOptions& c, int repetitions,
                                 double min_time_s, int64_t* counter) {
  Result<std::string> original = base::ReadFile(t.file);
  if (!original.ok()) return original.status();
  CompileOptions co;
  co.model = model;
  ResetCompileCacheForTesting();
  CachedCompileResult warm = CompileFileCached(main, co, c);  // the unedited sources, stored
  if (!warm.ok()) return Status::Error(fmt::format("{} does not compile", main));
  std::vector<double> means, cache_means, store_means;
  // Where a call's time goes, besides the cache's work: the front end (lex, parse, name
  // checks), elaboration (with the instance memo's replays) and verify + passes (or the
  // optimized-module memo's digest and lookup).
  std::vector<double> front_means, elab_means, opt_means;
  std::string outcome;
  for (int rep = 0; rep < repetitions; ++rep) {
    double total = 0, cache_total = 0;
    StageTimes stages;
    int64_t n = 0;
    base::Timer wall;
    // The edits come at a person's pace: the previous edit's background store has finished
    // (untimed) before the next edit is written; its own time is reported apart.
    FlushCompileCacheStores();
    const BackgroundStoreStats stores_before = CompileCacheBackgroundStores();
    do {
      FlushCompileCacheStores();
      std::string edited = original.value();
      ++*counter;
      edited.insert(t.brace, kind == EditKind::kStatement
                                 ? fmt::format("\n  let _edit_{} = {}", *counter, *counter)
                                 : fmt::format("\n  # edit {}", *counter));
      if (!Write(t.file, edited)) return Status::Error("cannot write " + t.file);
      base::Timer timer;
      CachedCompileResult r = CompileFileCached(main, co, c);
      total += timer.ElapsedMs();
      cache_total += r.cache.ms;
      stages += r.times;
      ++n;
      if (!r.ok()) return Status::Error(fmt::format("the edited {} does not compile", t.file));
      outcome = CacheOutcomeName(r.cache.outcome);
    } while (wall.ElapsedMs() < min_time_s * 1e3);
    FlushCompileCacheStores();
    const double calls = static_cast<double>(n);
    means.push_back(total / calls);
    cache_means.push_back(cache_total / calls);
    front_means.push_back((stages.lex_ms + stages.parse_ms + stages.check_ms) / calls);
    elab_means.push_back(stages.elaborate_ms / calls);
    opt_means.push_back((stages.verify_ms + stages.passes_ms) / calls);
    store_means.push_back((CompileCacheBackgroundStores().ms - stores_before.ms) / calls);
  }
  if (!Write(t.file, original.value())) return Status::Error("cannot write " + t.file);
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t k = v.size();
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
  };
  return nlohmann::json{{"file", fs::path(t.file).filename().string()},
                        {"declaration", t.name},
                        {"ms", median(means)},
                        {"cache_ms", median(cache_means)},
                        {"front_end_ms", median(front_means)},
                        {"elaborate_ms", median(elab_means)},
                        {"optimize_ms", median(opt_means)},
                        {"background_store_ms", median(store_means)},
                        {"outcome", outcome}};
}

}  // namespace

Result<nlohmann::json> MeasureOneLayerEdits(const std::string& path, const std::string& model,
                                            int repetitions, double min_time_s) {
  base::TempDir src("triton-bench-edit"), cache_dir("triton-bench-edit-cache");
  if (src.path().empty() || cache_dir.path().empty()) {
    return Status::Error("cannot create a temporary directory");
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path(), ec)) {
    if (e.path().extension() != ".tri") continue;
    fs::copy_file(e.path(), fs::path(src.path()) / e.path().filename(), ec);
    if (ec) return Status::Error("copying " + e.path().string() + ": " + ec.message());
  }
  if (ec)
    return Status::Error("listing " + fs::path(path).parent_path().string() + ": " + ec.message());
  const std::string main = (fs::path(src.path()) / fs::path(path).filename()).string();
  std::optional<Target> unused, used;
  if (Status st = FindTargets(main, model, &unused, &used); !st.ok()) return st;

  CacheOptions on;  // as `triton compile` runs: both layers, incremental on
  on.dir = cache_dir.path();
  on.check_round_trip = false;
  CacheOptions off;
  off.enabled = false;
  int64_t counter = 0;
  nlohmann::json j = {
      {"unused", nullptr}, {"used", nullptr}, {"used_comment", nullptr}, {"cold_ms", nullptr}};
  struct Run {
    const char* key;
    const std::optional<Target>* target;
    EditKind kind;
  };
  for (const Run& run :
       {Run{"unused", &unused, EditKind::kStatement}, Run{"used", &used, EditKind::kStatement},
        Run{"used_comment", &used, EditKind::kComment}}) {
    if (!*run.target) continue;
    Result<nlohmann::json> r =
        TimeEdits(main, model, **run.target, run.kind, on, repetitions, min_time_s, &counter);
    if (!r.ok()) return r.status();
    j[run.key] = std::move(r).value();
  }
  if (used) {
    Result<nlohmann::json> r =
        TimeEdits(main, model, *used, EditKind::kStatement, off, repetitions, min_time_s, &counter);
    if (!r.ok()) return r.status();
    j["cold_ms"] = r.value()["ms"];
  }
  ResetCompileCacheForTesting();
  return j;
}

}  // namespace triton::driver
