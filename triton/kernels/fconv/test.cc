// fconv against the IR reference evaluator (ir::EvalOp, NCHW, double sums) at every supported
// ISA level and at 1 and 2 threads.
//
// Tolerance: |got - want| <= 1e-5 * max |want| over the whole output. The kernels sum in float
// (BLAS order, or one fma per tap for depthwise) where the reference sums in double and rounds
// once; with K <= ~600 terms of magnitude <= 1 the float error stays near sqrt(K) * 2^-24 of the
// output scale, well inside 1e-5. The epilogue is checked separately for bit equality.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/kernels/fconv/blas.h"
#include "triton/kernels/fconv/fconv.h"
#include "triton/kernels/fconv/internal.h"

namespace triton::kernels::fconv {
namespace {

std::vector<float> Random(int64_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

ir::HostTensor Tensor(std::vector<int64_t> shape, std::vector<float> data) {
  ir::HostTensor t;
  t.shape = std::move(shape);
  t.data = std::move(data);
  return t;
}

// conv2d through ir::EvalOp; `x` NHWC, `w` [out_c][in_c/g][kh][kw]; result NHWC.
std::vector<float> OracleConv(const ConvShape& s, const std::vector<float>& x,
                              const std::vector<float>& w) {
  std::vector<float> nchw(x.size());
  const int64_t hw = s.in_h * s.in_w;
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t i = 0; i < hw; ++i)
      for (int64_t c = 0; c < s.in_c; ++c)
        nchw[(n * s.in_c + c) * hw + i] = x[(n * hw + i) * s.in_c + c];
  const ir::HostTensor xt = Tensor({s.batch, s.in_c, s.in_h, s.in_w}, nchw);
  const ir::HostTensor wt = Tensor({s.out_c, s.in_c / s.groups, s.kh, s.kw}, w);
  ir::Op op;
  op.kind = ir::OpKind::kConv2d;
  op.attrs.Set("stride", std::vector<int64_t>{s.stride_h, s.stride_w});
  op.attrs.Set("padding", std::vector<int64_t>{s.pad_h, s.pad_w});
  op.attrs.Set("dilation", std::vector<int64_t>{s.dil_h, s.dil_w});
  op.attrs.Set("groups", s.groups);
  Result<ir::HostTensor> r = ir::EvalOp(op, {&xt, &wt});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  if (!r.ok()) return {};
  const ir::HostTensor& o = r.value();
  const int64_t ohw = s.out_h() * s.out_w();
  std::vector<float> nhwc(o.data.size());
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t c = 0; c < s.out_c; ++c)
      for (int64_t i = 0; i < ohw; ++i)
        nhwc[(n * ohw + i) * s.out_c + c] = o.data[(n * s.out_c + c) * ohw + i];
  return nhwc;
}

std::vector<float> OracleLinear(int64_t m, int64_t n, int64_t k, const std::vector<float>& x,
                                const std::vector<float>& w) {
  const ir::HostTensor xt = Tensor({m, k}, x), wt = Tensor({n, k}, w);
  ir::Op op;
  op.kind = ir::OpKind::kLinear;
  Result<ir::HostTensor> r = ir::EvalOp(op, {&xt, &wt});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return r.ok() ? r.value().data : std::vector<float>{};
}

// Applies EpilogueScalar to the oracle's dense result ([pixels][channels]).
std::vector<float> WithEpilogue(const Epilogue& e, std::vector<float> v, int64_t channels) {
  for (size_t i = 0; i < v.size(); ++i) {
    const int64_t p = static_cast<int64_t>(i) / channels, c = static_cast<int64_t>(i) % channels;
    v[i] = EpilogueScalar(e, p, c, v[i]);
  }
  return v;
}

void ExpectClose(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  double scale = 0;
  for (float v : want) scale = std::max(scale, std::fabs(static_cast<double>(v)));
  const double tol = 1e-5 * std::max(scale, 1e-30);
  size_t bad = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = std::fabs(static_cast<double>(got[i]) - want[i]);
    if (!(d <= tol) && bad++ < 5) {
      ADD_FAILURE() << "element " << i << ": got " << got[i] << ", want " << want[i]
                    << " (tolerance " << tol << ")";
    }
  }
  EXPECT_EQ(bad, 0u) << "of " << want.size();
}

// Per-channel epilogue operands for `channels` channels and a residual of `pixels` rows.
struct EpiData {
  std::vector<float> mul, add, residual;
  Epilogue Make(bool mul_on, bool add_on, bool res_on, Act act, int64_t channels) const {
    Epilogue e;
    e.mul = mul_on ? mul.data() : nullptr;
    e.add = add_on ? add.data() : nullptr;
    e.residual = res_on ? residual.data() : nullptr;
    e.residual_stride = channels;
    e.act = act;
    return e;
  }
};

EpiData MakeEpi(int64_t pixels, int64_t channels, uint32_t seed) {
  return {Random(channels, seed + 1, 0.5f, 2.0f), Random(channels, seed + 2, -3.0f, 3.0f),
          Random(pixels * channels, seed + 3, -2.0f, 2.0f)};
}

std::string Describe(const ConvShape& s) {
  std::ostringstream o;
  o << "n" << s.batch << " " << s.in_h << "x" << s.in_w << "x" << s.in_c << " -> " << s.out_c
    << " k" << s.kh << "x" << s.kw << " s" << s.stride_h << "," << s.stride_w << " p" << s.pad_h
    << "," << s.pad_w << " d" << s.dil_h << "," << s.dil_w << " g" << s.groups;
  return o.str();
}

ConvShape Shape(int64_t batch, int64_t h, int64_t w, int64_t ic, int64_t oc, int64_t k,
                int64_t stride, int64_t pad, int64_t dil = 1, int64_t groups = 1) {
  ConvShape s;
  s.batch = batch, s.in_h = h, s.in_w = w, s.in_c = ic, s.out_c = oc, s.kh = s.kw = k;
  s.stride_h = s.stride_w = stride, s.pad_h = s.pad_w = pad, s.dil_h = s.dil_w = dil;
  s.groups = groups;
  return s;
}

class FconvTest : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (!IsaSupported(GetParam())) GTEST_SKIP() << IsaName(GetParam()) << " not supported here";
  }

  // Runs Conv on `s` at 1 and 2 threads with the given epilogue switches and compares with the
  // oracle. Scratch and output are guarded: the scratch tail and unwritten outputs are detected.
  void CheckConv(const ConvShape& s, bool mul_on = false, bool add_on = false, bool res_on = false,
                 Act act = Act::kNone) {
    SCOPED_TRACE(Describe(s));
    ASSERT_TRUE(ValidateShape(s).ok()) << ValidateShape(s).message();
    const uint32_t seed = static_cast<uint32_t>(s.in_h * 131 + s.in_c * 7 + s.out_c + s.kh);
    const std::vector<float> x = Random(s.batch * s.in_h * s.in_w * s.in_c, seed);
    const std::vector<float> w = Random(s.out_c * (s.in_c / s.groups) * s.kh * s.kw, seed + 9);
    const int64_t pixels = s.batch * s.out_h() * s.out_w();
    const EpiData ed = MakeEpi(pixels, s.out_c, seed);
    const Epilogue e = ed.Make(mul_on, add_on, res_on, act, s.out_c);
    const std::vector<float> want = WithEpilogue(e, OracleConv(s, x, w), s.out_c);
    const PackedConv packed = PackConv(s, w.data());
    for (int threads : {1, 2}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      const int64_t scratch_n = ConvScratchFloats(s, threads);
      constexpr float kGuard = 12345.0f;
      std::vector<float> scratch(static_cast<size_t>(scratch_n + 64), kGuard);
      std::vector<float> out(static_cast<size_t>(pixels * s.out_c),
                             std::numeric_limits<float>::quiet_NaN());
      Conv(s, packed, x.data(), e, out.data(), scratch_n ? scratch.data() : nullptr, GetParam(),
           threads);
      ExpectClose(out, want);
      for (int64_t i = scratch_n; i < scratch_n + 64; ++i) ASSERT_EQ(scratch[i], kGuard);
    }
  }
};

// OpenBLAS is dlopened on first use (blas.h); here, where libopenblas0 is installed, it loads,
// every entry point resolves, and the thread setting round-trips through the library.
TEST(Blas, LoadsAndRuns) {
  ASSERT_TRUE(blas::Load().ok()) << blas::Load().message();
  const int before = blas::GetNumThreads();
  blas::SetNumThreads(1);
  EXPECT_EQ(blas::GetNumThreads(), 1);
  const float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1};  // [2x3] x [3x2]
  float c[4] = {};
  blas::Sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1.0f, a, 3, b, 2, 0.0f, c, 2);
  EXPECT_EQ(c[0], 4.0f);
  EXPECT_EQ(c[1], 5.0f);
  EXPECT_EQ(c[2], 10.0f);
  EXPECT_EQ(c[3], 11.0f);
  float y[2] = {};
  const float x[3] = {1, 1, 1};
  blas::Sgemv(CblasRowMajor, CblasNoTrans, 2, 3, 1.0f, a, 3, x, 1, 0.0f, y, 1);
  EXPECT_EQ(y[0], 6.0f);
  EXPECT_EQ(y[1], 15.0f);
  blas::SetNumThreads(before);
}

TEST_P(FconvTest, Pointwise) {
  CheckConv(Shape(1, 7, 5, 16, 24, 1, 1, 0));       // direct sgemm
  CheckConv(Shape(3, 9, 9, 8, 12, 1, 2, 0));        // strided: im2col
  CheckConv(Shape(1, 6, 6, 4, 6, 1, 1, 1));         // padded: im2col
  CheckConv(Shape(2, 40, 41, 8, 16, 1, 1, 0));      // several chunks
  CheckConv(Shape(1, 1, 1, 1, 1, 1, 1, 0));         // 1x1x1
  CheckConv(Shape(1, 5, 5, 8, 12, 1, 1, 0, 1, 2));  // grouped direct
}

TEST_P(FconvTest, Spatial) {
  CheckConv(Shape(1, 13, 11, 17, 20, 3, 1, 1));
  CheckConv(Shape(3, 15, 15, 8, 8, 3, 2, 1));       // stride 2 with padding
  CheckConv(Shape(1, 11, 11, 6, 10, 3, 1, 2, 2));   // dilation 2
  CheckConv(Shape(1, 33, 31, 3, 16, 7, 2, 3));      // ResNet stem, small
  CheckConv(Shape(1, 112, 112, 3, 64, 7, 2, 3));    // ResNet stem at 112 px
  CheckConv(Shape(1, 48, 48, 16, 16, 3, 1, 1));     // several chunks per thread
  CheckConv(Shape(2, 9, 9, 8, 12, 3, 1, 1, 1, 2));  // groups 2
  CheckConv(Shape(1, 9, 8, 6, 9, 3, 2, 1, 2, 3));   // groups 3, stride 2, dilation 2
  CheckConv(Shape(1, 3, 3, 4, 5, 5, 1, 2));         // kernel larger than the input
  ConvShape rect = Shape(2, 10, 13, 5, 7, 1, 1, 0);
  rect.kh = 3, rect.kw = 2, rect.stride_h = 2, rect.pad_w = 1, rect.dil_h = 2;
  CheckConv(rect);
}

TEST_P(FconvTest, Depthwise) {
  for (int64_t c : {1, 17, 32, 96}) {
    for (int64_t batch : {1, 3}) {
      CheckConv(Shape(batch, 11, 9, c, c, 3, 1, 1, 1, c == 1 ? 1 : c));
      CheckConv(Shape(batch, 11, 9, c, c, 3, 2, 1, 1, c == 1 ? 1 : c));
    }
  }
  CheckConv(Shape(3, 6, 21, 17, 17, 3, 1, 1, 1, 17));   // 3x3 stride-1 fast path + tails
  CheckConv(Shape(1, 5, 26, 40, 40, 3, 1, 0, 1, 40));   // the same, unpadded
  CheckConv(Shape(1, 13, 14, 24, 24, 5, 1, 2, 1, 24));  // 5x5
  CheckConv(Shape(1, 9, 9, 20, 20, 3, 1, 2, 2, 20));    // dilation 2
  CheckConv(Shape(2, 4, 3, 16, 16, 5, 2, 2, 1, 16));    // kernel larger than the input
  CheckConv(Shape(1, 7, 7, 8, 16, 3, 1, 1, 1, 8));      // channel multiplier 2 (GEMM path)
  CheckConv(Shape(1, 112, 112, 32, 32, 3, 1, 1, 1, 32));
}

TEST_P(FconvTest, Epilogue) {
  for (Act act : {Act::kNone, Act::kRelu, Act::kRelu6, Act::kSilu, Act::kSigmoid}) {
    SCOPED_TRACE("act " + std::to_string(static_cast<int>(act)));
    CheckConv(Shape(1, 9, 7, 16, 20, 3, 1, 1), true, true, true, act);
    CheckConv(Shape(1, 6, 6, 8, 24, 1, 1, 0), true, false, false, act);
    CheckConv(Shape(1, 6, 6, 8, 24, 1, 1, 0), false, true, true, act);
    CheckConv(Shape(2, 9, 7, 40, 40, 3, 2, 1, 1, 40), true, true, true, act);
    CheckConv(Shape(1, 9, 7, 19, 19, 3, 1, 1, 1, 19), false, true, false, act);
    CheckConv(Shape(2, 5, 19, 24, 24, 3, 1, 1, 1, 24), true, true, true, act);
  }
}

// Values that the epilogue's activations must get right bit for bit: NaN of both signs, signed
// zeros, infinities, huge and subnormal magnitudes, the exp clamp and underflow edges of
// fast_math.h.
constexpr float kSpecials[] = {std::numeric_limits<float>::quiet_NaN(),
                               -std::numeric_limits<float>::quiet_NaN(),
                               -0.0f,
                               0.0f,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               1e30f,
                               -1e30f,
                               3e38f,
                               -3e38f,
                               88.72283f,
                               89.5f,
                               -87.5f,
                               -100.0f,
                               -104.0f,
                               -176.0f,
                               0x1p-149f,
                               -0x1p-140f,
                               6.0f,
                               -3.0f};

// Overwrites every `every`-th element of v (from `first`) with the specials in turn.
void Sprinkle(std::vector<float>& v, size_t first, size_t every) {
  size_t k = 0;
  for (size_t i = first; i < v.size(); i += every) v[i] = kSpecials[k++ % std::size(kSpecials)];
}

// The vector epilogue pass equals EpilogueScalar bit for bit, including NaN, -0.0, infinities,
// huge and subnormal values and values around the ReLU6 bounds, for every column range and
// activation (sigmoid and SiLU: the vector forms of fast_math.h).
TEST_P(FconvTest, EpilogueBitExact) {
  const int64_t rows = 5, ld = 45;
  std::vector<float> base = Random(rows * ld, 77, -8.0f, 8.0f);
  base[3] = -0.0f, base[4] = std::numeric_limits<float>::quiet_NaN(), base[5] = 6.0f;
  base[6] = -std::numeric_limits<float>::infinity(), base[50] = 0.0f;
  Sprinkle(base, 7, 3);
  for (size_t i = 100; i < 130; ++i) base[i] *= 30.0f;  // beyond the exp underflow edge
  EpiData ed = MakeEpi(rows + 3, ld, 5);
  Sprinkle(ed.residual, 1, 7);
  for (Act act : {Act::kNone, Act::kRelu, Act::kRelu6, Act::kSilu, Act::kSigmoid, Act::kGelu}) {
    for (int mask = 0; mask < 8; ++mask) {
      for (auto [c0, c1] : {std::pair<int64_t, int64_t>{0, 45}, {3, 20}, {16, 17}, {0, 7}}) {
        Epilogue e = ed.Make(mask & 1, mask & 2, mask & 4, act, ld);
        std::vector<float> want = base, got = base;
        internal::EpilogueBlockReference(e, want.data(), ld, 2, rows, c0, c1);
        internal::EpilogueBlock(GetParam(), e, got.data(), ld, 2, rows, c0, c1);
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_EQ(std::memcmp(&want[i], &got[i], sizeof(float)), 0)
              << "element " << i << " act " << static_cast<int>(act) << " mask " << mask << ": "
              << got[i] << " vs " << want[i];
        }
      }
    }
  }
}

// The depthwise kernels with their activation in registers against the reference level, bit
// for bit: small integer inputs and weights make every sum exact in any order, so the
// accumulators agree and the epilogue (specials in mul, add and residual) decides.
TEST_P(FconvTest, DepthwiseActivationBitExact) {
  for (const ConvShape& s :
       {Shape(1, 9, 21, 40, 40, 3, 1, 1, 1, 40), Shape(2, 7, 9, 19, 19, 5, 2, 2, 1, 19),
        Shape(1, 4, 5, 16, 16, 3, 1, 0, 1, 16)}) {
    SCOPED_TRACE(Describe(s));
    std::vector<float> x = Random(s.batch * s.in_h * s.in_w * s.in_c, 3, -4.0f, 4.0f);
    std::vector<float> w = Random(s.out_c * s.kh * s.kw, 4, -3.0f, 3.0f);
    for (float& v : x) v = std::round(v);
    for (float& v : w) v = std::round(v);
    const int64_t pixels = s.batch * s.out_h() * s.out_w();
    EpiData ed = MakeEpi(pixels, s.out_c, 9);
    for (float& v : ed.mul) v *= 8.0f;  // |y| up to ~3000: far into both exp tails
    Sprinkle(ed.mul, 2, 11);
    Sprinkle(ed.add, 0, 5);
    Sprinkle(ed.residual, 3, 13);
    const PackedConv packed = PackConv(s, w.data());
    for (Act act : {Act::kSilu, Act::kSigmoid, Act::kRelu6}) {
      for (int mask = 0; mask < 8; ++mask) {
        const Epilogue e = ed.Make(mask & 1, mask & 2, mask & 4, act, s.out_c);
        std::vector<float> want(static_cast<size_t>(pixels * s.out_c));
        std::vector<float> got(want.size());
        Conv(s, packed, x.data(), e, want.data(), nullptr, Isa::kReference, 1);
        Conv(s, packed, x.data(), e, got.data(), nullptr, GetParam(), 2);
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_EQ(std::memcmp(&want[i], &got[i], sizeof(float)), 0)
              << "element " << i << " act " << static_cast<int>(act) << " mask " << mask << ": "
              << got[i] << " vs " << want[i];
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isas, FconvTest,
                         ::testing::Values(Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni),
                         [](const auto& info) { return std::string(IsaName(info.param)); });

TEST(FconvLinear, MatchesReference) {
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{1, 1000, 512},
                         {1, 17, 64},
                         {1, 1, 1},
                         {3, 17, 513},
                         {32, 1000, 512},
                         {200, 24, 64},
                         {5, 130, 7}}) {
    SCOPED_TRACE("m " + std::to_string(m) + " n " + std::to_string(n) + " k " + std::to_string(k));
    const std::vector<float> x = Random(m * k, 3), w = Random(n * k, 4);
    const std::vector<float> dense = OracleLinear(m, n, k, x, w);
    const EpiData ed = MakeEpi(m, n, 11);
    const PackedLinear packed = PackLinear(n, k, w.data());
    for (int cfg = 0; cfg < 4; ++cfg) {
      const Epilogue e = cfg == 0   ? Epilogue{}
                         : cfg == 1 ? ed.Make(true, true, true, Act::kRelu, n)
                         : cfg == 2 ? ed.Make(false, true, false, Act::kSilu, n)
                                    : ed.Make(true, true, false, Act::kSigmoid, n);
      const std::vector<float> want = WithEpilogue(e, dense, n);
      for (int threads : {1, 2}) {
        std::vector<float> out(static_cast<size_t>(m * n), std::nanf(""));
        Linear(m, packed, x.data(), e, out.data(), threads);
        ExpectClose(out, want);
      }
    }
  }
}

TEST(FconvShape, Validate) {
  EXPECT_TRUE(ValidateShape(Shape(1, 5, 5, 4, 4, 3, 1, 1)).ok());
  EXPECT_NE(ValidateShape(Shape(1, 5, 5, 4, 6, 3, 1, 1, 1, 4)).message().find("groups"),
            std::string::npos);
  EXPECT_NE(ValidateShape(Shape(0, 5, 5, 4, 4, 3, 1, 1)).message().find("batch"),
            std::string::npos);
  EXPECT_NE(ValidateShape(Shape(1, 2, 2, 4, 4, 5, 1, 0)).message().find("empty output"),
            std::string::npos);
}

}  // namespace
}  // namespace triton::kernels::fconv
