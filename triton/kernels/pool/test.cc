// pool against the IR reference evaluator (ir::EvalOp, NCHW) at every supported ISA level and at
// 1 and 2 threads. Maxima must be exact (NaN and -0.0 included). Averages are summed in double in
// the reference's order and divided in double, so they are checked for exact equality too
// (stronger than the 1e-6 relative the contract needs).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/kernels/pool/pool.h"

namespace triton::kernels::pool {
namespace {

std::vector<float> Random(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

std::vector<float> ToNchw(const std::vector<float>& x, int64_t n, int64_t h, int64_t w, int64_t c) {
  std::vector<float> o(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < h * w; ++i)
      for (int64_t ch = 0; ch < c; ++ch) o[(b * c + ch) * h * w + i] = x[(b * h * w + i) * c + ch];
  return o;
}

std::vector<float> ToNhwc(const std::vector<float>& x, int64_t n, int64_t h, int64_t w, int64_t c) {
  std::vector<float> o(x.size());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t i = 0; i < h * w; ++i)
      for (int64_t ch = 0; ch < c; ++ch) o[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
  return o;
}

// Runs `kind` on NHWC input x [n][h][w][c] through ir::EvalOp; returns NHWC and the out dims.
std::vector<float> Oracle(ir::OpKind kind, const ir::Attrs& attrs, const std::vector<float>& x,
                          int64_t n, int64_t h, int64_t w, int64_t c, int64_t* oh, int64_t* ow) {
  ir::HostTensor t;
  t.shape = {n, c, h, w};
  t.data = ToNchw(x, n, h, w, c);
  ir::Op op;
  op.kind = kind;
  op.attrs = attrs;
  Result<ir::HostTensor> r = ir::EvalOp(op, {&t});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().message());
  if (!r.ok()) return {};
  *oh = r.value().shape[2];
  *ow = r.value().shape[3];
  return ToNhwc(r.value().data, n, *oh, *ow, c);
}

// Bitwise equality, except that any NaN matches any NaN.
void ExpectSame(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  int bad = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const bool same = (std::isnan(got[i]) && std::isnan(want[i])) ||
                      std::memcmp(&got[i], &want[i], sizeof(float)) == 0;
    if (!same && bad++ < 5) {
      ADD_FAILURE() << "element " << i << ": got " << got[i] << ", want " << want[i];
    }
  }
  EXPECT_EQ(bad, 0);
}

class PoolTest : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (!IsaSupported(GetParam())) GTEST_SKIP() << IsaName(GetParam()) << " not supported here";
  }

  void Check(const PoolShape& s, bool with_specials = false) {
    std::ostringstream name;
    name << "n" << s.batch << " " << s.in_h << "x" << s.in_w << "x" << s.c << " k" << s.kh << "x"
         << s.kw << " s" << s.stride_h << "x" << s.stride_w << " p" << s.pad_h << "x" << s.pad_w
         << (s.ceil_mode ? " ceil" : "");
    SCOPED_TRACE(name.str());
    std::vector<float> x = Random(s.batch * s.in_h * s.in_w * s.c, 7 + s.c + s.in_h);
    if (with_specials) {  // NaN, -0.0 before 0.0, -inf
      for (size_t i = 0; i + 3 < x.size(); i += 11) {
        x[i] = std::numeric_limits<float>::quiet_NaN();
        x[i + 1] = -0.0f;
        x[i + 2] = -std::numeric_limits<float>::infinity();
      }
    }
    ir::Attrs a;
    a.Set("kernel", std::vector<int64_t>{s.kh, s.kw});
    a.Set("stride", std::vector<int64_t>{s.stride_h, s.stride_w});
    a.Set("padding", std::vector<int64_t>{s.pad_h, s.pad_w});
    a.Set("ceil_mode", s.ceil_mode);
    for (ir::OpKind kind : {ir::OpKind::kMaxPool2d, ir::OpKind::kAvgPool2d}) {
      int64_t oh = 0, ow = 0;
      const std::vector<float> want = Oracle(kind, a, x, s.batch, s.in_h, s.in_w, s.c, &oh, &ow);
      ASSERT_EQ(oh, s.out_h());
      ASSERT_EQ(ow, s.out_w());
      for (int threads : {1, 2}) {
        std::vector<float> got(want.size(), 12345.0f);
        if (kind == ir::OpKind::kMaxPool2d) {
          MaxPool(s, x.data(), got.data(), GetParam(), threads);
        } else {
          AvgPool(s, x.data(), got.data(), GetParam(), threads);
        }
        SCOPED_TRACE(std::string(ir::OpMnemonic(kind)) + " threads " + std::to_string(threads));
        ExpectSame(got, want);
      }
    }
  }

  void CheckAdaptive(int64_t n, int64_t h, int64_t w, int64_t c, int64_t oh, int64_t ow) {
    SCOPED_TRACE(std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c) + " -> " +
                 std::to_string(oh) + "x" + std::to_string(ow));
    const std::vector<float> x = Random(n * h * w * c, 3);
    ir::Attrs a;
    a.Set("output_size", std::vector<int64_t>{oh, ow});
    int64_t rh = 0, rw = 0;
    std::vector<float> want = Oracle(ir::OpKind::kAdaptiveAvgPool2d, a, x, n, h, w, c, &rh, &rw);
    ASSERT_EQ(rh, oh);
    ASSERT_EQ(rw, ow);
    if (oh == 1 && ow == 1) {  // global pooling: the same result from the global op
      ExpectSame(Oracle(ir::OpKind::kGlobalAvgPool2d, {}, x, n, h, w, c, &rh, &rw), want);
    }
    for (int threads : {1, 2}) {
      std::vector<float> got(want.size(), 12345.0f);
      AdaptiveAvgPool(n, h, w, c, oh, ow, x.data(), got.data(), GetParam(), threads);
      ExpectSame(got, want);
    }
  }
};

PoolShape Shape(int64_t n, int64_t h, int64_t w, int64_t c, int64_t k, int64_t stride, int64_t pad,
                bool ceil_mode = false) {
  PoolShape s;
  s.batch = n, s.in_h = h, s.in_w = w, s.c = c, s.kh = s.kw = k;
  s.stride_h = s.stride_w = stride, s.pad_h = s.pad_w = pad, s.ceil_mode = ceil_mode;
  return s;
}

TEST_P(PoolTest, Windows) {
  for (int64_t c : {1, 17, 32, 96}) {
    for (int64_t n : {1, 3}) {
      Check(Shape(n, 8, 8, c, 2, 2, 0));
      Check(Shape(n, 13, 11, c, 3, 2, 1));  // ResNet's stem max pool, odd sizes
      Check(Shape(n, 9, 7, c, 3, 1, 1));
    }
  }
  PoolShape rect = Shape(2, 10, 9, 5, 1, 1, 0);
  rect.kh = 2, rect.kw = 3, rect.stride_h = 1, rect.stride_w = 2, rect.pad_w = 1;
  Check(rect);
  Check(Shape(1, 1, 1, 40, 1, 1, 0));
}

TEST_P(PoolTest, CeilMode) {
  for (int64_t c : {3, 16, 33}) {
    Check(Shape(1, 8, 8, c, 3, 2, 0, true));
    Check(Shape(2, 9, 10, c, 3, 2, 1, true));
    Check(Shape(1, 5, 5, c, 2, 2, 0, true));
    Check(Shape(1, 6, 7, c, 4, 3, 1, true));
    Check(Shape(1, 5, 5, c, 2, 2, 1, true));  // a last window in the padding is dropped
  }
}

TEST_P(PoolTest, Specials) {
  Check(Shape(1, 9, 9, 19, 3, 2, 1), true);
  Check(Shape(2, 6, 6, 40, 2, 2, 0, true), true);
}

TEST_P(PoolTest, Adaptive) {
  CheckAdaptive(1, 7, 7, 512, 1, 1);
  CheckAdaptive(3, 7, 7, 17, 3, 3);
  CheckAdaptive(2, 5, 9, 20, 2, 4);
  CheckAdaptive(1, 7, 7, 9, 7, 7);
  CheckAdaptive(1, 3, 3, 8, 5, 5);  // output larger than the input
  CheckAdaptive(2, 56, 56, 64, 1, 1);
}

INSTANTIATE_TEST_SUITE_P(Isas, PoolTest,
                         ::testing::Values(Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni),
                         [](const auto& info) { return std::string(IsaName(info.param)); });

TEST(PoolLayout, RoundTrip) {
  for (auto [n, c, h, w] : {std::tuple<int64_t, int64_t, int64_t, int64_t>{1, 3, 224, 224},
                            {2, 17, 5, 7},
                            {3, 64, 33, 1},
                            {1, 1, 1, 1}}) {
    const std::vector<float> x = Random(n * c * h * w, 5);
    for (int threads : {1, 2}) {
      std::vector<float> nhwc(x.size()), back(x.size());
      NchwToNhwc(n, c, h, w, x.data(), nhwc.data(), threads);
      EXPECT_EQ(nhwc, ToNhwc(x, n, h, w, c));
      NhwcToNchw(n, c, h, w, nhwc.data(), back.data(), threads);
      EXPECT_EQ(back, x);
    }
  }
}

TEST(PoolShapeTest, OutSize) {
  EXPECT_EQ(Shape(1, 112, 112, 1, 3, 2, 1).out_h(), 56);
  EXPECT_EQ(Shape(1, 8, 8, 1, 3, 2, 0, true).out_h(), 4);  // floor mode gives 3
  EXPECT_EQ(Shape(1, 8, 8, 1, 3, 2, 0, false).out_h(), 3);
  EXPECT_EQ(Shape(1, 5, 5, 1, 2, 2, 0, true).out_w(), 3);
  EXPECT_EQ(Shape(1, 5, 5, 1, 2, 2, 1, true).out_h(), 3);  // last window would start in padding
}

}  // namespace
}  // namespace triton::kernels::pool
