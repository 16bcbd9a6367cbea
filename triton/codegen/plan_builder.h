#pragma once
// ir::Module -> runtime::Plan (DESIGN.md §1-2): the plans the runtime executes. BuildPlan binds
// the concrete types (runtime::LowerDirect), picks each step's kernel from the runtime's
// registry and lays the temps out in one activation arena (PlanMemory).
#include <cstdint>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"
#include "triton/runtime/kernels.h"
#include "triton/runtime/plan.h"

namespace triton::codegen {

// One step per op at the concrete `input_types` (symbolic dims bound by them; errors as
// runtime::LowerDirect's), kernels from SelectKernel, offsets from PlanMemory.
Result<runtime::Plan> BuildPlan(const ir::Module& m,
                                const std::vector<ir::TensorType>& input_types);
// The same with dim 0 of every input bound to `batch` (other input dims must be static).
Result<runtime::Plan> BuildPlan(const ir::Module& m, int64_t batch);

// The best kernel `registry` has for `op`. Kernels carry no applicability check yet (dtype,
// layout, ISA present), so only the reference kernel -- which takes every type -- qualifies; an
// optimized family will be preferred here once it can say which steps it handles. nullptr when
// the op has no usable kernel.
const runtime::Kernel* SelectKernel(const runtime::KernelRegistry& registry, ir::OpKind op);

// The memory planner. Rewrites every temp's offset, every step's in_place and plan->arena_bytes:
//  1. lifetimes: a temp lives from the step that writes it to the last step that reads it
//     (plan outputs to the end; runtime::TempLifetimes);
//  2. in-place: an elementwise or unary step whose input temp dies at that step and has the
//     output's byte size writes its output over that input (the first such input); the two then
//     share one block, whose lifetime is the union of theirs (chains of in-place steps share one);
//  3. offsets: blocks sorted by size (largest first, then by first step), each placed in the
//     smallest gap (best fit) between the blocks already placed whose lifetimes intersect its own,
//     or after the last of them; sizes rounded up to runtime::kArenaAlignment.
// arena_bytes is the end of the highest block: the peak activation memory of one run. The
// result always passes runtime::CheckArena.
void PlanMemory(runtime::Plan* plan);

}  // namespace triton::codegen
