#pragma once
// Builds a Module in topological order. AddOp runs the op's type rule (InferType) and refuses
// ill-typed ops, returning the ShapeError instead of adding anything.
#include <string>
#include <variant>
#include <vector>

#include "triton/ir/module.h"

namespace triton::ir {

class Builder {
 public:
  explicit Builder(Module& m) : m_(m) {}
  ValueId AddInput(std::string name, TensorType type);
  ValueId AddParam(std::string name, TensorType type, Param info);  // info.value is filled in
  ValueId AddConst(TensorType type, std::vector<double> data);
  std::variant<ValueId, ShapeError> AddOp(OpKind kind, std::vector<ValueId> operands, Attrs attrs,
                                          std::string scope = {});
  // Adds an op whose result type the caller already knows, without running the type rule: for
  // passes that copy an op whose operands kept their types (passes/rewriter.h). The verifier
  // (--verify-each, and every test) still checks the result.
  ValueId AddTypedOp(OpKind kind, std::vector<ValueId> operands, Attrs attrs, std::string scope,
                     TensorType type);
  void AddOutput(ValueId v) { m_.outputs.push_back(v); }
  Module& module() { return m_; }

 private:
  Module& m_;
  TypeSlots operand_types_;  // AddOp's
};

}  // namespace triton::ir
