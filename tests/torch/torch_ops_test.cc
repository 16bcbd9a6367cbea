// The reference evaluator against libtorch's own implementation of every dense, activation,
// arithmetic, pooling, layout and reduction op, on seeded random inputs (torch_test_util.h:
// error measure and bound). Quantization, integer and ternary cases: torch_quant_test.cc.
#include "tests/torch/torch_test_util.h"

namespace triton::torch_ops::testing {
namespace {

ir::Attrs Conv(Ints stride, Ints padding, Ints dilation, int64_t groups) {
  return A({{"stride", stride}, {"padding", padding}, {"dilation", dilation}, {"groups", groups}});
}

ir::Attrs Pool(Ints kernel, Ints stride, Ints padding, bool ceil_mode) {
  return A(
      {{"kernel", kernel}, {"stride", stride}, {"padding", padding}, {"ceil_mode", ceil_mode}});
}

TEST(TorchAgreement, Conv2d) {
  Rng rng(1);
  struct Case {
    std::vector<int64_t> x, w;
    ir::Attrs attrs;
    bool bias;
  };
  const std::vector<Case> cases = {
      {{2, 3, 8, 8}, {4, 3, 3, 3}, Conv({1, 1}, {1, 1}, {1, 1}, 1), true},
      {{1, 3, 7, 9}, {5, 3, 3, 3}, Conv({2, 2}, {1, 1}, {1, 1}, 1), false},      // odd sizes
      {{1, 2, 9, 9}, {3, 2, 3, 3}, Conv({1, 1}, {2, 2}, {2, 2}, 1), true},       // dilation
      {{1, 4, 6, 6}, {6, 2, 3, 3}, Conv({2, 2}, {0, 0}, {1, 1}, 2), true},       // groups
      {{2, 8, 10, 10}, {8, 1, 3, 3}, Conv({1, 1}, {1, 1}, {1, 1}, 8), true},     // depthwise
      {{1, 4, 5, 5}, {8, 1, 5, 5}, Conv({1, 1}, {2, 2}, {1, 1}, 4), false},      // multiplier 2
      {{1, 16, 7, 7}, {8, 16, 1, 1}, Conv({2, 2}, {0, 0}, {1, 1}, 1), false},    // 1x1 stride 2
      {{1, 3, 6, 11}, {4, 3, 1, 3}, Conv({1, 2}, {0, 1}, {2, 1}, 1), true},      // asymmetric
      {{1, 3, 32, 32}, {8, 3, 7, 7}, Conv({2, 2}, {3, 3}, {1, 1}, 1), false},    // ResNet stem
      {{1, 64, 14, 14}, {32, 64, 3, 3}, Conv({1, 1}, {1, 1}, {1, 1}, 1), true},  // K = 576
      {{1, 6, 9, 8}, {6, 2, 3, 2}, Conv({3, 2}, {1, 1}, {2, 3}, 3), true},       // all at once
      {{1, 1, 1, 1}, {1, 1, 1, 1}, Conv({1, 1}, {0, 0}, {1, 1}, 1), true},       // K = 1
  };
  for (const Case& c : cases) {
    std::vector<HostTensor> in = {Normal(rng, c.x), Normal(rng, c.w, 0.5)};
    if (c.bias) in.push_back(Normal(rng, {c.w[0]}));
    Agree(K::kConv2d, in, c.attrs);
  }
  // Ternary weights with per-channel and TTQ scales (libtorch sees their dequantized values).
  Agree(K::kConv2d, {Normal(rng, {2, 4, 6, 6}), RandomTrits(rng, {6, 4, 3, 3})},
        Conv({1, 1}, {1, 1}, {1, 1}, 1));
  Agree(K::kConv2d,
        {Normal(rng, {1, 4, 6, 6}), RandomTrits(rng, {4, 2, 3, 3}, true, true), Normal(rng, {4})},
        Conv({2, 2}, {1, 1}, {1, 1}, 2));
}

TEST(TorchAgreement, LinearAndMatMul) {
  Rng rng(2);
  Agree(K::kLinear, {Normal(rng, {4, 16}), Normal(rng, {8, 16}), Normal(rng, {8})});
  Agree(K::kLinear, {Normal(rng, {2, 3, 5}), Normal(rng, {7, 5})});
  Agree(K::kLinear, {Normal(rng, {3, 1}), Normal(rng, {4, 1}), Normal(rng, {4})});  // K = 1
  Agree(K::kLinear, {Normal(rng, {5}), Normal(rng, {3, 5})});                       // rank 1
  Agree(K::kLinear, {Normal(rng, {2, 256}), RandomTrits(rng, {10, 256}), Normal(rng, {10})});
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
      {{3, 4}, {4, 5}},      {{2, 3, 4}, {4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}},
      {{4}, {4, 3}},         {{3, 4}, {4}},       {{4}, {4}},
      {{4}, {2, 4, 3}},      {{2, 3, 4}, {4}},    {{1, 3, 1}, {2, 1, 5}},
      {{6, 128}, {128, 32}},
  };
  for (const auto& [a, b] : shapes) Agree(K::kMatMul, {Normal(rng, a), Normal(rng, b)});
  Agree(K::kMatMul, {Normal(rng, {3, 8}), RandomTrits(rng, {8, 4}, true, true)});
}

TEST(TorchAgreement, Normalization) {
  Rng rng(3);
  const auto bn = [&](std::vector<int64_t> x, double eps) {
    const int64_t c = x[1];
    Agree(K::kBatchNorm,
          {Normal(rng, x, 2), Normal(rng, {c}), Normal(rng, {c}), Normal(rng, {c}),
           Uniform(rng, {c}, 0.2, 2)},
          A({{"eps", eps}}));
  };
  bn({2, 5, 4, 4}, 1e-5);
  bn({3, 6}, 1e-3);
  bn({1, 3, 5}, 0.1);
  Agree(K::kLayerNorm, {Normal(rng, {2, 5, 8}, 3), Normal(rng, {8}), Normal(rng, {8})});
  Agree(K::kLayerNorm, {Normal(rng, {2, 5, 8}), Normal(rng, {5, 8}), Normal(rng, {5, 8})},
        A({{"eps", 1e-3}}));
  Agree(K::kLayerNorm, {Normal(rng, {4, 7})});
  Agree(K::kLayerNorm, {Normal(rng, {3, 4, 6})}, A({{"normalized_shape", Ints{4, 6}}}));
  Agree(K::kLayerNorm, {Uniform(rng, {2, 16}, 5, 7), Normal(rng, {16})});  // offset mean
}

TEST(TorchAgreement, Activations) {
  Rng rng(4);
  const HostTensor x = Normal(rng, {3, 4, 5}, 3);
  // Points where the piecewise activations change formula, and large magnitudes.
  const HostTensor edges = Fixed({10}, {-30, -6, -3, -1e-3f, 0, 1e-3f, 3, 6, 30, 88});
  for (K k : {K::kRelu, K::kRelu6, K::kSigmoid, K::kTanh, K::kGelu, K::kSilu, K::kHardswish,
              K::kHardsigmoid, K::kAbs, K::kNeg}) {
    Agree(k, {x});
    Agree(k, {edges});
  }
  Agree(K::kClip, {x}, A({{"min", -1.5}, {"max", 2.0}}));
  Agree(K::kClip, {x}, A({{"min", 0.0}}));
  Agree(K::kClip, {x}, A({{"max", -0.5}}));
  Agree(K::kDropout, {x}, A({{"p", 0.3}}));
  for (int64_t axis : {0, 1, 2, -1}) {
    Agree(K::kSoftmax, {x}, A({{"axis", axis}}));
    Agree(K::kLogSoftmax, {x}, A({{"axis", axis}}));
  }
  const HostTensor big = Normal(rng, {4, 10}, 50);  // needs the max subtraction
  Agree(K::kSoftmax, {big});
  Agree(K::kLogSoftmax, {big});
}

TEST(TorchAgreement, BroadcastingArithmetic) {
  Rng rng(5);
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
      {{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {4}},       {{2, 1, 4}, {3, 1}},
      {{}, {2, 3}},           {{5, 1, 1}, {1, 6, 1}}, {{1, 3, 1, 2}, {4, 1, 5, 1}},
  };
  for (const auto& [a, b] : shapes) {
    for (K k : {K::kAdd, K::kSub, K::kMul}) Agree(k, {Normal(rng, a), Normal(rng, b)});
    Agree(K::kDiv, {Normal(rng, a), Uniform(rng, b, 0.5, 2)});
    Agree(K::kDiv, {Normal(rng, a), Uniform(rng, b, -2, -0.5)});
    Agree(K::kPow, {Uniform(rng, a, 0.1, 3), Normal(rng, b)});
  }
  Agree(K::kPow, {Normal(rng, {3, 4}), Fixed({}, {2})});
  Agree(K::kPow, {Normal(rng, {3, 4}), Fixed({}, {3})});
}

TEST(TorchAgreement, Pooling) {
  Rng rng(6);
  struct Case {
    std::vector<int64_t> x;
    ir::Attrs attrs;
  };
  const std::vector<Case> cases = {
      {{2, 3, 8, 8}, Pool({2, 2}, {2, 2}, {0, 0}, false)},
      {{1, 2, 7, 7}, Pool({3, 3}, {2, 2}, {1, 1}, false)},
      {{1, 2, 7, 7}, Pool({3, 3}, {2, 2}, {1, 1}, true)},
      {{1, 2, 8, 9}, Pool({3, 3}, {2, 2}, {1, 1}, true)},
      {{1, 2, 5, 5}, Pool({2, 2}, {2, 2}, {0, 0}, true)},
      {{1, 2, 6, 6}, Pool({3, 3}, {2, 2}, {1, 1}, true)},  // a window starts in the padding
      {{1, 3, 9, 10}, Pool({2, 3}, {1, 2}, {1, 1}, true)},
      {{1, 1, 11, 11}, Pool({5, 5}, {3, 3}, {2, 2}, true)},
      {{1, 2, 4, 4}, Pool({4, 4}, {4, 4}, {2, 2}, false)},
      {{2, 4, 112, 112}, Pool({3, 3}, {2, 2}, {1, 1}, false)},  // ResNet
  };
  for (const Case& c : cases) {
    const HostTensor x = Normal(rng, c.x);
    Agree(K::kMaxPool2d, {x}, c.attrs);
    Agree(K::kAvgPool2d, {x}, c.attrs);
  }
  Agree(K::kMaxPool2d, {Normal(rng, {1, 2, 6, 6})}, A({{"kernel", Ints{2, 2}}}));
  Agree(K::kAvgPool2d, {Normal(rng, {1, 2, 6, 6})}, A({{"kernel", Ints{3, 2}}}));
  Agree(K::kGlobalAvgPool2d, {Normal(rng, {2, 5, 7, 7})});
  Agree(K::kGlobalAvgPool2d, {Normal(rng, {1, 3, 1, 1})});
  const std::vector<std::pair<std::vector<int64_t>, Ints>> adaptive = {
      {{1, 2, 5, 5}, {3, 3}}, {{1, 2, 7, 9}, {4, 2}}, {{1, 2, 3, 3}, {5, 5}},
      {{2, 3, 4, 4}, {1, 1}}, {{1, 2, 6, 5}, {2, 3}}, {{1, 2, 14, 14}, {7, 7}},
  };
  for (const auto& [x, size] : adaptive) {
    Agree(K::kAdaptiveAvgPool2d, {Normal(rng, x)}, A({{"output_size", size}}));
  }
}

TEST(TorchAgreement, Layout) {
  Rng rng(7);
  const HostTensor x = Normal(rng, {2, 3, 4, 5});
  Agree(K::kFlatten, {x});
  Agree(K::kFlatten, {x}, A({{"start_dim", int64_t{0}}, {"end_dim", int64_t{1}}}));
  Agree(K::kFlatten, {x}, A({{"start_dim", int64_t{1}}, {"end_dim", int64_t{-2}}}));
  Agree(K::kReshape, {x}, A({{"shape", Ints{-1, 20}}}));
  Agree(K::kReshape, {x}, A({{"shape", Ints{6, 2, 10}}}));
  Agree(K::kTranspose, {x}, A({{"dim0", int64_t{1}}, {"dim1", int64_t{3}}}));
  Agree(K::kTranspose, {x}, A({{"dim0", int64_t{0}}, {"dim1", int64_t{-1}}}));
  Agree(K::kPermute, {x}, A({{"dims", Ints{0, 2, 3, 1}}}));
  Agree(K::kPermute, {x}, A({{"dims", Ints{3, -2, 0, 1}}}));
  Agree(K::kConcat, {x, Normal(rng, {2, 1, 4, 5}), Normal(rng, {2, 2, 4, 5})},
        A({{"axis", int64_t{1}}}));
  Agree(K::kConcat, {x, Normal(rng, {2, 3, 4, 2})}, A({{"axis", int64_t{-1}}}));
  Agree(K::kConcat, {x, Normal(rng, {1, 3, 4, 5})});
  Agree(K::kConcat, {x});
  Agree(K::kPad, {x}, A({{"pads", Ints{1, 2}}, {"value", 0.5}}));
  Agree(K::kPad, {x}, A({{"pads", Ints{1, 0, 0, 2, 3, 1}}}));
  Agree(K::kPad, {x}, A({{"pads", Ints{-1, 2, 1, -2}}}));  // negative pads crop
  for (const char* mode : {"reflect", "replicate", "circular"}) {
    Agree(K::kPad, {Normal(rng, {2, 3, 6})},
          A({{"pads", Ints{2, 1}}, {"mode", std::string(mode)}}));
    Agree(K::kPad, {x}, A({{"pads", Ints{1, 2, 3, 0}}, {"mode", std::string(mode)}}));
  }
}

TEST(TorchAgreement, Reductions) {
  Rng rng(8);
  const HostTensor x = Normal(rng, {3, 4, 5});
  const std::vector<Ints> axes = {{}, {1}, {0, 2}, {-1}, {0, 1, 2}};
  for (K k : {K::kMean, K::kSum, K::kReduceMax, K::kReduceMin}) {
    for (const Ints& a : axes) {
      Agree(k, {x}, A({{"axes", a}}));
      Agree(k, {x}, A({{"axes", a}, {"keepdim", true}}));
    }
    Agree(k, {Normal(rng, {7})});
  }
  Agree(K::kSum, {Normal(rng, {1000}, 10)});
}

}  // namespace
}  // namespace triton::torch_ops::testing
