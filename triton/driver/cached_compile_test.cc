// The compile cache end to end in the driver: hits equal cold compiles byte for byte, every
// input that matters misses, damaged entries are rebuilt, concurrent compiles are safe and an
// unusable cache directory degrades to compiling with one warning.
#include "triton/driver/cached_compile.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>
#include <regex>
#include <thread>

#include "triton/cache/disk_cache.h"
#include "triton/cache/maintenance.h"
#include "triton/cache/test_util.h"
#include "triton/driver/compile_key.h"
#include "triton/driver/summary.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"
#include "triton/ir/binary.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"
#include "triton/lang/lex/lexer.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::driver {
namespace {

namespace fs = std::filesystem;
using cache::testing::Slurp;
using cache::testing::Spit;
using cache::testing::TempDir;

const std::string kModels = std::string(TRITON_SOURCE_DIR) + "/models";

struct ZooCase {
  std::string file, model;
};

std::vector<ZooCase> Zoo() {
  std::vector<ZooCase> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kModels)) {
    if (e.path().extension() == ".tri") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  static const std::regex kModel(R"(^\s*model\s+([A-Za-z_][A-Za-z0-9_]*)\s*=)");
  for (const fs::path& f : files) {
    std::istringstream lines(Slurp(f.string()));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, kModel)) out.push_back({f.string(), m[1]});
    }
  }
  return out;
}

// Everything of a compile that `triton compile` prints or writes.
struct Printed {
  std::string ir, summary_text, summary_json, diags_text, diags_color, diags_json, names,
      source_hash;
  size_t lines = 0;
  bool operator==(const Printed&) const = default;
};

Printed Print(const CompileResult& r) {
  Printed p;
  if (r.module) {
    p.ir = ir::Print(*r.module);
    p.summary_text = SummaryText(*r.module);
    p.summary_json = SummaryJson(*r.module).dump(2);
  }
  p.diags_text = r.diags->RenderText(false);
  p.diags_color = r.diags->RenderText(true);
  p.diags_json = r.diags->RenderJson();
  for (const std::string& n : r.model_names) p.names += n + ",";
  p.source_hash = r.source_hash;
  p.lines = r.lines;
  return p;
}

void ExpectSame(const Printed& a, const Printed& b, const std::string& what) {
  EXPECT_EQ(a.ir, b.ir) << what;
  EXPECT_EQ(a.summary_text, b.summary_text) << what;
  EXPECT_EQ(a.summary_json, b.summary_json) << what;
  EXPECT_EQ(a.diags_text, b.diags_text) << what;
  EXPECT_EQ(a.diags_color, b.diags_color) << what;
  EXPECT_EQ(a.diags_json, b.diags_json) << what;
  EXPECT_EQ(a.names, b.names) << what;
  EXPECT_EQ(a.source_hash, b.source_hash) << what;
  EXPECT_EQ(a.lines, b.lines) << what;
}

class CachedCompileTest : public ::testing::Test {
 protected:
  void SetUp() override { ResetCompileCacheForTesting(); }
  void TearDown() override {
    ResetCompileCacheForTesting();
    cache::DiskCache::InjectWriteErrorForTesting(0);
  }
  // The exact-key layers alone (the incremental layer, on by default, has its own tests below:
  // with it, an edit that the model does not read would be a hit, not the miss tested here).
  CacheOptions Disk(bool memory = false) const {
    CacheOptions c;
    c.dir = dir_.path();
    c.memory = memory;
    c.incremental = false;
    c.check_round_trip = true;
    return c;
  }
  CacheOptions Incremental(bool memory = false) const {
    CacheOptions c = Disk(memory);
    c.incremental = true;
    return c;
  }
  CachedCompileResult Compile(const std::string& file, const CompileOptions& o,
                              const CacheOptions& c) {
    return CompileFileCached(file, o, c);
  }
  TempDir dir_;
};

CompileOptions Model(const std::string& name, int opt = 2) {
  CompileOptions o;
  o.model = name;
  o.opt_level = opt;
  return o;
}

TEST_F(CachedCompileTest, ZooHitsAreByteIdenticalToColdCompiles) {
  std::vector<ZooCase> zoo = Zoo();
  ASSERT_GE(zoo.size(), 5u);
  for (const ZooCase& z : zoo) {
    for (int opt : {0, 2}) {
      std::string what = z.model + " -O" + std::to_string(opt);
      CompileOptions o = Model(z.model, opt);
      FileCompileResult cold = CompileFile(z.file, o);
      ASSERT_TRUE(cold.ok() && cold.module) << what << cold.diags->RenderText();
      Printed want = Print(cold);

      CachedCompileResult miss = Compile(z.file, o, Disk(true));
      EXPECT_EQ(miss.cache.outcome, CacheOutcome::kMiss) << what;
      EXPECT_TRUE(miss.cache.stored) << what;
      ExpectSame(Print(miss), want, what + " (miss)");

      CachedCompileResult mem = Compile(z.file, o, Disk(true));
      EXPECT_EQ(mem.cache.outcome, CacheOutcome::kMemoryHit) << what;
      ExpectSame(Print(mem), want, what + " (memory hit)");

      CachedCompileResult disk = Compile(z.file, o, Disk(false));
      EXPECT_EQ(disk.cache.outcome, CacheOutcome::kDiskHit) << what;
      ExpectSame(Print(disk), want, what + " (disk hit)");
      EXPECT_EQ(disk.times.total_ms(), 0.0) << "a hit has no stage times";
    }
  }
  cache::Counters c = cache::DiskCache(dir_.path()).ReadCounters();
  EXPECT_EQ(c.hits, 2 * zoo.size());
  EXPECT_EQ(c.stores, 2 * zoo.size());
  EXPECT_TRUE(cache::Verify(dir_.path(), false, CheckCompilePayload).bad.empty());
}

TEST_F(CachedCompileTest, PackagesFromHitsAreByteIdentical) {
  TempDir out;
  std::string file = kModels + "/resnet_cifar.tri";
  CompileOptions o = Model("resnet20_cifar");
  FileCompileResult cold = CompileFile(file, o);
  ASSERT_TRUE(cold.module);
  ASSERT_TRUE(Compile(file, o, Disk()).cache.stored);
  CachedCompileResult hit = Compile(file, o, Disk());
  ASSERT_EQ(hit.cache.outcome, CacheOutcome::kDiskHit);
  for (auto [r, name] :
       {std::pair<const CompileResult*, const char*>{&cold, "cold.tnn"}, {&hit, "hit.tnn"}}) {
    format::Package p = InitialPackage(*r->module, 7, r->source_hash);
    ASSERT_TRUE(format::WritePackage(out / name, p).ok());
  }
  EXPECT_EQ(Slurp(out / "cold.tnn"), Slurp(out / "hit.tnn"));
}

TEST_F(CachedCompileTest, WarningsReplayIdentically) {
  TempDir src;
  Spit(src / "lib.tri", Slurp(kModels + "/common.tri") + "\n1 + 1\n");
  Spit(src / "m.tri",
       "import \"lib.tri\"\nlet unused = 3\nunused * 2\n" +
           Slurp(kModels + "/resnet_cifar.tri")
               .substr(Slurp(kModels + "/resnet_cifar.tri").find("layer CifarResNet")));
  CompileOptions o;
  FileCompileResult cold = CompileFile(src / "m.tri", o);
  ASSERT_TRUE(cold.ok() && cold.module) << cold.diags->RenderText();
  ASSERT_GE(cold.diags->diagnostics().size(), 1u) << "the test needs warnings";
  Printed want = Print(cold);
  EXPECT_EQ(Compile(src / "m.tri", o, Disk()).cache.outcome, CacheOutcome::kMiss);
  CachedCompileResult hit = Compile(src / "m.tri", o, Disk());
  ASSERT_EQ(hit.cache.outcome, CacheOutcome::kDiskHit);
  ExpectSame(Print(hit), want, "warnings");
}

TEST_F(CachedCompileTest, EveryInputThatMattersMisses) {
  TempDir src;
  for (const char* f : {"resnet.tri", "common.tri"}) {
    Spit(src / f, Slurp(kModels + "/" + f));
  }
  std::string file = src / "resnet.tri";
  auto outcome = [&](const CompileOptions& o, const CacheOptions& c) {
    CachedCompileResult r = Compile(file, o, c);
    EXPECT_TRUE(r.ok()) << r.diags->RenderText();
    // Whatever the outcome, the result is the cold compile's.
    EXPECT_EQ(ir::Print(*r.module), ir::Print(*CompileFile(file, o).module));
    return r.cache.outcome;
  };
  CompileOptions base = Model("resnet18");
  EXPECT_EQ(outcome(base, Disk()), CacheOutcome::kMiss);
  EXPECT_EQ(outcome(base, Disk()), CacheOutcome::kDiskHit);
  EXPECT_EQ(outcome(Model("resnet18", 1), Disk()), CacheOutcome::kMiss);  // opt level
  EXPECT_EQ(outcome(Model("resnet34"), Disk()), CacheOutcome::kMiss);     // model
  CompileOptions with_path = base;
  with_path.import_paths = {src.path()};
  EXPECT_EQ(outcome(with_path, Disk()), CacheOutcome::kMiss);  // import paths
  CacheOptions other = Disk();
  other.compiler_id = "triton 9.9.9";
  EXPECT_EQ(outcome(base, other), CacheOutcome::kMiss);  // compiler
  EXPECT_EQ(outcome(base, Disk()), CacheOutcome::kDiskHit);

  // An edit of the main file, even a comment, then an edit of an import.
  Spit(file, Slurp(file) + "# a comment\n");
  EXPECT_EQ(outcome(base, Disk()), CacheOutcome::kMiss);
  EXPECT_EQ(outcome(base, Disk()), CacheOutcome::kDiskHit);
  std::string common = Slurp(src / "common.tri");
  Spit(src / "common.tri", common + "\n# imported edit\n");
  EXPECT_EQ(outcome(base, Disk(true)), CacheOutcome::kMiss);
  Spit(src / "common.tri", common);  // back to the old bytes: the old entry again
  EXPECT_EQ(outcome(base, Disk(true)), CacheOutcome::kDiskHit);
  EXPECT_EQ(outcome(base, Disk(true)), CacheOutcome::kMemoryHit);
}

TEST_F(CachedCompileTest, ImportResolutionIsPartOfTheKey) {
  // The same main file resolves `import "lib.tri"` to a different file via -I.
  TempDir src;
  fs::create_directories(src / "a");
  fs::create_directories(src / "b");
  fs::create_directories(src / "main");
  std::string lib = Slurp(kModels + "/common.tri");
  Spit(src / "a/lib.tri", lib);
  Spit(src / "b/lib.tri", lib + "\nlet extra = 1\n");
  std::string main = Slurp(kModels + "/resnet_cifar.tri");
  main.replace(main.find("import \"common.tri\""), 19, "import \"lib.tri\"");
  Spit(src / "main/m.tri", main);
  CompileOptions a, b;
  a.import_paths = {src / "a"};
  b.import_paths = {src / "b"};
  CachedCompileResult ra = Compile(src / "main/m.tri", a, Disk());
  ASSERT_TRUE(ra.ok()) << ra.diags->RenderText();
  EXPECT_EQ(ra.cache.outcome, CacheOutcome::kMiss);
  EXPECT_EQ(Compile(src / "main/m.tri", b, Disk()).cache.outcome, CacheOutcome::kMiss);
  // Same -I list, but the file in it changed into a directory's worth of different text.
  Spit(src / "a/lib.tri", lib + "\nlet other = 2\n");
  EXPECT_EQ(Compile(src / "main/m.tri", a, Disk()).cache.outcome, CacheOutcome::kMiss);
}

TEST_F(CachedCompileTest, DamagedEntriesAreReportedAndRebuilt) {
  std::string file = kModels + "/mnist_mlp.tri";
  CompileOptions o = Model("mnist_mlp");
  Printed want = Print(CompileFile(file, o));
  ASSERT_TRUE(Compile(file, o, Disk()).cache.stored);
  cache::Inventory inv = cache::TakeInventory(dir_.path());
  ASSERT_EQ(inv.entries.size(), 1u);
  std::string path = inv.entries[0].path;
  std::string good = Slurp(path);
  cache::Key key;
  ASSERT_TRUE(cache::Key::FromHex(inv.entries[0].name.substr(3, 32), &key));
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;
  std::vector<std::pair<std::string, std::string>> damage = {
      {"zero-length", ""},
      {"truncated", good.substr(0, good.size() - 9)},
      {"bit flip", flipped},
      {"foreign", std::string(good.size(), 'x')},
      {"valid envelope, garbage payload", cache::EncodeEntry(key, "garbage")},
      {"valid envelope, a module that does not decode",
       [&] {
         cache::PayloadWriter w;
         w.U64(kCompileCacheFormat);
         w.Str("module broken {");
         w.U64(0);
         w.U64(0);
         return cache::EncodeEntry(key, w.bytes());
       }()},
      {"valid envelope, a module that fails verification",
       [&] {
         ir::Module m = CompileFile(file, o).module.Take();
         m.values[static_cast<size_t>(m.ops[0].result)].type.dims.push_back(ir::Dim::Static(7));
         cache::PayloadWriter w;
         w.U64(kCompileCacheFormat);
         w.Str(ir::EncodeModule(m));
         w.U64(0);
         w.U64(0);
         return cache::EncodeEntry(key, w.bytes());
       }()},
  };
  for (const auto& [name, bytes] : damage) {
    Spit(path, bytes);
    CachedCompileResult r = Compile(file, o, Disk());
    EXPECT_EQ(r.cache.outcome, CacheOutcome::kMiss) << name;
    ExpectSame(Print(r), want, name);
    bool reported = false;
    for (const std::string& n : r.cache.notes) reported |= n.find("bad entry") != std::string::npos;
    EXPECT_TRUE(reported) << name;
    EXPECT_TRUE(r.cache.stored) << name;
    EXPECT_EQ(Slurp(path), good) << name << ": rebuilt entry differs";
    EXPECT_EQ(Compile(file, o, Disk()).cache.outcome, CacheOutcome::kDiskHit) << name;
  }
  EXPECT_EQ(cache::DiskCache(dir_.path()).ReadCounters().bad_entries, damage.size());
}

// The cache stores modules in binary (ir/binary.h): for every zoo model at every -O level, the
// module decodes back to the same bytes and the same text, and verifies.
TEST_F(CachedCompileTest, EveryZooModuleRoundTripsThroughItsBinaryForm) {
  for (const ZooCase& z : Zoo()) {
    for (int level = 0; level <= 3; ++level) {
      CompileOptions o = Model(z.model);
      o.opt_level = level;
      FileCompileResult r = CompileFile(z.file, o);
      ASSERT_TRUE(r.ok() && r.module) << z.model;
      const std::string bytes = ir::EncodeModule(*r.module);
      Result<ir::Module> back = ir::DecodeModule(bytes);
      ASSERT_TRUE(back.ok()) << z.model << " -O" << level << ": " << back.status().message();
      EXPECT_EQ(ir::EncodeModule(back.value()), bytes) << z.model << " -O" << level;
      EXPECT_EQ(ir::Print(back.value()), ir::Print(*r.module)) << z.model << " -O" << level;
      EXPECT_TRUE(ir::Verify(back.value()).empty()) << z.model << " -O" << level;
    }
  }
}

TEST_F(CachedCompileTest, ErrorsAndBrokenSourcesAreNeverStored) {
  TempDir src;
  Spit(src / "syntax.tri", "layer L( {\n");
  Spit(src / "type.tri",
       "layer L() {\n  fn forward(x: Tensor[N, 4]) -> Tensor[N, 4] {\n"
       "    return y\n  }\n}\nmodel m = L()\n");
  Spit(src / "import.tri", "import \"missing.tri\"\n");
  for (const char* f : {"syntax.tri", "type.tri", "import.tri"}) {
    FileCompileResult cold = CompileFile(src / f, {});
    ASSERT_FALSE(cold.ok()) << f;
    for (int i = 0; i < 2; ++i) {
      CachedCompileResult r = Compile(src / f, {}, Disk(true));
      EXPECT_TRUE(r.cache.outcome == CacheOutcome::kMiss ||
                  r.cache.outcome == CacheOutcome::kBypassed)
          << f;
      EXPECT_FALSE(r.cache.stored) << f;
      ExpectSame(Print(r), Print(cold), f);
    }
  }
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).entries.empty());
  CachedCompileResult missing = Compile(src / "nope.tri", {}, Disk());
  EXPECT_NE(missing.read_error.find("nope.tri"), std::string::npos);
}

TEST_F(CachedCompileTest, OffAndBypassed) {
  std::string file = kModels + "/mnist_mlp.tri";
  CacheOptions off = Disk(true);
  off.enabled = false;
  EXPECT_EQ(Compile(file, {}, off).cache.outcome, CacheOutcome::kOff);
  CompileOptions each;
  each.verify_each = true;
  EXPECT_EQ(Compile(file, each, Disk(true)).cache.outcome, CacheOutcome::kBypassed);
  CompileOptions print;
  print.print_after = "all";
  CachedCompileResult p = Compile(file, print, Disk(true));
  EXPECT_EQ(p.cache.outcome, CacheOutcome::kBypassed);
  EXPECT_FALSE(p.passes.printed.empty());
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).entries.empty());
}

TEST_F(CachedCompileTest, ConcurrentCompilesIntoOneDirectory) {
  std::vector<ZooCase> zoo = Zoo();
  std::vector<std::string> want;
  for (const ZooCase& z : zoo)
    want.push_back(ir::Print(*CompileFile(z.file, Model(z.model)).module));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (size_t n = 0; n < zoo.size() * 2; ++n) {
        size_t i = (n + static_cast<size_t>(t)) % zoo.size();
        CachedCompileResult r = CompileFileCached(zoo[i].file, Model(zoo[i].model), Disk(false));
        if (!r.module || ir::Print(*r.module) != want[i] || !r.cache.warning.empty()) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  cache::Inventory inv = cache::TakeInventory(dir_.path());
  EXPECT_EQ(inv.entries.size(), zoo.size());
  EXPECT_TRUE(inv.temps.empty());
  EXPECT_TRUE(cache::Verify(dir_.path(), false, CheckCompilePayload).bad.empty());
}

TEST_F(CachedCompileTest, UnwritableDirectoryWarnsOnceAndCompiles) {
  std::string file = kModels + "/mnist_mlp.tri";
  Printed want = Print(CompileFile(file, Model("mnist_mlp")));
  for (int err : {ENOSPC, EROFS, EACCES}) {
    ResetCompileCacheForTesting();
    cache::DiskCache::InjectWriteErrorForTesting(err);
    CachedCompileResult r = Compile(file, Model("mnist_mlp"), Disk());
    EXPECT_EQ(r.cache.outcome, CacheOutcome::kMiss);
    EXPECT_FALSE(r.cache.stored);
    EXPECT_NE(r.cache.warning.find(std::strerror(err)), std::string::npos) << r.cache.warning;
    ExpectSame(Print(r), want, std::strerror(err));
    CachedCompileResult again = Compile(file, Model("mnist_mlp"), Disk());
    EXPECT_TRUE(again.cache.warning.empty()) << "one warning per directory and process";
    ExpectSame(Print(again), want, "again");
    cache::DiskCache::InjectWriteErrorForTesting(0);
  }
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).entries.empty());
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).temps.empty());
}

// A miss after a directory's first successful store is stored in the background: the compile
// returns first, the entry appears, this process's own disk reads wait for it, and a failure is
// reported by the next compile.
// A hit hands out the module the memory layer keeps (ir::ModuleHandle), not a copy; a caller that
// takes its own copy leaves the kept one as it was.
TEST_F(CachedCompileTest, HitsShareTheKeptModule) {
  const std::string mlp = kModels + "/mnist_mlp.tri";
  CachedCompileResult miss = Compile(mlp, Model("mnist_mlp"), Incremental(true));
  ASSERT_EQ(miss.cache.outcome, CacheOutcome::kMiss);
  ASSERT_TRUE(miss.module);
  const Printed want = Print(miss);
  CachedCompileResult hit = Compile(mlp, Model("mnist_mlp"), Incremental(true));
  ASSERT_EQ(hit.cache.outcome, CacheOutcome::kMemoryHit);
  EXPECT_EQ(&*hit.module, &*miss.module);
  ir::Module mine = hit.module.Take();
  mine.name = "changed";
  mine.params.clear();
  CachedCompileResult again = Compile(mlp, Model("mnist_mlp"), Incremental(true));
  ASSERT_EQ(again.cache.outcome, CacheOutcome::kMemoryHit);
  ExpectSame(Print(again), want, "a hit after a caller took and changed its copy");
}

TEST_F(CachedCompileTest, BackgroundStores) {
  const std::string mlp = kModels + "/mnist_mlp.tri", cnn = kModels + "/mnist_cnn.tri";
  CachedCompileResult first = Compile(mlp, Model("mnist_mlp"), Disk(true));
  ASSERT_EQ(first.cache.outcome, CacheOutcome::kMiss);
  ASSERT_TRUE(first.cache.stored);
  auto noted = [](const CacheReport& r, const std::string& what) {
    for (const std::string& n : r.notes) {
      if (n.find(what) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_FALSE(noted(first.cache, "in the background")) << "a directory's first store is not";
  EXPECT_EQ(cache::TakeInventory(dir_.path()).entries.size(), 1u);

  // The second model's store runs in the background; a memory-off compile of the same sources
  // reads the disk at once, and must find the entry (it waits for the pending store).
  Printed want = Print(CompileFile(cnn, Model("mnist_cnn")));
  CachedCompileResult second = Compile(cnn, Model("mnist_cnn"), Disk(true));
  ASSERT_EQ(second.cache.outcome, CacheOutcome::kMiss);
  EXPECT_TRUE(second.cache.stored);
  EXPECT_TRUE(noted(second.cache, "storing in the background"));
  ExpectSame(Print(second), want, "background miss");
  CachedCompileResult from_disk = Compile(cnn, Model("mnist_cnn"), Disk(false));
  EXPECT_EQ(from_disk.cache.outcome, CacheOutcome::kDiskHit);
  ExpectSame(Print(from_disk), want, "disk hit of a background store");
  FlushCompileCacheStores();
  EXPECT_EQ(cache::TakeInventory(dir_.path()).entries.size(), 2u);
  EXPECT_GE(CompileCacheBackgroundStores().stores, 1u);
  cache::Counters c = cache::DiskCache(dir_.path()).ReadCounters();
  EXPECT_EQ(c.stores, 2u);
  EXPECT_EQ(c.misses, 2u);
  EXPECT_EQ(c.hits, 1u);

  // A background store that fails: the compile that posted it succeeded; the next one warns,
  // and the directory is off from then on (nothing more is stored, no temp file is left).
  cache::DiskCache::InjectWriteErrorForTesting(ENOSPC);
  CompileOptions o0 = Model("mnist_cnn", 0);
  CachedCompileResult failing = Compile(cnn, o0, Disk(true));
  EXPECT_EQ(failing.cache.outcome, CacheOutcome::kMiss);
  EXPECT_TRUE(failing.cache.warning.empty());
  FlushCompileCacheStores();
  cache::DiskCache::InjectWriteErrorForTesting(0);
  CachedCompileResult next = Compile(mlp, Model("mnist_mlp", 0), Disk(true));
  EXPECT_NE(next.cache.warning.find(std::strerror(ENOSPC)), std::string::npos)
      << next.cache.warning;
  EXPECT_FALSE(next.cache.stored) << "the directory is off after a failed store";
  FlushCompileCacheStores();
  EXPECT_EQ(cache::TakeInventory(dir_.path()).entries.size(), 2u);
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).temps.empty());

  // Without the option every store runs in the caller.
  ResetCompileCacheForTesting();
  CacheOptions sync = Disk(true);
  sync.background_store = false;
  CachedCompileResult a = Compile(mlp, Model("mnist_mlp", 1), sync);
  CachedCompileResult b = Compile(cnn, Model("mnist_cnn", 1), sync);
  EXPECT_TRUE(a.cache.stored && b.cache.stored);
  EXPECT_FALSE(noted(b.cache, "in the background"));
  EXPECT_EQ(cache::TakeInventory(dir_.path()).entries.size(), 4u);
}

// The tokens GatherInputs keeps are what lexing the file in the compile's own source manager
// gives, rebased onto it; a file whose text differs is lexed again.
TEST(SourcesTest, TakenTokensEqualAFreshLex) {
  const std::string path = kModels + "/resnet.tri";
  CompileInputs in = GatherInputs(path, Slurp(path), Model("resnet50"));
  ASSERT_TRUE(in.problem.empty()) << in.problem;
  ASSERT_GE(in.files.size(), 2u);
  for (InputFile& f : in.files) {
    diag::SourceManager sm;
    diag::DiagEngine diags(sm);
    sm.Add("<other>", "x");
    const diag::FileId id = sm.Add(f.name, f.text);
    const std::vector<lang::Token> want = lang::Lex(sm, id, diags);
    const std::vector<lang::Token> got = TakeTokens(f, sm, id);
    ASSERT_EQ(got.size(), want.size()) << f.name;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].kind, want[i].kind);
      EXPECT_EQ(got[i].range.file, id);
      EXPECT_EQ(got[i].range.begin, want[i].range.begin);
      EXPECT_EQ(got[i].range.end, want[i].range.end);
      EXPECT_EQ(got[i].text.data(), want[i].text.data()) << "views the compile's copy";
      EXPECT_EQ(got[i].str_value, want[i].str_value);
      EXPECT_EQ(got[i].int_value, want[i].int_value);
      EXPECT_EQ(got[i].space_before, want[i].space_before);
    }
    EXPECT_TRUE(TakeTokens(f, sm, id).empty()) << "taken once";
  }
  CompileInputs again = GatherInputs(path, Slurp(path), Model("resnet50"));
  diag::SourceManager sm;
  const diag::FileId id = sm.Add(again.files[0].name, again.files[0].text + " ");
  EXPECT_TRUE(TakeTokens(again.files[0], sm, id).empty()) << "another text is lexed again";
}

// Import resolution: beside the importing file first, then each import path in order; only a
// regular file is taken (a directory or FIFO of that name is passed over); an absolute import
// as is; the answer is the canonical path, and the text read with it is the file's.
TEST(SourcesTest, ResolveImportOrderAndWhatItTakes) {
  TempDir dir;
  const fs::path root = fs::canonical(dir.path());
  fs::create_directories(root / "main");
  fs::create_directories(root / "p1");
  fs::create_directories(root / "p2");
  Spit((root / "p2/lib.tri").string(), "layer P2 {}\n");
  const std::string from = (root / "main/m.tri").string();
  const std::vector<std::string> paths{(root / "p1").string(), (root / "p2").string() + "/"};
  Result<std::string> text = std::string();
  EXPECT_EQ(ResolveImport("lib.tri", from, paths, &text), (root / "p2/lib.tri").string());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), "layer P2 {}\n");
  fs::create_directory(root / "p1/lib.tri");                      // a directory is not an import
  ASSERT_EQ(::mkfifo((root / "main/lib.tri").c_str(), 0644), 0);  // nor a FIFO (never opened)
  EXPECT_EQ(ResolveImport("lib.tri", from, paths), (root / "p2/lib.tri").string());
  fs::remove(root / "main/lib.tri");
  Spit((root / "main/lib.tri").string(), "layer Main {}\n");
  EXPECT_EQ(ResolveImport("lib.tri", from, paths, &text), (root / "main/lib.tri").string());
  EXPECT_EQ(text.value(), "layer Main {}\n");
  EXPECT_EQ(ResolveImport("../p2/./lib.tri", from, {}), (root / "p2/lib.tri").string());
  EXPECT_EQ(ResolveImport((root / "p2/lib.tri").string(), from, {}),
            (root / "p2/lib.tri").string());
  EXPECT_EQ(ResolveImport("nothere.tri", from, paths), "");
  fs::create_directory_symlink(root / "p2", root / "main/linked");
  EXPECT_EQ(ResolveImport("linked/lib.tri", from, {}), (root / "p2/lib.tri").string());
}

TEST_F(CachedCompileTest, CacheDirectoryThatIsAFile) {
  Spit(dir_ / "file", "x");
  CacheOptions c = Disk();
  c.dir = dir_ / "file/sub";
  CachedCompileResult r = Compile(kModels + "/mnist_mlp.tri", {}, c);
  ASSERT_TRUE(r.ok() && r.module);
  EXPECT_NE(r.cache.warning.find("Not a directory"), std::string::npos) << r.cache.warning;
}

TEST_F(CachedCompileTest, ReadOnlyDirectoryWithChmod) {
  if (cache::testing::PermissionsAreBypassed(dir_.path())) {
    GTEST_SKIP() << "permission bits do not stop this process (running as root); "
                    "UnwritableDirectoryWarnsOnceAndCompiles injects EROFS/EACCES instead";
  }
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
  CachedCompileResult r = Compile(kModels + "/mnist_mlp.tri", {}, Disk());
  ASSERT_TRUE(r.ok() && r.module);
  EXPECT_NE(r.cache.warning.find("Permission denied"), std::string::npos) << r.cache.warning;
}

TEST_F(CachedCompileTest, DirectoryFromTheEnvironment) {
  struct Restore {
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    void Set(const char* k, const std::string& v) {
      const char* old = std::getenv(k);
      saved.emplace_back(k, old ? std::optional<std::string>(old) : std::nullopt);
      if (v.empty()) {
        ::unsetenv(k);
      } else {
        ::setenv(k, v.c_str(), 1);
      }
    }
    ~Restore() {
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second) {
          ::setenv(it->first.c_str(), it->second->c_str(), 1);
        } else {
          ::unsetenv(it->first.c_str());
        }
      }
    }
  } env;
  CacheOptions c;
  c.memory = false;
  std::string file = kModels + "/mnist_mlp.tri";
  env.Set("TRITON_CACHE_DIR", "");
  env.Set("XDG_CACHE_HOME", "");
  env.Set("HOME", dir_ / "home");
  EXPECT_EQ(Compile(file, {}, c).cache.dir, dir_ / "home/.cache/triton");
  env.Set("XDG_CACHE_HOME", dir_ / "xdg");
  EXPECT_EQ(Compile(file, {}, c).cache.dir, dir_ / "xdg/triton");
  env.Set("TRITON_CACHE_DIR", dir_ / "tc");
  CachedCompileResult r = Compile(file, {}, c);
  EXPECT_EQ(r.cache.dir, dir_ / "tc");
  EXPECT_EQ(r.cache.dir_source, "$TRITON_CACHE_DIR");
  c.dir = dir_ / "flag";
  EXPECT_EQ(Compile(file, {}, c).cache.dir, dir_ / "flag");
  for (const char* d : {"home/.cache/triton", "xdg/triton", "tc", "flag"}) {
    // The exact key and the incremental layer's definitions key.
    EXPECT_EQ(cache::TakeInventory(dir_ / d).entries.size(), 2u) << d;
  }
}

TEST_F(CachedCompileTest, HostileSourcesNeitherCrashNorStore) {
  TempDir src;
  std::mt19937_64 rng(7);
  std::string random(1 << 20, '\0');
  for (char& ch : random) ch = static_cast<char>(rng());
  std::vector<std::pair<std::string, std::string>> cases = {
      {"parens.tri", "let x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\n"},
      {"random.tri", random},
      {"import_in_block.tri", "layer L() {\n  import \"common.tri\"\n}\n"},
      {"import_no_path.tri", "import\n"},
      {"self_import.tri", "import \"self_import.tri\"\n"},
  };
  Spit(src / "common.tri", Slurp(kModels + "/common.tri"));
  for (const auto& [name, text] : cases) {
    Spit(src / name, text);
    FileCompileResult cold = CompileFile(src / name, {});
    CachedCompileResult r = Compile(src / name, {}, Disk(true));
    EXPECT_FALSE(r.cache.stored) << name;
    ExpectSame(Print(r), Print(cold), name);
  }
  EXPECT_TRUE(cache::TakeInventory(dir_.path()).entries.empty());
}

TEST_F(CachedCompileTest, KeyCoversEveryLoadedFile) {
  CompileInputs in = GatherInputs(kModels + "/resnet.tri", Slurp(kModels + "/resnet.tri"), {});
  ASSERT_TRUE(in.problem.empty()) << in.problem;
  ASSERT_EQ(in.files.size(), 2u);
  EXPECT_EQ(in.files[1].canonical, fs::canonical(kModels + "/common.tri").string());
  EXPECT_FALSE(CompilerId().empty());
  EXPECT_NE(CompilerId().find("triton "), std::string::npos);
}

}  // namespace
}  // namespace triton::driver

namespace triton::driver {
namespace {

// A library with a layer the model uses and one it does not, and a main file with two models.
constexpr const char* kLib = R"(# helpers
layer Used(n: int) {
  let fc = Linear(n, n)
  fn forward(x: Tensor[N, n]) -> Tensor[N, n] {
    return relu(fc(x))
  }
}

layer Unused(n: int) {
  let fc = Linear(n, n)
  fn forward(x: Tensor[N, n]) -> Tensor[N, n] {
    return relu(fc(x))
  }
}
)";
constexpr const char* kMain = R"(import "lib.tri"
model a = Used(8)
model b = Unused(8)
)";

class IncrementalTest : public CachedCompileTest {
 protected:
  void SetUp() override {
    CachedCompileTest::SetUp();
    Spit(src_ / "lib.tri", kLib);
    Spit(src_ / "main.tri", kMain);
  }
  std::string Main() const { return (src_ / "main.tri"); }
  // Replaces the first `from` in `file` by `to`.
  void Edit(const std::string& file, const std::string& from, const std::string& to) {
    std::string t = Slurp((src_ / file));
    size_t at = t.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    Spit(src_ / file, t.replace(at, from.size(), to));
  }
  // Compiles model `model` through the cache and checks it against a cold compile.
  CacheOutcome Outcome(const std::string& model, const CacheOptions& c, bool* ok = nullptr) {
    CachedCompileResult r = Compile(Main(), Model(model), c);
    ExpectSame(Print(r), Print(CompileFile(Main(), Model(model))), model);
    if (ok) *ok = r.ok();
    return r.cache.outcome;
  }
  TempDir src_;
};

TEST_F(IncrementalTest, EditsOutsideTheModelsDefinitionsReuseIt) {
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // The layer it does not use, the other model, comments and blank lines between declarations:
  // each edit is a hit, and the result is the cold compile's (checked in Outcome).
  Edit("lib.tri", "layer Unused(n: int) {\n  let fc = Linear(n, n)",
       "layer Unused(n: int) {\n  let fc = Linear(n, 2 * n)");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kIncrementalHit);
  Edit("main.tri", "model b = Unused(8)", "model b = Unused(16)");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kIncrementalHit);
  Edit("lib.tri", "# helpers", "# helpers, edited\n\n\n");
  EXPECT_EQ(Outcome("a", Incremental(true)), CacheOutcome::kIncrementalHit);
  // A new model and a new layer that nothing reads.
  Spit(src_ / "main.tri",
       Slurp(Main()) +
           "\nlayer Extra(n: int) {\n  let fc = Linear(n, n)\n  fn forward(x: "
           "Tensor[N, n]) -> Tensor[N, n] {\n    return fc(x)\n  }\n}\nmodel c = "
           "Extra(4)\n");
  EXPECT_EQ(Outcome("a", Incremental(true)), CacheOutcome::kIncrementalHit);
  // The same bytes again: the incremental layer again (a hit stores no exact-key entry: the
  // stored model names are those of the compile that made it).
  CachedCompileResult r = Compile(Main(), Model("a"), Incremental(true));
  EXPECT_EQ(r.cache.outcome, CacheOutcome::kIncrementalHit);
  EXPECT_EQ(r.model_names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(IncrementalTest, CommentAndLayoutEditsOfItsDefinitionsReuseIt) {
  // The definitions key reads tokens: a comment, blank lines, indentation and a line break
  // inside a bracket, all within the layer the model uses, reuse the module (and the result is
  // the cold compile's, checked in Outcome).
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  Edit("lib.tri", "layer Used(n: int) {\n  let fc = Linear(n, n)",
       "layer Used(n: int) {\n  # the only layer\n\n\n      let fc = Linear(n,\n n)  # same");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kIncrementalHit);
  Edit("main.tri", "model a = Used(8)", "model a =   Used( 8 )  # spaced");
  EXPECT_EQ(Outcome("a", Incremental(true)), CacheOutcome::kIncrementalHit);
  // A token changes, even one that computes the same value: a miss.
  Edit("lib.tri", "Linear(n,\n n)", "Linear(n,\n (n))");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  Edit("main.tri", "Used( 8 )", "Used( 4 + 4 )");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
}

TEST_F(IncrementalTest, EditsTheModelCanReadRecompileIt) {
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  Edit("lib.tri", "layer Used(n: int) {\n  let fc = Linear(n, n)",
       "layer Used(n: int) {\n  let fc = Linear(n, n, bias=false)");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  Edit("main.tri", "model a = Used(8)", "model a = Used(4)");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // A top-level statement runs whatever the model: a new constant is read (a miss).
  Spit(src_ / "main.tri", "let width = 3\n" + Slurp(Main()));
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // A declaration shadowing a name the model's layer uses (the built-in relu).
  Spit(src_ / "main.tri", Slurp(Main()) + "\nfn relu(x: Tensor) -> Tensor {\n  return x\n}\n");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // An import that now resolves to another file with the same text is another dependency.
  fs::create_directories(src_ / "other");
  Spit(src_ / "other/lib.tri", Slurp((src_ / "lib.tri")));
  Edit("main.tri", "import \"lib.tri\"", "import \"other/lib.tri\"");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // The other model is its own entry.
  EXPECT_EQ(Outcome("b", Incremental()), CacheOutcome::kMiss);
  EXPECT_EQ(Outcome("b", Incremental()), CacheOutcome::kDiskHit);
}

TEST_F(IncrementalTest, OnlyDiagnosticFreeCompilesAreReused) {
  // Model a's layer now computes a value it never uses: a warning on every compile.
  Edit("lib.tri", "    return relu(fc(x))", "    relu(x)\n    return relu(fc(x))");
  CachedCompileResult first = Compile(Main(), Model("a"), Incremental());
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first.diags->diagnostics().empty());
  EXPECT_EQ(first.cache.outcome, CacheOutcome::kMiss);
  // An edit the model does not read: still a miss (warnings are positions in the old text).
  Edit("main.tri", "model b = Unused(8)", "model b = Unused(16)");
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  // A name error anywhere in the main file is reported, never hidden by a reuse.
  EXPECT_EQ(Outcome("b", Incremental()), CacheOutcome::kMiss);
  Spit(src_ / "main.tri", Slurp(Main()) + "fn broken() -> int {\n  return nowhere\n}\n");
  bool ok = true;
  EXPECT_EQ(Outcome("b", Incremental(), &ok), CacheOutcome::kMiss);
  EXPECT_FALSE(ok);
}

TEST_F(IncrementalTest, DamagedIncrementalEntriesAreRebuilt) {
  EXPECT_EQ(Outcome("a", Incremental()), CacheOutcome::kMiss);
  cache::Inventory inv = cache::TakeInventory(dir_.path());
  ASSERT_EQ(inv.entries.size(), 2u);  // the exact key and the definitions key
  Edit("main.tri", "model b = Unused(8)", "model b = Unused(16)");
  CachedCompileResult hit = Compile(Main(), Model("a"), Incremental());
  ASSERT_EQ(hit.cache.outcome, CacheOutcome::kIncrementalHit);
  std::string entry;
  for (const cache::CacheFile& e : inv.entries) {
    if (e.name.find(hit.cache.definitions_key) != std::string::npos) entry = e.path;
  }
  ASSERT_FALSE(entry.empty());
  std::string good = Slurp(entry);
  Spit(entry, good.substr(0, good.size() / 2));
  Edit("main.tri", "model b = Unused(16)", "model b = Unused(32)");
  CachedCompileResult r = Compile(Main(), Model("a"), Incremental());
  EXPECT_EQ(r.cache.outcome, CacheOutcome::kMiss);
  bool reported = false;
  for (const std::string& n : r.cache.notes) reported |= n.find("bad entry") != std::string::npos;
  EXPECT_TRUE(reported);
  EXPECT_EQ(Slurp(entry), good);
  ExpectSame(Print(r), Print(CompileFile(Main(), Model("a"))), "rebuilt");
}

TEST_F(IncrementalTest, ZooModelsSurviveAnEditOfALayerTheyDoNotUse) {
  // models/ copied; BasicBlock edited: resnet50 (Bottleneck) is reused, resnet18 recompiles.
  for (const auto& e : fs::directory_iterator(kModels)) {
    if (e.path().extension() == ".tri") {
      Spit(src_ / e.path().filename().string(), Slurp(e.path().string()));
    }
  }
  const std::string file = (src_ / "resnet.tri");
  auto outcome = [&](const std::string& m) {
    CachedCompileResult r = Compile(file, Model(m), Incremental());
    ExpectSame(Print(r), Print(CompileFile(file, Model(m))), m);
    return r.cache.outcome;
  };
  EXPECT_EQ(outcome("resnet50"), CacheOutcome::kMiss);
  EXPECT_EQ(outcome("resnet18"), CacheOutcome::kMiss);
  std::string common = Slurp((src_ / "common.tri"));
  const std::string from = "layer BasicBlock(in_planes: int, planes: int, stride: int = 1";
  ASSERT_NE(common.find(from), std::string::npos);
  common.replace(common.find(from), from.size(),
                 "layer BasicBlock(in_planes: int, planes: int, stride: int = 1 + 0");
  Spit(src_ / "common.tri", common);
  EXPECT_EQ(outcome("resnet50"), CacheOutcome::kIncrementalHit);
  EXPECT_EQ(outcome("resnet18"), CacheOutcome::kMiss);
}

}  // namespace
}  // namespace triton::driver
