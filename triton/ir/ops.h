#pragma once
// Op kinds from ops.def, their metadata, attributes, and the two per-op rules every stage shares:
// the type/shape rule (InferType, shape.cc) and the MAC count (CountMacs, ops.cc).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "triton/ir/type.h"

namespace triton::ir {

enum OpTrait : uint32_t { kPure = 1, kElementwise = 2, kUnary = 4 };

enum class OpKind : uint16_t {
#define OP(name, mnemonic, min_args, max_args, traits) k##name,
#include "triton/ir/ops.def"
#undef OP
};

const char* OpMnemonic(OpKind k);
std::optional<OpKind> ParseOpMnemonic(std::string_view s);
int OpMinOperands(OpKind k);
int OpMaxOperands(OpKind k);  // -1: variadic
uint32_t OpTraits(OpKind k);
std::vector<OpKind> AllOps();

// ---------------------------------------------------------------- attributes
using AttrValue =
    std::variant<int64_t, double, bool, std::string, std::vector<int64_t>, std::vector<double>>;

// A small name -> value map kept sorted by name, so printing and hashing are deterministic.
class Attrs {
 public:
  void Set(std::string name, AttrValue v);
  // From entries already in strictly ascending name order (checked): the fast way to build a
  // large attribute list.
  static Attrs FromSorted(std::vector<std::pair<std::string, AttrValue>> items);
  const AttrValue* Find(std::string_view name) const;
  int64_t GetInt(std::string_view name, int64_t dflt) const;
  double GetFloat(std::string_view name, double dflt) const;  // accepts an int too
  bool GetBool(std::string_view name, bool dflt) const;
  std::string GetString(std::string_view name, std::string dflt) const;
  std::vector<int64_t> GetInts(std::string_view name, std::vector<int64_t> dflt) const;
  const std::vector<std::pair<std::string, AttrValue>>& items() const { return items_; }
  bool operator==(const Attrs& o) const { return items_ == o.items_; }

 private:
  std::vector<std::pair<std::string, AttrValue>> items_;
};

// Text form of one attribute value: 3, 1e-05, true, "twn", [1, 1], [0.5, 2.0].
std::string AttrToString(const AttrValue& v);

// Appends the attributes in binary to `key`: per attribute its name, '\0', the variant's index and
// the value's bytes (vectors and strings preceded by their length). Floats compare by bit
// pattern, so -0.0 and 0.0 stay distinct and a NaN matches the same NaN, as their text forms
// would. No number is formatted: CSE keys every op (fused ops carry nine attributes), and the
// compile memo digests whole modules.
void AppendAttrsKey(std::string& key, const Attrs& attrs);

// ---------------------------------------------------------------- rules
enum class ShapeErrorCode { kShape, kRank, kType, kAttr, kArity };
struct ShapeError {
  ShapeErrorCode code;
  int operand = -1;     // which operand is at fault, -1 if none in particular
  std::string message;  // lower-case, complete: "inner dimensions 512 and 256 differ"
};
using TypeOrError = std::variant<TensorType, ShapeError>;

// The type of the op's result from its operand types and attributes (shape.cc). Symbolic and
// unknown dims are accepted wherever they could match at run time; static dims must agree.
// Arithmetic on ternary values widens (trit op trit -> int8); float x trit -> float32.
TypeOrError InferType(OpKind kind, std::span<const TensorType> operands, const Attrs& attrs);

// Multiply-accumulates per sample (the batch dimension, dim 0, counted as 1) of one op with the
// given operand types and result type; 0 for ops that are not multiply-accumulates.
int64_t CountMacs(OpKind kind, const std::vector<TensorType>& operands, const TensorType& result,
                  const Attrs& attrs);

}  // namespace triton::ir
