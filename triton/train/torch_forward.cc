// A whole module through libtorch (torch_forward.h states the contract).
#include "triton/train/torch_forward.h"

#include <string>

#include "triton/train/torch_ops.h"

namespace triton::torch_ops {
namespace {

// libtorch's messages carry a C++ backtrace after the first line; the first line is the reason.
std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

// The static shape of `t`, or empty when a dim is symbolic.
std::vector<int64_t> StaticShape(const ir::TensorType& t) {
  std::vector<int64_t> s;
  for (const ir::Dim& d : t.dims) {
    if (!d.is_static()) return {};
    s.push_back(d.size);
  }
  return s;
}

}  // namespace

Result<TorchModule> TorchModule::Create(const ir::Module& m,
                                        const std::vector<ir::HostTensor>& params) {
  if (params.size() != m.params.size()) {
    return Status::Error("module '" + m.name + "' has " + std::to_string(m.params.size()) +
                         " params, got " + std::to_string(params.size()) + " tensors");
  }
  std::vector<torch::Tensor> t;
  t.reserve(params.size());
  try {
    for (const ir::HostTensor& p : params) t.push_back(ToTorch(p));
  } catch (const c10::Error& e) {
    return Status::Error("converting the params of '" + m.name + "': " + FirstLine(e.what()));
  }
  return Create(m, std::move(t));
}

Result<TorchModule> TorchModule::Create(const ir::Module& m, std::vector<torch::Tensor> params) {
  if (params.size() != m.params.size()) {
    return Status::Error("module '" + m.name + "' has " + std::to_string(m.params.size()) +
                         " params, got " + std::to_string(params.size()) + " tensors");
  }
  TorchModule tm;
  tm.module_ = m;
  tm.bound_.resize(m.values.size());
  for (size_t i = 0; i < m.params.size(); ++i) {
    const ir::TensorType& type = m.type(m.params[i].value);
    const std::vector<int64_t> want = StaticShape(type);
    const std::vector<int64_t> got(params[i].sizes().begin(), params[i].sizes().end());
    if (!want.empty() && want != got) {
      return Status::Error("param '" + m.value(m.params[i].value).name + "' is " + type.ToString() +
                           " in the IR, but the tensor has another shape");
    }
    tm.bound_[static_cast<size_t>(m.params[i].value)] = std::move(params[i]);
  }
  try {
    for (const ir::Constant& c : m.consts) {
      ir::HostTensor t;
      t.dtype = m.type(c.value).dtype;
      for (const ir::Dim& d : m.type(c.value).dims) t.shape.push_back(d.size);
      t.data.assign(c.data.begin(), c.data.end());
      tm.bound_[static_cast<size_t>(c.value)] = ToTorch(t);
    }
  } catch (const c10::Error& e) {
    return Status::Error("converting the constants of '" + m.name + "': " + FirstLine(e.what()));
  }

  // Last use of every op result and input: the op after which Forward drops it. Outputs live on.
  std::vector<int64_t> last(m.values.size(), -1);
  for (size_t k = 0; k < m.ops.size(); ++k) {
    for (ir::ValueId id : m.ops[k].operands)
      last[static_cast<size_t>(id)] = static_cast<int64_t>(k);
  }
  for (ir::ValueId id : m.outputs) last[static_cast<size_t>(id)] = -1;
  tm.release_after_.resize(m.ops.size());
  for (size_t v = 0; v < last.size(); ++v) {
    if (last[v] >= 0 && !tm.bound_[v].defined()) {
      tm.release_after_[static_cast<size_t>(last[v])].push_back(v);
    }
  }
  return tm;
}

Result<std::vector<torch::Tensor>> TorchModule::Forward(
    const std::vector<torch::Tensor>& inputs) const {
  const ir::Module& m = module_;
  if (inputs.size() != m.inputs.size()) {
    return Status::Error("module '" + m.name + "' takes " + std::to_string(m.inputs.size()) +
                         " input(s), got " + std::to_string(inputs.size()));
  }
  c10::InferenceMode inference;
  std::vector<torch::Tensor> v = bound_;  // shares the params' storage
  for (size_t i = 0; i < m.inputs.size(); ++i) v[static_cast<size_t>(m.inputs[i])] = inputs[i];
  std::vector<torch::Tensor> operands;
  std::vector<ir::TensorType> types;
  try {
    for (size_t k = 0; k < m.ops.size(); ++k) {
      const ir::Op& op = m.ops[k];
      operands.clear();
      types.clear();
      for (ir::ValueId id : op.operands) {
        operands.push_back(v[static_cast<size_t>(id)]);
        types.push_back(m.type(id));
      }
      v[static_cast<size_t>(op.result)] = RunOp(op, operands, types);
      operands.clear();  // drop the references before releasing
      for (size_t id : release_after_[k]) v[id] = torch::Tensor();
    }
  } catch (const c10::Error& e) {
    return Status::Error("libtorch forward of '" + m.name + "': " + FirstLine(e.what()));
  }
  std::vector<torch::Tensor> out;
  for (ir::ValueId id : m.outputs) out.push_back(v[static_cast<size_t>(id)]);
  return out;
}

Result<std::vector<torch::Tensor>> TorchModule::Forward(
    const std::vector<ir::HostTensor>& inputs) const {
  std::vector<torch::Tensor> t;
  try {
    for (const ir::HostTensor& h : inputs) t.push_back(ToTorch(h));
  } catch (const c10::Error& e) {
    return Status::Error("converting the inputs of '" + module_.name + "': " + FirstLine(e.what()));
  }
  return Forward(t);
}

int64_t TorchModule::weight_bytes() const {
  int64_t bytes = 0;
  for (const torch::Tensor& t : bound_) {
    if (t.defined()) bytes += static_cast<int64_t>(t.numel() * t.element_size());
  }
  return bytes;
}

std::vector<torch::Tensor> TorchForward(const ir::Module& m,
                                        const std::vector<ir::HostTensor>& inputs,
                                        const std::vector<torch::Tensor>& params) {
  Result<TorchModule> tm = TorchModule::Create(m, params);
  TORCH_CHECK(tm.ok(), tm.ok() ? "" : tm.status().message());
  Result<std::vector<torch::Tensor>> out = tm.value().Forward(inputs);
  TORCH_CHECK(out.ok(), out.ok() ? "" : out.status().message());
  return std::move(out).value();
}

}  // namespace triton::torch_ops
