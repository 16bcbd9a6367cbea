// The binary module codec (binary.h): exact round trips, and damaged bytes are errors, never
// crashes or unsound modules. (Every zoo model's round trip at every -O level is in
// driver/cached_compile_test.cc, where the zoo compiles.)
#include "triton/ir/binary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "triton/ir/printer.h"
#include "triton/ir/test_modules.h"

namespace triton::ir {
namespace {

using testing::EveryOp;
using testing::ResNetBlock;
using testing::TernaryMlp;

// What round-tripping must keep: the text, and every byte (fields the text does not show too).
void ExpectRoundTrip(const Module& m) {
  const std::string bytes = EncodeModule(m);
  Result<Module> back = DecodeModule(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Print(back.value()), Print(m));
  EXPECT_EQ(EncodeModule(back.value()), bytes);
}

// A module with the values text would round (or not print): NaN, -0.0, infinities, the extreme
// integers, symbolic and unknown dims, empty strings, every attribute kind.
Module Awkward() {
  Module m = TernaryMlp();
  m.name = "";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Builder b(m);
  ValueId c =
      b.AddConst(TensorType{DType::kFloat32, {Dim::Static(5)}}, {nan, -0.0, inf, -inf, 1e-310});
  m.values[static_cast<size_t>(c)].name = "with \"quotes\"\n";
  m.values[0].type.dims[0] = Dim::Symbol("Batch");
  m.values[0].type.dims.push_back(Dim::Unknown());
  m.params[0].quant = QuantSpec{"", -0.0, false};
  m.params[0].init_args = Attrs::FromSorted({{"a", int64_t{INT64_MIN}},
                                             {"b", nan},
                                             {"c", true},
                                             {"d", std::string("")},
                                             {"e", std::vector<int64_t>{INT64_MAX, -1}},
                                             {"f", std::vector<double>{-0.0, inf}}});
  m.ops[0].scope = "";
  return m;
}

TEST(ModuleBinary, RoundTripsExactly) {
  ExpectRoundTrip(Module{});
  ExpectRoundTrip(TernaryMlp());
  ExpectRoundTrip(ResNetBlock());
  ExpectRoundTrip(EveryOp());
  ExpectRoundTrip(Awkward());
  // Bit patterns, not values: -0.0 stays negative and NaN stays NaN.
  Result<Module> back = DecodeModule(EncodeModule(Awkward()));
  ASSERT_TRUE(back.ok());
  const Constant& c = back.value().consts.back();
  EXPECT_TRUE(std::isnan(c.data[0]));
  EXPECT_TRUE(std::signbit(c.data[1]));
  EXPECT_EQ(c.data[4], 1e-310);
  EXPECT_TRUE(std::signbit(back.value().params[0].quant.threshold));
}

TEST(ModuleBinary, NamedErrors) {
  const std::string good = EncodeModule(TernaryMlp());
  auto error = [](std::string_view bytes) {
    Result<Module> r = DecodeModule(bytes);
    return r.ok() ? std::string("decoded") : r.status().message();
  };
  EXPECT_EQ(error(""), "module binary: cut short at byte 0");
  std::string other = good;
  other[0] = 9;
  EXPECT_EQ(error(other), "module binary: version 9 (this build reads 1) at byte 4");
  EXPECT_EQ(error(good + "x"),
            "module binary: trailing bytes at byte " + std::to_string(good.size()));
  // The last list (the outputs) one byte short: its count no longer fits.
  EXPECT_NE(error(good.substr(0, good.size() - 1)).find("more than the bytes left hold"),
            std::string::npos);
  // A count larger than the bytes left: refused before anything is allocated.
  std::string huge = good;
  huge[4 + 8 + TernaryMlp().name.size() + 7] = '\x7f';  // the top byte of the value count
  EXPECT_NE(error(huge).find("more than the bytes left hold"), std::string::npos) << error(huge);
}

TEST(ModuleBinary, ReferencesAreChecked) {
  auto error = [](const Module& m) {
    Result<Module> r = DecodeModule(EncodeModule(m));
    return r.ok() ? std::string("decoded") : r.status().message();
  };
  Module m = TernaryMlp();
  m.ops[1].operands[0] = m.ops.back().result;  // uses a later op's result
  EXPECT_EQ(error(m), "module binary: op 1 uses a value defined after it");
  m = TernaryMlp();
  m.ops[0].operands[0] = 100000;
  EXPECT_EQ(error(m), "module binary: op 0 has an operand out of range");
  m = TernaryMlp();
  m.params[1].value = m.params[0].value;
  EXPECT_NE(error(m).find("do not name each other"), std::string::npos);
  m = TernaryMlp();
  m.outputs.push_back(-1);
  EXPECT_EQ(error(m), "module binary: output 1 is out of range");
  m = TernaryMlp();
  m.ops[0].operands.clear();
  EXPECT_NE(error(m).find("has 0 operands"), std::string::npos);
  m = TernaryMlp();
  m.inputs.push_back(m.params[0].value);
  EXPECT_NE(error(m).find("input 1"), std::string::npos);
}

// Every truncation and every single-byte change of a real module's bytes: an error, or (a change
// the checks cannot see, such as a name's letter or a dim's size) a sound module that prints and
// encodes back to exactly those bytes. Run under ASan/UBSan in the sanitizer build.
TEST(ModuleBinary, DamagedBytesNeverCrash) {
  const std::string good = EncodeModule(ResNetBlock());
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeModule(std::string_view(good).substr(0, n)).ok()) << n;
  }
  int decoded = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char x : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ x);
      Result<Module> r = DecodeModule(bad);
      if (!r.ok()) {
        EXPECT_EQ(r.status().message().rfind("module binary: ", 0), 0u);
        continue;
      }
      ++decoded;
      EXPECT_FALSE(Print(r.value()).empty());
      EXPECT_EQ(EncodeModule(r.value()), bad) << "byte " << i;
    }
  }
  EXPECT_GT(decoded, 0);  // names and sizes can change and stay sound
}

}  // namespace
}  // namespace triton::ir
