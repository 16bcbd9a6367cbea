// Ternarize / Dequantize / Measure: hand-computed cases for every method, per channel and per
// tensor, reconstruction properties, edge cases and errors. The sparsity search and the
// stochastic method's statistics are in ternary_search_test.cc.
#include "triton/quant/ternary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "triton/quant/random.h"

namespace triton::quant {
namespace {

using Trits = std::vector<int8_t>;
using Floats = std::vector<float>;

TernaryOptions Opts(Method m, bool per_channel, double factor = 0.7) {
  TernaryOptions o;
  o.method = m;
  o.per_channel = per_channel;
  o.threshold_factor = factor;
  return o;
}

TernaryTensor MustTernarize(const Floats& w, const std::vector<int64_t>& shape,
                            const TernaryOptions& o, TernaryReport* report = nullptr) {
  Result<TernaryTensor> r = Ternarize(w, shape, o, report);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return r.ok() ? r.value() : TernaryTensor{};
}

std::string ErrorOf(const Floats& w, const std::vector<int64_t>& shape, const TernaryOptions& o) {
  Result<TernaryTensor> r = Ternarize(w, shape, o);
  return r.ok() ? "<ok>" : r.status().message();
}

Floats Gaussian(size_t n, uint64_t seed) {
  Floats w(n);
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<float>(NormalDraw(seed, i));
  return w;
}

constexpr Method kAllMethods[] = {Method::kTwn, Method::kThreshold, Method::kStochastic,
                                  Method::kLearned, Method::kAbsmean};

TEST(TernaryNames, RoundTripAndErrors) {
  for (Method m : kAllMethods) {
    Result<Method> parsed = ParseMethod(MethodName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value(), m);
  }
  EXPECT_STREQ(MethodName(Method::kLearned), "learned");
  Result<Method> bad = ParseMethod("ttq2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown ternarization method 'ttq2' (valid: twn, threshold, stochastic, learned, "
            "absmean)");
  EXPECT_EQ(DefaultThresholdFactor(Method::kTwn), 0.7);
  EXPECT_EQ(DefaultThresholdFactor(Method::kLearned), 0.05);
  EXPECT_EQ(DefaultThresholdFactor(Method::kThreshold), 0.05);
  EXPECT_EQ(DefaultThresholdFactor(Method::kAbsmean), 0);
}

// mean|W| = 10 / 4 = 2.5, so delta = 0.7 * 2.5 = 1.75 (exact in double); 1.75 itself is not
// above it and becomes 0 (TWN's rule is |w| > delta), the next float up stays nonzero.
TEST(TernaryTwn, ThresholdIsExactlyPointSevenMeanAbs) {
  TernaryReport rep;
  TernaryTensor t =
      MustTernarize({1.75f, -0.25f, 4.0f, -4.0f}, {4}, Opts(Method::kTwn, false), &rep);
  EXPECT_EQ(t.trits, (Trits{0, 0, 1, -1}));
  EXPECT_EQ(t.scale_pos, Floats{4.0f});  // mean |w| over |w| > delta
  EXPECT_EQ(t.scale_neg, Floats{4.0f});
  EXPECT_EQ(Dequantize(t), (Floats{0, 0, 4, -4}));
  EXPECT_DOUBLE_EQ(rep.sparsity, 0.5);
  EXPECT_DOUBLE_EQ(rep.relative_error, std::sqrt(3.125 / 35.125));
  EXPECT_DOUBLE_EQ(rep.mean_scale, 4.0);

  const float above = std::nextafter(1.75f, 2.0f);
  t = MustTernarize({above, -0.25f, 4.0f, -4.0f}, {4}, Opts(Method::kTwn, false));
  EXPECT_EQ(t.trits, (Trits{1, 0, 1, -1}));
  EXPECT_FLOAT_EQ(t.scale_pos[0], static_cast<float>((above + 8.0) / 3.0));
}

TEST(TernaryTwn, PerChannelAndPerTensor) {
  const Floats w = {3, -1, 0.5f, -2, 2, 2};
  // Row 0: mean 1.5, delta 1.05 -> {1, 0, 0}, alpha 3. Row 1: mean 2, delta 1.4 -> all, alpha 2.
  TernaryTensor t = MustTernarize(w, {2, 3}, Opts(Method::kTwn, true));
  EXPECT_EQ(t.trits, (Trits{1, 0, 0, -1, 1, 1}));
  EXPECT_EQ(t.scale_pos, (Floats{3, 2}));
  EXPECT_EQ(t.scale_neg, (Floats{3, 2}));
  EXPECT_TRUE(t.per_channel());
  EXPECT_EQ(Dequantize(t), (Floats{3, 0, 0, -2, 2, 2}));
  // Whole tensor: mean 10.5 / 6 = 1.75, delta 1.225 -> alpha (3 + 2 + 2 + 2) / 4 = 2.25.
  t = MustTernarize(w, {2, 3}, Opts(Method::kTwn, false));
  EXPECT_EQ(t.trits, (Trits{1, 0, 0, -1, 1, 1}));
  EXPECT_EQ(t.scale_pos, Floats{2.25f});
  EXPECT_FALSE(t.per_channel());
  EXPECT_EQ(Dequantize(t), (Floats{2.25f, 0, 0, -2.25f, 2.25f, 2.25f}));
}

TEST(TernaryThreshold, FactorTimesMaxAbs) {
  const Floats w = {3, -1, 0.5f, -2, 2, 2};
  // factor 0.3: row 0 delta 0.9 -> {1, -1, 0}, alpha 2; row 1 delta 0.6 -> all, alpha 2.
  TernaryTensor t = MustTernarize(w, {2, 3}, Opts(Method::kThreshold, true, 0.3));
  EXPECT_EQ(t.trits, (Trits{1, -1, 0, -1, 1, 1}));
  EXPECT_EQ(t.scale_pos, (Floats{2, 2}));
  // factor 0.5 per tensor: delta 1.5 -> {1, 0, 0, -1, 1, 1}, alpha 2.25.
  t = MustTernarize(w, {2, 3}, Opts(Method::kThreshold, false, 0.5));
  EXPECT_EQ(t.trits, (Trits{1, 0, 0, -1, 1, 1}));
  EXPECT_EQ(t.scale_pos, Floats{2.25f});
  // factor >= 1: nothing is above max|W|, everything is 0 and the scale is 0.
  TernaryReport rep;
  t = MustTernarize(w, {2, 3}, Opts(Method::kThreshold, false, 1.0), &rep);
  EXPECT_EQ(t.trits, Trits(6, 0));
  EXPECT_EQ(t.scale_pos, Floats{0});
  EXPECT_DOUBLE_EQ(rep.relative_error, 1.0);
  EXPECT_DOUBLE_EQ(rep.sparsity, 1.0);
}

TEST(TernaryLearned, SeparatePositiveAndNegativeScales) {
  const Floats w = {3, -1, 0.5f, -0.2f, -2, -4, 1, 0.1f};
  // factor 0.1. Row 0: delta 0.3 -> {1, -1, 1, 0}, Wp = 1.75, Wn = 1.
  // Row 1: delta 0.4 -> {-1, -1, 1, 0}, Wp = 1, Wn = 3.
  TernaryReport rep;
  TernaryTensor t = MustTernarize(w, {2, 4}, Opts(Method::kLearned, true, 0.1), &rep);
  EXPECT_EQ(t.trits, (Trits{1, -1, 1, 0, -1, -1, 1, 0}));
  EXPECT_EQ(t.scale_pos, (Floats{1.75f, 1}));
  EXPECT_EQ(t.scale_neg, (Floats{1, 3}));
  EXPECT_EQ(Dequantize(t), (Floats{1.75f, -1, 1.75f, 0, -3, -3, 1, 0}));
  EXPECT_DOUBLE_EQ(rep.mean_scale, (1.75 + 1 + 1 + 3) / 4);
  EXPECT_DOUBLE_EQ(rep.sparsity, 0.25);
  // Per tensor: delta 0.4 -> same trits; Wp = (3 + 0.5 + 1) / 3, Wn = (1 + 2 + 4) / 3.
  t = MustTernarize(w, {2, 4}, Opts(Method::kLearned, false, 0.1));
  EXPECT_EQ(t.trits, (Trits{1, -1, 1, 0, -1, -1, 1, 0}));
  EXPECT_FLOAT_EQ(t.scale_pos[0], 1.5f);
  EXPECT_FLOAT_EQ(t.scale_neg[0], 7.0f / 3.0f);
}

TEST(TernaryLearned, OneSidedGroupHasZeroScaleOnTheEmptySide) {
  TernaryTensor t = MustTernarize({1, 2, 3, 0}, {1, 4}, Opts(Method::kLearned, true, 0.05));
  EXPECT_EQ(t.trits, (Trits{1, 1, 1, 0}));
  EXPECT_EQ(t.scale_pos, Floats{2});
  EXPECT_EQ(t.scale_neg, Floats{0});
}

TEST(TernaryAbsmean, KnownValuesAndTieToEven) {
  // Row 0: gamma 1, w / gamma = {1, -2, 0.5, 0.5}: 0.5 rounds to even (0).
  // Row 1: gamma 8 / 4 = 2, w / gamma = {0.25, -0.75, 0.125, 2.875}.
  const Floats w = {1, -2, 0.5f, 0.5f, 0.5f, -1.5f, 0.25f, 5.75f};
  TernaryReport rep;
  TernaryTensor t = MustTernarize(w, {2, 4}, Opts(Method::kAbsmean, true), &rep);
  EXPECT_EQ(t.trits, (Trits{1, -1, 0, 0, 0, -1, 0, 1}));
  EXPECT_EQ(t.scale_pos, (Floats{1, 2}));
  EXPECT_EQ(t.scale_neg, (Floats{1, 2}));
  EXPECT_DOUBLE_EQ(rep.mean_scale, 1.5);
  // Per tensor: gamma 12 / 8 = 1.5.
  t = MustTernarize(w, {2, 4}, Opts(Method::kAbsmean, false));
  EXPECT_EQ(t.trits, (Trits{1, -1, 0, 0, 0, -1, 0, 1}));
  EXPECT_EQ(t.scale_pos, Floats{1.5f});
  // A group with mean|W| below epsilon divides by epsilon instead (BitNet's code).
  t = MustTernarize({4e-6f, -2e-6f, 0, 0}, {4}, Opts(Method::kAbsmean, false));
  EXPECT_EQ(t.trits, (Trits{0, 0, 0, 0}));  // 4e-6 / 1e-5 = 0.4 rounds to 0
  EXPECT_EQ(t.scale_pos, Floats{0});        // no nonzero trit: scale 0
}

TEST(TernaryStochastic, HandCaseDependsOnlyOnSeedAndIndex) {
  // Row 0: s = 2, p = {1, 0.5}; row 1: s = 0.5, p = {1, 0.5}. The scale is s.
  const Floats w = {2, 1, -0.5f, 0.25f};
  for (uint64_t seed : {0ull, 1ull, 12345ull}) {
    TernaryOptions o = Opts(Method::kStochastic, true);
    o.seed = seed;
    TernaryTensor t = MustTernarize(w, {2, 2}, o);
    EXPECT_EQ(t.trits[0], 1);
    EXPECT_EQ(t.trits[1], UniformDraw(seed, 1) < 0.5 ? 1 : 0);
    EXPECT_EQ(t.trits[2], -1);
    EXPECT_EQ(t.trits[3], UniformDraw(seed, 3) < 0.5 ? 1 : 0);
    EXPECT_EQ(t.scale_pos, (Floats{2, 0.5f}));
    // Per tensor: s = 2, p(w[3]) = 0.125, p(w[2]) = 0.25.
    o.per_channel = false;
    t = MustTernarize(w, {2, 2}, o);
    EXPECT_EQ(t.trits[2], UniformDraw(seed, 2) < 0.25 ? -1 : 0);
    EXPECT_EQ(t.trits[3], UniformDraw(seed, 3) < 0.125 ? 1 : 0);
    EXPECT_EQ(t.scale_pos, Floats{2});
  }
}

// W = alpha * T with T ternary: threshold methods give back W exactly.
TEST(TernaryReconstruction, AlreadyTernaryTimesScaleIsExact) {
  const Trits pattern = {1, 0, -1, -1, 0, 1, 1, 0, 0, -1, 1, 1};
  Floats w(pattern.size());
  const float alpha[3] = {0.0375f, 1.5f, 123.25f};  // one scale per row of 4
  for (size_t i = 0; i < w.size(); ++i) w[i] = alpha[i / 4] * pattern[i];
  for (Method m : {Method::kTwn, Method::kThreshold, Method::kLearned}) {
    TernaryReport rep;
    const double factor = m == Method::kTwn ? 0.7 : 0.5;
    TernaryTensor t = MustTernarize(w, {3, 4}, Opts(m, true, factor), &rep);
    EXPECT_EQ(t.trits, pattern) << MethodName(m);
    EXPECT_EQ(Dequantize(t), w) << MethodName(m);
    EXPECT_EQ(rep.relative_error, 0.0) << MethodName(m);
  }
  // Different positive and negative magnitudes: only the learned method is exact.
  for (size_t i = 0; i < w.size(); ++i) w[i] = pattern[i] > 0 ? 2.5f : -0.75f * (pattern[i] < 0);
  TernaryTensor t = MustTernarize(w, {3, 4}, Opts(Method::kLearned, true, 0.05));
  EXPECT_EQ(Dequantize(t), w);
  // Absmean reproduces the trits; its scale is mean|W|, not alpha, unless nothing is zero.
  TernaryTensor a = MustTernarize({-3, 3, 3, -3}, {4}, Opts(Method::kAbsmean, false));
  EXPECT_EQ(Dequantize(a), (Floats{-3, 3, 3, -3}));
}

TEST(TernaryError, PerChannelBeatsPerTensorWhenChannelsDifferInScale) {
  Floats w = Gaussian(4 * 256, 7);
  for (size_t i = 0; i < w.size(); ++i) w[i] *= std::pow(10.0f, static_cast<float>(i / 256) - 2);
  for (Method m : kAllMethods) {
    TernaryOptions o = Opts(m, true, DefaultThresholdFactor(m));
    TernaryReport per_channel, per_tensor;
    MustTernarize(w, {4, 256}, o, &per_channel);
    o.per_channel = false;
    MustTernarize(w, {4, 256}, o, &per_tensor);
    EXPECT_LT(per_channel.relative_error, per_tensor.relative_error) << MethodName(m);
  }
}

TEST(TernaryError, GaussianErrorsAreInTheExpectedRange) {
  // For N(0, 1) the best ternary quantizer has relative error sqrt(0.1902) = 0.436; TWN's
  // 0.7 * mean|W| = 0.56 sigma is close to the optimal threshold 0.61 sigma.
  const Floats w = Gaussian(64 * 1152, 3);
  auto error = [&](Method m, double factor) {
    TernaryReport r;
    MustTernarize(w, {64, 1152}, Opts(m, true, factor), &r);
    return r.relative_error;
  };
  const double twn = error(Method::kTwn, 0.7);
  EXPECT_GT(twn, 0.43);
  EXPECT_LT(twn, 0.45);
  EXPECT_LT(twn, error(Method::kTwn, 0.3));
  EXPECT_LT(twn, error(Method::kTwn, 1.2));
  EXPECT_LT(twn, error(Method::kAbsmean, 0));
  EXPECT_LT(error(Method::kAbsmean, 0), error(Method::kStochastic, 0));
  // Stochastic: E||W - deq||^2 = sum(s|w| - w^2) per channel (s = max|W|), so its error is
  // above 1 for a Gaussian (s ~ 3.4 sigma): the price of being unbiased.
  double expected = 0, norm = 0;
  for (size_t r = 0; r < 64; ++r) {
    double s = 0;
    for (size_t i = r * 1152; i < (r + 1) * 1152; ++i) s = std::max(s, std::fabs(double{w[i]}));
    for (size_t i = r * 1152; i < (r + 1) * 1152; ++i) {
      expected += s * std::fabs(double{w[i]}) - double{w[i]} * w[i];
      norm += double{w[i]} * w[i];
    }
  }
  EXPECT_NEAR(error(Method::kStochastic, 0), std::sqrt(expected / norm), 0.01);
  // Raising the max-relative threshold past the optimum only adds error.
  EXPECT_LT(error(Method::kThreshold, 0.3), error(Method::kThreshold, 0.5));
  EXPECT_LT(error(Method::kThreshold, 0.5), error(Method::kThreshold, 0.8));
}

TEST(TernaryEdge, EmptyTensors) {
  TernaryReport rep;
  rep.sparsity = rep.relative_error = rep.mean_scale = -1;
  TernaryTensor t = MustTernarize({}, {0, 3}, Opts(Method::kTwn, true), &rep);
  EXPECT_TRUE(t.trits.empty());
  EXPECT_TRUE(t.scale_pos.empty());
  EXPECT_TRUE(Dequantize(t).empty());
  EXPECT_EQ(rep.sparsity, 0);
  EXPECT_EQ(rep.relative_error, 0);
  EXPECT_EQ(rep.mean_scale, 0);
  t = MustTernarize({}, {0}, Opts(Method::kAbsmean, false));
  EXPECT_EQ(t.scale_pos, Floats{0});
  t = MustTernarize({}, {3, 0}, Opts(Method::kStochastic, true));
  EXPECT_EQ(t.scale_pos, Floats(3, 0));
  EXPECT_TRUE(Dequantize(t).empty());
}

TEST(TernaryEdge, AllZeroGroupsReadBackAsExactZeros) {
  const Floats w = {0, 0, 0, 1.5f, -0.5f, 2};  // row 0 all zero
  for (Method m : kAllMethods) {
    for (bool per_channel : {true, false}) {
      TernaryOptions o = Opts(m, per_channel, DefaultThresholdFactor(m));
      TernaryReport rep;
      TernaryTensor t = MustTernarize(Floats(6, 0.0f), {2, 3}, o, &rep);
      EXPECT_EQ(t.trits, Trits(6, 0)) << MethodName(m);
      EXPECT_EQ(t.scale_pos, Floats(per_channel ? 2 : 1, 0.0f)) << MethodName(m);
      EXPECT_EQ(t.scale_neg, t.scale_pos) << MethodName(m);
      EXPECT_EQ(Dequantize(t), Floats(6, 0.0f)) << MethodName(m);
      EXPECT_EQ(rep.relative_error, 0) << MethodName(m);
      EXPECT_EQ(rep.sparsity, 1) << MethodName(m);
      if (!per_channel) continue;
      t = MustTernarize(w, {2, 3}, o);
      EXPECT_EQ(t.scale_pos[0], 0.0f) << MethodName(m);
      EXPECT_EQ(t.scale_neg[0], 0.0f) << MethodName(m);
      EXPECT_GT(t.scale_pos[1], 0.0f) << MethodName(m);
      const Floats deq = Dequantize(t);
      EXPECT_EQ(Floats(deq.begin(), deq.begin() + 3), Floats(3, 0.0f)) << MethodName(m);
    }
  }
}

TEST(TernaryEdge, SingleElementGroupsAreExact) {
  const Floats w = {-2.5f, 0.125f, 7, 0};
  for (Method m : kAllMethods) {
    TernaryTensor t = MustTernarize(w, {4, 1}, Opts(m, true, m == Method::kTwn ? 0.7 : 0.5));
    EXPECT_EQ(t.trits, (Trits{-1, 1, 1, 0})) << MethodName(m);
    EXPECT_EQ(Dequantize(t), w) << MethodName(m);
  }
}

TEST(TernaryEdge, HigherRankGroupsByDimZero) {
  Floats w(2 * 3 * 2, 1.0f);
  for (size_t i = 6; i < 12; ++i) w[i] = -4.0f;
  TernaryTensor t = MustTernarize(w, {2, 3, 2}, Opts(Method::kTwn, true));
  EXPECT_EQ(t.scale_pos, (Floats{1, 4}));
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3, 2}));
  EXPECT_EQ(Dequantize(t), w);
}

TEST(TernaryErrors, NonFiniteWeightsAreRejectedWithTheirIndex) {
  Floats w = {1, 2, 3, 4, 5, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_EQ(ErrorOf(w, {2, 3}, Opts(Method::kTwn, true)),
            "ternarize: weight 5 (channel 1, element 2) is NaN; weights must be finite");
  EXPECT_EQ(ErrorOf(w, {2, 3}, Opts(Method::kAbsmean, false)),
            "ternarize: weight 5 is NaN; weights must be finite");
  w[5] = 1;
  w[1] = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(ErrorOf(w, {2, 3}, Opts(Method::kStochastic, true)),
            "ternarize: weight 1 (channel 0, element 1) is -Inf; weights must be finite");
}

TEST(TernaryErrors, BadShapesAndOptions) {
  const Floats w = {1, 2, 3, 4};
  EXPECT_EQ(ErrorOf(w, {}, Opts(Method::kTwn, true)),
            "ternarize: a weight needs rank >= 1 (dim 0 is the output channel)");
  EXPECT_EQ(ErrorOf(w, {2, 3}, Opts(Method::kTwn, true)),
            "ternarize: the shape holds 6 elements but 4 weights were given");
  EXPECT_EQ(ErrorOf(w, {2, -2}, Opts(Method::kTwn, true)),
            "ternarize: dimension 1 is negative (-2)");
  EXPECT_EQ(ErrorOf(w, {1 << 30, 1 << 30, 1 << 30}, Opts(Method::kTwn, true)),
            "ternarize: the element count of the shape overflows int64");
  EXPECT_EQ(ErrorOf(w, {4}, Opts(Method::kTwn, true, -0.1)),
            "ternarize: threshold factor -0.100000 for method 'twn' must be finite and >= 0");
  EXPECT_NE(ErrorOf(w, {4}, Opts(Method::kLearned, true, NAN)), "<ok>");
  TernaryOptions o = Opts(Method::kAbsmean, true);
  o.target_sparsity = 0.5;
  EXPECT_EQ(ErrorOf(w, {4}, o),
            "ternarize: method 'absmean' has no threshold, so it cannot search a target sparsity");
  o.method = Method::kTwn;
  o.target_sparsity = 1.5;
  EXPECT_EQ(ErrorOf(w, {4}, o), "ternarize: target sparsity 1.500000 is not in [0, 1]");
  o.target_sparsity = NAN;
  EXPECT_NE(ErrorOf(w, {4}, o), "<ok>");
  // Factors are ignored (not validated) by methods without a threshold.
  EXPECT_EQ(ErrorOf(w, {4}, Opts(Method::kAbsmean, true, -5)), "<ok>");
}

TEST(TernaryMeasure, ReflectsChangedScales) {
  const Floats w = {2, -2, 1, 0};
  TernaryReport rep;
  TernaryTensor t = MustTernarize(w, {4}, Opts(Method::kLearned, false, 0.05), &rep);
  EXPECT_EQ(t.scale_pos, Floats{1.5f});
  t.scale_pos[0] = 2;  // as if training had moved Wp
  const TernaryReport after = Measure(w, t);
  EXPECT_DOUBLE_EQ(after.relative_error, 1.0 / 3.0);  // ||(0, 0, -1, 0)|| / ||w|| = 1 / 3
  EXPECT_DOUBLE_EQ(after.mean_scale, 2.0);
  EXPECT_DOUBLE_EQ(after.sparsity, 0.25);
}

}  // namespace
}  // namespace triton::quant
