// Whole-module evaluation: binds inputs, params and constants, checks them against their declared
// types (symbolic dims bind on first use, by inputs before params), runs the ops in order and
// frees each value after its last use.
#include <fmt/format.h>

#include <map>
#include <string>

#include "triton/ir/eval.h"

namespace triton::ir {
namespace {

using Bindings = std::map<std::string, int64_t>;

// Checks a concrete tensor against a declared type, binding symbols. `what` names the value.
Status CheckAgainst(const HostTensor& t, const TensorType& decl, const std::string& what,
                    Bindings& bind) {
  const std::string got = t.type().ToString();
  if (t.dtype != decl.dtype) {
    return Status::Error(fmt::format("{}: element type {} but the module declares {} ({})", what,
                                     DTypeName(t.dtype), DTypeName(decl.dtype), decl.ToString()));
  }
  if (t.shape.size() != decl.rank()) {
    return Status::Error(fmt::format("{}: expected {} ({} dimensions), got {}", what,
                                     decl.ToString(), decl.rank(), got));
  }
  for (size_t i = 0; i < decl.rank(); ++i) {
    const Dim& d = decl.dims[i];
    const int64_t size = t.shape[i];
    if (d.is_static() && d.size != size) {
      return Status::Error(fmt::format("{}: expected {}, got {} (dimension {} is {}, not {})", what,
                                       decl.ToString(), got, i, size, d.size));
    }
    if (d.is_symbolic()) {
      auto [it, fresh] = bind.emplace(d.symbol, size);
      if (!fresh && it->second != size) {
        return Status::Error(
            fmt::format("{}: expected {}, got {}: dimension {} binds {} = {}, but {} = {} already",
                        what, decl.ToString(), got, i, d.symbol, size, d.symbol, it->second));
      }
    }
  }
  return ValidateHostTensor(t, what);
}

std::string OpName(const Module& m, size_t i) {
  const Op& op = m.ops[i];
  std::string s = fmt::format("op {} ({}", i, OpMnemonic(op.kind));
  if (!op.scope.empty()) s += " in " + op.scope;
  return s + ")";
}

}  // namespace

Result<std::vector<HostTensor>> Evaluate(const Module& m, const std::vector<HostTensor>& inputs,
                                         const std::vector<HostTensor>& params) {
  if (inputs.size() != m.inputs.size()) {
    return Status::Error(
        fmt::format("module {} takes {} inputs, got {}", m.name, m.inputs.size(), inputs.size()));
  }
  if (params.size() != m.params.size()) {
    return Status::Error(
        fmt::format("module {} has {} params, got {}", m.name, m.params.size(), params.size()));
  }
  const auto valid = [&](ValueId id) {
    return id >= 0 && static_cast<size_t>(id) < m.values.size();
  };
  // Inputs and params are read in place; constants and op results live in `owned`.
  std::vector<const HostTensor*> values(m.values.size(), nullptr);
  std::vector<HostTensor> owned(m.values.size());
  Bindings bind;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueId id = m.inputs[i];
    if (!valid(id)) return Status::Error(fmt::format("input {} has no value", i));
    const std::string what = fmt::format("input {}", m.value(id).name);
    if (Status s = CheckAgainst(inputs[i], m.type(id), what, bind); !s.ok()) return s;
    values[static_cast<size_t>(id)] = &inputs[i];
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const ValueId id = m.params[i].value;
    if (!valid(id)) return Status::Error(fmt::format("param {} has no value", i));
    const std::string what = fmt::format("param {}", m.value(id).name);
    if (Status s = CheckAgainst(params[i], m.type(id), what, bind); !s.ok()) return s;
    values[static_cast<size_t>(id)] = &params[i];
  }
  for (size_t i = 0; i < m.consts.size(); ++i) {
    const Constant& c = m.consts[i];
    if (!valid(c.value)) return Status::Error(fmt::format("constant {} has no value", i));
    const TensorType& t = m.type(c.value);
    HostTensor h;
    h.dtype = t.dtype;
    for (const Dim& d : t.dims) {
      if (!d.is_static()) {
        return Status::Error(
            fmt::format("constant {} has the non-static type {}", i, t.ToString()));
      }
      h.shape.push_back(d.size);
    }
    h.data.assign(c.data.begin(), c.data.end());
    if (Status s = ValidateHostTensor(h, fmt::format("constant {}", i)); !s.ok()) return s;
    owned[static_cast<size_t>(c.value)] = std::move(h);
    values[static_cast<size_t>(c.value)] = &owned[static_cast<size_t>(c.value)];
  }
  // Last use of every value (outputs are used after the last op).
  std::vector<size_t> last_use(m.values.size(), 0);
  for (size_t i = 0; i < m.ops.size(); ++i) {
    for (ValueId id : m.ops[i].operands) {
      if (valid(id)) last_use[static_cast<size_t>(id)] = i;
    }
  }
  for (ValueId id : m.outputs) {
    if (valid(id)) last_use[static_cast<size_t>(id)] = m.ops.size();
  }
  std::vector<const HostTensor*> operands;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    operands.clear();
    for (size_t k = 0; k < op.operands.size(); ++k) {
      const ValueId id = op.operands[k];
      if (!valid(id) || values[static_cast<size_t>(id)] == nullptr) {
        return Status::Error(
            fmt::format("{}: operand {} (%{}) is not defined before use", OpName(m, i), k, id));
      }
      operands.push_back(values[static_cast<size_t>(id)]);
    }
    Result<HostTensor> r = EvalOp(op, operands);
    if (!r.ok()) return Status::Error(OpName(m, i) + ": " + r.status().message());
    if (!valid(op.result)) return Status::Error(OpName(m, i) + ": the result has no value");
    const std::string what = OpName(m, i) + " result";
    if (Status s = CheckAgainst(r.value(), m.type(op.result), what, bind); !s.ok()) return s;
    const auto res = static_cast<size_t>(op.result);
    owned[res] = std::move(r).value();
    values[res] = &owned[res];
    for (ValueId id : op.operands) {  // free op results whose last use this was
      if (last_use[static_cast<size_t>(id)] == i && m.value(id).kind == ValueKind::kOp) {
        owned[static_cast<size_t>(id)] = HostTensor{};
      }
    }
  }
  std::vector<HostTensor> out;
  for (ValueId id : m.outputs) {
    if (!valid(id) || values[static_cast<size_t>(id)] == nullptr) {
      return Status::Error(fmt::format("output %{} is not defined", id));
    }
    out.push_back(*values[static_cast<size_t>(id)]);
  }
  return out;
}

}  // namespace triton::ir
