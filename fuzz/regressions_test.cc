// Replays fuzz/regressions/ and fuzz/corpus/ and a set of generated hostile inputs through the
// fuzzer's checks (frontend_input.h) in the normal build: no crash, no hang, sane diagnostics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fuzz/frontend_input.h"

namespace triton::fuzz {
namespace {

namespace fs = std::filesystem;

// A hang is a finding too: abort (with the input's name) if one input runs longer than this.
// Generous, so that Debug and sanitizer builds pass; the Release timings are in bench_compile.
constexpr auto kWatchdog = std::chrono::seconds(120);

// Runs `text` through RunFrontend under the watchdog; returns the wall time in milliseconds.
double RunGuarded(const std::string& name, const std::string& text) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, kWatchdog, [&] { return done; })) {
      std::fprintf(stderr, "fuzz_regressions_test: '%s' ran longer than %lld s: a hang\n",
                   name.c_str(), static_cast<long long>(kWatchdog.count()));
      std::abort();
    }
  });
  auto start = std::chrono::steady_clock::now();
  RunFrontend(text);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
  }
  cv.notify_one();
  watchdog.join();
  return ms;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every regular file in fuzz/regressions/ and fuzz/corpus/, sorted.
std::vector<fs::path> SeedFiles() {
  std::vector<fs::path> files;
  for (const char* dir : {"regressions", "corpus"}) {
    fs::path d = fs::path(TRITON_FUZZ_DIR) / dir;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class SeedFileTest : public testing::TestWithParam<fs::path> {};

TEST_P(SeedFileTest, CompilesWithoutCrashing) {
  const fs::path& p = GetParam();
  double ms = RunGuarded(p.string(), ReadAll(p));
  RecordProperty("ms", std::to_string(ms));
}

std::string TestName(const testing::TestParamInfo<fs::path>& info) {
  std::string name =
      info.param.parent_path().filename().string() + "_" + info.param.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, SeedFileTest, testing::ValuesIn(SeedFiles()), TestName);

TEST(SeedFiles, ThereAreSome) { EXPECT_GT(SeedFiles().size(), 10u); }

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

void Hostile(const std::string& name, const std::string& text) {
  double ms = RunGuarded(name, text);
  std::printf("[ hostile  ] %s (%zu bytes): %.1f ms\n", name.c_str(), text.size(), ms);
}

TEST(Hostile, NestedParens20000) {
  Hostile("parens", "let x = " + Repeat("(", 20000) + "1" + Repeat(")", 20000) + "\n");
}

TEST(Hostile, UnclosedParens20000) { Hostile("open parens", "let x = " + Repeat("(", 20000)); }

TEST(Hostile, Identifier200000) {
  std::string id = Repeat("a", 200000);
  Hostile("identifier", "let " + id + " = 1\nlet y = " + id + " + " + id + "\n");
}

TEST(Hostile, Integer5000Digits) { Hostile("integer", "let x = " + Repeat("9", 5000) + "\n"); }

TEST(Hostile, Float5000Digits) {
  Hostile("float", "let x = 0." + Repeat("1", 5000) + "e" + Repeat("9", 400) + "\n");
}

TEST(Hostile, NestedBrackets100000) {
  Hostile("brackets", "let x = " + Repeat("[", 100000) + "\n");
  Hostile("closed brackets", "let x = " + Repeat("[", 100000) + Repeat("]", 100000) + "\n");
}

TEST(Hostile, NestedBlocks20000) {
  Hostile("if blocks",
          "layer L() {\n" + Repeat("if true {\n", 20000) + Repeat("}\n", 20000) + "}\n");
  Hostile("braces", Repeat("{", 20000));
}

TEST(Hostile, NestedTypes20000) {
  Hostile("list types", "let x: " + Repeat("[", 20000) + "int" + Repeat("]", 20000) + " = 1\n");
  Hostile("tensor types", "let x: " + Repeat("Tensor<", 20000) + "\n");
}

TEST(Hostile, LongOperatorChains) {
  Hostile("unary minus", "let x = " + Repeat("-", 100000) + "1\n");
  Hostile("not", "let x = " + Repeat("not ", 50000) + "true\n");
  Hostile("power", "let x = " + Repeat("2 ** ", 50000) + "2\n");
  Hostile("sum", "let x = " + Repeat("1 + ", 100000) + "1\n");
  Hostile("members", "let x = a" + Repeat(".b", 100000) + "\n");
  Hostile("calls", "let x = f" + Repeat("()", 100000) + "\n");
}

TEST(Hostile, ManyErrors) {
  Hostile("bad characters", Repeat("$", 1000000));
  Hostile("undefined names", Repeat("x\n", 100000));
}

TEST(Hostile, RandomBytes10MB) {
  std::mt19937_64 rng(20240601);
  std::string text(10 << 20, '\0');
  for (char& c : text) c = static_cast<char>(rng());
  Hostile("random bytes", text);
}

TEST(Hostile, RandomTokens10MB) {
  // Plausible tokens in random order: gets past the lexer into the parser.
  const char* tokens[] = {"let ", "x ",  "= ",      "1 ",     "(",      ")",      "[",   "]",
                          "{",    "}",   "\n",      "layer ", "fn ",    "model ", "if ", "else ",
                          "for ", "in ", "return ", ", ",     "Tensor", "<",      ">",   ": ",
                          "-> ",  "+ ",  "* ",      "@ ",     "relu",   "."};
  std::mt19937_64 rng(7);
  std::string text;
  while (text.size() < (10u << 20)) text += tokens[rng() % std::size(tokens)];
  Hostile("random tokens", text);
}

}  // namespace
}  // namespace triton::fuzz
