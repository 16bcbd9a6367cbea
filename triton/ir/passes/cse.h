#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Common subexpression elimination: two ops of the same kind, operands and attributes compute
// the same value (every op is pure); the later one is replaced by the earlier. Equal constants
// (same type and data) are merged first.
bool RunCse(Module& m);
}  // namespace triton::ir::passes
