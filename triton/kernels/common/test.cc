// fast_math.h: special values, the error bound against the double formulas, and every SIMD level
// bit for bit against the scalar form (unsupported levels are skipped); ApplyAct's sigmoid and
// SiLU are the fast forms.
#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "triton/kernels/common/epilogue.h"
#include "triton/kernels/common/fast_math.h"

namespace triton::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

uint32_t Bits(float x) { return std::bit_cast<uint32_t>(x); }

// The double formulas of ir/eval_elementwise.cc (PyTorch's): exp, sigmoid, x * sigmoid(x).
double RefExp(double x) { return std::exp(x); }
double RefSigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double RefSilu(double x) { return x * RefSigmoid(x); }

// |got - want| in ulps of the float nearest to want (2^-149 for subnormal results); 0 where both
// are the same infinity or both NaN, +inf where only one is.
double UlpError(float got, double want) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : kInf;
  const float wf = static_cast<float>(want);
  if (std::isinf(wf) || std::isinf(got)) return got == wf ? 0 : kInf;
  const double a = std::fabs(want);
  const double ulp = a < 0x1p-126 ? 0x1p-149 : std::ldexp(1.0, std::ilogb(a) - 23);
  return std::fabs(static_cast<double>(got) - want) / ulp;
}

struct Fn {
  const char* name;
  FastFn id;
  float (*fast)(float);
  double (*ref)(double);
};
const Fn kFns[] = {{"exp", FastFn::kExp, FastExp, RefExp},
                   {"sigmoid", FastFn::kSigmoid, FastSigmoid, RefSigmoid},
                   {"silu", FastFn::kSilu, FastSilu, RefSilu}};

// Max ulp error of every fn over the floats of [-100, 100] whose bit patterns are multiples of
// `stride` (both signs); prints it with the worst argument.
void MeasureUlp(uint32_t stride) {
  const uint32_t top = Bits(100.0f);
  for (const Fn& f : kFns) {
    double worst = 0;
    float at = 0;
    for (uint32_t sign : {0u, 0x80000000u}) {
      for (uint32_t b = 0; b <= top; b += stride) {
        const float x = std::bit_cast<float>(b | sign);
        const double err = UlpError(f.fast(x), f.ref(x));
        if (err > worst) worst = err, at = x;
      }
    }
    std::printf("%-8s max error %.3f ulp at x = %a (%.9g), stride %u\n", f.name, worst, at, at,
                stride);
    EXPECT_LT(worst, kFastMathMaxUlp) << f.name << " at x = " << at;
  }
}

TEST(FastMathAccuracy, UlpBoundOnDenseSample) { MeasureUlp(251); }

// Every float in [-100, 100] (~2.2e9 per function; a few minutes):
// kernels_common_test --gtest_also_run_disabled_tests --gtest_filter='*Exhaustive*'
TEST(FastMathAccuracy, DISABLED_Exhaustive) { MeasureUlp(1); }

TEST(FastMathAccuracy, Subnormals) {
  // Results below 2^-126 are rounded once (within 1 ulp = 2^-149 of the true value).
  for (float x : {-87.5f, -90.0f, -95.0f, -100.0f, -102.5f, -103.5f}) {
    SCOPED_TRACE(x);
    EXPECT_EQ(std::fpclassify(FastExp(x)), FP_SUBNORMAL);
    EXPECT_LE(UlpError(FastExp(x), RefExp(x)), 1.0);
    EXPECT_EQ(std::fpclassify(FastSigmoid(x)), FP_SUBNORMAL);
    EXPECT_LE(UlpError(FastSigmoid(x), RefSigmoid(x)), 2.0);
  }
  for (float x : {-95.0f, -100.0f, -105.0f, -108.0f}) {
    SCOPED_TRACE(x);
    EXPECT_EQ(std::fpclassify(FastSilu(x)), FP_SUBNORMAL);
    EXPECT_TRUE(std::signbit(FastSilu(x)));
    EXPECT_LE(UlpError(FastSilu(x), RefSilu(x)), 2.0);
  }
  EXPECT_EQ(Bits(FastExp(-104.0f)), 0u);  // e^-104 < 2^-150: rounds to +0
  EXPECT_EQ(Bits(FastSigmoid(-104.0f)), 0u);
  EXPECT_EQ(Bits(FastSilu(-120.0f)), Bits(-0.0f));
}

TEST(FastMathSpecial, Exp) {
  EXPECT_EQ(FastExp(0.0f), 1.0f);
  EXPECT_EQ(FastExp(-0.0f), 1.0f);
  EXPECT_EQ(FastExp(kInf), kInf);
  EXPECT_EQ(Bits(FastExp(-kInf)), 0u);
  EXPECT_EQ(FastExp(89.0f), kInf);
  EXPECT_EQ(FastExp(FLT_MAX), kInf);
  EXPECT_EQ(Bits(FastExp(-FLT_MAX)), 0u);
  EXPECT_EQ(Bits(FastExp(-176.0f)), 0u);
  EXPECT_EQ(Bits(FastExp(-1000.0f)), 0u);
  // The largest finite result: e^88.72283 ~ 3.4028e38 < FLT_MAX.
  EXPECT_TRUE(std::isfinite(FastExp(88.72283f)));
  EXPECT_LE(UlpError(FastExp(88.72283f), RefExp(88.72283f)), 1.0);
  EXPECT_EQ(FastExp(88.7229f), kInf);
  EXPECT_LE(UlpError(FastExp(1.0f), std::exp(1.0)), 1.0);
  EXPECT_LE(UlpError(FastExp(-1.0f), std::exp(-1.0)), 1.0);
  EXPECT_EQ(FastExp(0x1p-30f), 1.0f);  // e^tiny rounds to 1
}

TEST(FastMathSpecial, Sigmoid) {
  EXPECT_EQ(FastSigmoid(0.0f), 0.5f);
  EXPECT_EQ(FastSigmoid(-0.0f), 0.5f);
  EXPECT_EQ(FastSigmoid(kInf), 1.0f);
  EXPECT_EQ(Bits(FastSigmoid(-kInf)), 0u);
  EXPECT_EQ(FastSigmoid(100.0f), 1.0f);
  EXPECT_EQ(FastSigmoid(FLT_MAX), 1.0f);
  EXPECT_EQ(Bits(FastSigmoid(-FLT_MAX)), 0u);
  EXPECT_EQ(Bits(FastSigmoid(-1e30f)), 0u);
  EXPECT_EQ(FastSigmoid(0x1p-149f), 0.5f);
  EXPECT_LE(UlpError(FastSigmoid(1.0f), RefSigmoid(1.0)), 2.0);
  EXPECT_LE(UlpError(FastSigmoid(-1.0f), RefSigmoid(-1.0)), 2.0);
}

TEST(FastMathSpecial, Silu) {
  EXPECT_EQ(Bits(FastSilu(0.0f)), 0u);
  EXPECT_EQ(Bits(FastSilu(-0.0f)), Bits(-0.0f));
  EXPECT_EQ(FastSilu(kInf), kInf);
  EXPECT_TRUE(std::isnan(FastSilu(-kInf)));  // -inf * sigmoid(-inf) = -inf * 0, as PyTorch
  EXPECT_TRUE(std::isnan(static_cast<float>(RefSilu(-kInf))));
  EXPECT_EQ(FastSilu(FLT_MAX), FLT_MAX);
  EXPECT_EQ(Bits(FastSilu(-FLT_MAX)), Bits(-0.0f));
  EXPECT_EQ(Bits(FastSilu(-1e30f)), Bits(-0.0f));
  EXPECT_EQ(FastSilu(100.0f), 100.0f);
  EXPECT_EQ(FastSilu(1e30f), 1e30f);
  EXPECT_EQ(FastSilu(0x1p-149f), 0.0f);  // 2^-149 / 2 rounds to even: +0
  EXPECT_EQ(FastSilu(0x1p-148f), 0x1p-149f);
}

TEST(FastMathSpecial, NaNComesBackUnchanged) {
  for (uint32_t bits : {0x7fc00000u, 0xffc00000u, 0x7fc01234u, 0xfff00001u, 0x7fa00000u}) {
    const float x = std::bit_cast<float>(bits);
    EXPECT_EQ(Bits(FastExp(x)), bits);
    EXPECT_EQ(Bits(FastSigmoid(x)), bits);
    EXPECT_EQ(Bits(FastSilu(x)), bits);
  }
}

TEST(FastMathSpecial, ApplyActUsesTheFastForms) {
  for (float x : {-100.0f, -3.25f, -0.0f, 0.0f, 0.5f, 7.0f, kInf, -kInf, kNaN}) {
    EXPECT_EQ(Bits(ApplyAct(Act::kSigmoid, x)), Bits(FastSigmoid(x))) << x;
    EXPECT_EQ(Bits(ApplyAct(Act::kSilu, x)), Bits(FastSilu(x))) << x;
  }
}

// Inputs for the bit-equality tests: special values, the clamp and underflow edges, a dense
// sweep of [-200, 200], subnormal inputs and random bit patterns (NaN payloads of both signs
// included); an odd count, so the SIMD forms run a partial last vector.
std::vector<float> Inputs() {
  std::vector<float> v = {0.0f,      -0.0f,    kInf,    -kInf,    kNaN,        -kNaN,
                          FLT_MAX,   -FLT_MAX, FLT_MIN, -FLT_MIN, 0x1p-149f,   -0x1p-149f,
                          88.72283f, 88.7229f, 89.0f,   89.5f,    -87.3f,      -103.97f,
                          -104.0f,   -175.0f,  -175.5f, -176.0f,  -176.5f,     -1000.0f,
                          1e30f,     -1e30f,   0.5f,    -0.5f,    0.34657359f, -0.34657359f};
  v.push_back(std::bit_cast<float>(0x7fc01234u));
  v.push_back(std::bit_cast<float>(0xffa00001u));
  for (int i = -200000; i <= 200000; ++i) v.push_back(static_cast<float>(i) * 1e-3f);
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; i < 100000; ++i) v.push_back(std::bit_cast<float>(bits(rng)));
  std::uniform_real_distribution<float> near(-110.0f, 110.0f);
  for (int i = 0; i < 100001; ++i) v.push_back(near(rng));
  if (v.size() % 2 == 0) v.push_back(1.0f);
  return v;
}

class FastMathIsaTest : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (!IsaSupported(GetParam())) GTEST_SKIP() << IsaName(GetParam()) << " not supported here";
  }
};

TEST_P(FastMathIsaTest, BitIdenticalToScalar) {
  const std::vector<float> x = Inputs();
  for (const Fn& f : kFns) {
    SCOPED_TRACE(f.name);
    std::vector<float> want(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = f.fast(x[i]);
    // Every length up to 40 (all tails) at every offset into the inputs, then the whole array,
    // then in place.
    for (int64_t n = 0; n <= 40; ++n) {
      std::vector<float> got(static_cast<size_t>(n) + 1, 12345.0f);
      FastMathArray(GetParam(), f.id, x.data() + 3, got.data(), n);
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(Bits(got[i]), Bits(want[i + 3])) << "n " << n << " i " << i;
      }
      ASSERT_EQ(got[n], 12345.0f) << "wrote past n = " << n;
    }
    std::vector<float> got(x.size());
    FastMathArray(GetParam(), f.id, x.data(), got.data(), static_cast<int64_t>(x.size()));
    int64_t bad = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if (Bits(got[i]) != Bits(want[i]) && bad++ < 5) {
        ADD_FAILURE() << "x = " << x[i] << " (0x" << std::hex << Bits(x[i]) << "): got 0x"
                      << Bits(got[i]) << ", scalar 0x" << Bits(want[i]) << std::dec;
      }
    }
    EXPECT_EQ(bad, 0) << "of " << x.size();
    std::vector<float> inplace = x;
    FastMathArray(GetParam(), f.id, inplace.data(), inplace.data(),
                  static_cast<int64_t>(inplace.size()));
    EXPECT_EQ(std::memcmp(inplace.data(), want.data(), want.size() * sizeof(float)), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Isas, FastMathIsaTest,
                         ::testing::Values(Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni),
                         [](const auto& info) { return std::string(IsaName(info.param)); });

}  // namespace
}  // namespace triton::kernels
