// `triton compile` with the cache and `triton cache ...`, through the real binary: hits print
// byte-identical output, two processes compiling into one cache are safe, the subcommands work.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "triton/cache/disk_cache.h"
#include "triton/cache/maintenance.h"
#include "triton/cache/test_util.h"

#ifndef TRITON_BIN
#error "TRITON_BIN must name the triton binary"
#endif
#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::cache {
namespace {

using testing::Slurp;
using testing::Spit;
using testing::TempDir;

struct Output {
  int rc = -1;
  std::string out, err;
};

class CacheCliTest : public ::testing::Test {
 protected:
  // Runs `sh -c` with TRITON pointing at the binary; stdout and stderr are captured.
  Output Sh(const std::string& script) {
    std::string cmd =
        "cd " TRITON_SOURCE_DIR " || exit 99; TRITON=" TRITON_BIN " CACHE=" + dir_.path() +
        " OUT=" + tmp_.path() + "; export TRITON CACHE OUT; " + script;
    std::string full = "sh -c '" + Quote(cmd) + "' >" + (tmp_ / "out") + " 2>" + (tmp_ / "err");
    Output o;
    int status = std::system(full.c_str());
    o.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.out = Slurp(tmp_ / "out");
    o.err = Slurp(tmp_ / "err");
    return o;
  }
  static std::string Quote(const std::string& s) {
    std::string q;
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q;
  }
  TempDir dir_, tmp_;
};

TEST_F(CacheCliTest, HitPrintsWhatAColdCompilePrints) {
  for (const char* args : {"--emit=ir", "--emit=summary --json", "--emit=summary"}) {
    std::string cmd = std::string("$TRITON compile models/resnet.tri --model resnet50 ") + args;
    Output cold = Sh(cmd + " --no-cache");
    ASSERT_EQ(cold.rc, 0) << cold.err;
    Output first = Sh(cmd + " --cache-dir $CACHE -v");
    Output hit = Sh(cmd + " --cache-dir $CACHE -v");
    EXPECT_EQ(first.rc, 0);
    EXPECT_EQ(hit.rc, 0);
    EXPECT_EQ(first.out, cold.out) << args;
    EXPECT_EQ(hit.out, cold.out) << args;
    // What is printed is not part of the key: only the first command misses.
    const char* want = args == std::string("--emit=ir") ? "cache: miss; stored" : "cache: hit";
    EXPECT_NE(first.err.find(want), std::string::npos) << first.err;
    EXPECT_NE(hit.err.find("cache: hit (disk)"), std::string::npos) << hit.err;
  }
  Output timing =
      Sh("$TRITON compile models/resnet.tri --model resnet50 --timing --json "
         "--cache-dir $CACHE");
  EXPECT_NE(timing.out.find("\"cache\": \"disk-hit\""), std::string::npos) << timing.out;
}

TEST_F(CacheCliTest, WarningsOnAHitGoToStderrAsBefore) {
  Spit(tmp_ / "w.tri", "let x = 1\nx + 2\n" + Slurp(TRITON_SOURCE_DIR "/models/mnist_mlp.tri"));
  std::string cmd = "$TRITON compile " + (tmp_ / "w.tri") + " --cache-dir $CACHE";
  Output cold = Sh(cmd + " --no-cache");
  ASSERT_EQ(cold.rc, 0) << cold.err;
  ASSERT_NE(cold.err.find("warning"), std::string::npos);
  Sh(cmd);
  Output hit = Sh(cmd);
  EXPECT_EQ(hit.err, cold.err);
  EXPECT_EQ(hit.out, cold.out);
  Output json = Sh(cmd + " --diagnostics=json");
  Output json_cold = Sh(cmd + " --diagnostics=json --no-cache");
  EXPECT_EQ(json.out, json_cold.out);
}

TEST_F(CacheCliTest, TwoProcessesCompilingIntoOneCache) {
  std::string loop =
      "for i in 1 2 3; do for m in resnet18 resnet34 resnet50 resnet18_cifar; do "
      "$TRITON compile models/resnet.tri --model $m --emit=ir --cache-dir $CACHE "
      "> $OUT/$P.$m.$i || exit 1; done; done";
  Output o = Sh("(P=a; " + loop + ") & A=$!; (P=b; " + loop + ") & B=$!; wait $A && wait $B");
  ASSERT_EQ(o.rc, 0) << o.err;
  EXPECT_EQ(o.err, "");
  for (const char* m : {"resnet18", "resnet34", "resnet50", "resnet18_cifar"}) {
    Output cold =
        Sh(std::string("$TRITON compile models/resnet.tri --no-cache --emit=ir --model ") + m);
    for (const char* p : {"a", "b"}) {
      for (int i = 1; i <= 3; ++i) {
        std::string got = Slurp(tmp_ / (std::string(p) + "." + m + "." + std::to_string(i)));
        EXPECT_EQ(got, cold.out) << m << " " << p << i;
      }
    }
  }
  Output verify = Sh("$TRITON cache verify --cache-dir $CACHE");
  EXPECT_EQ(verify.rc, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("checked 8 entries"), std::string::npos) << verify.out;
  EXPECT_TRUE(TakeInventory(dir_.path()).temps.empty());
}

TEST_F(CacheCliTest, Subcommands) {
  Output empty = Sh("$TRITON cache stats --cache-dir $CACHE/none");
  EXPECT_EQ(empty.rc, 0) << empty.err;
  EXPECT_NE(empty.out.find("does not exist yet"), std::string::npos) << empty.out;

  for (const char* m : {"resnet18", "resnet34"}) {
    ASSERT_EQ(
        Sh(std::string("$TRITON compile models/resnet.tri --cache-dir $CACHE --model ") + m).rc, 0);
  }
  Sh("$TRITON compile models/resnet.tri --cache-dir $CACHE --model resnet18");
  Output stats = Sh("$TRITON cache --cache-dir $CACHE stats");
  EXPECT_EQ(stats.rc, 0) << stats.err;
  EXPECT_NE(stats.out.find("entries         4"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("hits            1"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("misses          2"), std::string::npos) << stats.out;
  Output json = Sh("$TRITON cache stats --json --cache-dir $CACHE");
  EXPECT_NE(json.out.find("\"entries\": 4"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"source\": \"--cache-dir\""), std::string::npos) << json.out;

  // verify: a damaged entry fails verification, --remove removes it.
  // Two entries per compile: the exact key and the incremental layer's definitions key.
  Inventory inv = TakeInventory(dir_.path());
  ASSERT_EQ(inv.entries.size(), 4u);
  std::string bytes = Slurp(inv.entries[0].path);
  Spit(inv.entries[0].path, bytes.substr(0, bytes.size() / 3));
  Output bad = Sh("$TRITON cache verify --cache-dir $CACHE");
  EXPECT_EQ(bad.rc, 1);
  EXPECT_NE(bad.out.find("bad " + inv.entries[0].name + ": truncated"), std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("1 bad"), std::string::npos) << bad.out;
  Output removed = Sh("$TRITON cache verify --remove --cache-dir $CACHE");
  EXPECT_EQ(removed.rc, 1);
  EXPECT_NE(removed.out.find("(removed)"), std::string::npos);
  EXPECT_EQ(Sh("$TRITON cache verify --cache-dir $CACHE").rc, 0);

  // A compile that meets a damaged entry reports it at -v, rebuilds it, and says nothing without.
  std::string both =
      "$TRITON compile models/resnet.tri --cache-dir $CACHE -v --model resnet18 >/dev/null; "
      "$TRITON compile models/resnet.tri --cache-dir $CACHE -v --model resnet34 >/dev/null";
  Sh("$TRITON cache clear --cache-dir $CACHE");  // then both compiles store both their keys
  Sh(both);
  std::vector<CacheFile> damaged = TakeInventory(dir_.path()).entries;
  ASSERT_EQ(damaged.size(), 4u);
  for (const CacheFile& f : damaged) Spit(f.path, "garbage");
  Output rebuilt = Sh(both);
  EXPECT_EQ(rebuilt.rc, 0);
  for (const CacheFile& f : damaged) {
    EXPECT_NE(rebuilt.err.find("cache: bad entry " + f.path +
                               ": not a cache entry (bad magic); rebuilding"),
              std::string::npos)
        << rebuilt.err;
  }
  Output quiet = Sh("$TRITON compile models/resnet.tri --cache-dir $CACHE --model resnet34");
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(Sh("$TRITON cache verify --cache-dir $CACHE").rc, 0);

  // prune: by last use.
  Output prune = Sh("$TRITON cache prune --older-than 1 --cache-dir $CACHE");
  EXPECT_EQ(prune.rc, 0) << prune.err;
  EXPECT_NE(prune.out.find("removed 0 entries"), std::string::npos) << prune.out;
  Sh("touch -d '3 days ago' " + TakeInventory(dir_.path()).entries[0].path);
  prune = Sh("$TRITON cache prune --older-than 2 --cache-dir $CACHE");
  EXPECT_NE(prune.out.find("removed 1 entries"), std::string::npos) << prune.out;
  EXPECT_EQ(Sh("$TRITON cache prune --older-than -1 --cache-dir $CACHE").rc, 2);
  EXPECT_EQ(Sh("$TRITON cache prune --cache-dir $CACHE").rc, 2);  // --older-than is required

  // clear: entries go, other files stay.
  Sh("$TRITON compile models/resnet.tri --cache-dir $CACHE --model resnet18");
  Sh("$TRITON compile models/resnet.tri --cache-dir $CACHE --model resnet34");
  Spit(dir_ / "keep.txt", "mine");
  // 3 or 4: a pruned definitions-key entry is not rebuilt while the exact key hits.
  const size_t n = TakeInventory(dir_.path()).entries.size();
  ASSERT_GE(n, 3u);
  Output clear = Sh("$TRITON cache clear --cache-dir $CACHE");
  EXPECT_EQ(clear.rc, 0);
  EXPECT_NE(clear.out.find("removed " + std::to_string(n) + " entries"), std::string::npos)
      << clear.out;
  EXPECT_TRUE(TakeInventory(dir_.path()).entries.empty());
  EXPECT_EQ(Slurp(dir_ / "keep.txt"), "mine");
  EXPECT_EQ(Sh("$TRITON cache").rc, 2);  // an action is required
}

TEST_F(CacheCliTest, EnvironmentAndNoCache) {
  std::string compile = "$TRITON compile models/mnist_mlp.tri";
  EXPECT_EQ(Sh("TRITON_CACHE_DIR=$CACHE/t XDG_CACHE_HOME=$CACHE/x HOME=$CACHE/h " + compile).rc, 0);
  EXPECT_EQ(Sh("TRITON_CACHE_DIR= XDG_CACHE_HOME=$CACHE/x HOME=$CACHE/h " + compile).rc, 0);
  EXPECT_EQ(Sh("unset TRITON_CACHE_DIR XDG_CACHE_HOME; HOME=$CACHE/h " + compile).rc, 0);
  EXPECT_EQ(Sh("HOME=$CACHE/n TRITON_CACHE_DIR= XDG_CACHE_HOME= " + compile + " --no-cache").rc, 0);
  EXPECT_EQ(TakeInventory(dir_ / "t").entries.size(), 2u);  // exact + definitions key
  EXPECT_EQ(TakeInventory(dir_ / "x/triton").entries.size(), 2u);
  EXPECT_EQ(TakeInventory(dir_ / "h/.cache/triton").entries.size(), 2u);
  EXPECT_FALSE(TakeInventory(dir_ / "n/.cache/triton").exists);
  Output stats = Sh("TRITON_CACHE_DIR=$CACHE/t $TRITON cache stats");
  EXPECT_NE(stats.out.find("(from $TRITON_CACHE_DIR)"), std::string::npos) << stats.out;
}

TEST_F(CacheCliTest, UnusableCacheDirectoryWarnsAndCompiles) {
  Spit(dir_ / "file", "x");
  Output o = Sh("$TRITON compile models/mnist_mlp.tri --cache-dir $CACHE/file/sub --emit=ir");
  Output cold = Sh("$TRITON compile models/mnist_mlp.tri --no-cache --emit=ir");
  EXPECT_EQ(o.rc, 0) << o.err;
  EXPECT_EQ(o.out, cold.out);
  EXPECT_EQ(o.err.rfind("triton: warning: compile cache ", 0), 0u) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

}  // namespace
}  // namespace triton::cache
