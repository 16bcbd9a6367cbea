// The -O levels: which passes run, in order. This is the table docs/compiler.md reproduces and
// explains; change both together.
//
//   level  passes
//   -O0    (none: verify only)
//   -O1    fold-constants simplify cse dce
//   -O2    -O1, then fold-batchnorm fuse-epilogue, then simplify cse dce       (the default)
//   -O3    the same as -O2 (nothing beyond it yet: see docs/compiler.md)
#include "triton/ir/passes/pass.h"

namespace triton::ir::passes {

std::vector<PassId> Pipeline(int opt_level) {
  // -O0: verify only. The IR stays exactly as elaborated (for debugging the front end).
  if (opt_level <= 0) return {};
  // -O1: canonical cleanups that never change a result (up to IEEE details documented per pass);
  // the IR keeps only the ops of the language, so every later stage can read it.
  std::vector<PassId> p = {
      PassId::kFoldConstants,
      PassId::kSimplify,
      PassId::kCse,
      PassId::kDce,
  };
  if (opt_level == 1) return p;
  // -O2 (default): inference lowering. Batch-norm folds into the producing conv2d/linear first
  // (its order in the fused op comes before the residual and activation), then the bias,
  // residual and activation join the epilogue. A cleanup round follows (the fusions leave dead
  // ops and duplicate reshapes behind).
  p.insert(p.end(), {PassId::kFoldBatchnorm, PassId::kFuseEpilogue});
  p.insert(p.end(), {PassId::kSimplify, PassId::kCse, PassId::kDce});
  // -O3: nothing beyond -O2 yet. Kernel autotuning, int8 quantize/dequantize placement at the
  // ternary-region boundaries and layout assignment will land here with the fast kernels.
  return p;
}

}  // namespace triton::ir::passes
