// `triton bench perf` through the binary: a short run on mnist_mlp at two batch sizes writes one
// JSON record per (batch, engine) with positive times, and bad arguments exit 1 or 2 with a clear
// message. Timing numbers themselves are not checked (benchmarks are not timed tests).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli_util.h"

#ifndef TRITON_BINARY
#define TRITON_BINARY "triton"
#endif

namespace triton {
namespace {

using Output = triton::testing::CliOutput;

std::string TempDir() {
  const std::filesystem::path d =
      std::filesystem::temp_directory_path() / ("triton_bench_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}

Output Triton(const std::string& args) {
  return triton::testing::RunCli(TRITON_BINARY, args, TempDir() + "/stderr.txt");
}

TEST(BenchPerfCli, MnistMlpJsonRecords) {
  const std::string json = TempDir() + "/perf.json";
  Output r = Triton(
      "bench perf --model mnist_mlp --batch 1,2 --iters 20 --min-time 0 --warmup 2 "
      "--threads 2 --json " +
      json);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("triton-ternary"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("speed-up"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warm-up"), std::string::npos) << r.err;  // progress without --quiet

  std::ifstream f(json);
  ASSERT_TRUE(f) << json;
  const nlohmann::json j = nlohmann::json::parse(f);
  ASSERT_TRUE(j.contains("machine"));
  for (const char* k : {"cpu", "isa", "threads", "date"})
    EXPECT_TRUE(j["machine"].contains(k)) << k;
  EXPECT_EQ(j["machine"]["threads"], 2);
  // mnist_mlp keeps fc1 (784 x 256) and fc3 in FP32: only fc2 shrinks.
  EXPECT_LT(j["model"]["ternary_2bit_package_bytes"].get<int64_t>(),
            j["model"]["fp32_package_bytes"].get<int64_t>());
  ASSERT_EQ(j["records"].size(), 6u);
  std::set<std::pair<int64_t, std::string>> seen;
  for (const nlohmann::json& rec : j["records"]) {
    const std::string engine = rec["engine"];
    seen.insert({rec["batch"].get<int64_t>(), engine});
    EXPECT_EQ(rec["model"], "mnist_mlp");
    if (engine == "libtorch-fp32" && !rec["available"].get<bool>()) {
      // A build without libtorch reports the engine as unavailable.
      EXPECT_NE(rec["error"].get<std::string>().find("libtorch"), std::string::npos);
      continue;
    }
    ASSERT_TRUE(rec["available"].get<bool>()) << rec.dump();
    for (const char* k : {"median_ms", "mean_ms", "p95_ms", "p99_ms", "min_ms", "throughput"}) {
      ASSERT_TRUE(rec.contains(k)) << k;
      EXPECT_GT(rec[k].get<double>(), 0) << k << " of " << engine;
    }
    EXPECT_GE(rec["ci95_ms"].get<double>(), 0);
    EXPECT_LE(rec["min_ms"].get<double>(), rec["median_ms"].get<double>());
    EXPECT_LE(rec["median_ms"].get<double>(), rec["p95_ms"].get<double>());
    EXPECT_LE(rec["p95_ms"].get<double>(), rec["p99_ms"].get<double>());
    EXPECT_EQ(rec["runs"], 20);  // --min-time 0: no time limit, exactly --iters
    EXPECT_EQ(rec["warmup_runs"], 2);
    EXPECT_GT(rec["peak_bytes"].get<int64_t>(), 0) << engine;
    EXPECT_FALSE(rec["peak_method"].get<std::string>().empty());
    EXPECT_GT(rec["model_bytes"].get<int64_t>(), 0);
    EXPECT_EQ(rec["threads"], 2);
    EXPECT_FALSE(rec["isa"].get<std::string>().empty());
    if (engine == "triton-fp32" && rec.contains("max_rel_diff_vs_libtorch")) {
      EXPECT_LT(rec["max_rel_diff_vs_libtorch"].get<double>(), 1e-3);
    }
    if (engine == "triton-ternary" && rec.contains("max_rel_diff_vs_libtorch")) {
      EXPECT_LT(rec["max_rel_diff_vs_libtorch"].get<double>(), 0.1);  // int8 activations
    }
  }
  for (int64_t b : {1, 2}) {
    for (const char* e : {"libtorch-fp32", "triton-fp32", "triton-ternary"}) {
      EXPECT_TRUE(seen.count({b, e})) << "batch " << b << " " << e;
    }
  }
}

TEST(BenchPerfCli, QuietPrintsNoProgress) {
  Output r = Triton(
      "bench perf --model mnist_mlp --iters 3 --min-time 0 --warmup 1 --quiet "
      "--engines triton-ternary --no-memory");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find("libtorch-fp32  "), std::string::npos) << r.out;
}

TEST(BenchPerfCli, UnknownModel) {
  Output r = Triton("bench perf --model resnet19 --iters 1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown model 'resnet19'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("resnet18_cifar"), std::string::npos) << r.err;  // lists the zoo
}

TEST(BenchPerfCli, BadBatchAndEngine) {
  Output zero = Triton("bench perf --model mnist_mlp --batch 0");
  EXPECT_EQ(zero.code, 2);
  EXPECT_NE(zero.err.find("--batch: bad batch size '0'"), std::string::npos) << zero.err;
  Output list = Triton("bench perf --model mnist_mlp --batch 1,x");
  EXPECT_EQ(list.code, 2);
  EXPECT_NE(list.err.find("'x'"), std::string::npos) << list.err;
  Output engine = Triton("bench perf --model mnist_mlp --engines onnx");
  EXPECT_EQ(engine.code, 2);
  EXPECT_NE(engine.err.find("unknown engine 'onnx'"), std::string::npos) << engine.err;
  Output missing = Triton("bench perf");
  EXPECT_EQ(missing.code, 2);
}

}  // namespace
}  // namespace triton
