// dtype.h, type.h and the table/attribute half of ops.h.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "triton/ir/ops.h"
#include "triton/ir/text_util.h"
#include "triton/ir/type.h"

namespace triton::ir {
namespace {

const DType kAllTypes[] = {DType::kTrit,    DType::kBool,   DType::kInt8,    DType::kInt16,
                           DType::kInt32,   DType::kInt64,  DType::kFloat16, DType::kBFloat16,
                           DType::kFloat32, DType::kFloat64};

TEST(DType, NamesRoundTrip) {
  for (DType t : kAllTypes) {
    EXPECT_EQ(ParseDType(DTypeName(t)), t) << DTypeName(t);
    EXPECT_EQ(ParseDTypeShortName(DTypeShortName(t)), t) << DTypeShortName(t);
  }
  EXPECT_STREQ(DTypeName(DType::kFloat32), "float32");
  EXPECT_STREQ(DTypeName(DType::kTrit), "trit");
  EXPECT_STREQ(DTypeShortName(DType::kBFloat16), "bf16");
  EXPECT_STREQ(DTypeShortName(DType::kInt8), "i8");
}

TEST(DType, Aliases) {
  EXPECT_EQ(ParseDType("int"), DType::kInt64);
  EXPECT_EQ(ParseDType("float"), DType::kFloat32);
  EXPECT_EQ(ParseDType("f32"), std::nullopt);  // short names are the IR's, not the language's
  EXPECT_EQ(ParseDType(""), std::nullopt);
  EXPECT_EQ(ParseDType("Float32"), std::nullopt);
  EXPECT_EQ(ParseDTypeShortName("float32"), std::nullopt);
}

TEST(DType, Classes) {
  EXPECT_TRUE(IsFloat(DType::kFloat16));
  EXPECT_TRUE(IsFloat(DType::kBFloat16));
  EXPECT_FALSE(IsFloat(DType::kInt8));
  EXPECT_TRUE(IsInteger(DType::kTrit));
  EXPECT_TRUE(IsInteger(DType::kInt64));
  EXPECT_FALSE(IsInteger(DType::kBool));
  EXPECT_FALSE(IsFloat(DType::kBool));
  EXPECT_EQ(DTypeBits(DType::kTrit), 8);
  EXPECT_EQ(DTypeBits(DType::kBool), 8);
  EXPECT_EQ(DTypeBits(DType::kInt16), 16);
  EXPECT_EQ(DTypeBits(DType::kBFloat16), 16);
  EXPECT_EQ(DTypeBits(DType::kFloat32), 32);
  EXPECT_EQ(DTypeBits(DType::kInt64), 64);
}

TEST(DType, Widening) {
  for (DType t : kAllTypes) EXPECT_TRUE(CanWiden(t, t));
  EXPECT_TRUE(CanWiden(DType::kTrit, DType::kInt8));
  EXPECT_TRUE(CanWiden(DType::kTrit, DType::kInt64));
  EXPECT_TRUE(CanWiden(DType::kInt8, DType::kFloat32));
  EXPECT_TRUE(CanWiden(DType::kInt64, DType::kFloat64));
  EXPECT_TRUE(CanWiden(DType::kFloat16, DType::kFloat32));
  EXPECT_TRUE(CanWiden(DType::kBFloat16, DType::kFloat64));
  EXPECT_FALSE(CanWiden(DType::kInt8, DType::kTrit));
  EXPECT_FALSE(CanWiden(DType::kFloat32, DType::kInt32));
  EXPECT_FALSE(CanWiden(DType::kFloat32, DType::kFloat16));
  EXPECT_FALSE(CanWiden(DType::kFloat16, DType::kBFloat16));
  EXPECT_FALSE(CanWiden(DType::kInt8, DType::kFloat16));
  EXPECT_FALSE(CanWiden(DType::kBool, DType::kInt8));
  EXPECT_FALSE(CanWiden(DType::kInt8, DType::kBool));
}

TEST(DType, CommonType) {
  EXPECT_EQ(CommonType(DType::kTrit, DType::kTrit), DType::kTrit);
  EXPECT_EQ(CommonType(DType::kTrit, DType::kInt8), DType::kInt8);
  EXPECT_EQ(CommonType(DType::kInt16, DType::kInt32), DType::kInt32);
  EXPECT_EQ(CommonType(DType::kTrit, DType::kFloat32), DType::kFloat32);
  EXPECT_EQ(CommonType(DType::kInt64, DType::kFloat16), DType::kFloat32);
  EXPECT_EQ(CommonType(DType::kFloat16, DType::kBFloat16), DType::kFloat32);
  EXPECT_EQ(CommonType(DType::kFloat64, DType::kInt8), DType::kFloat64);
  EXPECT_EQ(CommonType(DType::kBool, DType::kBool), DType::kBool);
  EXPECT_EQ(CommonType(DType::kBool, DType::kFloat32), std::nullopt);
  EXPECT_EQ(CommonType(DType::kInt8, DType::kBool), std::nullopt);
  // Symmetric, and the result is an upper bound of both.
  for (DType a : kAllTypes) {
    for (DType b : kAllTypes) {
      EXPECT_EQ(CommonType(a, b), CommonType(b, a));
      if (auto c = CommonType(a, b)) {
        EXPECT_TRUE(CanWiden(a, *c) && CanWiden(b, *c));
      }
    }
  }
}

TEST(Type, DimToString) {
  EXPECT_EQ(Dim::Static(64).ToString(), "64");
  EXPECT_EQ(Dim::Static(0).ToString(), "0");
  EXPECT_EQ(Dim::Symbol("N").ToString(), "N");
  EXPECT_EQ(Dim::Unknown().ToString(), "?");
  EXPECT_TRUE(Dim::Static(3).is_static());
  EXPECT_TRUE(Dim::Symbol("N").is_symbolic());
  EXPECT_TRUE(Dim::Unknown().is_unknown());
  EXPECT_FALSE(Dim::Symbol("N") == Dim::Symbol("M"));
  EXPECT_FALSE(Dim::Symbol("N") == Dim::Unknown());
}

TEST(Type, TensorToString) {
  TensorType t{DType::kFloat32,
               {Dim::Symbol("N"), Dim::Static(3), Dim::Static(224), Dim::Unknown()}};
  EXPECT_EQ(t.ToString(), "f32[N, 3, 224, ?]");
  EXPECT_EQ(t.ToLangString(), "Tensor<float32, [N, 3, 224, ?]>");
  TensorType w{DType::kTrit, {Dim::Static(256), Dim::Static(10)}};
  EXPECT_EQ(w.ToString(), "trit[256, 10]");
  EXPECT_EQ(w.ToLangString(), "TernaryTensor<trit, [256, 10]>");
  TensorType q{DType::kInt8, {Dim::Static(4)}};
  EXPECT_EQ(q.ToLangString(), "Tensor<int8, [4]>");
  EXPECT_EQ((TensorType{DType::kInt8, {}}).ToString(), "i8[]");
  EXPECT_EQ((TensorType{DType::kFloat32, {}}).ToLangString(), "float32");
  EXPECT_EQ((TensorType{DType::kTrit, {}}).ToLangString(), "trit");
  // Symbols that are not identifiers are quoted in the IR form only.
  TensorType odd{DType::kFloat32, {Dim::Symbol("a b"), Dim::Symbol("3")}};
  EXPECT_EQ(odd.ToString(), "f32[\"a b\", \"3\"]");
  EXPECT_EQ(odd.ToLangString(), "Tensor<float32, [a b, 3]>");
}

TEST(Type, Elements) {
  TensorType t{DType::kFloat32, {Dim::Static(2), Dim::Static(3)}};
  EXPECT_TRUE(t.is_static());
  EXPECT_EQ(t.num_elements(), 6);
  EXPECT_EQ((TensorType{DType::kFloat32, {}}).num_elements(), 1);
  TensorType s{DType::kFloat32, {Dim::Symbol("N"), Dim::Static(3)}};
  EXPECT_FALSE(s.is_static());
  EXPECT_EQ(s.num_elements(), -1);
  TensorType huge{DType::kFloat32, {Dim::Static(int64_t{1} << 40), Dim::Static(int64_t{1} << 40)}};
  EXPECT_EQ(huge.num_elements(), -1);  // overflow
  EXPECT_EQ(t, (TensorType{DType::kFloat32, {Dim::Static(2), Dim::Static(3)}}));
  EXPECT_FALSE(t == (TensorType{DType::kFloat64, {Dim::Static(2), Dim::Static(3)}}));
}

TEST(Ops, Table) {
  const std::vector<OpKind> all = AllOps();
  size_t lines = 0;
#define OP(name, mnemonic, min_args, max_args, traits) ++lines;
#include "triton/ir/ops.def"
#undef OP
  EXPECT_EQ(all.size(), lines);
  for (OpKind k : all) {
    EXPECT_EQ(ParseOpMnemonic(OpMnemonic(k)), k) << OpMnemonic(k);
    EXPECT_GE(OpMinOperands(k), 1);
    EXPECT_TRUE(OpMaxOperands(k) == -1 || OpMaxOperands(k) >= OpMinOperands(k));
    EXPECT_TRUE(OpTraits(k) & kPure);
  }
  EXPECT_EQ(ParseOpMnemonic("conv3d"), std::nullopt);
  EXPECT_EQ(ParseOpMnemonic(""), std::nullopt);
  EXPECT_STREQ(OpMnemonic(OpKind::kReduceMax), "max");
  EXPECT_EQ(OpMinOperands(OpKind::kConv2d), 2);
  EXPECT_EQ(OpMaxOperands(OpKind::kConv2d), 3);
  EXPECT_EQ(OpMaxOperands(OpKind::kConcat), -1);
  EXPECT_TRUE(OpTraits(OpKind::kAdd) & kElementwise);
  EXPECT_TRUE(OpTraits(OpKind::kRelu) & kUnary);
  EXPECT_FALSE(OpTraits(OpKind::kConv2d) & kUnary);
}

TEST(Attrs, SortedSetFindGet) {
  Attrs a;
  a.Set("stride", std::vector<int64_t>{2, 2});
  a.Set("groups", int64_t{4});
  a.Set("eps", 1e-5);
  a.Set("ceil_mode", true);
  a.Set("method", std::string("twn"));
  ASSERT_EQ(a.items().size(), 5u);
  EXPECT_EQ(a.items()[0].first, "ceil_mode");
  EXPECT_EQ(a.items()[4].first, "stride");
  a.Set("groups", int64_t{8});  // replaces
  EXPECT_EQ(a.items().size(), 5u);
  EXPECT_EQ(a.GetInt("groups", 1), 8);
  EXPECT_EQ(a.GetInt("missing", 7), 7);
  EXPECT_EQ(a.GetInt("eps", 7), 7);  // wrong type: default
  EXPECT_DOUBLE_EQ(a.GetFloat("eps", 0), 1e-5);
  EXPECT_DOUBLE_EQ(a.GetFloat("groups", 0), 8.0);  // ints read as floats
  EXPECT_TRUE(a.GetBool("ceil_mode", false));
  EXPECT_FALSE(a.GetBool("groups", false));
  EXPECT_EQ(a.GetString("method", ""), "twn");
  EXPECT_EQ(a.GetString("stride", "x"), "x");
  EXPECT_EQ(a.GetInts("stride", {}), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(a.GetInts("groups", {1}), (std::vector<int64_t>{1}));
  EXPECT_EQ(a.Find("nope"), nullptr);
  ASSERT_NE(a.Find("eps"), nullptr);
  Attrs b;
  b.Set("method", std::string("twn"));
  b.Set("eps", 1e-5);
  b.Set("stride", std::vector<int64_t>{2, 2});
  b.Set("ceil_mode", true);
  b.Set("groups", int64_t{8});
  EXPECT_EQ(a, b);  // insertion order does not matter
}

TEST(Attrs, ToString) {
  EXPECT_EQ(AttrToString(int64_t{3}), "3");
  EXPECT_EQ(AttrToString(int64_t{-1}), "-1");
  EXPECT_EQ(AttrToString(1e-05), "1e-05");
  EXPECT_EQ(AttrToString(2.0), "2.0");
  EXPECT_EQ(AttrToString(0.7), "0.7");
  EXPECT_EQ(AttrToString(-0.0), "-0.0");
  EXPECT_EQ(AttrToString(1e300), "1e+300");
  EXPECT_EQ(AttrToString(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(AttrToString(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(AttrToString(std::nan("")), "nan");
  EXPECT_EQ(AttrToString(true), "true");
  EXPECT_EQ(AttrToString(false), "false");
  EXPECT_EQ(AttrToString(std::string("twn")), "\"twn\"");
  EXPECT_EQ(AttrToString(std::string("a\"b\\c\n\x01")), "\"a\\\"b\\\\c\\n\\x01\"");
  EXPECT_EQ(AttrToString(std::vector<int64_t>{1, 1}), "[1, 1]");
  EXPECT_EQ(AttrToString(std::vector<int64_t>{}), "[]");
  EXPECT_EQ(AttrToString(std::vector<double>{0.5, 2.0}), "[0.5, 2.0]");
  EXPECT_EQ(AttrToString(std::vector<double>{}), "float[]");
}

TEST(TextUtil, Idents) {
  EXPECT_TRUE(IsBareIdent("layer1.0.conv1.weight"));
  EXPECT_TRUE(IsBareIdent("_x"));
  EXPECT_FALSE(IsBareIdent(""));
  EXPECT_FALSE(IsBareIdent("0abc"));
  EXPECT_FALSE(IsBareIdent("a b"));
  EXPECT_FALSE(IsBareIdent("a-b"));
  EXPECT_EQ(IdentOrQuoted("fan_out"), "fan_out");
  EXPECT_EQ(IdentOrQuoted("fan out"), "\"fan out\"");
}

TEST(TextUtil, FormatDoubleRoundTrips) {
  const double values[] = {0.1,  1.0 / 3, 1e-7, 123456789.123, 5e-324, 1.7976931348623157e308,
                           -2.5, 100.0,   0.7};
  for (double d : values) {
    const std::string s = FormatDouble(d);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), d) << s;
    EXPECT_NE(s.find_first_of(".e"), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace triton::ir
