#pragma once
// Passes over ir::Module and the pass manager. A pass rewrites a module in place and returns
// whether it changed anything; the manager runs a pipeline (pipeline.cc), optionally verifying
// after every pass (--verify-each; always in debug builds), timing passes (--time-passes) and
// printing the IR after one or all passes (--print-after).
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::ir::passes {

enum class PassId {
#define PASS(name, flag, desc) k##name,
#include "triton/ir/passes/passes.def"
#undef PASS
};

const char* PassName(PassId p);  // "fold-constants"
const char* PassDescription(PassId p);
std::vector<PassId> AllPasses();
bool ParsePassName(const std::string& s, PassId* out);

// The passes each -O level runs, in order (pipeline.cc, documented in docs/compiler.md).
std::vector<PassId> Pipeline(int opt_level);

struct PassTiming {
  std::string pass;
  double ms = 0;
  bool changed = false;
};

struct PassOptions {
  bool verify_each = false;
  std::string print_after;  // a pass name, "all", or "" for none
};

struct PassResult {
  std::vector<PassTiming> timings;
  std::string printed;  // IR printed by --print-after, each block headed by the pass name
};

// Runs the pipeline of `opt_level`. A verifier failure after a pass is an internal error: the
// Status names the pass and the problems (a bug in that pass, never a user error).
Status RunPipeline(Module& m, int opt_level, const PassOptions& options, PassResult* result);
// Runs one pass.
bool RunPass(PassId p, Module& m);

}  // namespace triton::ir::passes
