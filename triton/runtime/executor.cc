#include "triton/runtime/executor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace triton::runtime {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  return "[" + fmt::format("{}", fmt::join(shape, ", ")) + "]";
}

// The type of a HostTensor, printable even when its shape has negative sizes.
std::string TypeText(const ir::HostTensor& t) {
  return std::string(ir::DTypeShortName(t.dtype)) + ShapeText(t.shape);
}

bool SameType(const ir::TensorType& want, const ir::HostTensor& t) {
  if (want.dtype != t.dtype || want.rank() != t.shape.size()) return false;
  for (size_t d = 0; d < t.shape.size(); ++d) {
    if (want.dims[d].size != t.shape[d]) return false;
  }
  return true;
}

std::string StepLabel(const PlanStep& s, size_t i) {
  return fmt::format("step {} ({}{}{})", i, s.kernel, s.scope.empty() ? "" : " @", s.scope);
}

}  // namespace

Status CheckTensor(const std::string& what, const ir::TensorType& want, const ir::HostTensor& t) {
  if (!SameType(want, t)) {
    return Status::Error(fmt::format("{} must be {}, got {}", what, want.ToString(), TypeText(t)));
  }
  return ir::ValidateHostTensor(t, what);
}

Status CheckPlanTensors(const Plan& plan, const std::vector<ir::HostTensor>& params,
                        const std::vector<ir::HostTensor>& consts) {
  size_t num_params = 0, num_consts = 0;
  for (const PlanBuffer& b : plan.buffers) {
    num_params += b.kind == PlanBuffer::kParam;
    num_consts += b.kind == PlanBuffer::kConst;
  }
  if (params.size() != num_params || consts.size() != num_consts) {
    return Status::Error(fmt::format("model '{}' has {} params and {} constants, got {} and {}",
                                     plan.model, num_params, num_consts, params.size(),
                                     consts.size()));
  }
  for (const PlanBuffer& b : plan.buffers) {
    Status st;
    if (b.kind == PlanBuffer::kParam) {
      st = CheckTensor("param '" + b.name + "'", b.type, params.at(static_cast<size_t>(b.index)));
    } else if (b.kind == PlanBuffer::kConst) {
      st = CheckTensor("constant %" + b.name, b.type, consts.at(static_cast<size_t>(b.index)));
    }
    if (!st.ok()) return st;
  }
  return Status();
}

Result<Executor> Executor::Create(Plan plan, std::vector<ir::HostTensor> params,
                                  std::vector<ir::HostTensor> consts) {
  if (Status st = CheckPlanTensors(plan, params, consts); !st.ok()) return st;
  Executor e;
  e.last_use_.assign(plan.buffers.size(), -1);
  const auto& registry = KernelRegistry::Global();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& s = plan.steps[i];
    const Kernel* k = registry.Find(s.kernel);
    if (!k) {
      return Status::Error(
          fmt::format("{} names a kernel that is not registered", StepLabel(s, i)));
    }
    if (k->op != s.op) {
      return Status::Error(fmt::format("{} runs op {} with a kernel for {}", StepLabel(s, i),
                                       ir::OpMnemonic(s.op), ir::OpMnemonic(k->op)));
    }
    const auto in_range = [&](int32_t b) {
      return b >= 0 && static_cast<size_t>(b) < plan.buffers.size();
    };
    if (!in_range(s.output) ||
        plan.buffers[static_cast<size_t>(s.output)].kind != PlanBuffer::kTemp) {
      return Status::Error(fmt::format("{} writes an invalid buffer", StepLabel(s, i)));
    }
    for (int32_t b : s.inputs) {
      if (!in_range(b)) return Status::Error(StepLabel(s, i) + " reads an invalid buffer");
      e.last_use_[static_cast<size_t>(b)] = static_cast<int32_t>(i);
    }
    e.kernels_.push_back(k->fn);
    ir::Op op;
    op.kind = s.op;
    op.operands.assign(s.inputs.begin(), s.inputs.end());
    op.attrs = s.attrs;
    op.result = s.output;
    op.scope = s.scope;
    e.ops_.push_back(std::move(op));
  }
  for (int32_t b : plan.outputs) {
    if (b < 0 || static_cast<size_t>(b) >= plan.buffers.size()) {
      return Status::Error("the plan returns an invalid buffer");
    }
    e.last_use_[static_cast<size_t>(b)] = static_cast<int32_t>(plan.steps.size());  // kept
  }
  // Temps still run in HostTensors of their own (KernelFn returns one), not at their arena
  // offsets; the layout is checked so that a plan the runtime accepts is one an arena-backed
  // executor can run.
  if (Status st = CheckArena(plan); !st.ok()) {
    return Status::Error(fmt::format("model '{}': invalid plan: {}", plan.model, st.message()));
  }
  e.plan_ = std::move(plan);
  e.params_ = std::move(params);
  e.consts_ = std::move(consts);
  return e;
}

Result<std::vector<ir::HostTensor>> Executor::Run(const std::vector<ir::HostTensor>& inputs) {
  size_t num_inputs = 0;
  for (const PlanBuffer& b : plan_.buffers) num_inputs += b.kind == PlanBuffer::kInput;
  if (inputs.size() != num_inputs) {
    return Status::Error(fmt::format("model '{}' takes {} input(s), got {}", plan_.model,
                                     num_inputs, inputs.size()));
  }
  for (const PlanBuffer& b : plan_.buffers) {
    if (b.kind != PlanBuffer::kInput) continue;
    Status st =
        CheckTensor("input '" + b.name + "'", b.type, inputs.at(static_cast<size_t>(b.index)));
    if (!st.ok()) return st;
  }
  std::vector<ir::HostTensor> temps(plan_.buffers.size());
  const auto buffer = [&](int32_t i) -> const ir::HostTensor* {
    const PlanBuffer& b = plan_.buffers[static_cast<size_t>(i)];
    switch (b.kind) {
      case PlanBuffer::kInput:
        return &inputs[static_cast<size_t>(b.index)];
      case PlanBuffer::kParam:
        return &params_[static_cast<size_t>(b.index)];
      case PlanBuffer::kConst:
        return &consts_[static_cast<size_t>(b.index)];
      case PlanBuffer::kTemp:
        return &temps[static_cast<size_t>(i)];
    }
    return nullptr;
  };
  std::vector<const ir::HostTensor*> args;
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    const PlanStep& s = plan_.steps[i];
    args.clear();
    for (int32_t b : s.inputs) args.push_back(buffer(b));
    ir::HostTensor& out = temps[static_cast<size_t>(s.output)];
    Status st = kernels_[i](ops_[i], args, &out);
    if (!st.ok()) return Status::Error(fmt::format("{}: {}", StepLabel(s, i), st.message()));
    const ir::TensorType& want = plan_.buffers[static_cast<size_t>(s.output)].type;
    if (!SameType(want, out) || static_cast<int64_t>(out.data.size()) != want.num_elements()) {
      return Status::Error(fmt::format("internal error: {} produced {} ({} values) for a {} buffer",
                                       StepLabel(s, i), TypeText(out), out.data.size(),
                                       want.ToString()));
    }
    for (int32_t b : s.inputs) {
      if (last_use_[static_cast<size_t>(b)] == static_cast<int32_t>(i) &&
          plan_.buffers[static_cast<size_t>(b)].kind == PlanBuffer::kTemp) {
        temps[static_cast<size_t>(b)] = ir::HostTensor{};  // released: no later step reads it
      }
    }
  }
  std::vector<ir::HostTensor> outputs;
  outputs.reserve(plan_.outputs.size());
  for (int32_t b : plan_.outputs) outputs.push_back(*buffer(b));
  return outputs;
}

Result<std::vector<ir::HostTensor>> ConstantTensors(const ir::Module& m, const Plan& plan) {
  std::vector<ir::HostTensor> out(m.consts.size());
  std::vector<bool> seen(m.consts.size(), false);
  for (const PlanBuffer& b : plan.buffers) {
    if (b.kind != PlanBuffer::kConst) continue;
    const size_t i = static_cast<size_t>(b.index);
    if (i >= m.consts.size()) return Status::Error("the plan names a constant the module lacks");
    const ir::Constant& c = m.consts[i];
    if (static_cast<int64_t>(c.data.size()) != b.type.num_elements()) {
      return Status::Error(fmt::format("constant %c{} has {} values for type {}", i, c.data.size(),
                                       b.type.ToString()));
    }
    ir::HostTensor& t = out[i];
    t.dtype = b.type.dtype;
    for (const ir::Dim& d : b.type.dims) t.shape.push_back(d.size);
    t.data.assign(c.data.begin(), c.data.end());
    seen[i] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) return Status::Error(fmt::format("constant %c{} is not in the plan", i));
  }
  return out;
}

}  // namespace triton::runtime
