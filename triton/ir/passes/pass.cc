#include "triton/ir/passes/pass.h"

#include <string_view>

#include "triton/base/timer.h"
#include "triton/ir/passes/cse.h"
#include "triton/ir/passes/dce.h"
#include "triton/ir/passes/fold_batchnorm.h"
#include "triton/ir/passes/fold_constants.h"
#include "triton/ir/passes/fuse_epilogue.h"
#include "triton/ir/passes/quantize_activations.h"
#include "triton/ir/passes/simplify.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace triton::ir::passes {

namespace {
struct PassInfo {
  const char* name;
  const char* description;
  bool (*run)(Module&);
};
constexpr PassInfo kPasses[] = {
#define PASS(name, flag, desc) {flag, desc, &Run##name},
#include "triton/ir/passes/passes.def"
#undef PASS
};
}  // namespace

const char* PassName(PassId p) { return kPasses[static_cast<int>(p)].name; }
const char* PassDescription(PassId p) { return kPasses[static_cast<int>(p)].description; }

std::vector<PassId> AllPasses() {
  std::vector<PassId> out;
  for (size_t i = 0; i < sizeof(kPasses) / sizeof(kPasses[0]); ++i) out.push_back(PassId(i));
  return out;
}

bool ParsePassName(const std::string& s, PassId* out) {
  for (PassId p : AllPasses()) {
    if (s == PassName(p)) {
      *out = p;
      return true;
    }
  }
  return false;
}

bool RunPass(PassId p, Module& m) { return kPasses[static_cast<int>(p)].run(m); }

Status RunPipeline(Module& m, int opt_level, const PassOptions& options, PassResult* result) {
#ifndef NDEBUG
  constexpr bool kDebugVerify = true;  // DESIGN.md §1: the verifier runs after every pass in debug
#else
  constexpr bool kDebugVerify = false;
#endif
  for (PassId p : Pipeline(opt_level)) {
    base::Timer t;
    bool changed = RunPass(p, m);
    double ms = t.ElapsedMs();
    if (result) result->timings.push_back({PassName(p), ms, changed});
    if (options.verify_each || kDebugVerify) {
      std::vector<std::string> problems = Verify(m);
      if (!problems.empty()) {
        std::string msg = std::string("IR verification failed after pass '") + PassName(p) + "':";
        for (const std::string& s : problems) msg += "\n  " + s;
        return Status::Error(msg);
      }
    }
    if (result && (options.print_after == "all" || options.print_after == PassName(p))) {
      result->printed += std::string("// ----- IR after ") + PassName(p) +
                         (changed ? "" : " (unchanged)") + "\n" + Print(m);
    }
  }
  return Status();
}

}  // namespace triton::ir::passes
