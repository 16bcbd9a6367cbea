// Env: lookups by name in declaration order, rebinding, and the hashed index a scope builds past
// a dozen bindings (with colliding hashes forced through a tiny index).
#include "triton/lang/check/value.h"

#include <gtest/gtest.h>

#include <string>

namespace triton::lang::check {
namespace {

TEST(Env, FindsBindsAndRebindsAcrossTheIndexThreshold) {
  Env env(nullptr);
  for (int i = 0; i < 200; ++i) {
    env.Bind("n" + std::to_string(i), Value::Int(i), {});
    // Every name bound so far is found at its declaration index, before and after the index is
    // built and each time it is rebuilt; names not bound are not found.
    for (int k = 0; k <= i; k += 7) ASSERT_EQ(env.Find("n" + std::to_string(k)), k) << i;
    ASSERT_EQ(env.Find("n" + std::to_string(i)), i);
    ASSERT_EQ(env.Find("n" + std::to_string(i + 1)), -1);
    ASSERT_EQ(env.Find(""), -1);
  }
  env.Bind("n5", Value::Int(-5), {});  // a rebinding keeps the name's place
  EXPECT_EQ(env.names.size(), 200u);
  EXPECT_EQ(env.Find("n5"), 5);
  EXPECT_EQ(env.values[5].i, -5);
}

TEST(Env, EqualHashesAreToldApartByName) {
  // The lookup trusts no hash alone: a wrong hash finds nothing, and names whose hashes agree
  // modulo the index size still resolve to their own bindings.
  Env env(nullptr);
  for (int i = 0; i < 40; ++i) env.Bind("x" + std::to_string(i), Value::Int(i), {});
  EXPECT_EQ(env.Find("x3", NameHash("x4")), -1);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(env.Find("x" + std::to_string(i)), i);
}

TEST(NameHash, IsFnv1a) {
  // FNV-1a's published test values (the empty string is the offset basis).
  EXPECT_EQ(NameHash(""), 2166136261u);
  EXPECT_EQ(NameHash("a"), 0xe40c292cu);
  EXPECT_EQ(NameHash("foobar"), 0xbf9cf968u);
}

}  // namespace
}  // namespace triton::lang::check
