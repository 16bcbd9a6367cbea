#pragma once
// Statistics of latency samples for `triton bench` (the method of spec/benchmarks.md): mean,
// median, p95, p99, min, max, sample standard deviation and the 95 % confidence interval of the
// mean. Units are the caller's (bench perf uses milliseconds).
#include <cstdint>
#include <vector>

namespace triton::driver {

struct SampleStats {
  int64_t runs = 0;
  double mean = 0, median = 0, p95 = 0, p99 = 0, min = 0, max = 0;
  double stddev = 0;  // sample standard deviation (n - 1); 0 for one sample
  // Half-width of the 95 % confidence interval of the mean: t(0.975, n - 1) * stddev / sqrt(n),
  // Student's t for the sample size (the samples are treated as independent; consecutive runs
  // are not quite, so read it as a lower bound on the uncertainty). 0 for one sample.
  double ci95 = 0;
};

// The q-quantile (q in [0, 1]) of ascending `sorted` samples by linear interpolation between the
// closest ranks, position q * (n - 1) (NumPy's default, R's type 7). 0 for no samples.
double Percentile(const std::vector<double>& sorted, double q);

// The two-sided 95 % quantile of Student's t with `df` >= 1 degrees of freedom: t(0.975, df)
// (exact table to 30, a Cornish-Fisher expansion beyond, within 1e-3).
double StudentT975(int64_t df);

// All of SampleStats for `samples` (any order). Empty input gives all zeros.
SampleStats Summarize(std::vector<double> samples);

}  // namespace triton::driver
