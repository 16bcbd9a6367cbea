#pragma once
// Test helpers for the IR unit tests: compact type and attribute construction.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "triton/ir/ops.h"

namespace triton::ir::testing {

using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

// "f32[N, 3, ?, 224]" -> TensorType. Test input only: aborts the test binary on a bad spec.
inline TensorType T(std::string_view spec) {
  const size_t open = spec.find('[');
  TensorType t;
  const std::optional<DType> dt = ParseDTypeShortName(spec.substr(0, open));
  if (!dt || open == std::string_view::npos || spec.back() != ']') {
    ADD_FAILURE() << "bad type spec " << spec;
    return t;
  }
  t.dtype = *dt;
  std::string_view body = spec.substr(open + 1, spec.size() - open - 2);
  while (!body.empty()) {
    const size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item == "?") {
      t.dims.push_back(Dim::Unknown());
    } else if (item[0] >= '0' && item[0] <= '9') {
      t.dims.push_back(Dim::Static(std::stoll(std::string(item))));
    } else {
      t.dims.push_back(Dim::Symbol(std::string(item)));
    }
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  return t;
}

inline Attrs A(std::initializer_list<std::pair<std::string, AttrValue>> items) {
  Attrs a;
  for (const auto& [k, v] : items) a.Set(k, v);
  return a;
}

inline std::vector<TensorType> Ts(std::initializer_list<std::string_view> specs) {
  std::vector<TensorType> out;
  for (std::string_view s : specs) out.push_back(T(s));
  return out;
}

// The inferred type as IR text, or "error" when the rule rejects the operands.
inline std::string Infer(OpKind k, std::initializer_list<std::string_view> specs,
                         const Attrs& a = {}) {
  TypeOrError r = InferType(k, Ts(specs), a);
  if (const auto* t = std::get_if<TensorType>(&r)) return t->ToString();
  return "error: " + std::get<ShapeError>(r).message;
}

// The error of a rule that must fail; a failed expectation (and a dummy error) if it succeeds.
inline ShapeError InferErr(OpKind k, std::initializer_list<std::string_view> specs,
                           const Attrs& a = {}) {
  TypeOrError r = InferType(k, Ts(specs), a);
  if (const auto* e = std::get_if<ShapeError>(&r)) return *e;
  ADD_FAILURE() << OpMnemonic(k) << " unexpectedly gave " << std::get<TensorType>(r).ToString();
  return ShapeError{ShapeErrorCode::kShape, -2, "<no error>"};
}

inline const char* CodeName(ShapeErrorCode c) {
  switch (c) {
    case ShapeErrorCode::kShape:
      return "shape";
    case ShapeErrorCode::kRank:
      return "rank";
    case ShapeErrorCode::kType:
      return "type";
    case ShapeErrorCode::kAttr:
      return "attr";
    case ShapeErrorCode::kArity:
      return "arity";
  }
  return "?";
}

// Checks code, operand and that the message is lower-case-led and has no trailing period.
#define EXPECT_SHAPE_ERROR(err, code_, operand_, message_)                          \
  do {                                                                              \
    const ::triton::ir::ShapeError e_ = (err);                                      \
    EXPECT_EQ(::triton::ir::testing::CodeName(e_.code),                             \
              ::triton::ir::testing::CodeName(::triton::ir::ShapeErrorCode::code_)) \
        << e_.message;                                                              \
    EXPECT_EQ(e_.operand, operand_) << e_.message;                                  \
    EXPECT_EQ(e_.message, message_);                                                \
    EXPECT_FALSE(e_.message.empty() || e_.message.back() == '.');                   \
    EXPECT_FALSE(e_.message[0] >= 'A' && e_.message[0] <= 'Z') << e_.message;       \
  } while (0)

}  // namespace triton::ir::testing
