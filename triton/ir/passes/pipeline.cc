// The -O levels: which passes run, in order. Read with docs/compiler.md, which says why.
#include "triton/ir/passes/pass.h"

namespace triton::ir::passes {

std::vector<PassId> Pipeline(int opt_level) {
  // -O0: verify only. The IR stays exactly as elaborated (for debugging the front end).
  if (opt_level <= 0) return {};
  // -O1: canonical cleanups that never change a result (up to IEEE details documented per pass).
  std::vector<PassId> p = {
      PassId::kFoldConstants,
      PassId::kSimplify,
      PassId::kCse,
      PassId::kDce,
  };
  if (opt_level == 1) return p;
  // -O2 (default) and -O3: the inference lowering passes land here (next: batch-norm folding,
  // epilogue fusion, int8 boundaries, layouts); a second cleanup round follows them.
  p.insert(p.end(), {PassId::kSimplify, PassId::kCse, PassId::kDce});
  return p;
}

}  // namespace triton::ir::passes
