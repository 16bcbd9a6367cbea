// The statistics of `triton bench` on samples with known answers, and the list parsers of
// `triton bench perf`.
#include "triton/driver/bench_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "triton/driver/bench_perf.h"

namespace triton::driver {
namespace {

TEST(BenchStats, PercentileInterpolatesBetweenRanks) {
  const std::vector<double> s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(Percentile(s, 0.0), 1);
  EXPECT_DOUBLE_EQ(Percentile(s, 1.0), 10);
  EXPECT_DOUBLE_EQ(Percentile(s, 0.5), 5.5);    // position 4.5
  EXPECT_DOUBLE_EQ(Percentile(s, 0.95), 9.55);  // position 8.55 (numpy.percentile: 9.55)
  EXPECT_DOUBLE_EQ(Percentile(s, 0.99), 9.91);
  EXPECT_DOUBLE_EQ(Percentile({}, 0.5), 0);
  EXPECT_DOUBLE_EQ(Percentile({3}, 0.99), 3);
}

TEST(BenchStats, SummarizeKnownSamples) {
  // Unsorted on purpose; mean 5.5, sample variance 55/6.
  SampleStats s = Summarize({10, 3, 1, 7, 5, 2, 9, 4, 8, 6});
  EXPECT_EQ(s.runs, 10);
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
  EXPECT_DOUBLE_EQ(s.median, 5.5);
  EXPECT_DOUBLE_EQ(s.p95, 9.55);
  EXPECT_DOUBLE_EQ(s.p99, 9.91);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_NEAR(s.stddev, 3.0276503540974917, 1e-12);
  // t(0.975, 9) = 2.2622: 2.2622 * 3.02765 / sqrt(10) = 2.16585 (scipy: 2.1658506...).
  EXPECT_NEAR(s.ci95, 2.16585, 1e-4);
}

TEST(BenchStats, OddCountAndSingleSample) {
  SampleStats s = Summarize({3, 1, 2});
  EXPECT_DOUBLE_EQ(s.median, 2);
  SampleStats one = Summarize({4.5});
  EXPECT_EQ(one.runs, 1);
  EXPECT_DOUBLE_EQ(one.median, 4.5);
  EXPECT_DOUBLE_EQ(one.p99, 4.5);
  EXPECT_DOUBLE_EQ(one.stddev, 0);
  EXPECT_DOUBLE_EQ(one.ci95, 0);
  EXPECT_EQ(Summarize({}).runs, 0);
}

TEST(BenchStats, StudentT) {
  EXPECT_NEAR(StudentT975(1), 12.706, 1e-3);
  EXPECT_NEAR(StudentT975(30), 2.042, 1e-3);
  EXPECT_NEAR(StudentT975(60), 2.0003, 1e-3);
  EXPECT_NEAR(StudentT975(120), 1.9799, 1e-3);
  EXPECT_NEAR(StudentT975(1000000), 1.95997, 1e-4);
  for (int64_t df = 1; df < 200; ++df) EXPECT_GT(StudentT975(df), StudentT975(df + 1));
}

TEST(BenchStats, CiCoversTheMeanOfNormalSamples) {
  // 95 % intervals from 400 samples of N(10, 2): about 95 % of 200 trials cover 10.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> d(10, 2);
  int covered = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> x(400);
    for (double& v : x) v = d(rng);
    SampleStats s = Summarize(x);
    covered += std::abs(s.mean - 10) <= s.ci95;
  }
  EXPECT_GE(covered, 180);
  EXPECT_LE(covered, 200);
}

TEST(BenchPerfArgs, BatchList) {
  Result<std::vector<int64_t>> b = ParseBatchList("1,8, 32");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b.value(), (std::vector<int64_t>{1, 8, 32}));
  for (const char* bad : {"0", "", "1,,2", "-1", "x", "1,1", "1.5", "8,"}) {
    EXPECT_FALSE(ParseBatchList(bad).ok()) << bad;
  }
  EXPECT_NE(ParseBatchList("1,0").status().message().find("'0'"), std::string::npos);
}

TEST(BenchPerfArgs, EngineList) {
  Result<std::vector<std::string>> e = ParseEngineList("triton-ternary,libtorch-fp32");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value(), (std::vector<std::string>{"libtorch-fp32", "triton-ternary"}));
  EXPECT_EQ(ParseEngineList("all").value(), PerfEngineNames());
  Result<std::vector<std::string>> bad = ParseEngineList("onnx");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown engine 'onnx'"), std::string::npos);
  EXPECT_FALSE(ParseEngineList("triton-fp32,triton-fp32").ok());
}

}  // namespace
}  // namespace triton::driver
