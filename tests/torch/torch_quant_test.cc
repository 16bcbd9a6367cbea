// Quantization and conversion ops against their formulas written in torch (torch_ops.cc) and
// against triton/quant; integer and ternary operands through every kind of op; and one case per
// op of ops.def (an exhaustive switch, so a new op fails the build here too).
#include <cmath>
#include <limits>

#include "tests/torch/torch_test_util.h"
#include "triton/quant/int8.h"
#include "triton/quant/ternary.h"

namespace triton::torch_ops::testing {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

HostTensor Eval(K k, const std::vector<HostTensor>& in, const ir::Attrs& attrs = {}) {
  ir::Op op;
  op.kind = k;
  op.attrs = attrs;
  std::vector<const HostTensor*> ptrs;
  for (const HostTensor& t : in) ptrs.push_back(&t);
  Result<HostTensor> r = ir::EvalOp(op, ptrs);
  if (!r.ok()) ADD_FAILURE() << r.status().message();
  return r.ok() ? std::move(r).value() : HostTensor{};
}

TEST(TorchAgreement, TernaryQuantizeFormulas) {
  Rng rng(11);
  const std::vector<std::vector<int64_t>> shapes = {{8, 4, 3, 3}, {16, 32}, {10}, {1, 5}};
  for (const auto& shape : shapes) {
    const HostTensor w = Normal(rng, shape, 0.1);
    for (const char* method : {"twn", "threshold", "absmean", "stochastic", "learned"}) {
      for (bool per_channel : {true, false}) {
        for (double f : {0.7, 0.05, 0.5}) {
          Agree(
              K::kTernaryQuantize, {w},
              A({{"method", std::string(method)}, {"threshold", f}, {"per_channel", per_channel}}));
        }
      }
    }
  }
  Agree(K::kTernaryQuantize, {Fixed({2, 2}, {0, 0, 1, -2})});
}

// The evaluator's local ternarizer is triton::quant::Ternarize, code for code and bit for bit.
TEST(TorchAgreement, TernaryQuantizeMatchesTritonQuant) {
  Rng rng(12);
  for (const char* name : {"twn", "threshold", "absmean"}) {
    for (bool per_channel : {true, false}) {
      const HostTensor w = Normal(rng, {12, 3, 3, 3}, 0.2);
      quant::TernaryOptions o;
      o.method = quant::ParseMethod(name).value();
      o.per_channel = per_channel;
      o.threshold_factor = std::string(name) == "threshold" ? 0.1 : 0.7;
      const HostTensor t = Eval(K::kTernaryQuantize, {w},
                                A({{"method", std::string(name)},
                                   {"threshold", o.threshold_factor},
                                   {"per_channel", per_channel}}));
      Result<quant::TernaryTensor> q = quant::Ternarize(w.data, w.shape, o);
      ASSERT_TRUE(q.ok()) << q.status().message();
      ASSERT_EQ(t.data.size(), q.value().trits.size());
      for (size_t i = 0; i < t.data.size(); ++i) {
        ASSERT_EQ(t.data[i], q.value().trits[i]) << name << " element " << i;
      }
      EXPECT_EQ(t.scale_pos, q.value().scale_pos) << name;
      EXPECT_EQ(t.scale_neg, q.value().scale_neg) << name;
    }
  }
}

TEST(TorchAgreement, QuantizeInt8AndDequantize) {
  Rng rng(13);
  Agree(K::kQuantizeInt8, {Normal(rng, {4, 100}, 3)});
  Agree(K::kQuantizeInt8, {Fixed({6}, {127, 2.5, 3.5, -0.5, kNaN, -kInf})});
  Agree(K::kQuantizeInt8, {Fixed({3}, {0, 0, 0})});
  // Codes and scale equal triton::quant's.
  const HostTensor x = Normal(rng, {300}, 2);
  const HostTensor q = Eval(K::kQuantizeInt8, {x});
  const float scale = quant::AbsmaxScale(x.data);
  std::vector<int8_t> codes(x.data.size());
  quant::QuantizeS8(x.data, scale, codes);
  EXPECT_EQ(q.scale_pos, std::vector<float>{scale});
  for (size_t i = 0; i < codes.size(); ++i) ASSERT_EQ(q.data[i], codes[i]) << i;
  // dequantize undoes it within half a step.
  const HostTensor d = Eval(K::kDequantize, {q});
  for (size_t i = 0; i < x.data.size(); ++i) EXPECT_NEAR(d.data[i], x.data[i], scale / 2 + 1e-7);

  const HostTensor t = RandomTrits(rng, {4, 6}, true, true);
  Agree(K::kDequantize, {t});
  Agree(K::kDequantize, {t, Uniform(rng, {4}, 0.1, 2)});
  Agree(K::kDequantize, {t, Uniform(rng, {6}, 0.1, 2)}, A({{"axis", int64_t{1}}}));
  Agree(K::kDequantize, {t, Uniform(rng, {6}, 0.1, 2)}, A({{"axis", int64_t{-1}}}));
  Agree(K::kDequantize, {t, Fixed({}, {0.3f})});
  Agree(K::kDequantize, {t, Fixed({1}, {0.3f})});
  Agree(K::kDequantize, {RandomInts(rng, {3, 5}, -127, 127, DType::kInt8), Uniform(rng, {3})});
  Agree(K::kDequantize, {RandomInts(rng, {3, 5}, -1000, 1000, DType::kInt32)});
  Agree(K::kDequantize, {Normal(rng, {3, 5})});
  Agree(K::kSteQuantize, {Normal(rng, {3, 5})});
  Agree(K::kSteQuantize, {t});
}

TEST(TorchAgreement, Cast) {
  Rng rng(14);
  const HostTensor x = Uniform(rng, {200}, -300, 300);
  for (const char* to :
       {"int8", "int16", "int32", "bool", "float16", "bfloat16", "float64", "float32"}) {
    Agree(K::kCast, {x}, A({{"dtype", std::string(to)}}));
  }
  Agree(K::kCast, {Fixed({4}, {kNaN, kInf, -kInf, -0.7f})}, A({{"dtype", std::string("int32")}}));
  Agree(K::kCast, {RandomInts(rng, {50}, -30000, 30000, DType::kInt16)},
        A({{"dtype", std::string("int8")}}));  // wraps, as libtorch
  const HostTensor t = RandomTrits(rng, {3, 4});
  for (const char* to : {"int8", "int32", "float32", "trit", "bool"}) {
    Agree(K::kCast, {t}, A({{"dtype", std::string(to)}}));
  }
  // In range, the saturating conversion is libtorch's own .to(): truncation toward zero.
  const HostTensor small = Uniform(rng, {100}, -127, 127);
  const HostTensor mine = Eval(K::kCast, {small}, A({{"dtype", std::string("int8")}}));
  const torch::Tensor theirs = ToTorch(small).to(torch::kChar).to(torch::kFloat);
  for (size_t i = 0; i < small.data.size(); ++i) {
    EXPECT_EQ(mine.data[i], theirs[static_cast<int64_t>(i)].item<float>()) << small.data[i];
  }
}

// Integer and ternary operands: integer results read trit codes, float results their values.
TEST(TorchAgreement, IntegerAndTernaryOperands) {
  Rng rng(15);
  const auto i8 = [&](std::vector<int64_t> s) {
    return RandomInts(rng, s, -128, 127, DType::kInt8);
  };
  for (K k : {K::kAdd, K::kSub, K::kMul}) Agree(k, {i8({3, 4}), i8({4})});  // wrap-around
  Agree(K::kPow,
        {RandomInts(rng, {10}, -5, 5, DType::kInt8), RandomInts(rng, {10}, 0, 3, DType::kInt8)});
  Agree(K::kDiv,
        {RandomInts(rng, {6}, -50, 50, DType::kInt32), RandomInts(rng, {6}, 1, 9, DType::kInt32)});
  Agree(K::kSub, {RandomInts(rng, {2, 3}, -999, 999, DType::kInt16), i8({3})});
  Agree(K::kAdd,
        {Uniform(rng, {8}, -4, 4, DType::kFloat16), Uniform(rng, {8}, -4, 4, DType::kFloat16)});
  const HostTensor a = RandomTrits(rng, {3, 4}), b = RandomTrits(rng, {3, 4}, false, true);
  for (K k : {K::kAdd, K::kSub, K::kMul}) {
    Agree(k, {a, b});                 // int8 of codes
    Agree(k, {Normal(rng, {4}), a});  // float32 of values
  }
  for (K k : {K::kRelu, K::kRelu6, K::kAbs, K::kNeg}) {
    Agree(k, {i8({20})});
    Agree(k, {a});
  }
  for (K k : {K::kSigmoid, K::kGelu, K::kSoftmax, K::kClip}) Agree(k, {a});
  Agree(K::kSum, {i8({4, 50})}, A({{"axes", Ints{1}}}));
  Agree(K::kSum, {a});
  Agree(K::kMean, {i8({4, 5})});
  Agree(K::kMean, {a}, A({{"axes", Ints{0}}}));
  Agree(K::kReduceMax, {a}, A({{"axes", Ints{1}}}));
  Agree(K::kReduceMin, {i8({4, 5})}, A({{"axes", Ints{0}}}));
  const HostTensor img = RandomTrits(rng, {2, 3, 6, 6});
  Agree(K::kMaxPool2d, {img}, A({{"kernel", Ints{2, 2}}}));
  Agree(K::kMaxPool2d, {i8({1, 2, 5, 5})}, A({{"kernel", Ints{3, 3}}, {"padding", Ints{1, 1}}}));
  Agree(K::kAvgPool2d, {i8({1, 2, 5, 5})}, A({{"kernel", Ints{2, 2}}, {"ceil_mode", true}}));
  Agree(K::kAvgPool2d, {img}, A({{"kernel", Ints{3, 3}}, {"stride", Ints{1, 1}}}));
  Agree(K::kGlobalAvgPool2d, {img});
  Agree(K::kAdaptiveAvgPool2d, {i8({1, 2, 5, 5})}, A({{"output_size", Ints{2, 2}}}));
  Agree(K::kConcat, {a, i8({2, 4})});
  Agree(K::kConcat, {a, RandomTrits(rng, {1, 4})});
  Agree(K::kTranspose, {a}, A({{"dim0", int64_t{0}}, {"dim1", int64_t{1}}}));
  Agree(K::kPermute, {img}, A({{"dims", Ints{1, 0, 3, 2}}}));
  Agree(K::kReshape, {img}, A({{"shape", Ints{6, -1}}}));
  Agree(K::kFlatten, {img});
  Agree(K::kPad, {img}, A({{"pads", Ints{1, 1, 2, 0}}}));
  Agree(K::kPad, {i8({2, 5})}, A({{"pads", Ints{1, 2}}, {"value", -3.0}}));
  Agree(K::kDropout, {a});
  // Dense ops: int8 x trit -> int32 of codes; float x trit -> float of values.
  const HostTensor q = RandomInts(rng, {1, 4, 6, 6}, -127, 127, DType::kInt8);
  Agree(K::kConv2d, {q, RandomTrits(rng, {5, 4, 3, 3})}, A({{"padding", Ints{1, 1}}}));
  Agree(K::kLinear, {i8({3, 16}), RandomTrits(rng, {4, 16})});
  Agree(K::kLinear, {i8({3, 16}), i8({4, 16}), RandomInts(rng, {4}, -1000, 1000, DType::kInt32)});
  Agree(K::kMatMul, {a, RandomTrits(rng, {4, 2})});
  Agree(K::kMatMul, {Normal(rng, {2, 3}), a});
}

// One case per op, chosen by an exhaustive switch.
std::vector<HostTensor> SmokeCase(K k, Rng& rng, ir::Attrs* a) {
  const HostTensor x = Normal(rng, {2, 4, 6, 6});
  switch (k) {
    case K::kConv2d:
      *a = A({{"padding", Ints{1, 1}}});
      return {x, RandomTrits(rng, {3, 4, 3, 3}), Normal(rng, {3})};
    case K::kLinear:
      return {Normal(rng, {2, 8}), Normal(rng, {3, 8}), Normal(rng, {3})};
    case K::kMatMul:
      return {Normal(rng, {2, 3, 4}), Normal(rng, {4, 5})};
    case K::kBatchNorm:
      return {x, Normal(rng, {4}), Normal(rng, {4}), Normal(rng, {4}), Uniform(rng, {4}, 0.5, 2)};
    case K::kLayerNorm:
      return {x, Normal(rng, {6}), Normal(rng, {6})};
    case K::kFusedConv2d:
      *a = A({{"padding", Ints{1, 1}},
              {"has_bias", true},
              {"has_bn", true},
              {"has_residual", true},
              {"activation", std::string("silu")}});
      return {x,
              RandomTrits(rng, {3, 4, 3, 3}),
              Normal(rng, {3}),
              Normal(rng, {3}),
              Normal(rng, {3}),
              Normal(rng, {3}),
              Uniform(rng, {3}, 0.5, 2),
              Normal(rng, {2, 3, 6, 6})};
    case K::kFusedLinear:
      *a = A({{"has_bn", true}, {"activation", std::string("relu6")}});
      return {Normal(rng, {2, 8}), Normal(rng, {3, 8}), Normal(rng, {3}),
              Normal(rng, {3}),    Normal(rng, {3}),    Uniform(rng, {3}, 0.5, 2)};
    case K::kRelu:
    case K::kRelu6:
    case K::kSigmoid:
    case K::kTanh:
    case K::kGelu:
    case K::kSilu:
    case K::kHardswish:
    case K::kHardsigmoid:
    case K::kAbs:
    case K::kNeg:
    case K::kDropout:
    case K::kSoftmax:
    case K::kLogSoftmax:
    case K::kGlobalAvgPool2d:
    case K::kFlatten:
    case K::kMean:
    case K::kSum:
    case K::kReduceMax:
    case K::kReduceMin:
    case K::kSteQuantize:
    case K::kQuantizeInt8:
      return {x};
    case K::kClip:
      *a = A({{"min", -0.5}, {"max", 0.5}});
      return {x};
    case K::kAdd:
    case K::kSub:
    case K::kMul:
    case K::kDiv:
      return {x, Uniform(rng, {6}, 0.5, 1.5)};
    case K::kPow:
      return {Uniform(rng, {2, 3}, 0.5, 2), Normal(rng, {3})};
    case K::kMaxPool2d:
    case K::kAvgPool2d:
      *a = A({{"kernel", Ints{3, 3}}, {"stride", Ints{2, 2}}, {"padding", Ints{1, 1}}});
      return {x};
    case K::kAdaptiveAvgPool2d:
      *a = A({{"output_size", Ints{4, 4}}});
      return {x};
    case K::kReshape:
      *a = A({{"shape", Ints{-1, 12}}});
      return {x};
    case K::kTranspose:
      *a = A({{"dim0", int64_t{1}}, {"dim1", int64_t{2}}});
      return {x};
    case K::kPermute:
      *a = A({{"dims", Ints{3, 1, 2, 0}}});
      return {x};
    case K::kConcat:
      *a = A({{"axis", int64_t{1}}});
      return {x, x};
    case K::kPad:
      *a = A({{"pads", Ints{1, 1, 1, 1}}, {"mode", std::string("reflect")}});
      return {x};
    case K::kTernaryQuantize:
      return {Normal(rng, {4, 9})};
    case K::kDequantize:
      return {RandomTrits(rng, {4, 9})};
    case K::kCast:
      *a = A({{"dtype", std::string("float16")}});
      return {x};
    case K::kReorder:
      *a = A({{"to", std::string("nhwc")}});
      return {x};
  }
  return {};
}

TEST(TorchAgreement, EveryOpOfOpsDef) {
  Rng rng(16);
  for (K k : ir::AllOps()) {
    ir::Attrs a;
    const std::vector<HostTensor> in = SmokeCase(k, rng, &a);
    ASSERT_FALSE(in.empty()) << ir::OpMnemonic(k) << " has no case";
    Agree(k, in, a);
  }
}

}  // namespace
}  // namespace triton::torch_ops::testing
