#pragma once
#include "triton/ir/module.h"

namespace triton::ir::passes {
// Dead-code elimination: drops every op and constant that no output depends on. Inputs and
// parameters stay (they are the model's interface and its package's contents).
bool RunDce(Module& m);
}  // namespace triton::ir::passes
