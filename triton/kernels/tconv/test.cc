// Every tconv variant the CPU supports against the reference: int32 accumulators exactly, float
// outputs with the epilogue bit for bit, on shapes that are not multiples of any block; the
// saturating corners; QuantizeToPadded against the IR's quantize_int8.
#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/kernels/tconv/internal.h"
#include "triton/kernels/tconv/tconv.h"

namespace triton::kernels::tconv {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::string Describe(const ConvShape& s) {
  return "batch " + std::to_string(s.batch) + " in " + std::to_string(s.in_h) + "x" +
         std::to_string(s.in_w) + "x" + std::to_string(s.in_c) + " out_c " +
         std::to_string(s.out_c) + " k " + std::to_string(s.kh) + "x" + std::to_string(s.kw) +
         " stride " + std::to_string(s.stride_h) + "," + std::to_string(s.stride_w) + " pad " +
         std::to_string(s.pad_h) + "," + std::to_string(s.pad_w) + " dil " +
         std::to_string(s.dil_h) + "," + std::to_string(s.dil_w);
}

ConvShape Shape(int64_t batch, int64_t h, int64_t w, int64_t in_c, int64_t out_c, int64_t k,
                int64_t stride = 1, int64_t pad = 0, int64_t dil = 1) {
  ConvShape s;
  s.batch = batch, s.in_h = h, s.in_w = w, s.in_c = in_c, s.out_c = out_c, s.kh = k, s.kw = k;
  s.stride_h = s.stride_w = stride, s.pad_h = s.pad_w = pad, s.dil_h = s.dil_w = dil;
  return s;
}

std::vector<int8_t> RandomTrits(int64_t n, std::mt19937& rng) {
  std::uniform_int_distribution<int> d(-1, 1);
  std::vector<int8_t> t(static_cast<size_t>(n));
  for (auto& v : t) v = static_cast<int8_t>(d(rng));
  return t;
}

// A padded u8 NHWC input: random codes 1..255 (q in [-127, 127]) inside, 128 in the border and
// the padding channels.
std::vector<uint8_t> RandomInput(const ConvShape& s, std::mt19937& rng) {
  std::uniform_int_distribution<int> d(1, 255);
  std::vector<uint8_t> in(static_cast<size_t>(s.padded_input_bytes()), 128);
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t y = 0; y < s.in_h; ++y) {
      for (int64_t x = 0; x < s.in_w; ++x) {
        const int64_t px = (n * s.padded_h() + y + s.pad_h) * s.padded_w() + x + s.pad_w;
        for (int64_t c = 0; c < s.in_c; ++c) {
          in[static_cast<size_t>(px * s.in_c_pad() + c)] = static_cast<uint8_t>(d(rng));
        }
      }
    }
  }
  return in;
}

PackedWeights PackOk(const Variant& v, const ConvShape& s, const std::vector<int8_t>& t) {
  Result<PackedWeights> r = v.pack(t.data(), s.out_c, s.in_c, s.kh, s.kw);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  return std::move(r).value();
}

std::vector<int32_t> RunInt32(const Variant& v, const ConvShape& s, const std::vector<int8_t>& t,
                              const std::vector<uint8_t>& in, int threads) {
  const PackedWeights w = PackOk(v, s, t);
  std::vector<int32_t> out(static_cast<size_t>(s.out_pixels() * s.out_c), -7);
  v.conv_int32(s, w, in.data(), out.data(), threads);
  return out;
}

std::vector<float> RunFloat(const Variant& v, const ConvShape& s, const std::vector<int8_t>& t,
                            const std::vector<uint8_t>& in, const Epilogue& e, int threads) {
  const PackedWeights w = PackOk(v, s, t);
  std::vector<float> out(static_cast<size_t>(s.out_pixels() * s.out_c), -7.0f);
  v.conv(s, w, in.data(), e, out.data(), threads);
  return out;
}

// Index of the first element whose bits differ, or -1.
template <typename T>
int64_t FirstBitDifference(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0) return static_cast<int64_t>(i);
  }
  return -1;
}

// Epilogue vectors with awkward values: negative and -0.0 adds (so -0.0 and NaN reach ReLU),
// a residual with a NaN, and a "wild" residual that brings NaN of both signs, signed zeros,
// infinities, huge and subnormal values and the exp clamp / underflow edges of fast_math.h to
// the activation (sigmoid, SiLU).
struct EpilogueData {
  std::vector<float> mul, add, residual, wild;
  EpilogueData(const ConvShape& s, std::mt19937& rng) {
    std::uniform_real_distribution<float> d(-0.01f, 0.01f);
    mul.resize(static_cast<size_t>(s.out_c));
    add.resize(static_cast<size_t>(s.out_c));
    for (size_t c = 0; c < mul.size(); ++c) {
      mul[c] = c % 5 == 0 ? -0.0f : d(rng) * 100;
      add[c] = c % 3 == 0 ? -0.0f : d(rng) * 30;
    }
    residual.resize(static_cast<size_t>(s.out_pixels() * s.out_c));
    for (auto& r : residual) r = d(rng) * 200;
    residual[residual.size() / 2] = kNaN;
    static constexpr float kSpecials[] = {kNaN,     -kNaN,   -0.0f,    0.0f,    kInf,      -kInf,
                                          1e30f,    -1e30f,  3e38f,    -3e38f,  88.72283f, 89.5f,
                                          -87.5f,   -100.0f, -104.0f,  -176.0f, -1e-40f,   1e-42f,
                                          -3.2302f, 6.0f,    -1.9805f, 40.0f,   -40.0f,    0.25f};
    wild = residual;
    for (size_t i = 0; i < wild.size(); i += 3) wild[i] = kSpecials[(i / 3) % std::size(kSpecials)];
  }
};

class TconvIsaTest : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (!IsaSupported(GetParam())) {
      GTEST_SKIP() << "this CPU lacks " << IsaName(GetParam()) << "; its variant is not tested";
    }
  }
  const Variant& Under() const { return Select(GetParam()); }

  // Compares the variant under test with the reference on one shape: int32 and every epilogue
  // form, threads 1, 2 and 3.
  void Check(const ConvShape& s, uint32_t seed) {
    SCOPED_TRACE(Describe(s));
    ASSERT_TRUE(ValidateShape(s).ok()) << ValidateShape(s).message();
    std::mt19937 rng(seed);
    const std::vector<int8_t> t = RandomTrits(s.out_c * s.in_c * s.kh * s.kw, rng);
    const std::vector<uint8_t> in = RandomInput(s, rng);
    const std::vector<int32_t> want = RunInt32(Reference(), s, t, in, 1);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      const std::vector<int32_t> got = RunInt32(Under(), s, t, in, threads);
      const int64_t i = FirstBitDifference(want, got);
      ASSERT_EQ(i, -1) << "int32 element " << i << ": want " << want[static_cast<size_t>(i)]
                       << " got " << got[static_cast<size_t>(i)];
    }
    const EpilogueData d(s, rng);
    struct Form {
      const char* name;
      Epilogue e;
    };
    const Form forms[] = {
        {"none", {}},
        {"mul", {d.mul.data(), nullptr, nullptr, 0, Act::kNone}},
        {"add relu", {nullptr, d.add.data(), nullptr, 0, Act::kRelu}},
        {"mul add relu", {d.mul.data(), d.add.data(), nullptr, 0, Act::kRelu}},
        {"mul add residual relu",
         {d.mul.data(), d.add.data(), d.residual.data(), s.out_c, Act::kRelu}},
        {"mul add residual relu6",
         {d.mul.data(), d.add.data(), d.residual.data(), s.out_c, Act::kRelu6}},
        {"mul add residual none",
         {d.mul.data(), d.add.data(), d.residual.data(), s.out_c, Act::kNone}},
        {"mul add silu", {d.mul.data(), d.add.data(), nullptr, 0, Act::kSilu}},
        {"add sigmoid", {nullptr, d.add.data(), nullptr, 0, Act::kSigmoid}},
        {"mul add wild residual silu",
         {d.mul.data(), d.add.data(), d.wild.data(), s.out_c, Act::kSilu}},
        {"mul add wild residual sigmoid",
         {d.mul.data(), d.add.data(), d.wild.data(), s.out_c, Act::kSigmoid}},
        {"mul add residual hardswish",
         {d.mul.data(), d.add.data(), d.residual.data(), s.out_c, Act::kHardswish}},
    };
    for (const Form& f : forms) {
      SCOPED_TRACE(std::string("epilogue ") + f.name);
      const std::vector<float> ref = RunFloat(Reference(), s, t, in, f.e, 1);
      for (int threads : {1, 2}) {
        const std::vector<float> got = RunFloat(Under(), s, t, in, f.e, threads);
        const int64_t i = FirstBitDifference(ref, got);
        ASSERT_EQ(i, -1) << "float element " << i << ": want " << ref[static_cast<size_t>(i)]
                         << " got " << got[static_cast<size_t>(i)] << " (threads " << threads
                         << ")";
      }
    }
  }
};

TEST_P(TconvIsaTest, SelectGivesThisIsa) {
  EXPECT_EQ(Under().isa, GetParam());
  EXPECT_EQ(std::string(Under().name).find(IsaName(GetParam())) != std::string::npos, true)
      << Under().name;
}

TEST_P(TconvIsaTest, ChannelsThatAreNotBlockMultiples) {
  uint32_t seed = 1;
  for (int64_t in_c : {1, 3, 5, 17, 65}) {
    for (int64_t out_c : {1, 7, 15, 17, 33, 100})
      Check(Shape(1, 7, 9, in_c, out_c, 3, 1, 1), seed++);
  }
}

TEST_P(TconvIsaTest, EdgeShapes) {
  Check(Shape(1, 3, 5, 1, 17, 1), 10);              // K = 1
  Check(Shape(1, 1, 1, 5, 33, 3, 1, 1), 11);        // 1x1 image, 3x3 kernel, all border
  Check(Shape(1, 1, 1, 64, 70, 1), 12);             // one pixel, 1x1
  Check(Shape(1, 9, 7, 17, 33, 3, 2, 1), 13);       // stride 2 with padding
  Check(Shape(2, 8, 8, 16, 64, 3, 2, 1), 14);       // stride 2, even size
  Check(Shape(1, 15, 13, 3, 64, 7, 2, 3), 15);      // 7x7 stem-like
  Check(Shape(1, 11, 10, 16, 20, 3, 1, 2, 2), 16);  // dilation 2
  Check(Shape(33, 3, 5, 5, 7, 3, 1, 1), 17);        // batch 33
  Check(Shape(33, 2, 2, 12, 130, 1), 18);           // batch 33, 1x1, tiles across images
  Check(Shape(1, 14, 14, 64, 128, 3, 1, 1), 19);    // a real layer
  Check(Shape(1, 7, 7, 96, 200, 3, 1, 1), 20);      // several groups, channel tail
  ConvShape odd = Shape(2, 9, 8, 6, 19, 3);
  odd.kw = 2, odd.stride_w = 2, odd.dil_h = 2, odd.pad_h = 2, odd.pad_w = 1;
  Check(odd, 21);  // asymmetric kernel, strides, dilation and padding
}

// Linear layers (1x1 images): few pixel tiles per channel group, so threads run single tiles of
// a group on the 2-bit form (internal.h, kMaxPackedTiles) beside groups decoded into a panel.
TEST_P(TconvIsaTest, LinearShapes) {
  Check(Shape(1, 1, 1, 300, 70, 1), 30);
  Check(Shape(3, 1, 1, 100, 150, 1), 31);
  Check(Shape(7, 1, 1, 33, 40, 1), 32);
  Check(Shape(13, 1, 1, 64, 64, 1), 33);
  Check(Shape(2, 1, 1, 1, 129, 1), 34);
}

// The largest |acc| the contract allows must come out exactly: K = 3 x 3 x 512 with every code
// at the same extreme and every trit at the same sign.
TEST_P(TconvIsaTest, SaturatingCorners) {
  const ConvShape s = Shape(1, 4, 5, 512, 33, 3, 1, 1);
  const int64_t k = s.in_c * s.kh * s.kw;
  struct Corner {
    uint8_t code;
    int8_t trit;
  };
  for (const Corner& c : {Corner{255, 1}, Corner{1, -1}, Corner{255, -1}, Corner{1, 1}}) {
    SCOPED_TRACE("code " + std::to_string(c.code) + " trit " + std::to_string(c.trit));
    std::vector<uint8_t> in(static_cast<size_t>(s.padded_input_bytes()), 128);
    for (int64_t y = 0; y < s.in_h; ++y) {
      const int64_t row = ((y + s.pad_h) * s.padded_w() + s.pad_w) * s.in_c_pad();
      std::fill_n(in.begin() + row, s.in_w * s.in_c_pad(), c.code);
    }
    const std::vector<int8_t> t(static_cast<size_t>(s.out_c * k), c.trit);
    const std::vector<int32_t> got = RunInt32(Under(), s, t, in, 2);
    EXPECT_EQ(FirstBitDifference(RunInt32(Reference(), s, t, in, 1), got), -1);
    // Interior pixel (1, 1) sees no padding: |acc| = 127 * K.
    const int32_t want = (c.code - 128) * c.trit * static_cast<int32_t>(k);
    EXPECT_EQ(std::abs(want), 127 * 4608);
    const int64_t p = 1 * s.out_w() + 1;
    for (int64_t oc = 0; oc < s.out_c; ++oc) {
      ASSERT_EQ(got[static_cast<size_t>(p * s.out_c + oc)], want) << "channel " << oc;
    }
  }
}

TEST_P(TconvIsaTest, PackRejectsBadTrits) {
  std::vector<int8_t> t(2 * 3 * 3 * 3, 0);
  t[7] = 2;
  Result<PackedWeights> r = Under().pack(t.data(), 2, 3, 3, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is 2"), std::string::npos) << r.status().message();
  t[7] = -2;
  EXPECT_FALSE(Under().pack(t.data(), 2, 3, 3, 3).ok());
  EXPECT_FALSE(Under().pack(t.data(), 0, 3, 3, 3).ok());
  t[7] = 1;
  Result<PackedWeights> ok = Under().pack(t.data(), 2, 3, 3, 3);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().variant, Under().name);
  EXPECT_EQ(ok.value().wsum[0], 1);
}

// QuantizeToPadded at this ISA level against ir::EvalOp(quantize_int8): the scale bit for bit,
// interior codes + 128, border and padding channels 128.
void CheckQuantize(Isa isa, const std::vector<float>& x, int64_t batch, int64_t h, int64_t w,
                   int64_t c, int64_t pad_h, int64_t pad_w, int threads) {
  SCOPED_TRACE("quantize " + std::to_string(batch) + "x" + std::to_string(h) + "x" +
               std::to_string(w) + "x" + std::to_string(c) + " pad " + std::to_string(pad_h) + "," +
               std::to_string(pad_w) + " threads " + std::to_string(threads));
  ir::HostTensor t;
  t.dtype = ir::DType::kFloat32;
  t.shape = {batch, h, w, c};
  t.data = x;
  ir::Op op;
  op.kind = ir::OpKind::kQuantizeInt8;
  Result<ir::HostTensor> r = ir::EvalOp(op, {&t});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ir::HostTensor& q = r.value();

  const int64_t cp = RoundUp(c, kChannelAlign), hp = h + 2 * pad_h, wp = w + 2 * pad_w;
  std::vector<uint8_t> out(static_cast<size_t>(batch * hp * wp * cp), 77);
  const float scale =
      QuantizeToPadded(x.data(), batch, h, w, c, pad_h, pad_w, out.data(), isa, threads);
  ASSERT_EQ(q.scale_pos.size(), 1u);
  EXPECT_EQ(std::bit_cast<uint32_t>(scale), std::bit_cast<uint32_t>(q.scale_pos[0]))
      << scale << " vs " << q.scale_pos[0];
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t y = 0; y < hp; ++y) {
      for (int64_t xx = 0; xx < wp; ++xx) {
        for (int64_t ch = 0; ch < cp; ++ch) {
          const bool inside =
              y >= pad_h && y < pad_h + h && xx >= pad_w && xx < pad_w + w && ch < c;
          int want = 128;
          if (inside) {
            const int64_t i = ((n * h + y - pad_h) * w + xx - pad_w) * c + ch;
            want = static_cast<int>(q.data[static_cast<size_t>(i)]) + 128;
          }
          const int got = out[static_cast<size_t>(((n * hp + y) * wp + xx) * cp + ch)];
          ASSERT_EQ(got, want) << "at n " << n << " y " << y << " x " << xx << " c " << ch;
        }
      }
    }
  }
}

TEST_P(TconvIsaTest, QuantizeMatchesIr) {
  const Isa isa = GetParam();
  std::mt19937 rng(5);
  std::normal_distribution<float> d(0.0f, 3.0f);
  struct Dims {
    int64_t b, h, w, c, ph, pw;
  };
  for (const Dims& s : {Dims{2, 5, 7, 1, 1, 2}, Dims{1, 3, 3, 3, 1, 1}, Dims{2, 4, 5, 4, 0, 0},
                        Dims{1, 6, 5, 16, 1, 0}, Dims{3, 2, 9, 17, 2, 1}, Dims{1, 5, 6, 33, 0, 1},
                        Dims{1, 3, 40, 64, 1, 1}}) {
    const int64_t n = s.b * s.h * s.w * s.c;
    std::vector<float> x(static_cast<size_t>(n));
    for (auto& v : x) v = d(rng);
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 1);
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 3);
    // Negative only; then NaN and infinities mixed in (ignored by the absmax; inf clamps).
    for (auto& v : x) v = -std::fabs(v);
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 2);
    for (size_t i = 0; i < x.size(); i += 3) x[i] = i % 2 ? kNaN : (i % 4 ? kInf : -kInf);
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 2);
    // All zero (scale 1), and all non-finite.
    std::fill(x.begin(), x.end(), 0.0f);
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 1);
    for (size_t i = 0; i < x.size(); ++i) x[i] = i % 2 ? kNaN : kInf;
    CheckQuantize(isa, x, s.b, s.h, s.w, s.c, s.ph, s.pw, 1);
  }
  // Ties: absmax 127 gives scale 1, so k + 0.5 must round half to even.
  std::vector<float> ties = {127,    0.5f,    1.5f,  2.5f,  -0.5f,  -1.5f,  -2.5f,
                             126.5f, -126.5f, 3.49f, -0.0f, 1e-30f, 100.5f, 101.5f,
                             -127,   64.5f,   7,     8.5f,  9.5f};
  CheckQuantize(isa, ties, 1, 1, 1, static_cast<int64_t>(ties.size()), 1, 1, 1);
  // Tiny values: absmax / 127 below FLT_MIN gives scale FLT_MIN.
  std::vector<float> tiny = {1e-40f, -3e-39f, 0, 2e-45f, 5e-39f, -1e-45f, 1e-38f, 0};
  CheckQuantize(isa, tiny, 1, 2, 1, 4, 0, 1, 1);
}

INSTANTIATE_TEST_SUITE_P(Isa, TconvIsaTest,
                         ::testing::Values(Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni),
                         [](const ::testing::TestParamInfo<Isa>& i) {
                           return std::string(IsaName(i.param));
                         });

// ---- The 2-bit resident weights (internal.h, "Resident form") ---------------------------------

struct SimdForm {
  Isa isa;
  internal::Blocking blk;
  internal::DecodeFn decode;
};
const SimdForm kSimdForms[] = {
    {Isa::kAvx2, internal::kAvx2Blocking, internal::DecodeAvx2},
    {Isa::kAvx512Vnni, internal::kAvx512VnniBlocking, internal::DecodeAvx512Vnni},
};

// The scalar decode pins the layout formula: byte j of vector v is bits 2(j / block) of source
// byte j % block, code - 1.
TEST(TconvPacked, ScalarDecodeFormula) {
  const uint8_t src[8] = {0b10'01'00'10, 0x55, 0, 0xAA, 1, 2, 0b00'10'00'00, 0x55};
  int8_t out[32];
  internal::DecodeScalar(src, 1, 8, out);
  EXPECT_EQ(out[0], 1);    // byte 0, bits 1..0 = 10
  EXPECT_EQ(out[8], -1);   // byte 0, bits 3..2 = 00
  EXPECT_EQ(out[16], 0);   // byte 0, bits 5..4 = 01
  EXPECT_EQ(out[24], 1);   // byte 0, bits 7..6 = 10
  EXPECT_EQ(out[1], 0);    // 0x55: every code 01
  EXPECT_EQ(out[2], -1);   // 0: every code 00
  EXPECT_EQ(out[27], 1);   // 0xAA, bits 7..6
  EXPECT_EQ(out[12], -1);  // byte 4 = 1: bits 3..2 = 00
  EXPECT_EQ(out[4], 0);    // byte 4 = 1: bits 1..0 = 01
  EXPECT_EQ(out[22], 1);   // byte 6, bits 5..4 = 10
}

// Every SIMD decoder equals the scalar one on random valid codes, for every count 0..13 (the
// 4-vector loop and its tail), at an offset within the source.
TEST(TconvPacked, DecoderMatchesScalar) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> code(0, 2);
  for (const SimdForm& f : kSimdForms) {
    if (!IsaSupported(f.isa)) continue;
    SCOPED_TRACE(IsaName(f.isa));
    const int64_t block = f.blk.block;
    for (int64_t n = 0; n <= 13; ++n) {
      for (int64_t at : {0, 3}) {
        AlignedBuffer<uint8_t> src(static_cast<size_t>((n + at + 1) * block));
        for (size_t i = 0; i < src.size(); ++i) {
          src[i] =
              static_cast<uint8_t>(code(rng) | code(rng) << 2 | code(rng) << 4 | code(rng) << 6);
        }
        AlignedBuffer<int8_t> got(static_cast<size_t>((n + 1) * 4 * block));
        std::vector<int8_t> want(static_cast<size_t>((n + 1) * 4 * block), 99);
        std::fill_n(got.data(), got.size(), int8_t{99});
        f.decode(src.data() + at * block, n, got.data());
        internal::DecodeScalar(src.data() + at * block, n, block, want.data());
        for (size_t i = 0; i < want.size(); ++i) {
          ASSERT_EQ(got[i], want[i]) << "n " << n << " at " << at << " byte " << i;
        }
      }
    }
  }
}

// Packing then decoding each group gives the s8 panel of internal.h, computed here from the trits
// directly, for shapes with channel-block, group and input-channel tails; the resident size is
// exactly RoundUp(out_c, block) * kh * kw * in_c_pad / 4 bytes (2 bits per padded weight).
TEST(TconvPacked, PackThenDecodeGivesThePanel) {
  std::mt19937 rng(4);
  struct Dims {
    int64_t out_c, in_c, kh, kw;
  };
  for (const SimdForm& f : kSimdForms) {
    const Variant& v = Select(f.isa);
    if (v.isa != f.isa) continue;  // the CPU lacks it
    SCOPED_TRACE(v.name);
    const int64_t block = f.blk.block, group = f.blk.group;
    for (const Dims& d : {Dims{1, 1, 1, 1}, Dims{7, 3, 3, 3}, Dims{8, 4, 1, 1}, Dims{17, 5, 3, 2},
                          Dims{33, 17, 1, 3}, Dims{64, 64, 3, 3}, Dims{65, 8, 1, 1},
                          Dims{100, 13, 3, 3}, Dims{200, 96, 1, 1}, Dims{129, 4, 7, 7}}) {
      SCOPED_TRACE(std::to_string(d.out_c) + "x" + std::to_string(d.in_c) + "x" +
                   std::to_string(d.kh) + "x" + std::to_string(d.kw));
      const std::vector<int8_t> t = RandomTrits(d.out_c * d.in_c * d.kh * d.kw, rng);
      Result<PackedWeights> r = v.pack(t.data(), d.out_c, d.in_c, d.kh, d.kw);
      ASSERT_TRUE(r.ok());
      const PackedWeights& w = r.value();
      const int64_t cp = RoundUp(d.in_c, kChannelAlign), c4n = cp / 4, kpos_n = d.kh * d.kw;
      const int64_t nb = (d.out_c + block - 1) / block, block_vecs = kpos_n * c4n;
      ASSERT_EQ(w.data.bytes(), static_cast<size_t>(RoundUp(d.out_c, block) * kpos_n * cp / 4));
      EXPECT_EQ(w.data.bytes(), static_cast<size_t>(nb * block_vecs * block));
      const auto* src = reinterpret_cast<const uint8_t*>(w.data.data());
      for (int64_t g = 0; g * group < nb; ++g) {
        const int64_t nbg = std::min(group, nb - g * group);
        AlignedBuffer<int8_t> panel(static_cast<size_t>(nbg * block_vecs * 4 * block));
        f.decode(src + g * group * block_vecs * block, nbg * block_vecs, panel.data());
        // [kpos][c4][b < nbg][channel < block][kk < 4], zero past out_c and in_c.
        size_t i = 0;
        for (int64_t kp = 0; kp < kpos_n; ++kp) {
          for (int64_t c4 = 0; c4 < c4n; ++c4) {
            for (int64_t b = 0; b < nbg; ++b) {
              for (int64_t ch = 0; ch < block; ++ch) {
                for (int64_t kk = 0; kk < 4; ++kk, ++i) {
                  const int64_t o = (g * group + b) * block + ch, ic = c4 * 4 + kk;
                  const int64_t y = kp / d.kw, x = kp % d.kw;
                  const int8_t want =
                      o < d.out_c && ic < d.in_c
                          ? t[static_cast<size_t>(((o * d.in_c + ic) * d.kh + y) * d.kw + x)]
                          : 0;
                  ASSERT_EQ(panel[i], want) << "group " << g << " kpos " << kp << " c4 " << c4
                                            << " block " << b << " channel " << ch << " kk " << kk;
                }
              }
            }
          }
        }
      }
    }
  }
}

// The reference keeps [out_c][kh][kw][in_c] at 2 bits per trit: ceil(out_c * K / 4) bytes.
TEST(TconvPacked, ReferenceIsTwoBitsPerWeight) {
  std::mt19937 rng(6);
  for (int64_t out_c : {1, 3, 64}) {
    const std::vector<int8_t> t = RandomTrits(out_c * 5 * 3 * 3, rng);
    Result<PackedWeights> r = Reference().pack(t.data(), out_c, 5, 3, 3);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().data.bytes(), static_cast<size_t>((out_c * 45 + 3) / 4));
  }
}

TEST(Tconv, VariantsBestFirstAndSelect) {
  const auto v = Variants();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].isa, Isa::kAvx512Vnni);
  EXPECT_EQ(v[1].isa, Isa::kAvx2);
  EXPECT_EQ(v[2].isa, Isa::kReference);
  EXPECT_EQ(&Reference(), &v[2]);
  EXPECT_STREQ(Reference().name, "conv2d_t2_u8_f32_1x1__reference");
  EXPECT_EQ(Select(Isa::kReference).isa, Isa::kReference);
  EXPECT_EQ(Select(Isa::kAvx2).isa, Isa::kAvx2);
  EXPECT_EQ(Select(Isa::kAvx512Vnni).isa, Isa::kAvx512Vnni);
}

TEST(Tconv, ValidateShapeNamesTheField) {
  ConvShape s = Shape(1, 4, 4, 3, 8, 3, 1, 1);
  EXPECT_TRUE(ValidateShape(s).ok());
  s.in_c = 0;
  EXPECT_NE(ValidateShape(s).message().find("in_c"), std::string::npos);
  s = Shape(1, 4, 4, 3, 8, 3, 1, 1);
  s.stride_w = -1;
  EXPECT_NE(ValidateShape(s).message().find("stride_w"), std::string::npos);
  s = Shape(1, 2, 2, 3, 8, 5);  // 5x5 kernel on a 2x2 image without padding
  EXPECT_FALSE(ValidateShape(s).ok());
  s = Shape(1, 4, 4, 3, 8, 3, 1, 1);
  s.pad_h = -1;
  EXPECT_FALSE(ValidateShape(s).ok());
}

}  // namespace
}  // namespace triton::kernels::tconv
