// Damaged packages: every truncation, bit flip, hostile field, overlap, bad magic and version
// (damaged_cases.h) gives an error that starts with the file name, never a crash, and never an
// allocation out of proportion to the file (a counting operator new watches every parse). The
// committed corpus testdata/damaged/ (the fuzzer's seeds) gives exactly the messages of
// testdata/damaged/expected.txt; TRITON_UPDATE_GOLDEN=1 regenerates both.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>

#include "triton/base/file.h"
#include "triton/format/damaged_cases.h"
#include "triton/format/package.h"
#include "triton/format/test_util.h"

// A counting global operator new: while `g_counting` is set, the total and the largest request
// are recorded. (Replacing operator new is allowed in a program; ASan still sees malloc/free.)
namespace {
std::atomic<bool> g_counting{false};
std::atomic<size_t> g_total{0};
std::atomic<size_t> g_largest{0};

void* CountedAlloc(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_total += n;
    size_t prev = g_largest.load();
    while (n > prev && !g_largest.compare_exchange_weak(prev, n)) {
    }
  }
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(size_t n) { return CountedAlloc(n); }
void* operator new[](size_t n) { return CountedAlloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace triton::format {
namespace {

namespace fs = std::filesystem;
using testing::Coverage;
using testing::DamagedCase;

const std::string kCorpus = std::string(TRITON_FORMAT_TESTDATA) + "/damaged";

// Allocations allowed while parsing a file of `size` bytes: proportional to the file. Unpacked
// data is at most 5 bytes per packed byte (base-3); the tensor list ~4 bytes per directory
// byte; the rest is copies of strings. Claimed sizes (up to 2^64) must never show up here.
size_t AllocationBound(size_t size) { return 8 * size + 64 * 1024; }

struct Parsed {
  bool ok = false;
  std::string message;
  size_t total = 0, largest = 0;
};

Parsed CountedParse(const std::vector<uint8_t>& bytes, const std::string& file) {
  Parsed out;
  g_total = 0;
  g_largest = 0;
  g_counting = true;
  {
    Result<Package> r = ParsePackage(bytes, file);
    out.ok = r.ok();
    if (!r.ok()) out.message = r.status().message();
    if (r.ok()) {
      // Whatever parses is a valid package: it validates and round-trips.
      g_counting = false;
      EXPECT_TRUE(ValidatePackage(r.value()).ok()) << file;
      Result<Package> again = ParsePackage(SerializePackage(r.value()), file);
      EXPECT_TRUE(again.ok());
      if (again.ok()) {
        EXPECT_EQ(testing::Difference(r.value(), again.value()), "");
      }
    }
  }
  g_counting = false;
  out.total = g_total;
  out.largest = g_largest;
  return out;
}

// Runs every case; returns the worst allocation ratio seen (total bytes / file size).
double CheckCases(const std::vector<DamagedCase>& cases) {
  double worst = 0;
  size_t failed = 0, passed = 0, largest_total = 0;
  for (const DamagedCase& c : cases) {
    const Parsed p = CountedParse(c.bytes, "damaged.tnn");
    if (c.must_fail) {
      EXPECT_FALSE(p.ok) << c.name << " parsed";
    }
    if (!p.ok) {
      ++failed;
      EXPECT_EQ(p.message.rfind("damaged.tnn: ", 0), 0u) << c.name << ": " << p.message;
      EXPECT_EQ(p.message.find('\n'), std::string::npos) << c.name << ": " << p.message;
    } else {
      ++passed;
    }
    EXPECT_LE(p.total, AllocationBound(c.bytes.size()))
        << c.name << ": allocated " << p.total << " bytes for a " << c.bytes.size()
        << "-byte file (largest " << p.largest << ")";
    if (c.bytes.size() >= 512) worst = std::max(worst, double(p.total) / c.bytes.size());
    largest_total = std::max(largest_total, p.total);
  }
  std::cout << cases.size() << " damaged files: " << failed << " rejected, " << passed
            << " still valid; most allocated by one parse " << largest_total
            << " bytes; worst ratio (files >= 512 bytes) " << worst << " bytes per file byte\n";
  return worst;
}

TEST(Damaged, TinyExhaustive) {
  const std::vector<uint8_t> valid = SerializePackage(testing::TinyPackage());
  const auto cases = testing::DamagedCases(valid, Coverage::kExhaustive);
  EXPECT_GT(cases.size(), 8 * valid.size() * 2);
  CheckCases(cases);
}

TEST(Damaged, RichSampled) {
  const std::vector<uint8_t> valid = SerializePackage(testing::RichPackage());
  CheckCases(testing::DamagedCases(valid, Coverage::kSampled));
}

// A valid package parses with allocations in the same bound (sanity for the bound itself).
TEST(Damaged, ValidPackagesWithinBound) {
  for (const Package& p : {testing::TinyPackage(), testing::RichPackage()}) {
    const std::vector<uint8_t> bytes = SerializePackage(p);
    const Parsed r = CountedParse(bytes, "valid.tnn");
    EXPECT_TRUE(r.ok) << r.message;
    EXPECT_LE(r.total, AllocationBound(bytes.size()));
  }
}

// Hostile claims cannot make the reader allocate them: a 2^32-1 tensor count in a small file.
TEST(Damaged, HugeCountsAllocateNothingBig) {
  for (const DamagedCase& c : testing::CorpusCases(SerializePackage(testing::TinyPackage()))) {
    if (c.name.find("huge") == std::string::npos) continue;
    const Parsed p = CountedParse(c.bytes, "damaged.tnn");
    EXPECT_FALSE(p.ok) << c.name;
    EXPECT_LT(p.largest, 4096u) << c.name << ": " << p.message;
  }
}

bool UpdateMode() {
  const char* v = std::getenv("TRITON_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

std::string MessageFor(const std::vector<uint8_t>& bytes, const std::string& file) {
  Result<Package> r = ParsePackage(bytes, file);
  return r.ok() ? "(parsed)" : r.status().message();
}

// The committed corpus is exactly CorpusCases(tiny): same files, same bytes, same messages.
TEST(Damaged, CommittedCorpus) {
  const auto cases = testing::CorpusCases(SerializePackage(testing::TinyPackage()));
  if (UpdateMode()) {
    fs::create_directories(kCorpus);
    for (const auto& e : fs::directory_iterator(kCorpus)) {
      if (e.path().extension() == ".tnn") fs::remove(e.path());
    }
    std::ofstream expected(kCorpus + "/expected.txt", std::ios::binary);
    expected
        << "# file: the message ParsePackage gives for it (generated by format_damaged_test)\n";
    for (const DamagedCase& c : cases) {
      const std::string file = c.name + ".tnn";
      std::ofstream(kCorpus + "/" + file, std::ios::binary)
          .write(reinterpret_cast<const char*>(c.bytes.data()),
                 static_cast<std::streamsize>(c.bytes.size()));
      expected << file << "\t" << MessageFor(c.bytes, file) << "\n";
    }
    GTEST_SKIP() << "rewrote " << kCorpus;
  }
  Result<std::string> listing = base::ReadFile(kCorpus + "/expected.txt");
  ASSERT_TRUE(listing.ok()) << listing.status().message();
  std::map<std::string, std::string> expected;  // file -> message
  size_t start = 0;
  const std::string& text = listing.value();
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(kCorpus)) {
    if (e.path().extension() != ".tnn") continue;
    ++files;
    const std::string file = e.path().filename().string();
    Result<std::string> data = base::ReadFile(e.path().string());
    ASSERT_TRUE(data.ok());
    const std::vector<uint8_t> bytes(data.value().begin(), data.value().end());
    ASSERT_TRUE(expected.count(file)) << file << " is not listed in expected.txt";
    EXPECT_EQ(MessageFor(bytes, file), expected[file]) << file;
  }
  EXPECT_EQ(files, expected.size());
  EXPECT_EQ(files, cases.size()) << "the corpus is stale: rerun with TRITON_UPDATE_GOLDEN=1";
  for (const DamagedCase& c : cases) {
    Result<std::string> data = base::ReadFile(kCorpus + "/" + c.name + ".tnn");
    ASSERT_TRUE(data.ok()) << data.status().message() << " (TRITON_UPDATE_GOLDEN=1 regenerates)";
    EXPECT_EQ(data.value(), std::string(c.bytes.begin(), c.bytes.end())) << c.name;
  }
}

}  // namespace
}  // namespace triton::format
