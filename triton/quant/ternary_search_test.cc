// The target-sparsity search and the stochastic method's determinism and unbiasedness.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "triton/quant/random.h"
#include "triton/quant/ternary.h"

namespace triton::quant {
namespace {

using Floats = std::vector<float>;
using Trits = std::vector<int8_t>;

Floats Gaussian(size_t n, uint64_t seed) {
  Floats w(n);
  for (size_t i = 0; i < n; ++i) w[i] = static_cast<float>(NormalDraw(seed, i));
  return w;
}

TernaryTensor MustTernarize(const Floats& w, const std::vector<int64_t>& shape,
                            const TernaryOptions& o, TernaryReport* report = nullptr) {
  Result<TernaryTensor> r = Ternarize(w, shape, o, report);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return r.ok() ? r.value() : TernaryTensor{};
}

TernaryOptions Search(Method m, bool per_channel, double target) {
  TernaryOptions o;
  o.method = m;
  o.per_channel = per_channel;
  o.target_sparsity = target;
  o.threshold_factor = -1;  // ignored (and not validated) when searching
  return o;
}

double Sparsity(const Trits& t, size_t begin, size_t end) {
  return static_cast<double>(std::count(t.begin() + begin, t.begin() + end, 0)) /
         static_cast<double>(end - begin);
}

TEST(TernarySearch, HitsTheTargetPerChannelAndPerTensor) {
  constexpr size_t kRows = 16, kCols = 300;
  const Floats w = Gaussian(kRows * kCols, 11);
  for (Method m : {Method::kTwn, Method::kThreshold, Method::kLearned}) {
    for (double target : {0.3, 0.5, 0.9, 0.0, 1.0}) {
      TernaryReport rep;
      TernaryTensor t = MustTernarize(w, {kRows, kCols}, Search(m, true, target), &rep);
      for (size_t r = 0; r < kRows; ++r) {
        EXPECT_NEAR(Sparsity(t.trits, r * kCols, (r + 1) * kCols), target, 1.0 / kCols)
            << MethodName(m) << " row " << r << " target " << target;
      }
      EXPECT_NEAR(rep.sparsity, target, 1.0 / kCols);
      t = MustTernarize(w, {kRows, kCols}, Search(m, false, target), &rep);
      EXPECT_NEAR(rep.sparsity, target, 1.0 / (kRows * kCols)) << MethodName(m);
      EXPECT_EQ(Sparsity(t.trits, 0, t.trits.size()), rep.sparsity);
    }
  }
}

TEST(TernarySearch, ZerosAreTheSmallestMagnitudesAndScalesFollowTheMethod) {
  // |w| = 1..8 with mixed signs; 50% zeros: delta = 4, kept {5, -6, 7, -8}.
  const Floats w = {-1, 2, -3, 4, 5, -6, 7, -8};
  TernaryTensor t = MustTernarize(w, {8}, Search(Method::kTwn, false, 0.5));
  EXPECT_EQ(t.trits, (Trits{0, 0, 0, 0, 1, -1, 1, -1}));
  EXPECT_EQ(t.scale_pos, Floats{6.5f});  // TWN: mean |w| over the kept ones
  t = MustTernarize(w, {8}, Search(Method::kLearned, false, 0.5));
  EXPECT_EQ(t.scale_pos, Floats{6});  // (5 + 7) / 2
  EXPECT_EQ(t.scale_neg, Floats{7});  // (6 + 8) / 2
  // 0.3 * 8 = 2.4 rounds to 2 zeros.
  t = MustTernarize(w, {8}, Search(Method::kThreshold, false, 0.3));
  EXPECT_EQ(t.trits, (Trits{0, 0, -1, 1, 1, -1, 1, -1}));
}

TEST(TernarySearch, TiesFallOnTheCloserSideAndEqualDistanceMeansMoreZeros) {
  const Floats w = {1, -1, 1, -1, 2, 2, -2, 2};
  // Target 2 zeros: all four 1s or none are zero; both are 2 away, so the four become zero.
  TernaryTensor t = MustTernarize(w, {8}, Search(Method::kTwn, false, 0.25));
  EXPECT_EQ(t.trits, (Trits{0, 0, 0, 0, 1, 1, -1, 1}));
  // Target 1 zero: none (1 away) beats four (3 away).
  t = MustTernarize(w, {8}, Search(Method::kTwn, false, 0.125));
  EXPECT_EQ(t.trits, (Trits{1, -1, 1, -1, 1, 1, -1, 1}));
  EXPECT_EQ(t.scale_pos, Floats{1.5f});
  // Target 7 zeros: all eight (1 away) beats four (3 away); the scale of an all-zero group is 0.
  t = MustTernarize(w, {8}, Search(Method::kTwn, false, 0.875));
  EXPECT_EQ(t.trits, Trits(8, 0));
  EXPECT_EQ(t.scale_pos, Floats{0});
}

TEST(TernarySearch, ExactZerosStayZeroEvenAtTargetZero) {
  const Floats w = {0, 0, 3, -1};
  TernaryReport rep;
  TernaryTensor t = MustTernarize(w, {4}, Search(Method::kTwn, false, 0.0), &rep);
  EXPECT_EQ(t.trits, (Trits{0, 0, 1, -1}));
  EXPECT_EQ(rep.sparsity, 0.5);
  // Target 0.25 asks for one zero: the two exact zeros are the closest the rule can get.
  t = MustTernarize(w, {4}, Search(Method::kTwn, false, 0.25));
  EXPECT_EQ(t.trits, (Trits{0, 0, 1, -1}));
}

TEST(TernarySearch, TwnSearchAtTwnsOwnSparsityReproducesTwn) {
  const Floats w = Gaussian(8 * 512, 5);
  TernaryOptions twn;
  TernaryReport plain;
  TernaryTensor a = MustTernarize(w, {8, 512}, twn, &plain);
  // Ask for the sparsity TWN produced per channel: the same trits and scales come back.
  for (int r = 0; r < 8; ++r) {
    const size_t begin = static_cast<size_t>(r) * 512;
    const double s = Sparsity(a.trits, begin, begin + 512);
    TernaryTensor b = MustTernarize(Floats(w.begin() + begin, w.begin() + begin + 512), {1, 512},
                                    Search(Method::kTwn, true, s));
    EXPECT_EQ(b.trits, Trits(a.trits.begin() + begin, a.trits.begin() + begin + 512));
    EXPECT_EQ(b.scale_pos[0], a.scale_pos[r]);
  }
}

TEST(TernaryStochastic, SameSeedSameResultDifferentSeedDifferent) {
  const Floats w = Gaussian(64 * 64, 1);
  TernaryOptions o;
  o.method = Method::kStochastic;
  o.seed = 42;
  TernaryTensor a = MustTernarize(w, {64, 64}, o);
  TernaryTensor b = MustTernarize(w, {64, 64}, o);
  EXPECT_EQ(a.trits, b.trits);
  EXPECT_EQ(a.scale_pos, b.scale_pos);
  o.seed = 43;
  TernaryTensor c = MustTernarize(w, {64, 64}, o);
  EXPECT_NE(a.trits, c.trits);
  EXPECT_EQ(a.scale_pos, c.scale_pos);  // the scale (max|W|) does not depend on the seed
  // The draw of element i does not depend on the grouping: with one channel the per-channel
  // and per-tensor results coincide.
  o.per_channel = false;
  TernaryTensor d = MustTernarize(w, {1, 64 * 64}, o);
  o.per_channel = true;
  TernaryTensor e = MustTernarize(w, {1, 64 * 64}, o);
  EXPECT_EQ(d.trits, e.trits);
}

TEST(TernaryStochastic, UnbiasedInExpectationOverSeeds) {
  const Floats w = {0.9f, -0.1f, 0.5f, -0.75f, 0.0f, 1.0f, -0.3f, 0.05f};
  constexpr int kSeeds = 4000;
  std::vector<double> sum(w.size(), 0.0);
  for (int s = 0; s < kSeeds; ++s) {
    TernaryOptions o;
    o.method = Method::kStochastic;
    o.per_channel = false;
    o.seed = static_cast<uint64_t>(s) * 7919 + 3;
    const Floats deq = Dequantize(MustTernarize(w, {8}, o));
    for (size_t i = 0; i < w.size(); ++i) sum[i] += deq[i];
  }
  for (size_t i = 0; i < w.size(); ++i) {
    // Var(deq_i) = s|w_i| - w_i^2 with s = max|W| = 1; allow 5 standard errors.
    const double var = std::fabs(w[i]) - static_cast<double>(w[i]) * w[i];
    const double tolerance = 5 * std::sqrt(var / kSeeds) + 1e-12;
    EXPECT_NEAR(sum[i] / kSeeds, w[i], tolerance) << "element " << i;
  }
}

}  // namespace
}  // namespace triton::quant
