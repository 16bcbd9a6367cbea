#include "triton/driver/cached_compile.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "triton/base/file.h"
#include "triton/base/timer.h"
#include "triton/cache/disk_cache.h"
#include "triton/cache/entry.h"
#include "triton/cache/location.h"
#include "triton/cache/memory_cache.h"
#include "triton/cache/write_behind.h"
#include "triton/driver/compile_key.h"
#include "triton/ir/binary.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"
#include "triton/lang/check/elaborator.h"

namespace triton::driver {

namespace {

// What a compile returns that the CLI prints, decoded once and shared by every memory hit.
struct CachedCompile {
  // Immutable once shared, and handed to the results it answers (ir::ModuleHandle), not copied.
  std::shared_ptr<const ir::Module> module;
  std::vector<std::string> model_names;
  std::vector<diag::Diagnostic> diags;  // warnings; ranges index the compile's SourceManager
  size_t bytes = 0;                     // what it is charged in the memory layer
};

// Payload (cache/entry.h codec): u64 format, the module (ir/binary.h: decoding it costs about a
// module copy, parsing its IR text tens of times that), model names, diagnostics. A diagnostic:
// kind name, range, message, notes (range, message); a range: u32 file id + 1 (0: none), u32
// begin, u32 end.
#ifdef NDEBUG
constexpr bool kDebugBuild = false;
#else
constexpr bool kDebugBuild = true;
#endif

constexpr size_t kMemoryBudget = size_t{256} << 20;

struct Global {
  std::mutex mu;
  std::set<std::string> unwritable;  // directories whose writes failed: no more tries
  cache::MemoryCache<CachedCompile> memory{kMemoryBudget};
  // The elaborator's instance memo, shared by this process's compiles (part of the in-memory
  // layer: what unchanged layer instances built and emitted, replayed after an edit elsewhere).
  std::shared_ptr<lang::check::InstanceMemo> instances =
      std::make_shared<lang::check::InstanceMemo>();
  // And the passes' results by elaborated module (module_memo.h).
  std::shared_ptr<OptimizedMemo> optimized = std::make_shared<OptimizedMemo>();
  // And the source files it has parsed (parsed_files.h): an edit re-parses the edited file only.
  std::shared_ptr<ParsedFileCache> parsed = std::make_shared<ParsedFileCache>();
  // Directories a store has succeeded in, in this process: later stores there may run in the
  // background (a directory's first store runs in the caller, so a cache that cannot be written
  // is reported by the compile that found out).
  std::set<std::string> written;
  std::vector<std::string> late_warnings;  // a background store found a directory unwritable
  // Keys whose background store has not finished: a disk read of one waits for it, so this
  // process never misses an entry it is still writing (a compile with the memory layer off).
  std::unordered_multiset<cache::Key, cache::KeyHash> pending;
  // Last, so it is destroyed first: it finishes its stores while the rest is alive.
  cache::WriteBehind stores;
};
Global& G() {
  static Global g;
  return g;
}

void PutRange(cache::PayloadWriter& w, const diag::SourceRange& r) {
  w.U32(r.valid() ? static_cast<uint32_t>(r.file) + 1 : 0);
  w.U32(r.begin);
  w.U32(r.end);
}

std::string EncodePayload(std::string_view module_bytes, const std::vector<std::string>& names,
                          const std::vector<diag::Diagnostic>& diags) {
  cache::PayloadWriter w;
  w.U64(static_cast<uint64_t>(kCompileCacheFormat));
  w.Str(module_bytes);
  w.U64(names.size());
  for (const std::string& n : names) w.Str(n);
  w.U64(diags.size());
  for (const diag::Diagnostic& d : diags) {
    w.Str(diag::KindName(d.kind));
    PutRange(w, d.range);
    w.Str(d.message);
    w.U64(d.notes.size());
    for (const diag::Note& n : d.notes) {
      PutRange(w, n.range);
      w.Str(n.message);
    }
  }
  return std::move(w.bytes());
}

const std::unordered_map<std::string, diag::Kind>& KindsByName() {
  static const auto* m = [] {
    auto* out = new std::unordered_map<std::string, diag::Kind>;
    for (diag::Kind k : diag::AllKinds()) (*out)[diag::KindName(k)] = k;
    return out;
  }();
  return *m;
}

// Decodes a payload; `file_sizes` (when given) are the sizes of the SourceManager's files that
// every range must lie in. Returns "" or what is wrong.
std::string DecodePayload(std::string_view payload, const std::vector<size_t>* file_sizes,
                          CachedCompile* out) {
  cache::PayloadReader in(payload);
  if (const uint64_t format = in.U64(); format != static_cast<uint64_t>(kCompileCacheFormat)) {
    // Its key hashes its format, so no compile of this build ever reads it.
    return fmt::format("payload format {}, not this build's {} (an entry of another version)",
                       format, kCompileCacheFormat);
  }
  std::string module_bytes = in.Str();
  uint64_t n = in.Count(8);
  for (uint64_t i = 0; i < n; ++i) out->model_names.push_back(in.Str());
  auto range = [&](diag::SourceRange* r) -> bool {
    uint32_t file = in.U32();
    r->begin = in.U32();
    r->end = in.U32();
    r->file = file == 0 ? diag::kNoFile : static_cast<diag::FileId>(file - 1);
    if (file == 0) return r->begin == 0 && r->end == 0;
    if (r->begin > r->end) return false;
    if (!file_sizes) return true;
    return file - 1 < file_sizes->size() && r->end <= (*file_sizes)[file - 1];
  };
  n = in.Count(24);
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    diag::Diagnostic d{};
    auto kind = KindsByName().find(in.Str());
    if (kind == KindsByName().end() || !in.ok()) return "unknown diagnostic kind";
    d.kind = kind->second;
    d.severity = diag::KindSeverity(d.kind);
    if (d.severity == diag::Severity::kError) return "an error diagnostic in a cached compile";
    if (!range(&d.range)) return "diagnostic range outside the source files";
    d.message = in.Str();
    uint64_t notes = in.Count(20);
    for (uint64_t j = 0; j < notes && in.ok(); ++j) {
      diag::Note note;
      if (!range(&note.range)) return "note range outside the source files";
      note.message = in.Str();
      d.notes.push_back(std::move(note));
    }
    out->diags.push_back(std::move(d));
  }
  if (!in.ok()) return "payload is cut short";
  if (!in.at_end()) return "payload has trailing bytes";
  Result<ir::Module> m = ir::DecodeModule(module_bytes);
  if (!m.ok()) return "stored module does not decode: " + m.status().message();
  // Only verified modules are stored: one that fails is not what this compiler wrote.
  if (std::vector<std::string> errors = ir::Verify(m.value()); !errors.empty()) {
    return "stored module fails verification: " + errors.front();
  }
  out->module = std::make_shared<ir::Module>(std::move(m).value());
  return "";
}

size_t CountLines(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n + (!text.empty() && text.back() != '\n');
}

// The CompileResult of a hit: the same sources, replayed warnings, and the cached module (shared).
void FillFromCache(CompileInputs& in, const CachedCompile& c, CompileResult& r) {
  r.sources = std::make_unique<diag::SourceManager>();
  r.sources->Add("<prelude>", lang::check::PreludeSource());
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  r.lines = 0;
  for (InputFile& f : in.files) {
    XXH3_64bits_update(st, f.text.data(), f.text.size());
    r.lines += CountLines(f.text);
    r.sources->Add(std::move(f.name), std::move(f.text));
  }
  r.source_hash = fmt::format("{:016x}", XXH3_64bits_digest(st));
  XXH3_freeState(st);
  r.diags = std::make_unique<diag::DiagEngine>(*r.sources);
  for (const diag::Diagnostic& d : c.diags) {
    r.diags->Report(d.kind, d.range, d.message);
    for (const diag::Note& n : d.notes) r.diags->AddNote(n.range, n.message);
  }
  r.module = ir::ModuleHandle(c.module);
  r.model_names = c.model_names;
}

std::vector<size_t> FileSizes(const CompileInputs& in) {
  std::vector<size_t> sizes{std::string_view(lang::check::PreludeSource()).size()};
  for (const InputFile& f : in.files) sizes.push_back(f.text.size());
  return sizes;
}

// Why a finished compile must not be stored ("" when it may be).
std::string WhyNotStorable(const CompileResult& r, const CompileInputs& in) {
  if (!r.ok()) return "the compile has errors";
  if (!r.module) return "no module was built";
  if (!r.verify_errors.empty()) return "the IR failed verification";
  if (r.sources->size() != in.files.size() + 1) return "the compiler loaded other files";
  for (size_t i = 0; i < in.files.size(); ++i) {
    const diag::SourceFile& f = r.sources->file(static_cast<diag::FileId>(i + 1));
    if (f.name() != in.files[i].name || f.text() != in.files[i].text) {
      return "the sources changed during the compile (" + std::string(f.name()) + ")";
    }
  }
  return "";
}

// Reads and decodes the disk entry of `key`: the decoded compile, or null when it is absent,
// unreadable or bad (a bad entry is removed, counted and noted; it is rebuilt by the caller).
std::shared_ptr<CachedCompile> ReadDisk(cache::DiskCache& disk, const cache::Key& key,
                                        const std::vector<size_t>* sizes, CacheReport& rep,
                                        cache::Counters& counters) {
  bool pending = false;
  {
    std::lock_guard<std::mutex> lock(G().mu);
    pending = G().pending.count(key) > 0;
  }
  if (pending) G().stores.Flush();
  cache::ReadResult rr = disk.Read(key);
  std::string entry = disk.EntryPath(key);
  if (rr.kind == cache::ReadResult::Kind::kHit) {
    auto c = std::make_shared<CachedCompile>();
    std::string why = DecodePayload(rr.payload(), sizes, c.get());
    if (why.empty()) {
      c->bytes = rr.payload_size * 2;
      return c;
    }
    ::unlink(entry.c_str());
    rr.kind = cache::ReadResult::Kind::kBad;
    rr.message = why;
  }
  if (rr.kind == cache::ReadResult::Kind::kBad) {
    counters.bad_entries += 1;
    rep.notes.push_back(fmt::format("cache: bad entry {}: {}; rebuilding", entry, rr.message));
  } else if (rr.kind == cache::ReadResult::Kind::kError) {
    rep.notes.push_back("cache: " + rr.message + "; compiling");
  }
  return nullptr;
}

// The payload of a finished compile: its module, model names and warnings. With `check`, the
// module must decode back to itself first (the same bytes and the same text); otherwise *why
// says so and the result is "".
std::string EncodeCompile(const ir::Module& module, const CachedCompile& c, bool check,
                          std::string* why) {
  std::string bytes = ir::EncodeModule(module);
  if (check) {
    Result<ir::Module> back = ir::DecodeModule(bytes);
    if (!back.ok() || ir::EncodeModule(back.value()) != bytes ||
        ir::Print(back.value()) != ir::Print(module)) {
      *why = "the module does not decode back to itself (a codec bug)";
      return "";
    }
  }
  return EncodePayload(bytes, c.model_names, c.diags);
}

// What a result is charged in the memory layer when it is not encoded yet (a background store
// encodes it): about twice its size, as a decoded entry is charged.
size_t ApproxBytes(const ir::Module& m) {
  size_t n = 64;
  for (const ir::Value& v : m.values) n += 24 + v.name.size() + 8 * v.type.dims.size();
  for (const ir::Op& op : m.ops) {
    n += 24 + op.scope.size() + 6 * op.operands.size() + 24 * op.attrs.items().size();
  }
  for (const ir::Constant& k : m.consts) n += 12 * k.data.size();
  return 2 * n;
}

// Writes `payload` under each of `keys` and adds `counters` plus the stores to the directory's
// counters; false when a write failed. The directory is then off for the rest of the process and,
// the first time, *warning says so (else it is left empty). Runs in the compile's thread or, for a
// directory stored to before, in the background.
bool StoreEntries(const cache::DiskCache& disk, const std::vector<cache::Key>& keys,
                  const std::string& payload, cache::Counters counters, std::string* warning) {
  Global& g = G();
  bool ok = true;
  for (const cache::Key& k : keys) {
    cache::WriteResult w = disk.Write(k, payload);
    if (w.ok) {
      counters.stores += 1;
      continue;
    }
    ok = false;
    counters.write_failures += 1;
    std::lock_guard<std::mutex> lock(g.mu);
    g.written.erase(disk.dir());
    if (g.unwritable.insert(disk.dir()).second) {
      *warning = fmt::format("compile cache {} is not usable ({}); continuing without it",
                             disk.dir(), w.message);
    }
    break;
  }
  disk.AddCounters(counters);
  if (ok) {
    std::lock_guard<std::mutex> lock(g.mu);
    g.written.insert(disk.dir());
  }
  return ok;
}

// A background store (WriteBehind's job): encodes and stores `c` under `keys`, then clears their
// pending marks. A problem is left for the next compile to report.
void StoreLater(const cache::DiskCache& disk, const std::vector<cache::Key>& keys,
                const CachedCompile& c, const cache::Counters& counters, bool check) {
  std::string not_stored, warning;
  const std::string payload = EncodeCompile(*c.module, c, check, &not_stored);
  if (not_stored.empty()) {
    StoreEntries(disk, keys, payload, counters, &warning);
  } else {
    disk.AddCounters(counters);
    warning = "compile cache: a result was not stored: " + not_stored;
  }
  Global& g = G();
  std::lock_guard<std::mutex> lock(g.mu);
  if (!warning.empty()) g.late_warnings.push_back(std::move(warning));
  for (const cache::Key& k : keys) g.pending.erase(g.pending.find(k));
}

FileCompileResult PlainCompile(const std::string& path, const CompileOptions& options) {
  return CompileFile(path, options);
}

// One CompileFileCached call past its exact-key lookup in memory: the disk layer it uses, the
// counters it adds there and its report.
struct Call {
  const CompileOptions& options;
  const CacheOptions& copts;
  const std::string& id;  // the compiler id
  CacheReport& rep;
  std::optional<cache::DiskCache> disk;
  bool writable = false;  // the disk layer's directory has not failed a write in this process
  cache::Counters counters;
  std::optional<cache::Key> defs_key;  // once the incremental layer asked

  // Finds the disk layer's directory (none: memory only, noted).
  void OpenDisk() {
    if (!copts.disk) return;
    cache::CacheLocation loc = cache::ResolveCacheDir(copts.dir);
    if (loc.dir.empty()) {
      rep.notes.push_back("cache: no directory (set TRITON_CACHE_DIR or HOME); memory only");
      return;
    }
    disk.emplace(loc.dir);
    rep.dir = loc.dir;
    rep.dir_source = loc.source;
    Global& g = G();
    std::lock_guard<std::mutex> lock(g.mu);
    writable = !g.unwritable.count(loc.dir);
  }

  // The incremental layer (CompileOptions::reuse): the module kept under the model's
  // definitions key, from memory or disk, or null.
  std::shared_ptr<const ir::Module> Reuse(const lang::check::SourceSet& set,
                                          const diag::SourceManager& sm, const std::string& entry) {
    Global& g = G();
    lang::check::DependencySummary deps;
    defs_key = DefinitionsKey(set, sm, entry, options, id, &deps);
    rep.definitions_key = defs_key->Hex();
    std::shared_ptr<const CachedCompile> c;
    if (copts.memory) c = g.memory.Get(*defs_key);
    if (!c && disk) {
      std::shared_ptr<CachedCompile> d = ReadDisk(*disk, *defs_key, nullptr, rep, counters);
      if (d && !d->diags.empty()) {
        // Only diagnostic-free compiles are stored under this layer's keys.
        ::unlink(disk->EntryPath(*defs_key).c_str());
        counters.bad_entries += 1;
        rep.notes.push_back(
            fmt::format("cache: bad entry {}: diagnostics in an incremental entry; rebuilding",
                        disk->EntryPath(*defs_key)));
        d.reset();
      }
      if (d) {
        counters.hits = 1;
        if (copts.memory) g.memory.Put(*defs_key, d, d->bytes);
        c = std::move(d);
      }
    }
    if (!c) return nullptr;
    rep.reused_declarations = deps.declarations;
    rep.edited_elsewhere = deps.skipped;
    return c->module;
  }

  // After a miss: keeps `out` in memory and stores it on disk (in the background, or here for a
  // directory's first store) under the exact key and, when it reported nothing, the definitions
  // key; or notes why it is not stored.
  void Store(const cache::Key& key, const CompileInputs& in, const CompileResult& out) {
    Global& g = G();
    std::string why = WhyNotStorable(out, in);
    if (disk) counters.misses = 1;
    const bool check = copts.check_round_trip.value_or(kDebugBuild);
    bool background = false;
    if (why.empty() && disk && writable && copts.background_store && copts.memory) {
      std::lock_guard<std::mutex> lock(g.mu);
      background = g.written.count(disk->dir()) > 0;
    }
    auto c = std::make_shared<CachedCompile>();
    std::string payload;
    if (why.empty()) {
      c->model_names = out.model_names;
      c->diags = out.diags->diagnostics();
      if (copts.memory) {
        c->module = out.module.shared();  // shared (the memo's, when it has one)
      }
      // In the background the store encodes the module itself.
      if (!background) payload = EncodeCompile(*out.module, *c, check, &why);
    }
    if (!why.empty()) {
      rep.notes.push_back(fmt::format("cache: miss {}; not stored: {}", rep.key, why));
      return;
    }
    c->bytes = background ? ApproxBytes(*c->module) : payload.size() * 2;
    // The exact key always; the definitions key when the compile reported nothing at all.
    std::vector<cache::Key> keys{key};
    if (defs_key && c->diags.empty()) keys.push_back(*defs_key);
    if (copts.memory) {
      for (const cache::Key& k : keys) g.memory.Put(k, c, c->bytes);
    }
    if (!disk) {
      for (const cache::Key& k : keys) {
        rep.notes.push_back(fmt::format("cache: miss {}; kept in memory only", k.Hex()));
      }
      return;
    }
    if (!writable) {
      for (const cache::Key& k : keys) {
        rep.notes.push_back(
            fmt::format("cache: miss {}; {} is not writable", k.Hex(), disk->dir()));
      }
      return;
    }
    rep.stored = true;
    if (background) {
      // This call's counters go with the store. A failure is reported by the next compile.
      {
        std::lock_guard<std::mutex> lock(g.mu);
        for (const cache::Key& k : keys) g.pending.insert(k);
      }
      std::shared_ptr<const CachedCompile> cc = c;
      g.stores.Post([d = *disk, keys, cc, counters = counters, check] {
        StoreLater(d, keys, *cc, counters, check);
      });
    } else {
      rep.stored = StoreEntries(*disk, keys, payload, counters, &rep.warning);
    }
    for (const cache::Key& k : keys) {
      rep.notes.push_back(
          !rep.stored
              ? fmt::format("cache: miss {}; not stored: {} is not writable", k.Hex(), disk->dir())
              : fmt::format("cache: miss; {} {}",
                            background ? "storing in the background" : "stored",
                            disk->EntryPath(k)));
    }
    counters = {};  // added by the store
  }
};

}  // namespace

const char* CacheOutcomeName(CacheOutcome o) {
  switch (o) {
    case CacheOutcome::kOff:
      return "off";
    case CacheOutcome::kBypassed:
      return "bypassed";
    case CacheOutcome::kMemoryHit:
      return "memory-hit";
    case CacheOutcome::kDiskHit:
      return "disk-hit";
    case CacheOutcome::kIncrementalHit:
      return "incremental-hit";
    case CacheOutcome::kMiss:
      return "miss";
  }
  return "?";
}

CachedCompileResult CompileFileCached(const std::string& path, const CompileOptions& options,
                                      const CacheOptions& copts) {
  CachedCompileResult out;
  CacheReport& rep = out.cache;
  Global& g = G();
  {
    // A background store of an earlier compile found its directory unwritable: say it now.
    std::lock_guard<std::mutex> lock(g.mu);
    if (!g.late_warnings.empty()) {
      rep.warning = std::move(g.late_warnings.front());
      g.late_warnings.erase(g.late_warnings.begin());
    }
  }
  auto plain = [&](CacheOutcome outcome) {
    static_cast<FileCompileResult&>(out) = PlainCompile(path, options);
    rep.outcome = outcome;
  };
  if (!copts.enabled) {
    plain(CacheOutcome::kOff);
    return out;
  }
  if (options.check_only || options.verify_each || !options.print_after.empty()) {
    rep.notes.push_back("cache: bypassed: check, --verify-each and --print-after always compile");
    plain(CacheOutcome::kBypassed);
    return out;
  }
  base::Timer timer;
  std::string canonical;
  Result<std::string> text = base::ReadFile(path, &canonical);
  if (!text.ok()) {
    plain(CacheOutcome::kBypassed);  // reports the read error as CompileFile does
    return out;
  }
  CompileInputs in = GatherInputs(path, std::move(text).value(), options,
                                  copts.memory ? g.parsed.get() : nullptr, std::move(canonical));
  if (!in.problem.empty()) {
    rep.notes.push_back("cache: not used: " + in.problem);
    rep.outcome = CacheOutcome::kBypassed;
    static_cast<CompileResult&>(out) = CompileSource(path, std::move(in.files[0].text), options);
    return out;
  }
  const std::string& id = copts.compiler_id.empty() ? CompilerId() : copts.compiler_id;
  cache::Key key = CompileKey(in, options, id);
  rep.key = key.Hex();

  if (copts.memory) {
    if (std::shared_ptr<const CachedCompile> c = g.memory.Get(key)) {
      FillFromCache(in, *c, out);
      rep.outcome = CacheOutcome::kMemoryHit;
      rep.ms = timer.ElapsedMs();
      rep.notes.push_back(fmt::format("cache: hit (memory) {} in {:.3f} ms", rep.key, rep.ms));
      return out;
    }
  }

  Call call{options, copts, id, rep};
  call.OpenDisk();
  if (call.disk) {
    const std::vector<size_t> sizes = FileSizes(in);
    if (std::shared_ptr<CachedCompile> c = ReadDisk(*call.disk, key, &sizes, rep, call.counters)) {
      FillFromCache(in, *c, out);
      if (copts.memory) g.memory.Put(key, c, c->bytes);
      call.counters.hits = 1;
      call.disk->AddCounters(call.counters);
      rep.outcome = CacheOutcome::kDiskHit;
      rep.ms = timer.ElapsedMs();
      rep.notes.push_back(
          fmt::format("cache: hit (disk) {} in {:.3f} ms", call.disk->EntryPath(key), rep.ms));
      return out;
    }
  }

  // The exact key missed: compile, asking the incremental layer once the front end is done.
  CompileOptions o = options;
  o.preloaded = &in;  // each file is read and resolved once, and compiled as keyed
  if (copts.memory) o.parsed_files = g.parsed;
  if (copts.memory && copts.incremental) {
    o.memo = g.instances;
    o.optimized = g.optimized;
  }
  if (copts.incremental) {
    o.reuse = [&call](const lang::check::SourceSet& set, const diag::SourceManager& sm,
                      const std::string& entry) { return call.Reuse(set, sm, entry); };
  }
  base::Timer compile_timer;
  static_cast<CompileResult&>(out) = CompileSource(path, in.files[0].text, o);
  if (out.reused) {
    if (call.disk) call.disk->AddCounters(call.counters);
    rep.outcome = CacheOutcome::kIncrementalHit;
    rep.ms = timer.ElapsedMs();
    rep.notes.push_back(
        fmt::format("cache: incremental hit {} in {:.3f} ms: the code of the model's {} "
                    "declarations is unchanged ({} "
                    "other top-level declarations are not read by it)",
                    rep.definitions_key, rep.ms, rep.reused_declarations, rep.edited_elsewhere));
    return out;
  }
  double compile_ms = compile_timer.ElapsedMs();
  rep.outcome = CacheOutcome::kMiss;
  if (o.memo && (out.memo.construction_hits || out.memo.fragment_hits)) {
    rep.notes.push_back(fmt::format(
        "cache: instance memo: {} layer instances and {} forward calls replayed ({} built again "
        "because the code looked inside)",
        out.memo.construction_hits, out.memo.fragment_hits, out.memo.realized));
  }
  if (out.optimized_reused) {
    rep.notes.push_back(
        "cache: the elaborated module equals an earlier one: verifier and passes skipped");
  }
  call.Store(key, in, out);
  if (call.disk) call.disk->AddCounters(call.counters);
  // The incremental layer's lookup ran inside the compile, and is cache work.
  rep.ms = timer.ElapsedMs() - compile_ms + out.reuse_ms;
  return out;
}

std::string CheckCompilePayload(std::string_view payload) {
  CachedCompile c;
  return DecodePayload(payload, nullptr, &c);
}

void FlushCompileCacheStores() { G().stores.Flush(); }

BackgroundStoreStats CompileCacheBackgroundStores() {
  Global& g = G();
  return {g.stores.jobs_done(), g.stores.busy_ms()};
}

void ResetCompileCacheForTesting() {
  Global& g = G();
  g.stores.Flush();
  g.memory.Clear();
  g.instances->Clear();
  g.optimized->Clear();
  g.parsed->Clear();
  std::lock_guard<std::mutex> lock(g.mu);
  g.unwritable.clear();
  g.written.clear();
  g.late_warnings.clear();
}

}  // namespace triton::driver
