// BuildPlan: kernel selection and the memory planner (contracts in plan_builder.h).
#include "triton/codegen/plan_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace triton::codegen {
namespace {

using runtime::Plan;
using runtime::PlanBuffer;
using runtime::PlanStep;

int64_t AlignUp(int64_t n) {
  return (n + runtime::kArenaAlignment - 1) / runtime::kArenaAlignment * runtime::kArenaAlignment;
}

bool IsTemp(const Plan& p, int32_t b) {
  return b >= 0 && static_cast<size_t>(b) < p.buffers.size() &&
         p.buffers[static_cast<size_t>(b)].kind == PlanBuffer::kTemp;
}

// A group of temps sharing one arena block (an in-place chain, or one temp).
struct Block {
  int64_t size = 0;  // aligned bytes
  int32_t first = 0, last = 0;
  int64_t offset = -1;
};

Result<Plan> Finish(Result<Plan> lowered) {
  if (!lowered.ok()) return lowered;
  Plan plan = std::move(lowered).value();
  const runtime::KernelRegistry& registry = runtime::KernelRegistry::Global();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    PlanStep& s = plan.steps[i];
    const runtime::Kernel* k = SelectKernel(registry, s.op);
    if (!k) {
      return Status::Error(
          fmt::format("step {} ({}): no kernel is registered for the op", i, ir::OpMnemonic(s.op)));
    }
    s.kernel = k->name;
  }
  PlanMemory(&plan);
  return plan;
}

}  // namespace

const runtime::Kernel* SelectKernel(const runtime::KernelRegistry& registry, ir::OpKind op) {
  for (const runtime::Kernel* k : registry.ForOp(op)) {
    if (k->isa == "reference") return k;
  }
  return nullptr;
}

void PlanMemory(Plan* plan) {
  Plan& p = *plan;
  const std::vector<std::pair<int32_t, int32_t>> life = runtime::TempLifetimes(p);
  // block_of[b]: the block of temp b.
  std::vector<int32_t> block_of(p.buffers.size(), -1);
  std::vector<Block> blocks;
  for (size_t k = 0; k < p.steps.size(); ++k) {
    PlanStep& s = p.steps[k];
    s.in_place = -1;
    if (!IsTemp(p, s.output)) continue;
    const int64_t bytes = p.buffers[static_cast<size_t>(s.output)].bytes();
    const uint32_t traits = ir::OpTraits(s.op);
    // A reorder moves elements: it can never write over its input.
    if ((traits & (ir::kElementwise | ir::kUnary)) && s.op != ir::OpKind::kReorder) {
      for (size_t i = 0; i < s.inputs.size(); ++i) {
        const int32_t in = s.inputs[i];
        if (!IsTemp(p, in) || in == s.output || block_of[static_cast<size_t>(in)] < 0) continue;
        if (life[static_cast<size_t>(in)].second != static_cast<int32_t>(k)) continue;
        if (p.buffers[static_cast<size_t>(in)].bytes() != bytes) continue;
        s.in_place = static_cast<int32_t>(i);
        break;
      }
    }
    const auto& [first, last] = life[static_cast<size_t>(s.output)];
    if (s.in_place >= 0) {
      const int32_t b = block_of[static_cast<size_t>(s.inputs[static_cast<size_t>(s.in_place)])];
      block_of[static_cast<size_t>(s.output)] = b;
      blocks[static_cast<size_t>(b)].last = std::max(blocks[static_cast<size_t>(b)].last, last);
    } else {
      block_of[static_cast<size_t>(s.output)] = static_cast<int32_t>(blocks.size());
      blocks.push_back(Block{AlignUp(bytes), first, last, -1});
    }
  }

  std::vector<size_t> order(blocks.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (blocks[a].size != blocks[b].size) return blocks[a].size > blocks[b].size;
    return blocks[a].first < blocks[b].first;
  });
  std::vector<size_t> placed, live;  // placed: in placement order; live: scratch
  p.arena_bytes = 0;
  for (size_t i : order) {
    Block& blk = blocks[i];
    live.clear();
    for (size_t j : placed) {
      if (blocks[j].first <= blk.last && blk.first <= blocks[j].last) live.push_back(j);
    }
    std::sort(live.begin(), live.end(),
              [&](size_t a, size_t b) { return blocks[a].offset < blocks[b].offset; });
    int64_t end = 0, best = -1, best_gap = std::numeric_limits<int64_t>::max();
    for (size_t j : live) {
      const int64_t gap = blocks[j].offset - end;
      if (gap >= blk.size && gap < best_gap) {
        best = end;
        best_gap = gap;
      }
      end = std::max(end, blocks[j].offset + blocks[j].size);
    }
    blk.offset = best >= 0 ? best : end;
    p.arena_bytes = std::max(p.arena_bytes, blk.offset + blk.size);
    placed.push_back(i);
  }
  for (size_t b = 0; b < p.buffers.size(); ++b) {
    if (p.buffers[b].kind != PlanBuffer::kTemp) continue;
    p.buffers[b].offset = block_of[b] >= 0 ? blocks[static_cast<size_t>(block_of[b])].offset : -1;
  }
}

Result<Plan> BuildPlan(const ir::Module& m, const std::vector<ir::TensorType>& input_types) {
  return Finish(runtime::LowerDirect(m, input_types));
}

Result<Plan> BuildPlan(const ir::Module& m, int64_t batch) {
  return Finish(runtime::LowerDirect(m, batch));
}

}  // namespace triton::codegen
