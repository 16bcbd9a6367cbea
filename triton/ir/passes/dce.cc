#include "triton/ir/passes/dce.h"

#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {

bool RunDce(Module& m) {
  std::vector<bool> live(m.values.size(), false);
  for (ValueId o : m.outputs) live[static_cast<size_t>(o)] = true;
  bool dead_op = false;
  for (auto it = m.ops.rbegin(); it != m.ops.rend(); ++it) {
    if (!live[static_cast<size_t>(it->result)]) {
      dead_op = true;
      continue;
    }
    for (ValueId v : it->operands) live[static_cast<size_t>(v)] = true;
  }
  bool dead_const = false;
  for (const Constant& c : m.consts) dead_const = dead_const || !live[static_cast<size_t>(c.value)];
  if (!dead_op && !dead_const) return false;
  Rewriter rw(m);
  for (const Op& op : m.ops) {
    if (live[static_cast<size_t>(op.result)]) rw.Keep(op);
  }
  m = rw.Finish();
  return true;
}

}  // namespace triton::ir::passes
