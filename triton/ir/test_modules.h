#pragma once
// Builder-made modules shared by the golden, parser and verifier tests.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "triton/ir/builder.h"
#include "triton/ir/test_util.h"

namespace triton::ir::testing {

// AddOp that fails the current test (and returns kNoValue) on a shape error.
inline ValueId Emit(Builder& b, OpKind k, std::vector<ValueId> in, Attrs a = {},
                    std::string scope = {}) {
  auto r = b.AddOp(k, std::move(in), std::move(a), std::move(scope));
  if (auto* e = std::get_if<ShapeError>(&r)) {
    ADD_FAILURE() << OpMnemonic(k) << ": " << e->message;
    return kNoValue;
  }
  return std::get<ValueId>(r);
}

inline Param Ternary(std::string init = "kaiming_normal") {
  Param p;
  p.ternary = true;
  p.init = std::move(init);
  return p;
}

inline Param Buffer(std::string init) {
  Param p;
  p.trainable = false;
  p.init = std::move(init);
  return p;
}

inline Param Init(std::string init, Attrs args = {}) {
  Param p;
  p.init = std::move(init);
  p.init_args = std::move(args);
  return p;
}

// The documented ternary MLP: relu(x @ W1 + b1) @ W2 + b2 with ternary weights, QAT style.
inline Module TernaryMlp() {
  Module m;
  m.name = "ternary_mlp";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 784]"));
  ValueId w1 = b.AddParam("fc1.weight", T("f32[784, 256]"), Init("kaiming_normal"));
  ValueId b1 = b.AddParam("fc1.bias", T("f32[256]"), Init("zeros"));
  ValueId w2 = b.AddParam("fc2.weight", T("trit[256, 10]"), Ternary("random_ternary"));
  ValueId b2 = b.AddParam("fc2.bias", T("f32[10]"), Init("zeros"));
  ValueId q = Emit(b, OpKind::kTernaryQuantize, {w1},
                   A({{"method", std::string("twn")}, {"threshold", 0.7}}), "fc1");
  q = Emit(b, OpKind::kSteQuantize, {q}, {}, "fc1");
  ValueId h = Emit(b, OpKind::kMatMul, {x, q}, {}, "fc1");
  h = Emit(b, OpKind::kAdd, {h, b1}, {}, "fc1");
  h = Emit(b, OpKind::kRelu, {h});
  h = Emit(b, OpKind::kMatMul, {h, w2}, {}, "fc2");
  h = Emit(b, OpKind::kAdd, {h, b2}, {}, "fc2");
  b.AddOutput(Emit(b, OpKind::kLogSoftmax, {h}, A({{"axis", int64_t{-1}}})));
  return m;
}

// A ResNet basic block with a ternary 3x3 path and a strided 1x1 shortcut, plus batch norms.
inline Module ResNetBlock() {
  Module m;
  m.name = "resnet_block";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 64, 56, 56]"));
  const auto conv = [&](const std::string& name, const char* type) {
    return b.AddParam(name + ".weight", T(type), Ternary());
  };
  const auto bn = [&](const std::string& name, const char* c) {
    const std::string t = std::string("f32[") + c + "]";
    std::vector<ValueId> p = {b.AddParam(name + ".weight", T(t), Init("ones")),
                              b.AddParam(name + ".bias", T(t), Init("zeros")),
                              b.AddParam(name + ".running_mean", T(t), Buffer("zeros")),
                              b.AddParam(name + ".running_var", T(t), Buffer("ones"))};
    return p;
  };
  ValueId w1 = conv("layer2.0.conv1", "trit[128, 64, 3, 3]");
  std::vector<ValueId> bn1 = bn("layer2.0.bn1", "128");
  ValueId w2 = conv("layer2.0.conv2", "trit[128, 128, 3, 3]");
  std::vector<ValueId> bn2 = bn("layer2.0.bn2", "128");
  ValueId wd = conv("layer2.0.downsample.0", "trit[128, 64, 1, 1]");
  std::vector<ValueId> bnd = bn("layer2.0.downsample.1", "128");
  const Attrs s2 = A({{"stride", Ints{2, 2}}, {"padding", Ints{1, 1}}});
  const Attrs s1 = A({{"padding", Ints{1, 1}}});
  const Attrs eps = A({{"eps", 1e-5}, {"momentum", 0.1}});
  ValueId h = Emit(b, OpKind::kConv2d, {x, w1}, s2, "layer2.0.conv1");
  h = Emit(b, OpKind::kBatchNorm, {h, bn1[0], bn1[1], bn1[2], bn1[3]}, eps, "layer2.0.bn1");
  h = Emit(b, OpKind::kRelu, {h}, {}, "layer2.0");
  h = Emit(b, OpKind::kConv2d, {h, w2}, s1, "layer2.0.conv2");
  h = Emit(b, OpKind::kBatchNorm, {h, bn2[0], bn2[1], bn2[2], bn2[3]}, eps, "layer2.0.bn2");
  ValueId d =
      Emit(b, OpKind::kConv2d, {x, wd}, A({{"stride", Ints{2, 2}}}), "layer2.0.downsample.0");
  d = Emit(b, OpKind::kBatchNorm, {d, bnd[0], bnd[1], bnd[2], bnd[3]}, eps,
           "layer2.0.downsample.1");
  h = Emit(b, OpKind::kAdd, {h, d}, {}, "layer2.0");
  b.AddOutput(Emit(b, OpKind::kRelu, {h}, {}, "layer2.0"));
  return m;
}

// One use of every op in ops.def, with consts, buffers and every attribute value type.
inline Module EveryOp() {
  Module m;
  m.name = "every_op";
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 8, 16, 16]"));
  ValueId seq = b.AddInput("seq", T("f32[N, 4, 16]"));
  ValueId wc = b.AddParam("conv.weight", T("trit[8, 4, 3, 3]"), Ternary());
  ValueId bc = b.AddParam("conv.bias", T("f32[8]"), Init("zeros"));
  ValueId g = b.AddParam("bn.weight", T("f32[8]"), Init("ones"));
  ValueId be = b.AddParam("bn.bias", T("f32[8]"), Init("zeros"));
  ValueId rm = b.AddParam("bn.running_mean", T("f32[8]"), Buffer("zeros"));
  ValueId rv = b.AddParam("bn.running_var", T("f32[8]"), Buffer("ones"));
  ValueId lw = b.AddParam("ln.weight", T("f32[16]"), Init("ones"));
  ValueId lb = b.AddParam("ln.bias", T("f32[16]"), Init("zeros"));
  ValueId fw =
      b.AddParam("fc.weight", T("f32[10, 128]"), Init("normal", A({{"std", 0.01}, {"mean", 0.0}})));
  ValueId fb = b.AddParam("fc.bias", T("f32[10]"), Init("zeros"));
  ValueId two = b.AddConst(T("f32[]"), {2.0});
  ValueId scale = b.AddConst(T("f32[8]"), {0.5, 0.25, 1, 2, 4, 8, 0.125, 1e-3});
  using K = OpKind;
  ValueId h = Emit(b, K::kConv2d, {x, wc, bc},
                   A({{"stride", Ints{1, 1}},
                      {"padding", Ints{1, 1}},
                      {"dilation", Ints{1, 1}},
                      {"groups", int64_t{2}}}),
                   "conv");
  h = Emit(b, K::kBatchNorm, {h, g, be, rm, rv}, A({{"eps", 1e-5}}), "bn");
  for (K k : {K::kRelu, K::kRelu6, K::kSigmoid, K::kTanh, K::kGelu, K::kSilu, K::kHardswish,
              K::kHardsigmoid, K::kAbs, K::kNeg}) {
    h = Emit(b, k, {h});
  }
  h = Emit(b, K::kClip, {h}, A({{"min", -1.0}, {"max", 1.0}}));
  h = Emit(b, K::kDropout, {h}, A({{"p", 0.1}}));
  h = Emit(b, K::kSoftmax, {h}, A({{"axis", int64_t{1}}}));
  h = Emit(b, K::kLogSoftmax, {h}, A({{"axis", int64_t{-1}}}));
  h = Emit(b, K::kAdd, {h, two});
  h = Emit(b, K::kSub, {h, two});
  h = Emit(b, K::kMul, {h, two});
  h = Emit(b, K::kDiv, {h, two});
  h = Emit(b, K::kPow, {h, two});
  ValueId mp = Emit(b, K::kMaxPool2d, {h},
                    A({{"kernel", Ints{2, 2}},
                       {"stride", Ints{2, 2}},
                       {"padding", Ints{0, 0}},
                       {"ceil_mode", true}}));
  ValueId ap = Emit(b, K::kAvgPool2d, {h}, A({{"kernel", Ints{2, 2}}}));
  ValueId cat = Emit(b, K::kConcat, {mp, ap}, A({{"axis", int64_t{1}}}));
  ValueId gp = Emit(b, K::kGlobalAvgPool2d, {cat});
  ValueId adp = Emit(b, K::kAdaptiveAvgPool2d, {h}, A({{"output_size", Ints{4, 4}}}));
  ValueId fl =
      Emit(b, K::kFlatten, {adp}, A({{"start_dim", int64_t{1}}, {"end_dim", int64_t{-1}}}));
  ValueId out = Emit(b, K::kLinear, {fl, fw, fb}, {}, "fc");
  ValueId ln = Emit(b, K::kLayerNorm, {seq, lw, lb}, A({{"eps", 1e-5}}), "ln");
  ValueId tr = Emit(b, K::kTranspose, {ln}, A({{"dim0", int64_t{1}}, {"dim1", int64_t{2}}}));
  ValueId mm = Emit(b, K::kMatMul, {ln, tr});
  ValueId pm = Emit(b, K::kPermute, {mm}, A({{"dims", Ints{0, 2, 1}}}));
  ValueId rs = Emit(b, K::kReshape, {pm}, A({{"shape", Ints{-1, 16}}}));
  ValueId pd = Emit(b, K::kPad, {rs},
                    A({{"pads", Ints{1, 1}}, {"value", 0.0}, {"mode", std::string("constant")}}));
  ValueId mean = Emit(b, K::kMean, {pd}, A({{"axes", Ints{1}}, {"keepdim", true}}));
  ValueId sum = Emit(b, K::kSum, {gp}, A({{"axes", Ints{}}}));
  ValueId mx = Emit(b, K::kReduceMax, {gp}, A({{"axes", Ints{2, 3}}}));
  ValueId mn = Emit(b, K::kReduceMin, {gp}, A({{"axes", Ints{-1}}, {"keepdim", false}}));
  ValueId tq =
      Emit(b, K::kTernaryQuantize, {h},
           A({{"method", std::string("absmean")}, {"threshold", 0.5}, {"per_channel", false}}));
  ValueId st = Emit(b, K::kSteQuantize, {tq});
  ValueId dq = Emit(b, K::kDequantize, {st, scale}, A({{"axis", int64_t{1}}}));
  ValueId q8 = Emit(b, K::kQuantizeInt8, {dq});
  ValueId cs = Emit(b, K::kCast, {q8}, A({{"dtype", std::string("float16")}}));
  for (ValueId v : {out, mean, sum, mx, mn, cs}) b.AddOutput(v);
  return m;
}

}  // namespace triton::ir::testing
