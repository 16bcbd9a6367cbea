// triton_report: SVG output is well-formed XML, table numbers come formatted from the given JSON,
// missing or corrupt results files give errors that name the file, and the report is
// deterministic.
#include "triton/report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/report/accuracy_page.h"
#include "triton/report/compile_page.h"
#include "triton/report/performance_page.h"
#include "triton/report/svg.h"
#include "triton/report/zoo_page.h"

namespace triton::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A minimal XML well-formedness check: tags nest and close, attributes are quoted, text holds no
// raw '<' or unescaped '&'. Returns "" when well-formed, else what is wrong.
std::string CheckXml(const std::string& s) {
  std::vector<std::string> stack;
  size_t i = 0;
  bool root_seen = false;
  while (i < s.size()) {
    if (s[i] == '&') {
      size_t semi = s.find(';', i);
      if (semi == std::string::npos || semi - i > 6) return "bare & at " + std::to_string(i);
      const std::string ent = s.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;") {
        return "unknown entity " + ent;
      }
      i = semi + 1;
      continue;
    }
    if (s[i] == '>') return "bare > at " + std::to_string(i);
    if (s[i] != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) {
        return "text outside the root at " + std::to_string(i);
      }
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    while (end < s.size() && (quote || s[end] != '>')) {
      if (quote && s[end] == quote)
        quote = 0;
      else if (!quote && (s[end] == '"' || s[end] == '\''))
        quote = s[end];
      else if (!quote && s[end] == '<')
        return "'<' inside a tag at " + std::to_string(end);
      ++end;
    }
    if (end >= s.size()) return "unterminated tag";
    std::string tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
      continue;
    }
    const bool self_closing = tag.back() == '/';
    if (self_closing) tag.pop_back();
    const std::string name = tag.substr(0, tag.find_first_of(" \n\t"));
    // Attributes: name="value" pairs.
    std::string rest = tag.substr(name.size());
    size_t k = 0;
    while (k < rest.size()) {
      if (std::isspace(static_cast<unsigned char>(rest[k]))) {
        ++k;
        continue;
      }
      size_t eq = rest.find('=', k);
      if (eq == std::string::npos || eq + 1 >= rest.size() || rest[eq + 1] != '"') {
        return "unquoted attribute in <" + name + ">";
      }
      size_t close = rest.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name + ">";
      k = close + 1;
    }
    if (stack.empty()) {
      if (root_seen) return "two root elements";
      root_seen = true;
      if (name != "svg") return "root is <" + name + ">, not <svg>";
    }
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (!root_seen) return "no root element";
  return "";
}

TEST(Svg, BarChartIsWellFormedAndDeterministic) {
  svg::BarChart c;
  c.title = "a <title> & \"quotes\"";
  c.y_label = "ms";
  c.categories = {"resnet18 b1", "resnet18 b8", "a very long category label indeed"};
  c.series = {{"fp32", {1.5, 2.5, NAN}}, {"ternary <t>", {0.5, 10, 3}}};
  c.lines = {{3, "target 3x"}};
  const std::string a = svg::Render(c), b = svg::Render(c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(CheckXml(a), "") << a;
  EXPECT_NE(a.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(a.find("viewBox=\"0 0 760 420\""), std::string::npos);
  EXPECT_NE(a.find("&lt;title&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_EQ(a.find("nan"), std::string::npos);
  EXPECT_EQ(a.find("inf"), std::string::npos);
  // 5 finite values: 5 bars (each with a <title>); the NaN draws nothing.
  size_t bars = 0;
  for (size_t p = a.find("</title></rect>"); p != std::string::npos;
       p = a.find("</title></rect>", p + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 5u);
  EXPECT_NE(a.find(">target 3x</text>"), std::string::npos);
}

TEST(Svg, StackedAndLogChartsAreWellFormed) {
  svg::BarChart c;
  c.title = "stacked";
  c.categories = {"a", "b"};
  c.series = {{"x", {1, 2}}, {"y", {3, 0.5}}};
  c.stacked = true;
  EXPECT_EQ(CheckXml(svg::Render(c)), "");
  c.stacked = false;
  c.log_y = true;
  c.series = {{"x", {0.02, 500}}, {"y", {0, -1}}};  // <= 0 is not drawn on a log axis
  const std::string s = svg::Render(c);
  EXPECT_EQ(CheckXml(s), "") << s;
  EXPECT_NE(s.find(">0.01</text>"), std::string::npos) << s;
  EXPECT_NE(s.find(">1000</text>"), std::string::npos) << s;
}

TEST(Svg, LinearAxisCanStartAboveZero) {
  svg::BarChart c;
  c.title = "zoomed";
  c.categories = {"a", "b"};
  c.series = {{"x", {88.5, 92.2}}};
  c.y_from = 70;
  const std::string s = svg::Render(c);
  EXPECT_EQ(CheckXml(s), "") << s;
  EXPECT_NE(s.find(">70</text>"), std::string::npos) << s;
  EXPECT_EQ(s.find(">0</text>"), std::string::npos) << s;
}

TEST(Svg, LineChartIsWellFormed) {
  svg::LineChart c;
  c.title = "latency";
  c.x_label = "batch";
  c.y_label = "ms";
  c.x = {1, 8, 32};
  c.log_x = c.log_y = true;
  c.series = {{"libtorch-fp32", {24.4, 198.2, 886.0}}, {"triton-ternary", {6.5, NAN, 241.3}}};
  const std::string s = svg::Render(c);
  EXPECT_EQ(CheckXml(s), "") << s;
  // Five finite points, each a circle; the NaN leaves a gap in the ternary line.
  EXPECT_NE(s.find("<polyline points=\""), std::string::npos);
  size_t circles = 0;
  for (size_t p = s.find("<circle"); p != std::string::npos; p = s.find("<circle", p + 1))
    ++circles;
  EXPECT_EQ(circles, 5u);
  EXPECT_NE(s.find(">32</text>"), std::string::npos);
}

TEST(Format, Numbers) {
  EXPECT_EQ(Fixed(3.14159, 3), "3.142");
  EXPECT_EQ(Fixed(NAN, 2), kMissing);
  EXPECT_EQ(Fixed(-0.0001, 2), "0.00");
  EXPECT_EQ(Times(3.7666), "3.77x");
  EXPECT_EQ(Percent(0.8924), "89.24 %");
  EXPECT_EQ(Commas(11689512), "11,689,512");
  EXPECT_EQ(Si(235146), "235.1K");
  EXPECT_EQ(Si(11689512), "11.69M");
  EXPECT_EQ(Mb(46817704), "46.8");
  EXPECT_EQ(Verdict(3.5, 3, true), "met");
  EXPECT_EQ(Verdict(2.5, 3, true), "missed");
  EXPECT_EQ(Verdict(NAN, 3, true), "not measured");
  EXPECT_EQ(Verdict(19, 20, false), "met");
  Table t({"a", "b|c"}, "lr");
  t.Row({"x|y", "1"});
  EXPECT_EQ(t.Render(), "| a | b\\|c |\n| --- | ---: |\n| x\\|y | 1 |\n");
}

json PerfJson() {
  return json::parse(R"({
    "machine": {"cpu": "Test CPU", "cpus_online": 2, "date": "2026-01-02T03:04:05+0000",
                "isa": "avx2", "libtorch": "libtorch 1.13.0", "load_average_1m": 0.5,
                "threads": 2},
    "model": {"name": "resnet18", "params": 11689512, "ternary_params": 11157504,
              "fp32_package_bytes": 46817704, "ternary_2bit_package_bytes": 5014952,
              "ternary_base3_package_bytes": 4459176},
    "records": [
      {"engine": "libtorch-fp32", "batch": 1, "available": true, "median_ms": 24.423467,
       "p95_ms": 28.0687, "p99_ms": 30.3615, "mean_ms": 24.8485, "ci95_ms": 0.1585,
       "throughput": 40.944, "runs": 403, "peak_bytes": 70721536, "peak_method": "vmhwm"},
      {"engine": "triton-fp32", "batch": 1, "available": false, "error": "no BLAS"},
      {"engine": "triton-ternary", "batch": 1, "available": true, "median_ms": 6.4843625,
       "p95_ms": 7.1679, "p99_ms": 9.0386, "mean_ms": 6.5754, "ci95_ms": 0.0293,
       "throughput": 154.217, "runs": 1000, "peak_bytes": 11563008, "peak_method": "vmhwm",
       "engine_weight_bytes": 4936096}
    ]})");
}

TEST(Pages, PerformanceTablesComeFromTheJson) {
  Result<PerfRun> run = ParsePerf("perf_resnet18.json", PerfJson());
  ASSERT_TRUE(run.ok()) << run.status().message();
  Results r;
  r.perf.push_back(run.value());
  const std::vector<OutputFile> files = PerformancePage(r);
  ASSERT_GE(files.size(), 3u);
  EXPECT_EQ(files[0].name, "performance.md");
  const std::string& md = files[0].contents;
  EXPECT_NE(md.find("| resnet18 | 1 | triton-ternary | 6.484 | 7.168 | 9.039 | 6.575 ± 0.029 | "
                    "154.2 | 11.6 | 3.77x | 1000 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| resnet18 | 1 | 3.77x | met | 70.7 / 11.6 MB = 6.12x | met |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| resnet18 | 1 | triton-fp32 | unavailable: no BLAS |"), std::string::npos);
  EXPECT_NE(md.find("46.8 MB | 5.0 MB (9.3x) | 4.5 MB (10.5x) | 4.9 MB |"), std::string::npos);
  EXPECT_NE(md.find("Test CPU, 2 CPUs; ISA level avx2; 2 threads"), std::string::npos);
  EXPECT_NE(md.find("rebuilt from the file"), std::string::npos);
  bool latency_svg = false;
  for (const OutputFile& f : files) latency_svg |= f.name == "perf_latency_resnet18.svg";
  EXPECT_TRUE(latency_svg);
  for (const OutputFile& f : files) {
    if (f.name.ends_with(".svg")) {
      EXPECT_EQ(CheckXml(f.contents), "") << f.name;
    }
  }
}

json CompileJson() {
  return json::parse(R"({
    "schema": "triton-bench-compile/1", "command": "triton bench compile --json x.json",
    "machine": {"cpu": "Test CPU", "logical_cores": 2, "kernel": "Linux 6", "isa": "avx2",
                "threads": 1, "build_type": "Release", "compiler": "gcc 12",
                "date": "2026-01-02T03:04:05Z", "load_average_1m": 1.0},
    "method": {"repetitions": 3, "min_time_s": 0.05, "process_runs": 0, "statistic": "median"},
    "models": [
      {"name": "resnet50", "file": "models/resnet.tri", "lines": 146,
       "levels": [
         {"opt_level": 0, "wall_ms": 1.8571, "cpu_ms": 1.8, "lex_ms": 0.07, "parse_ms": 0.1,
          "check_ms": 0.02, "elaborate_ms": 1.5, "verify_ms": 0.12, "passes_ms": 0,
          "stages_ms": 1.81},
         {"opt_level": 2, "wall_ms": 3.6664, "cpu_ms": 3.638, "lex_ms": 0.076, "parse_ms": 0.106,
          "check_ms": 0.025, "elaborate_ms": 1.603, "verify_ms": 0.127, "passes_ms": 1.433,
          "stages_ms": 3.371}],
       "passes": [{"pass": "fold-constants", "ms": 0.1234, "changed": false},
                  {"pass": "fold-batchnorm", "ms": 0.5, "changed": true}],
       "plan_ms": 0.9, "to_plan_ms": 4.5664,
       "cache": {"cold_ms": 3.127, "disk_hit_ms": 0.597, "memory_hit_ms": 0.09, "key_ms": 0.046},
       "edit": {"unused": {"file": "common.tri", "declaration": "BasicBlock", "ms": 0.4,
                           "outcome": "incremental-hit"},
                "used": {"file": "resnet.tri", "declaration": "ResNet", "ms": 3.5,
                         "outcome": "miss"},
                "used_comment": {"file": "resnet.tri", "declaration": "ResNet", "ms": 0.32,
                                 "outcome": "incremental-hit"},
                "cold_ms": 3.2},
       "process": null},
      {"name": "broken", "file": "models/broken.tri", "error": "does not compile"}],
    "process": null})");
}

TEST(Pages, CompileTablesComeFromTheJson) {
  Result<CompileRun> c = ParseCompile("compile.json", CompileJson());
  ASSERT_TRUE(c.ok()) << c.status().message();
  Results r;
  r.compile = c.value();
  const std::string md = CompilePage(r)[0].contents;
  EXPECT_NE(md.find("| resnet50 | 146 | 0.076 | 0.106 | 0.025 | 1.603 | 0.127 | 1.433 | 3.371 | "
                    "3.666 | 3.638 | 0.900 | 4.566 | 25.1 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| resnet50 | 1.857 (0.000) | — | 3.666 (1.433) | — |"), std::string::npos);
  EXPECT_NE(md.find("| 2 | fold-batchnorm | 0.500 * |"), std::string::npos) << md;
  EXPECT_NE(md.find("| resnet50 | 3.127 | 0.597 | 0.090 | 0.046 | 5.2x | 34.7x |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("4.57 ms (compile 3.67 + plan 0.90) | met |"), std::string::npos) << md;
  EXPECT_NE(md.find("| resnet50 | `common.tri: BasicBlock` | 0.400 | incremental-hit | 8.0x | "
                    "`resnet.tri: ResNet` | 3.500 | miss | 0.9x | 0.320 | incremental-hit | "
                    "10.0x | 3.200 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("a layer it uses (ResNet): 0.9x; a declaration it does not read "
                    "(BasicBlock): 8.0x; a comment in the layer it uses: 10.0x | missed |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- broken: does not compile"), std::string::npos);
  EXPECT_NE(md.find("`triton bench compile --json x.json`"), std::string::npos);
}

// The used-layer edit's breakdown and what the edit target leaves it, from the edit's stage
// fields (absent in older results: no paragraph).
TEST(Pages, TheUsedEditIsSetAgainstTheTargetsBound) {
  json j = CompileJson();
  Result<CompileRun> old = ParseCompile("compile.json", j);
  ASSERT_TRUE(old.ok()) << old.status().message();
  Results r;
  r.compile = old.value();
  EXPECT_EQ(CompilePage(r)[0].contents.find("spends its"), std::string::npos);
  json& used = j["models"][0]["edit"]["used"];
  used["cache_ms"] = 0.5;
  used["front_end_ms"] = 0.25;
  used["elaborate_ms"] = 2.0;
  used["optimize_ms"] = 0.5;
  Result<CompileRun> c = ParseCompile("compile.json", j);
  ASSERT_TRUE(c.ok()) << c.status().message();
  r.compile = c.value();
  const std::string md = CompilePage(r)[0].contents;
  EXPECT_NE(md.find("Where resnet50's used-layer edit (`ResNet`) spends its 3.500 ms: the cache's "
                    "work 0.500 ms"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("the front end 0.250 ms"), std::string::npos);
  EXPECT_NE(md.find("elaboration 2.000 ms"), std::string::npos);
  EXPECT_NE(md.find("the optimized-module memo 0.500 ms"), std::string::npos);
  EXPECT_NE(md.find("and 0.250 ms besides"), std::string::npos);
  EXPECT_NE(md.find("The 5x target bounds the edit at cold / 5 = 0.640 ms; the unused-declaration "
                    "edit, an incremental hit and nothing more, takes 0.400 ms of it, which leaves "
                    "0.240 ms to run the edited layer's code, build the module and hand over its "
                    "store (3.100 ms in this run)."),
            std::string::npos)
      << md;
}

TEST(Pages, AccuracyRunsShowTheGapToTheFp32Baseline) {
  json j = json::parse(R"({
    "schema": "triton-bench-accuracy/1", "command": "triton bench accuracy --runs sweep",
    "machine": {"cpu": "Test CPU", "isa": "avx2", "threads": 2, "date": "2026-01-02T03:04:05Z"},
    "pretrained": [],
    "runs": [
      {"file": "sweep/none/train.json", "model": "mnist_mlp", "dataset": "fashion-mnist",
       "method": "none", "kind": "fp32", "accuracy": 0.8951, "fp32_acc": 0.8951,
       "torch_test_acc": 0.895, "epochs": 10, "planned_epochs": 10, "seconds": 46.5},
      {"file": "sweep/twn/train.json", "model": "mnist_mlp", "dataset": "fashion-mnist",
       "method": "twn", "kind": "ternary", "accuracy": 0.8924, "ternary_acc": 0.8924,
       "torch_test_acc": null, "epochs": 10, "planned_epochs": 10, "seconds": 47.0},
      {"file": "sweep/ttq/train.json", "model": "mnist_mlp", "dataset": "fashion-mnist",
       "method": "learned", "kind": "ternary", "accuracy": null, "epochs": 10,
       "planned_epochs": 10, "seconds": null}],
    "skipped": [{"file": "sweep/bad/train.json", "reason": "empty file"}]})");
  Result<AccuracyRun> a = ParseAccuracy("accuracy.json", j);
  ASSERT_TRUE(a.ok()) << a.status().message();
  Results r;
  r.accuracy = a.value();
  const std::string md = AccuracyPage(r)[0].contents;
  EXPECT_NE(md.find("| mnist_mlp | fashion-mnist | twn | ternary | 89.24 % | — | 89.51 % | 0.27 "
                    "points | 10 | 47.0 s | cpu |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| mnist_mlp | fashion-mnist | learned | ternary | — | — | 89.51 % | — |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("89.24 % vs FP32 89.51 %: 0.27 points"), std::string::npos);
  EXPECT_NE(md.find("| met |"), std::string::npos);
  EXPECT_NE(md.find("resnet20_cifar ≥ 88.0 % ternary"), std::string::npos);
  EXPECT_NE(md.find("`sweep/bad/train.json`: empty file"), std::string::npos);
}

// A temporary results directory.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "report-test-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

TEST(Results, ErrorsNameTheFile) {
  TempDir d;
  Result<Results> empty = LoadResults(d.path.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no results files"), std::string::npos);
  EXPECT_NE(empty.status().message().find(d.path.string()), std::string::npos);

  Result<Results> missing = LoadResults((d.path / "nosuch").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nosuch: not a directory"), std::string::npos);

  d.Write("compile.json", "{\"schema\": ");
  Result<Results> corrupt = LoadResults(d.path.string());
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().message(), (d.path / "compile.json").string() + ": not valid JSON");

  d.Write("compile.json", "");
  Result<Results> blank = LoadResults(d.path.string());
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.status().message(), (d.path / "compile.json").string() + ": empty file");

  json c = CompileJson();
  c["models"][0]["levels"] = "x";
  d.Write("compile.json", c.dump());
  Result<Results> field = LoadResults(d.path.string());
  ASSERT_FALSE(field.ok());
  EXPECT_EQ(field.status().message(),
            (d.path / "compile.json").string() + ": models[0].levels: expected an array");

  fs::remove(d.path / "compile.json");
  json p = PerfJson();
  p["records"][0].erase("median_ms");
  d.Write("perf_resnet18.json", p.dump());
  Result<Results> perf = LoadResults(d.path.string());
  ASSERT_FALSE(perf.ok());
  EXPECT_EQ(perf.status().message(),
            (d.path / "perf_resnet18.json").string() + ": records[0].median_ms: missing");
}

TEST(Report, DeterministicAndComparable) {
  TempDir d;
  d.Write("perf_resnet18.json", PerfJson().dump());
  d.Write("compile.json", CompileJson().dump());
  d.Write("notes.txt", "ignored");
  Result<Results> r = LoadResults(d.path.string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<OutputFile> a = BuildReport(r.value()), b = BuildReport(r.value());
  ASSERT_EQ(a.size(), b.size());
  std::vector<std::string> names;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].contents, b[i].contents) << a[i].name;
    names.push_back(a[i].name);
  }
  EXPECT_EQ(names.front(), "README.md");
  for (const char* page : {"performance.md", "model_zoo.md", "quantization_accuracy.md",
                           "compilation_speed.md", "speedup.svg", "compile_stages.svg"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), page), names.end()) << page;
  }
  // The absent results say which command makes them.
  for (const OutputFile& f : a) {
    if (f.name == "model_zoo.md") {
      EXPECT_NE(f.contents.find("No `zoo.json`"), std::string::npos);
    }
  }
  TempDir out;
  ASSERT_TRUE(WriteReport(a, out.path.string()).ok());
  EXPECT_TRUE(CompareReport(a, out.path.string()).empty());
  out.Write("performance.md", "edited by hand\n");
  out.Write("old_plot.svg", "<svg/>");
  fs::remove(out.path / "README.md");
  ReportDiff diff = CompareReport(a, out.path.string());
  EXPECT_EQ(diff.differ, std::vector<std::string>{"performance.md"});
  EXPECT_EQ(diff.missing, std::vector<std::string>{"README.md"});
  EXPECT_EQ(diff.stale, std::vector<std::string>{"old_plot.svg"});
}

}  // namespace
}  // namespace triton::report
