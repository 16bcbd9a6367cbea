// The disk layer, its maintenance, the in-memory layer and where the cache lives.
#include "triton/cache/disk_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <map>
#include <thread>

#include "triton/cache/location.h"
#include "triton/cache/maintenance.h"
#include "triton/cache/memory_cache.h"
#include "triton/cache/test_util.h"

namespace triton::cache {
namespace {

using testing::Slurp;
using testing::Spit;
using testing::TempDir;

Key K(int i) {
  KeyBuilder b;
  b.Add("i", int64_t{i});
  return b.Finish();
}

void SetMtime(const std::string& path, int64_t seconds_ago) {
  struct timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = std::time(nullptr) - seconds_ago;
  ts[0].tv_nsec = ts[1].tv_nsec = 0;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), ts, 0), 0);
}

TEST(DiskCache, WriteThenRead) {
  TempDir t;
  DiskCache c(t / "cache");
  EXPECT_EQ(c.Read(K(1)).kind, ReadResult::Kind::kAbsent);
  ASSERT_TRUE(c.Write(K(1), "payload one").ok);
  ReadResult r = c.Read(K(1));
  ASSERT_EQ(r.kind, ReadResult::Kind::kHit) << r.message;
  EXPECT_EQ(r.payload(), "payload one");
  EXPECT_EQ(c.EntryPath(K(1)), t / "cache/" + K(1).Hex().substr(0, 2) + "/" + K(1).Hex() + ".tce");
  // The directory is tagged for backup tools, and no temp file is left behind.
  EXPECT_EQ(Slurp(t / "cache/CACHEDIR.TAG").rfind("Signature: 8a477f597d28d172789f06886806bc55", 0),
            0u);
  Inventory inv = TakeInventory(c.dir());
  EXPECT_EQ(inv.entries.size(), 1u);
  EXPECT_TRUE(inv.temps.empty());
  // Rewriting replaces.
  ASSERT_TRUE(c.Write(K(1), "payload two").ok);
  EXPECT_EQ(c.Read(K(1)).payload(), "payload two");
}

TEST(DiskCache, BadEntriesAreReportedAndRemoved) {
  TempDir t;
  DiskCache c(t.path());
  ASSERT_TRUE(c.Write(K(2), "other").ok);
  ASSERT_TRUE(c.Write(K(1), "the payload").ok);  // creates the entry's folder
  std::string good = EncodeEntry(K(1), "the payload");
  std::map<std::string, std::string> cases = {
      {"zero-length", ""},
      {"truncated", good.substr(0, good.size() / 2)},
      {"foreign", "PK\x03\x04 not ours at all, a zip file perhaps"},
      {"bit flip",
       [&] {
         std::string b = good;
         b[kEntryHeaderSize + 3] ^= 1;
         return b;
       }()},
      {"other key", Slurp(c.EntryPath(K(2)))},
      {"trailing", good + "junk"},
  };
  for (const auto& [name, bytes] : cases) {
    Spit(c.EntryPath(K(1)), bytes);
    ReadResult r = c.Read(K(1));
    EXPECT_EQ(r.kind, ReadResult::Kind::kBad) << name;
    EXPECT_FALSE(r.message.empty()) << name;
    EXPECT_NE(::access(c.EntryPath(K(1)).c_str(), F_OK), 0) << name << ": not removed";
    ASSERT_TRUE(c.Write(K(1), "the payload").ok);  // rebuilt
    EXPECT_EQ(c.Read(K(1)).kind, ReadResult::Kind::kHit) << name;
  }
}

TEST(DiskCache, DirectoryInPlaceOfEntryIsAnErrorNotACrash) {
  TempDir t;
  DiskCache c(t.path());
  std::string path = c.EntryPath(K(3));
  ASSERT_EQ(::mkdir(path.substr(0, path.rfind('/')).c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  EXPECT_EQ(c.Read(K(3)).kind, ReadResult::Kind::kError);
  EXPECT_FALSE(c.Write(K(3), "x").ok);  // rename over a directory fails
  EXPECT_TRUE(TakeInventory(t.path()).temps.empty());
}

TEST(DiskCache, UnusableDirectories) {
  TempDir t;
  Spit(t / "file", "not a directory");
  WriteResult w = DiskCache(t / "file").Write(K(1), "x");
  EXPECT_FALSE(w.ok);
  EXPECT_EQ(w.error, ENOTDIR);
  EXPECT_NE(w.message.find(t / "file"), std::string::npos) << w.message;
  EXPECT_EQ(DiskCache(t / "file").Read(K(1)).kind, ReadResult::Kind::kAbsent);
}

TEST(DiskCache, ReadOnlyDirectory) {
  TempDir t;
  if (testing::PermissionsAreBypassed(t.path())) {
    GTEST_SKIP() << "this process ignores permission bits (root): chmod 0555 cannot make a "
                    "directory read-only; InjectedWriteErrors covers the same path";
  }
  DiskCache c(t / "ro");
  ASSERT_TRUE(c.Write(K(1), "x").ok);
  ASSERT_EQ(::chmod(c.dir().c_str(), 0555), 0);
  ASSERT_EQ(::chmod((t / "ro/" + K(1).Hex().substr(0, 2)).c_str(), 0555), 0);
  EXPECT_EQ(c.Read(K(1)).kind, ReadResult::Kind::kHit);  // reads still work
  WriteResult w = c.Write(K(2), "y");
  EXPECT_FALSE(w.ok);
  EXPECT_TRUE(IsUnwritableError(w.error)) << w.message;
  c.AddCounters(Counters{.hits = 1});  // silently nothing
}

TEST(DiskCache, InjectedWriteErrorsLeaveNoTempFiles) {
  TempDir t;
  DiskCache c(t.path());
  for (int err : {ENOSPC, EDQUOT, EIO}) {
    DiskCache::InjectWriteErrorForTesting(err);
    WriteResult w = c.Write(K(1), "x");
    DiskCache::InjectWriteErrorForTesting(0);
    EXPECT_FALSE(w.ok);
    EXPECT_EQ(w.error, err);
    EXPECT_EQ(IsUnwritableError(err), err != EIO);
    EXPECT_EQ(c.Read(K(1)).kind, ReadResult::Kind::kAbsent);
    Inventory inv = TakeInventory(t.path());
    EXPECT_TRUE(inv.temps.empty());
    EXPECT_TRUE(inv.entries.empty());
  }
}

TEST(DiskCache, ConcurrentWritersAndReadersOfOneKey) {
  TempDir t;
  DiskCache c(t.path());
  std::string payload(200000, 'p');
  std::atomic<int> bad{0}, hits{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 50; ++n) {
        if ((n + i) % 2) {
          if (!c.Write(K(n % 5), payload).ok) ++bad;
        } else {
          ReadResult r = c.Read(K(n % 5));
          if (r.kind == ReadResult::Kind::kHit) ++hits;
          if (r.kind == ReadResult::Kind::kBad || r.kind == ReadResult::Kind::kError ||
              (r.kind == ReadResult::Kind::kHit && r.payload() != payload)) {
            ++bad;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(hits.load(), 0);
  Inventory inv = TakeInventory(t.path());
  EXPECT_EQ(inv.entries.size(), 5u);
  EXPECT_TRUE(inv.temps.empty());
  EXPECT_TRUE(Verify(t.path(), false, nullptr).bad.empty());
}

TEST(DiskCache, CountersAddUpAcrossThreads) {
  TempDir t;
  DiskCache c(t.path());
  EXPECT_TRUE(c.ReadCounters().empty());
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int n = 0; n < 25; ++n) c.AddCounters(Counters{.hits = 1, .misses = 2});
    });
  }
  for (auto& th : threads) th.join();
  Counters got = c.ReadCounters();
  EXPECT_EQ(got.hits, 100u);
  EXPECT_EQ(got.misses, 200u);
  Spit(t / "stats", "garbage\n\x01\x02");
  EXPECT_TRUE(c.ReadCounters().empty());  // unreadable counters restart from zero
}

TEST(Maintenance, ClearRemovesOnlyCacheFiles) {
  TempDir t;
  DiskCache c(t.path());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c.Write(K(i), "x").ok);
  c.AddCounters(Counters{.stores = 10});
  Spit(t / "notes.txt", "the user's file");
  ::mkdir((t / "zz").c_str(), 0755);
  Spit(t / "zz/keep.tce", "not in a hex folder");
  std::string sub = K(0).Hex().substr(0, 2);
  Spit(t / sub + "/keep.txt", "not ours either");
  Spit(t / sub + "/.tmp-" + K(0).Hex() + "-1-1", "a crashed writer's temp file");
  RemoveReport r = Clear(t.path());
  EXPECT_EQ(r.entries, 10u);
  EXPECT_EQ(r.temps, 1u);
  EXPECT_TRUE(r.errors.empty());
  Inventory inv = TakeInventory(t.path());
  EXPECT_TRUE(inv.entries.empty());
  EXPECT_TRUE(inv.temps.empty());
  EXPECT_EQ(Slurp(t / "notes.txt"), "the user's file");
  EXPECT_EQ(Slurp(t / "zz/keep.tce"), "not in a hex folder");
  EXPECT_EQ(Slurp(t / sub + "/keep.txt"), "not ours either");
  EXPECT_TRUE(c.ReadCounters().empty());
}

TEST(Maintenance, PruneByLastUse) {
  TempDir t;
  DiskCache c(t.path());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.Write(K(i), "x").ok);
  SetMtime(c.EntryPath(K(0)), 10 * 86400);
  SetMtime(c.EntryPath(K(1)), 3 * 86400);
  SetMtime(c.EntryPath(K(2)), 10 * 86400);
  ASSERT_EQ(c.Read(K(2)).kind, ReadResult::Kind::kHit);  // a hit refreshes its last use
  std::string young_temp = t / K(0).Hex().substr(0, 2) + "/.tmp-young";
  std::string old_temp = t / K(0).Hex().substr(0, 2) + "/.tmp-old";
  Spit(young_temp, "a live writer");
  Spit(old_temp, "a crashed writer");
  SetMtime(old_temp, 2 * 3600);
  int64_t now = std::time(nullptr);
  RemoveReport r = Prune(t.path(), 7, now);
  EXPECT_EQ(r.entries, 1u);
  EXPECT_EQ(r.temps, 0u);
  EXPECT_EQ(c.Read(K(0)).kind, ReadResult::Kind::kAbsent);
  EXPECT_EQ(c.Read(K(1)).kind, ReadResult::Kind::kHit);
  r = Prune(t.path(), 0.01, now);  // 14.4 minutes: temp files need an hour
  EXPECT_EQ(r.temps, 1u);
  EXPECT_EQ(::access(young_temp.c_str(), F_OK), 0);
  EXPECT_NE(::access(old_temp.c_str(), F_OK), 0);
  r = Prune(t.path(), 0, now + 10);
  EXPECT_EQ(TakeInventory(t.path()).entries.size(), 0u);
}

TEST(Maintenance, VerifyFindsEveryBadEntry) {
  TempDir t;
  DiskCache c(t.path());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(c.Write(K(i), i == 5 ? "reject me" : "fine").ok);
  Spit(c.EntryPath(K(0)), "");
  std::string e1 = Slurp(c.EntryPath(K(1)));
  Spit(c.EntryPath(K(1)), e1.substr(0, e1.size() - 1));
  ::rename(c.EntryPath(K(2)).c_str(),
           (t / K(3).Hex().substr(0, 2) + "/" + K(3).Hex() + ".tce").c_str());
  // K(2)'s file now holds K(2)'s entry under K(3)'s name (or K(3) is overwritten).
  auto check = [](std::string_view p) { return p == "reject me" ? "rejected payload" : ""; };
  VerifyReport v = Verify(t.path(), false, check);
  EXPECT_EQ(v.checked, 5u);
  ASSERT_EQ(v.bad.size(), 4u);
  for (const auto& b : v.bad) EXPECT_FALSE(b.problem.empty()) << b.name;
  EXPECT_EQ(TakeInventory(t.path()).entries.size(), 5u);  // not removed without `remove`
  v = Verify(t.path(), true, check);
  EXPECT_EQ(v.removed, 4u);
  v = Verify(t.path(), false, check);
  EXPECT_EQ(v.checked, 1u);
  EXPECT_TRUE(v.bad.empty());
}

TEST(Maintenance, MissingDirectory) {
  TempDir t;
  Inventory inv = TakeInventory(t / "nope");
  EXPECT_FALSE(inv.exists);
  EXPECT_TRUE(inv.error.empty());
  EXPECT_TRUE(Clear(t / "nope").errors.empty());
  EXPECT_EQ(Verify(t / "nope", false, nullptr).checked, 0u);
}

TEST(Location, Precedence) {
  std::map<std::string, std::string> env;
  auto get = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  EXPECT_EQ(ResolveCacheDir("", get).dir, "");
  env["HOME"] = "/home/u";
  EXPECT_EQ(ResolveCacheDir("", get).dir, "/home/u/.cache/triton");
  EXPECT_EQ(ResolveCacheDir("", get).source, "$HOME");
  env["XDG_CACHE_HOME"] = "relative/ignored";
  EXPECT_EQ(ResolveCacheDir("", get).dir, "/home/u/.cache/triton");
  env["XDG_CACHE_HOME"] = "/xdg";
  EXPECT_EQ(ResolveCacheDir("", get).dir, "/xdg/triton");
  env["TRITON_CACHE_DIR"] = "";  // empty = unset
  EXPECT_EQ(ResolveCacheDir("", get).dir, "/xdg/triton");
  env["TRITON_CACHE_DIR"] = "/tc";
  EXPECT_EQ(ResolveCacheDir("", get).dir, "/tc");
  EXPECT_EQ(ResolveCacheDir("", get).source, "$TRITON_CACHE_DIR");
  EXPECT_EQ(ResolveCacheDir("/flag", get).dir, "/flag");
  EXPECT_EQ(ResolveCacheDir("/flag", get).source, "--cache-dir");
}

TEST(MemoryCache, LruWithinBudget) {
  MemoryCache<std::string> m(100);
  m.Put(K(1), std::make_shared<std::string>("one"), 40);
  m.Put(K(2), std::make_shared<std::string>("two"), 40);
  ASSERT_NE(m.Get(K(1)), nullptr);  // K(1) is now the most recent
  m.Put(K(3), std::make_shared<std::string>("three"), 40);
  EXPECT_EQ(m.Get(K(2)), nullptr);  // evicted
  EXPECT_EQ(*m.Get(K(1)), "one");
  EXPECT_EQ(*m.Get(K(3)), "three");
  EXPECT_EQ(m.bytes(), 80u);
  m.Put(K(4), std::make_shared<std::string>("huge"), 1000);
  EXPECT_EQ(m.Get(K(4)), nullptr);
  m.Put(K(1), std::make_shared<std::string>("uno"), 10);
  EXPECT_EQ(*m.Get(K(1)), "uno");
  EXPECT_EQ(m.bytes(), 50u);
  m.Clear();
  EXPECT_EQ(m.size(), 0u);
}

}  // namespace
}  // namespace triton::cache
