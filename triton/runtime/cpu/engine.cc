// The CPU engine: binds a plan's steps to their factories once, then runs them over one arena.
#include "triton/runtime/cpu/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "triton/kernels/common/buffer.h"
#include "triton/runtime/cpu/step.h"
#include "triton/runtime/executor.h"

namespace triton::runtime::cpu {
namespace {

class EngineImpl final : public Engine {
 public:
  Result<std::vector<ir::HostTensor>> Run(const std::vector<ir::HostTensor>& inputs) override;
  int64_t weight_bytes() const override { return weight_bytes_; }
  int64_t arena_bytes() const override {
    return static_cast<int64_t>(arena_.bytes() + scratch_.bytes());
  }
  const std::vector<StepInfo>& steps() const override { return info_; }
  void ResetProfile() override {
    for (StepInfo& s : info_) s.ms = 0, s.runs = 0;
  }
  const EngineOptions& options() const override { return options_; }

  Plan plan_;
  EngineOptions options_;
  std::vector<ir::HostTensor> params_, consts_;
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<StepInfo> info_;
  kernels::AlignedBuffer<uint8_t> arena_, scratch_;
  std::vector<ir::HostTensor> side_;
  int64_t weight_bytes_ = 0;
  size_t num_inputs_ = 0;
};

Result<std::vector<ir::HostTensor>> EngineImpl::Run(const std::vector<ir::HostTensor>& inputs) {
  if (inputs.size() != num_inputs_) {
    return Status::Error(fmt::format("model '{}' takes {} input(s), got {}", plan_.model,
                                     num_inputs_, inputs.size()));
  }
  RunState st;
  st.plan = &plan_;
  st.arena = arena_.data();
  st.scratch = scratch_.data();
  st.side = &side_;
  st.threads = options_.threads;
  st.isa = options_.isa;
  st.host.assign(plan_.buffers.size(), nullptr);
  for (size_t b = 0; b < plan_.buffers.size(); ++b) {
    const PlanBuffer& buf = plan_.buffers[b];
    const size_t i = static_cast<size_t>(buf.index);
    switch (buf.kind) {
      case PlanBuffer::kInput: {
        Status s = CheckTensor("input '" + buf.name + "'", buf.type, inputs.at(i));
        if (!s.ok()) return s;
        st.host[b] = &inputs[i];
        break;
      }
      case PlanBuffer::kParam:
        st.host[b] = &params_[i];
        break;
      case PlanBuffer::kConst:
        st.host[b] = &consts_[i];
        break;
      case PlanBuffer::kTemp:
        break;
    }
  }
  for (size_t i = 0; i < steps_.size(); ++i) {
    const auto t0 = options_.profile ? std::chrono::steady_clock::now()
                                     : std::chrono::steady_clock::time_point{};
    Status s = steps_[i]->Run(st);
    if (options_.profile) {
      info_[i].ms +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      ++info_[i].runs;
    }
    if (!s.ok()) {
      const PlanStep& ps = plan_.steps[i];
      return Status::Error(fmt::format("step {} ({}{}{}): {}", i, ps.kernel,
                                       ps.scope.empty() ? "" : " @", ps.scope, s.message()));
    }
  }
  std::vector<ir::HostTensor> out;
  out.reserve(plan_.outputs.size());
  for (int32_t b : plan_.outputs) {
    if (st.InArena(b)) {
      out.push_back(ToHost(st, b));
    } else if (plan_.buffers[static_cast<size_t>(b)].kind == PlanBuffer::kTemp) {
      out.push_back(side_[static_cast<size_t>(b)]);
    } else {
      out.push_back(*st.host[static_cast<size_t>(b)]);
    }
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Create(Plan plan, std::vector<ir::HostTensor> params,
                                               std::vector<ir::HostTensor> consts,
                                               const EngineOptions& options) {
  if (!IsaSupported(options.isa)) {
    return Status::Error(
        fmt::format("this CPU does not support ISA level {}", IsaName(options.isa)));
  }
  if (options.threads < 1) return Status::Error("the thread count must be at least 1");
  auto e = std::make_unique<EngineImpl>();
  e->options_ = options;
  for (const PlanBuffer& b : plan.buffers) e->num_inputs_ += b.kind == PlanBuffer::kInput;
  if (Status st = CheckPlanTensors(plan, params, consts); !st.ok()) return st;
  if (Status st = CheckArena(plan); !st.ok()) {
    return Status::Error(fmt::format("model '{}': invalid plan: {}", plan.model, st.message()));
  }
  int64_t scratch = 0;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& s = plan.steps[i];
    BuildArgs args{plan, s, i, params, consts, options.isa, options.threads};
    for (int32_t b : s.inputs) {
      if (b < 0 || static_cast<size_t>(b) >= plan.buffers.size()) {
        return Status::Error(args.Label() + " reads an invalid buffer");
      }
    }
    if (s.output < 0 || static_cast<size_t>(s.output) >= plan.buffers.size() ||
        plan.buffers[static_cast<size_t>(s.output)].kind != PlanBuffer::kTemp) {
      return Status::Error(args.Label() + " writes an invalid buffer");
    }
    const StepFactory f = FindFactory(s.kernel);
    if (f == nullptr) {
      return Status::Error(args.Label() + " names a kernel the CPU engine does not have");
    }
    Result<std::unique_ptr<Step>> step = f(args);
    if (!step.ok()) return Status::Error(args.Label() + ": " + step.status().message());
    Step& st = *step.value();
    e->weight_bytes_ += st.weight_bytes;
    scratch = std::max(scratch, st.scratch_bytes);
    e->info_.push_back(StepInfo{st.kernel, s.scope, st.macs, 0, 0});
    e->steps_.push_back(std::move(step).value());
  }
  for (int32_t b : plan.outputs) {
    if (b < 0 || static_cast<size_t>(b) >= plan.buffers.size()) {
      return Status::Error("the plan returns an invalid buffer");
    }
  }
  // Drop the params and constants no step reads at run time: their packed forms are held by
  // the steps (weight_bytes).
  std::vector<bool> read(plan.buffers.size(), false);
  for (size_t i = 0; i < e->steps_.size(); ++i) {
    const Step& st = *e->steps_[i];
    for (int32_t b : st.reads ? *st.reads : plan.steps[i].inputs)
      read[static_cast<size_t>(b)] = true;
  }
  for (int32_t b : plan.outputs) read[static_cast<size_t>(b)] = true;
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    const PlanBuffer& buf = plan.buffers[b];
    if (read[b]) continue;
    if (buf.kind == PlanBuffer::kParam) params[static_cast<size_t>(buf.index)] = ir::HostTensor{};
    if (buf.kind == PlanBuffer::kConst) consts[static_cast<size_t>(buf.index)] = ir::HostTensor{};
  }
  e->arena_.Reset(static_cast<size_t>(plan.arena_bytes));
  e->scratch_.Reset(static_cast<size_t>(scratch));
  e->side_.resize(plan.buffers.size());
  e->plan_ = std::move(plan);
  e->params_ = std::move(params);
  e->consts_ = std::move(consts);
  return std::unique_ptr<Engine>(std::move(e));
}

// ---- RunState / BuildArgs

bool RunState::InArena(int32_t b) const {
  const PlanBuffer& buf = buffer(b);
  return buf.kind == PlanBuffer::kTemp && buf.type.dtype == ir::DType::kFloat32;
}

float* RunState::F(int32_t b) const {
  if (InArena(b)) return reinterpret_cast<float*>(arena + buffer(b).offset);
  const PlanBuffer& buf = buffer(b);
  if (buf.kind == PlanBuffer::kTemp) return (*side)[static_cast<size_t>(b)].data.data();
  return const_cast<float*>(host[static_cast<size_t>(b)]->data.data());
}

const ir::HostTensor* BuildArgs::Weight(size_t i) const {
  const PlanBuffer& b = In(i);
  if (b.kind == PlanBuffer::kParam) return &params[static_cast<size_t>(b.index)];
  if (b.kind == PlanBuffer::kConst) return &consts[static_cast<size_t>(b.index)];
  return nullptr;
}

const PlanBuffer& BuildArgs::In(size_t i) const {
  return plan.buffers[static_cast<size_t>(step.inputs.at(i))];
}
const PlanBuffer& BuildArgs::Out() const { return plan.buffers[static_cast<size_t>(step.output)]; }

std::string BuildArgs::Label() const {
  return fmt::format("step {} ({}{}{})", index, step.kernel, step.scope.empty() ? "" : " @",
                     step.scope);
}

StepFactory FindFactory(std::string_view k) {
  const auto starts = [&](std::string_view p) { return k.substr(0, p.size()) == p; };
  if (starts("reorder_f32_")) return MakeReorderStep;
  if (k == "flatten_f32") return MakeFlattenStep;
  if (k == "relu_f32" || k == "add_f32" || k == "mul_f32_channel") return MakeEltwiseStep;
  if (starts("conv2d_t2_u8_f32__") || starts("linear_t2_u8_f32__")) return MakeTernaryDenseStep;
  if (starts("conv2d_f32_nhwc") || starts("linear_f32__")) return MakeFloatDenseStep;
  if (k.find("pool2d_f32_nhwc__") != std::string_view::npos) return MakePoolStep;
  if (k.ends_with("__reference")) return MakeReferenceStep;  // "<op>__reference"
  return nullptr;
}

}  // namespace triton::runtime::cpu
