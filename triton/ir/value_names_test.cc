// ValueNameSet: the duplicate-name table of the elaborator and the verifier.
#include "triton/ir/value_names.h"

#include <gtest/gtest.h>

#include <string>

#include "triton/ir/builder.h"

namespace triton::ir {
namespace {

TEST(ValueNameSet, FindsExactlyTheNamesAdded) {
  Module m;
  Builder b(m);
  ValueNameSet set;
  EXPECT_FALSE(set.Contains(m, "x"));
  // Enough names to grow the table several times; names that share prefixes and lengths.
  const int n = 1000;
  for (int i = 0; i < n; ++i) {
    const std::string name = "layer" + std::to_string(i % 37) + ".w" + std::to_string(i);
    ASSERT_FALSE(set.Contains(m, name)) << name;
    set.Add(m, b.AddParam(name, TensorType{DType::kFloat32, {Dim::Static(2)}}, Param{}));
    ASSERT_TRUE(set.Contains(m, name)) << name;
  }
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(set.Contains(m, "layer" + std::to_string(i % 37) + ".w" + std::to_string(i)));
    EXPECT_FALSE(set.Contains(m, "layer" + std::to_string(i % 37) + ".v" + std::to_string(i)));
  }
  EXPECT_FALSE(set.Contains(m, ""));
  set.Clear();
  EXPECT_FALSE(set.Contains(m, "layer0.w0"));
}

}  // namespace
}  // namespace triton::ir
