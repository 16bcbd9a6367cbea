#pragma once
// Test support for triton/codegen: an arena checker written independently of
// runtime::CheckArena (step by step rather than pair by pair), and execution vs ir::Evaluate.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/runtime/executor.h"
#include "triton/runtime/plan.h"
#include "triton/runtime/test_util.h"

#ifndef TRITON_CODEGEN_TESTDATA
#define TRITON_CODEGEN_TESTDATA "triton/codegen/testdata"
#endif

namespace triton::codegen::testing {

// testdata/<name> of this folder.
inline std::string Data(const std::string& name) {
  return std::string(TRITON_CODEGEN_TESTDATA) + "/" + name;
}

// testdata/<name>.ir, parsed and verified (fails the test otherwise).
inline ir::Module LoadCase(const std::string& name) {
  return runtime::testing::ParseVerified(runtime::testing::ReadText(Data(name + ".ir")),
                                         name + ".ir");
}

// At every step, the temps live there (written at or before it, read at or after it, plan
// outputs to the end) occupy pairwise disjoint bytes, except the in-place step's output and the
// input it overwrites. Also: every temp is 64-byte aligned and inside the arena. Returns the
// first problem, "" when none.
inline std::string ArenaProblem(const runtime::Plan& p) {
  const size_t n = p.buffers.size();
  std::vector<int32_t> first(n, -1), last(n, -1);
  for (size_t k = 0; k < p.steps.size(); ++k) {
    for (int32_t b : p.steps[k].inputs) last[static_cast<size_t>(b)] = static_cast<int32_t>(k);
    first[static_cast<size_t>(p.steps[k].output)] = static_cast<int32_t>(k);
  }
  for (int32_t b : p.outputs) last[static_cast<size_t>(b)] = static_cast<int32_t>(p.steps.size());
  for (size_t b = 0; b < n; ++b) {
    const runtime::PlanBuffer& buf = p.buffers[b];
    if (buf.kind != runtime::PlanBuffer::kTemp) continue;
    if (buf.offset < 0 || buf.offset % 64 != 0 || buf.offset + buf.bytes() > p.arena_bytes) {
      return "temp #" + std::to_string(b) + " is misplaced";
    }
  }
  for (size_t k = 0; k < p.steps.size(); ++k) {
    const runtime::PlanStep& s = p.steps[k];
    const int32_t alias = s.in_place >= 0 ? s.inputs[static_cast<size_t>(s.in_place)] : -1;
    std::vector<size_t> live;
    for (size_t b = 0; b < n; ++b) {
      if (p.buffers[b].kind != runtime::PlanBuffer::kTemp) continue;
      const int32_t f = first[b], l = std::max(last[b], first[b]);
      if (f <= static_cast<int32_t>(k) && static_cast<int32_t>(k) <= l) live.push_back(b);
    }
    for (size_t i = 0; i < live.size(); ++i) {
      for (size_t j = i + 1; j < live.size(); ++j) {
        const runtime::PlanBuffer &x = p.buffers[live[i]], &y = p.buffers[live[j]];
        if (x.offset >= y.offset + y.bytes() || y.offset >= x.offset + x.bytes()) continue;
        const auto pair = [&](size_t a, size_t b) {
          return static_cast<int32_t>(a) == alias && static_cast<int32_t>(b) == s.output &&
                 last[a] == static_cast<int32_t>(k) && x.offset == y.offset &&
                 x.bytes() == y.bytes();
        };
        if (pair(live[i], live[j]) || pair(live[j], live[i])) continue;
        return "at step " + std::to_string(k) + ", temps #" + std::to_string(live[i]) + " and #" +
               std::to_string(live[j]) + " overlap";
      }
    }
  }
  return "";
}

// The sum of the temps' sizes rounded up to the arena alignment: the arena without reuse.
inline int64_t AlignedTempBytes(const runtime::Plan& p) {
  int64_t sum = 0;
  for (const runtime::PlanBuffer& b : p.buffers) {
    if (b.kind == runtime::PlanBuffer::kTemp) sum += (b.bytes() + 63) / 64 * 64;
  }
  return sum;
}

// Runs `plan` (of `m`) on random params and inputs and expects ir::Evaluate's results bit for bit.
inline void ExpectPlanEqualsEvaluate(const ir::Module& m, const runtime::Plan& plan,
                                     uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<ir::HostTensor> params =
      runtime::testing::RandomBuffers(plan, runtime::PlanBuffer::kParam, rng);
  std::vector<ir::HostTensor> inputs =
      runtime::testing::RandomBuffers(plan, runtime::PlanBuffer::kInput, rng);
  Result<std::vector<ir::HostTensor>> want = ir::Evaluate(m, inputs, params);
  ASSERT_TRUE(want.ok()) << want.status().message();
  Result<std::vector<ir::HostTensor>> consts = runtime::ConstantTensors(m, plan);
  ASSERT_TRUE(consts.ok()) << consts.status().message();
  Result<runtime::Executor> e =
      runtime::Executor::Create(plan, std::move(params), std::move(consts).value());
  ASSERT_TRUE(e.ok()) << e.status().message();
  Result<std::vector<ir::HostTensor>> got = e.value().Run(inputs);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got.value().size(), want.value().size());
  for (size_t i = 0; i < got.value().size(); ++i) {
    const ir::HostTensor &g = got.value()[i], &w = want.value()[i];
    ASSERT_EQ(g.type().ToString(), w.type().ToString()) << "output " << i;
    ASSERT_EQ(g.data.size(), w.data.size());
    for (size_t k = 0; k < g.data.size(); ++k) {
      ASSERT_TRUE(g.data[k] == w.data[k] || (std::isnan(g.data[k]) && std::isnan(w.data[k])))
          << "output " << i << " element " << k << ": " << g.data[k] << " vs " << w.data[k];
    }
    EXPECT_EQ(g.scale_pos, w.scale_pos) << "output " << i;
    EXPECT_EQ(g.scale_neg, w.scale_neg) << "output " << i;
  }
}

}  // namespace triton::codegen::testing
