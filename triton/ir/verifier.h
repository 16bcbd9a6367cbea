#pragma once
// Structural and type checks of a Module: ids in range, every operand defined before use, op
// arities, each op's result type equal to InferType of its operands, params of ternary dtype
// flagged ternary, unique param names, at least one output. Returns all problems found.
#include <string>
#include <vector>

#include "triton/ir/module.h"

namespace triton::ir {

std::vector<std::string> Verify(const Module& m);

}  // namespace triton::ir
