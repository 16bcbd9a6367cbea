// ModuleHandle: a compile's shared, immutable module.
#include "triton/ir/module_handle.h"

#include <gtest/gtest.h>

#include "triton/ir/builder.h"

namespace triton::ir {
namespace {

Module OneParam(const std::string& name) {
  Module m;
  m.name = name;
  Builder(m).AddParam("w", TensorType{DType::kFloat32, {Dim::Static(2)}}, Param{});
  return m;
}

TEST(ModuleHandle, ReadsLikeAnOptional) {
  ModuleHandle none;
  EXPECT_FALSE(none);
  EXPECT_FALSE(none.has_value());
  ModuleHandle h = OneParam("a");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, "a");
  EXPECT_EQ((*h).params.size(), 1u);
  h = std::nullopt;
  EXPECT_FALSE(h);
}

TEST(ModuleHandle, TakeMovesTheOnlyHolderAndCopiesAShared) {
  ModuleHandle only = OneParam("a");
  const Value* before = &only->values[0];
  Module taken = only.Take();
  EXPECT_FALSE(only);
  EXPECT_EQ(taken.name, "a");
  EXPECT_EQ(taken.values.size(), 1u);
  // A move keeps the vectors' buffers.
  EXPECT_EQ(&taken.values[0], before);

  auto kept = std::make_shared<Module>(OneParam("b"));
  ModuleHandle shared{std::shared_ptr<const Module>(kept)};
  EXPECT_EQ(&*shared, kept.get());  // shared, not copied
  Module copy = shared.Take();
  EXPECT_EQ(copy.name, "b");
  copy.name = "changed";
  EXPECT_EQ(kept->name, "b");  // the other holder's module is untouched
  EXPECT_EQ(kept->values.size(), 1u);
}

}  // namespace
}  // namespace triton::ir
