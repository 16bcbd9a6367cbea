// CountMacs (ops.cc) and Module::MacCount / ParameterCount (module.cc).
#include <gtest/gtest.h>

#include "triton/ir/builder.h"
#include "triton/ir/test_util.h"

namespace triton::ir {
namespace {

using testing::A;
using testing::Ints;
using testing::T;
using testing::Ts;

int64_t Macs(OpKind k, std::initializer_list<std::string_view> in, const Attrs& a = {}) {
  const std::vector<TensorType> types = Ts(in);
  TypeOrError r = InferType(k, types, a);
  if (!std::holds_alternative<TensorType>(r)) {
    ADD_FAILURE() << std::get<ShapeError>(r).message;
    return -1;
  }
  return CountMacs(k, types, std::get<TensorType>(r), a);
}

TEST(Macs, ResNet18FirstConv) {
  EXPECT_EQ(Macs(OpKind::kConv2d, {"f32[N, 3, 224, 224]", "f32[64, 3, 7, 7]"},
                 A({{"stride", Ints{2, 2}}, {"padding", Ints{3, 3}}})),
            118013952);
  // The batch dimension counts as 1 whatever it is.
  EXPECT_EQ(Macs(OpKind::kConv2d, {"f32[32, 3, 224, 224]", "f32[64, 3, 7, 7]"},
                 A({{"stride", Ints{2, 2}}, {"padding", Ints{3, 3}}})),
            118013952);
}

TEST(Macs, Conv2dGroupsAndBias) {
  // Depthwise 3x3 on 32x56x56, stride 1 pad 1: 32 * 56 * 56 * 1 * 9.
  EXPECT_EQ(Macs(OpKind::kConv2d, {"f32[N, 32, 56, 56]", "f32[32, 1, 3, 3]"},
                 A({{"groups", int64_t{32}}, {"padding", Ints{1, 1}}})),
            32 * 56 * 56 * 9);
  EXPECT_EQ(Macs(OpKind::kConv2d, {"f32[N, 64, 8, 8]", "trit[128, 16, 1, 1]", "f32[128]"},
                 A({{"groups", int64_t{4}}})),
            128 * 8 * 8 * 16);
  // Unknown output extent: not countable.
  EXPECT_EQ(Macs(OpKind::kConv2d, {"f32[N, 3, H, W]", "f32[8, 3, 3, 3]"}), 0);
}

TEST(Macs, LinearAndMatMul) {
  EXPECT_EQ(Macs(OpKind::kLinear, {"f32[N, 512]", "trit[10, 512]"}), 5120);
  EXPECT_EQ(Macs(OpKind::kLinear, {"f32[N, 7, 64]", "f32[32, 64]", "f32[32]"}), 7 * 32 * 64);
  EXPECT_EQ(Macs(OpKind::kLinear, {"f32[64]", "f32[32, 64]"}), 32 * 64);  // no batch dim
  EXPECT_EQ(Macs(OpKind::kLinear, {"f32[N, T, 64]", "f32[32, 64]"}), 0);  // T unknown
  EXPECT_EQ(Macs(OpKind::kMatMul, {"f32[N, 512]", "f32[512, 10]"}), 5120);
  EXPECT_EQ(Macs(OpKind::kMatMul, {"f32[8, 3, 4]", "f32[4, 5]"}), 3 * 5 * 4);
  EXPECT_EQ(Macs(OpKind::kMatMul, {"f32[4]", "f32[4, 5]"}), 5 * 4);
  EXPECT_EQ(Macs(OpKind::kMatMul, {"f32[4]", "f32[4]"}), 4);
  EXPECT_EQ(Macs(OpKind::kMatMul, {"f32[3, 4]", "f32[4]"}), 3 * 4);  // result [3]: no batch dim
}

TEST(Macs, OtherOpsAreZero) {
  EXPECT_EQ(Macs(OpKind::kRelu, {"f32[N, 64]"}), 0);
  EXPECT_EQ(Macs(OpKind::kAdd, {"f32[N, 64]", "f32[64]"}), 0);
  EXPECT_EQ(Macs(OpKind::kBatchNorm, {"f32[N, 4]", "f32[4]", "f32[4]", "f32[4]", "f32[4]"}), 0);
  EXPECT_EQ(Macs(OpKind::kAvgPool2d, {"f32[N, 4, 8, 8]"}, A({{"kernel", Ints{2, 2}}})), 0);
  // Malformed operand lists do not crash.
  EXPECT_EQ(CountMacs(OpKind::kConv2d, {}, T("f32[1, 1, 1, 1]"), {}), 0);
  EXPECT_EQ(CountMacs(OpKind::kMatMul, Ts({"f32[]", "f32[]"}), T("f32[]"), {}), 0);
}

TEST(Macs, OverflowIsZero) {
  EXPECT_EQ(CountMacs(OpKind::kLinear, Ts({"f32[N, 4294967296]", "f32[4294967296, 4294967296]"}),
                      T("f32[N, 4294967296]"), {}),
            0);
}

TEST(Module, Counts) {
  Module m;
  Builder b(m);
  ValueId x = b.AddInput("x", T("f32[N, 784]"));
  Param tern;
  tern.ternary = true;
  ValueId w1 = b.AddParam("fc1.weight", T("trit[256, 784]"), tern);
  ValueId b1 = b.AddParam("fc1.bias", T("f32[256]"), Param{});
  ValueId w2 = b.AddParam("fc2.weight", T("f32[10, 256]"), Param{});
  Param buffer;
  buffer.trainable = false;
  b.AddParam("stat", T("f32[256]"), buffer);
  auto h = b.AddOp(OpKind::kLinear, {x, w1, b1}, {});
  ASSERT_TRUE(std::holds_alternative<ValueId>(h));
  auto r = b.AddOp(OpKind::kRelu, {std::get<ValueId>(h)}, {});
  auto y = b.AddOp(OpKind::kLinear, {std::get<ValueId>(r), w2}, {});
  b.AddOutput(std::get<ValueId>(y));
  EXPECT_EQ(m.ParameterCount(), 256 * 784 + 256 + 10 * 256);
  EXPECT_EQ(m.TernaryParameterCount(), 256 * 784);
  EXPECT_EQ(m.MacCount(), 256 * 784 + 10 * 256);
}

}  // namespace
}  // namespace triton::ir
