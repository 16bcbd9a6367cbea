// int8 activation quantization: scales (absmax, percentile), rounding, saturation, round trips.
#include "triton/quant/int8.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "triton/quant/random.h"

namespace triton::quant {
namespace {

using Floats = std::vector<float>;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<int8_t> S8(const Floats& x, float scale) {
  std::vector<int8_t> q(x.size());
  QuantizeS8(x, scale, q);
  return q;
}

std::vector<uint8_t> U8(const Floats& x, float scale) {
  std::vector<uint8_t> q(x.size());
  QuantizeU8(x, scale, q);
  return q;
}

TEST(Int8Scale, Absmax) {
  EXPECT_FLOAT_EQ(AbsmaxScale(Floats{1, -2.54f, 0.5f}), 2.54f / 127);
  EXPECT_FLOAT_EQ(AbsmaxScale(Floats{1, -5, 2.55f}, /*is_unsigned=*/true), 2.55f / 255);
  EXPECT_EQ(AbsmaxScale(Floats{0, 0, -0.0f}), 1.0f);
  EXPECT_EQ(AbsmaxScale(Floats{}), 1.0f);
  EXPECT_EQ(AbsmaxScale(Floats{-1, -2}, true), 1.0f);  // nothing positive after ReLU
  // Non-finite values are skipped; a denormal maximum still gives a usable scale.
  EXPECT_FLOAT_EQ(AbsmaxScale(Floats{kNaN, 1.27f, -kInf, kInf}), 0.01f);
  EXPECT_EQ(AbsmaxScale(Floats{kNaN}), 1.0f);
  const float tiny = AbsmaxScale(Floats{1e-40f});
  EXPECT_EQ(tiny, std::numeric_limits<float>::min());
  EXPECT_TRUE(std::isfinite(1.0f / tiny));
}

TEST(Int8Scale, PercentileIsNearestRankOnAbs) {
  Floats x;
  for (int i = 1; i <= 100; ++i) x.push_back(i % 2 ? -i : i);  // |x| = 1..100
  EXPECT_FLOAT_EQ(PercentileScale(x, 99), 99.0f / 127);        // rank ceil(99) = 99
  EXPECT_FLOAT_EQ(PercentileScale(x, 99.5), 100.0f / 127);     // rank ceil(99.5) = 100
  EXPECT_FLOAT_EQ(PercentileScale(x, 50), 50.0f / 127);
  EXPECT_FLOAT_EQ(PercentileScale(x, 0.001), 1.0f / 127);  // rank clamps up to 1
  EXPECT_EQ(PercentileScale(x, 100), AbsmaxScale(x));
  // Unsigned: negatives count as 0 after ReLU; 50 zeros and 2, 4, .., 100.
  EXPECT_FLOAT_EQ(PercentileScale(x, 75, true), 50.0f / 255);  // rank 75: the 25th even
  EXPECT_EQ(PercentileScale(x, 100, true), AbsmaxScale(x, true));
  // P / 100 * n for a decimal P is inexact in binary; the rank is still the exact one.
  Floats big(10000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(big.size() - i);
  EXPECT_FLOAT_EQ(PercentileScale(big, 99.99), 9999.0f / 127);
  EXPECT_FLOAT_EQ(PercentileScale(big, 99.9), 9990.0f / 127);
  EXPECT_FLOAT_EQ(PercentileScale(big, 0.01), 1.0f / 127);
  EXPECT_EQ(PercentileScale(Floats{}, 99.9), 1.0f);
  EXPECT_EQ(PercentileScale(Floats(10, 0.0f), 99.9), 1.0f);
  EXPECT_FLOAT_EQ(PercentileScale(Floats{kNaN, kInf, 2.54f}, 50), 2.54f / 127);
}

TEST(Int8Scale, PercentileClipsOutliersOnALargeCalibrationSet) {
  Floats x(1000000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(NormalDraw(9, i));
  x[123] = 1000;  // one outlier
  Floats sorted(x.size());
  std::transform(x.begin(), x.end(), sorted.begin(), [](float v) { return std::fabs(v); });
  std::sort(sorted.begin(), sorted.end());
  const float p = PercentileScale(x, 99.99);
  EXPECT_EQ(p, sorted[999900 - 1] / 127);  // rank 0.9999 * 10^6 exactly
  EXPECT_NEAR(p * 127, 3.89, 0.1);         // the 99.99th percentile of |N(0, 1)|
  EXPECT_EQ(AbsmaxScale(x), 1000.0f / 127);
}

TEST(Int8Quantize, RoundsHalfToEvenAndSaturates) {
  const Floats x = {0.25f, 0.75f, 1.25f, -0.25f, -0.75f, -1.25f,
                    0.3f,  100,   -100,  kNaN,   kInf,   -kInf};
  // x / 0.5 = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.6, 200, -200, NaN, Inf, -Inf}
  EXPECT_EQ(S8(x, 0.5f), (std::vector<int8_t>{0, 2, 2, 0, -2, -2, 1, 127, -127, 0, 127, -127}));
  const Floats u = {-1, 0.5f, 1.5f, 254.5f, 253.5f, 300, kNaN, kInf, -kInf, 127.75f};
  EXPECT_EQ(U8(u, 1.0f), (std::vector<uint8_t>{0, 0, 2, 254, 254, 255, 0, 255, 0, 128}));
}

TEST(Int8Quantize, NeverProducesMinus128) {
  Floats x;
  for (int i = -1000; i <= 1000; ++i) x.push_back(static_cast<float>(i) * 0.37f);
  for (int8_t q : S8(x, 0.01f)) EXPECT_GE(q, -127);
}

TEST(Int8RoundTrip, CodesAreFixedPointsAndErrorIsAtMostHalfAScale) {
  const float scale = 0.0371f;
  std::vector<int8_t> codes;
  for (int q = -127; q <= 127; ++q) codes.push_back(static_cast<int8_t>(q));
  Floats deq(codes.size());
  DequantizeS8(codes, scale, deq);
  EXPECT_EQ(S8(deq, scale), codes);

  Floats x(10000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(NormalDraw(4, i));
  const float s = AbsmaxScale(x);
  const std::vector<int8_t> q = S8(x, s);
  deq.assign(x.size(), 0.0f);
  DequantizeS8(q, s, deq);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_LE(std::fabs(deq[i] - x[i]), s * 0.5f * 1.0001f);
  // Absmax uses the full range.
  EXPECT_TRUE(*std::max_element(q.begin(), q.end()) == 127 ||
              *std::min_element(q.begin(), q.end()) == -127);

  std::vector<uint8_t> ucodes;
  for (int v = 0; v <= 255; ++v) ucodes.push_back(static_cast<uint8_t>(v));
  Floats udeq(ucodes.size());
  DequantizeU8(ucodes, scale, udeq);
  EXPECT_EQ(U8(udeq, scale), ucodes);
}

TEST(Int8RoundTrip, UnsignedAfterRelu) {
  Floats x(5000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::max(0.0f, static_cast<float>(NormalDraw(8, i)));
  const float s = AbsmaxScale(x, true);
  const std::vector<uint8_t> q = U8(x, s);
  EXPECT_EQ(*std::max_element(q.begin(), q.end()), 255);
  Floats deq(x.size());
  DequantizeU8(q, s, deq);
  for (size_t i = 0; i < x.size(); ++i) ASSERT_LE(std::fabs(deq[i] - x[i]), s * 0.5f * 1.0001f);
}

}  // namespace
}  // namespace triton::quant
