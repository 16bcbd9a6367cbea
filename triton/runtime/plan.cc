// LowerDirect: the direct lowering (one step per op, one buffer per value, no buffer reuse) that
// codegen::BuildPlan starts from; the arena checker; and the Plan's text form.
#include "triton/runtime/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "triton/runtime/kernels.h"

namespace triton::runtime {
namespace {

using ir::Dim;
using ir::TensorType;

// symbol -> (size, where it was bound: "input 'x' dim 0").
using Bindings = std::map<std::string, std::pair<int64_t, std::string>>;

std::string InputName(const ir::Module& m, size_t i) { return m.value(m.inputs[i]).name; }

// Binds the dims of input `name` (declared `decl`) from its concrete type `given`.
Status BindInput(const std::string& name, const TensorType& decl, const TensorType& given,
                 Bindings& b) {
  const std::string mismatch =
      fmt::format("input '{}' must be {}, got {}", name, decl.ToString(), given.ToString());
  if (!given.is_static()) {
    return Status::Error(
        fmt::format("input '{}': the given type {} is not static", name, given.ToString()));
  }
  if (given.dtype != decl.dtype) return Status::Error(mismatch);
  if (given.rank() != decl.rank()) {
    return Status::Error(
        fmt::format("{} (rank {} instead of {})", mismatch, given.rank(), decl.rank()));
  }
  for (size_t d = 0; d < decl.rank(); ++d) {
    const Dim& want = decl.dims[d];
    const int64_t got = given.dims[d].size;
    if (want.is_static() && want.size != got) {
      return Status::Error(
          fmt::format("{}: dim {} must be {}, got {}", mismatch, d, want.size, got));
    }
    if (!want.is_symbolic()) continue;
    const std::string where = fmt::format("input '{}' dim {}", name, d);
    auto [it, inserted] = b.try_emplace(want.symbol, got, where);
    if (!inserted && it->second.first != got) {
      return Status::Error(fmt::format("{} ({}) is {}, but {} sets {} to {}", where, want.symbol,
                                       got, it->second.second, want.symbol, it->second.first));
    }
  }
  return Status();
}

TensorType Substitute(const TensorType& t, const Bindings& b) {
  TensorType out = t;
  for (Dim& d : out.dims) {
    if (!d.is_symbolic()) continue;
    auto it = b.find(d.symbol);
    if (it != b.end()) d = Dim::Static(it->second.first);
  }
  return out;
}

// The first non-static dim of `t`, described: "dimension M (dim 1)"; "" when static.
std::string Unbound(const TensorType& t) {
  for (size_t d = 0; d < t.rank(); ++d) {
    const Dim& dim = t.dims[d];
    if (dim.is_symbolic()) return fmt::format("dimension {} (dim {})", dim.symbol, d);
    if (dim.is_unknown()) return fmt::format("an unknown dimension (dim {})", d);
  }
  return "";
}

std::string OpLabel(const ir::Op& op, size_t index) {
  std::string s = fmt::format("op %{} ({}", index, ir::OpMnemonic(op.kind));
  if (!op.scope.empty()) s += " @" + op.scope;
  return s + ")";
}

// Checks the concrete result type of op `index` against its declared type; symbols first seen
// here are bound.
Status CheckResult(const ir::Op& op, size_t index, const TensorType& declared,
                   const TensorType& got, Bindings& b) {
  if (declared.rank() != got.rank()) {
    return Status::Error(fmt::format("{} gives {}, but the IR declares {}", OpLabel(op, index),
                                     got.ToString(), declared.ToString()));
  }
  for (size_t d = 0; d < got.rank(); ++d) {
    const Dim& want = declared.dims[d];
    const int64_t size = got.dims[d].size;
    if (want.is_static() && want.size != size) {
      return Status::Error(fmt::format("{} gives {}, but the IR declares {}", OpLabel(op, index),
                                       got.ToString(), declared.ToString()));
    }
    if (want.is_symbolic()) {
      auto [it, inserted] =
          b.try_emplace(want.symbol, size, fmt::format("the result of {}", OpLabel(op, index)));
      if (!inserted && it->second.first != size) {
        return Status::Error(fmt::format("{} gives {} = {} in dim {}, but {} sets it to {}",
                                         OpLabel(op, index), want.symbol, size, d,
                                         it->second.second, it->second.first));
      }
    }
  }
  return Status();
}

int64_t AlignUp(int64_t n) { return (n + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

}  // namespace

int64_t PlanBuffer::bytes() const {
  const int64_t n = type.num_elements();
  return n < 0 ? 0 : n * (ir::DTypeBits(type.dtype) / 8);
}

int64_t Plan::ActivationBytes() const {
  int64_t sum = 0;
  for (const PlanBuffer& b : buffers) {
    if (b.kind == PlanBuffer::kTemp) sum += b.bytes();
  }
  return sum;
}

int64_t Plan::ArenaBytesPerSample() const {
  return batch > 0 ? (arena_bytes + batch - 1) / batch : arena_bytes;
}

std::vector<std::pair<int32_t, int32_t>> TempLifetimes(const Plan& p) {
  std::vector<std::pair<int32_t, int32_t>> life(p.buffers.size(), {-1, -1});
  for (size_t k = 0; k < p.steps.size(); ++k) {
    const PlanStep& s = p.steps[k];
    const auto step = static_cast<int32_t>(k);
    for (int32_t b : s.inputs) {
      if (b >= 0 && static_cast<size_t>(b) < life.size() && life[b].first >= 0) {
        life[b].second = std::max(life[b].second, step);
      }
    }
    if (s.output >= 0 && static_cast<size_t>(s.output) < life.size() &&
        p.buffers[s.output].kind == PlanBuffer::kTemp) {
      life[s.output] = {step, step};
    }
  }
  for (int32_t b : p.outputs) {
    if (b >= 0 && static_cast<size_t>(b) < life.size() && life[b].first >= 0) {
      life[b].second = static_cast<int32_t>(p.steps.size());
    }
  }
  return life;
}

Status CheckArena(const Plan& p) {
  const auto life = TempLifetimes(p);
  std::vector<int32_t> temps;
  for (size_t i = 0; i < p.buffers.size(); ++i) {
    const PlanBuffer& b = p.buffers[i];
    if (b.kind != PlanBuffer::kTemp) continue;
    if (life[i].first < 0) {
      return Status::Error(fmt::format("temp #{} (%{}) is written by no step", i, b.name));
    }
    if (b.offset < 0 || b.offset % kArenaAlignment != 0 || b.offset + b.bytes() > p.arena_bytes) {
      return Status::Error(fmt::format(
          "temp #{} (%{}) at offset {} ({} bytes) is unaligned or outside the {}-byte arena", i,
          b.name, b.offset, b.bytes(), p.arena_bytes));
    }
    temps.push_back(static_cast<int32_t>(i));
  }
  // A valid in-place step k: its output b takes over input a, which dies at k.
  const auto in_place_pair = [&](int32_t a, int32_t b) {
    const int32_t k = life[b].first;
    const PlanStep& s = p.steps[static_cast<size_t>(k)];
    return s.in_place >= 0 && static_cast<size_t>(s.in_place) < s.inputs.size() &&
           s.inputs[s.in_place] == a && life[a].second == k &&
           p.buffers[a].offset == p.buffers[b].offset &&
           p.buffers[a].bytes() == p.buffers[b].bytes();
  };
  for (size_t i = 0; i < temps.size(); ++i) {
    for (size_t j = i + 1; j < temps.size(); ++j) {
      const int32_t a = temps[i], b = temps[j];
      const PlanBuffer &x = p.buffers[a], &y = p.buffers[b];
      const bool live_together = life[a].first <= life[b].second && life[b].first <= life[a].second;
      const bool share_bytes = x.offset < y.offset + y.bytes() && y.offset < x.offset + x.bytes();
      if (!live_together || !share_bytes || in_place_pair(a, b) || in_place_pair(b, a)) continue;
      return Status::Error(fmt::format(
          "temps #{} (%{}, bytes [{}, {}), steps {}..{}) and #{} (%{}, bytes [{}, {}), steps "
          "{}..{}) are live together but overlap in the arena",
          a, x.name, x.offset, x.offset + x.bytes(), life[a].first, life[a].second, b, y.name,
          y.offset, y.offset + y.bytes(), life[b].first, life[b].second));
    }
  }
  for (size_t k = 0; k < p.steps.size(); ++k) {
    const PlanStep& s = p.steps[k];
    if (s.in_place < 0) continue;
    const bool ok = static_cast<size_t>(s.in_place) < s.inputs.size() &&
                    s.inputs[s.in_place] >= 0 &&
                    static_cast<size_t>(s.inputs[s.in_place]) < p.buffers.size() &&
                    p.buffers[s.inputs[s.in_place]].kind == PlanBuffer::kTemp &&
                    in_place_pair(s.inputs[s.in_place], s.output);
    if (!ok) {
      return Status::Error(
          fmt::format("step {} ({}) is marked in-place on an input it may not "
                      "overwrite",
                      k, s.kernel));
    }
  }
  return Status();
}

Result<Plan> LowerDirect(const ir::Module& m, const std::vector<TensorType>& input_types) {
  if (input_types.size() != m.inputs.size()) {
    return Status::Error(fmt::format("model '{}' takes {} input(s), got {}", m.name,
                                     m.inputs.size(), input_types.size()));
  }
  Plan plan;
  plan.model = m.name;
  Bindings bindings;
  // value id -> buffer index; -1 until the value is defined.
  std::vector<int32_t> buffer_of(m.values.size(), -1);
  const auto add_buffer = [&](ir::ValueId id, PlanBuffer::Kind kind, int32_t index, TensorType type,
                              std::string name) {
    buffer_of[static_cast<size_t>(id)] = static_cast<int32_t>(plan.buffers.size());
    plan.buffers.push_back(PlanBuffer{kind, index, std::move(type), std::move(name), -1});
  };
  const auto valid_id = [&](ir::ValueId id) {
    return id >= 0 && static_cast<size_t>(id) < m.values.size();
  };

  for (size_t i = 0; i < m.inputs.size(); ++i) {
    if (!valid_id(m.inputs[i])) return Status::Error("the module has an invalid input id");
    const std::string name = InputName(m, i);
    Status st = BindInput(name, m.type(m.inputs[i]), input_types[i], bindings);
    if (!st.ok()) return st;
    add_buffer(m.inputs[i], PlanBuffer::kInput, static_cast<int32_t>(i), input_types[i], name);
  }
  plan.batch = !input_types.empty() && input_types[0].rank() > 0 ? input_types[0].dims[0].size : 1;

  for (size_t i = 0; i < m.params.size(); ++i) {
    const ir::ValueId id = m.params[i].value;
    if (!valid_id(id)) return Status::Error("the module has an invalid param id");
    TensorType t = Substitute(m.type(id), bindings);
    if (std::string u = Unbound(t); !u.empty()) {
      return Status::Error(
          fmt::format("param '{}' has {} that no input binds", m.value(id).name, u));
    }
    add_buffer(id, PlanBuffer::kParam, static_cast<int32_t>(i), std::move(t), m.value(id).name);
  }
  for (size_t i = 0; i < m.consts.size(); ++i) {
    const ir::ValueId id = m.consts[i].value;
    if (!valid_id(id)) return Status::Error("the module has an invalid constant id");
    TensorType t = Substitute(m.type(id), bindings);
    if (std::string u = Unbound(t); !u.empty()) {
      return Status::Error(fmt::format("constant %c{} has {}", i, u));
    }
    add_buffer(id, PlanBuffer::kConst, static_cast<int32_t>(i), std::move(t),
               fmt::format("c{}", i));
  }

  std::vector<TensorType> operand_types;
  for (size_t k = 0; k < m.ops.size(); ++k) {
    const ir::Op& op = m.ops[k];
    PlanStep step{op.kind, ReferenceKernelName(op.kind), {}, -1, op.attrs, op.scope, -1};
    operand_types.clear();
    for (ir::ValueId id : op.operands) {
      if (!valid_id(id) || buffer_of[static_cast<size_t>(id)] < 0) {
        return Status::Error(
            fmt::format("{} uses a value that is not defined before it", OpLabel(op, k)));
      }
      step.inputs.push_back(buffer_of[static_cast<size_t>(id)]);
      operand_types.push_back(plan.buffers[static_cast<size_t>(step.inputs.back())].type);
    }
    ir::TypeOrError r = ir::InferType(op.kind, operand_types, op.attrs);
    if (const auto* e = std::get_if<ir::ShapeError>(&r)) {
      return Status::Error(fmt::format("{}: {}", OpLabel(op, k), e->message));
    }
    TensorType t = std::get<TensorType>(std::move(r));
    if (std::string u = Unbound(t); !u.empty()) {
      return Status::Error(
          fmt::format("{} gives {}, which has {}", OpLabel(op, k), t.ToString(), u));
    }
    if (!valid_id(op.result)) return Status::Error(OpLabel(op, k) + " has an invalid result id");
    Status st = CheckResult(op, k, m.type(op.result), t, bindings);
    if (!st.ok()) return st;
    step.output = static_cast<int32_t>(plan.buffers.size());
    add_buffer(op.result, PlanBuffer::kTemp, -1, std::move(t), std::to_string(k));
    plan.buffers.back().offset = plan.arena_bytes;  // end to end: no reuse
    plan.arena_bytes += AlignUp(plan.buffers.back().bytes());
    plan.steps.push_back(std::move(step));
  }
  for (ir::ValueId id : m.outputs) {
    if (!valid_id(id) || buffer_of[static_cast<size_t>(id)] < 0) {
      return Status::Error("the module returns an undefined value");
    }
    plan.outputs.push_back(buffer_of[static_cast<size_t>(id)]);
  }
  return plan;
}

Result<Plan> LowerDirect(const ir::Module& m, int64_t batch) {
  if (batch < 1)
    return Status::Error(fmt::format("the batch size must be positive, got {}", batch));
  // Symbols that stand for the batch: those in dim 0 of an input.
  std::vector<std::string> batch_symbols;
  for (ir::ValueId id : m.inputs) {
    if (id < 0 || static_cast<size_t>(id) >= m.values.size()) {
      return Status::Error("the module has an invalid input id");
    }
    const TensorType& t = m.type(id);
    if (!t.dims.empty() && t.dims[0].is_symbolic()) batch_symbols.push_back(t.dims[0].symbol);
  }
  std::vector<TensorType> types;
  for (ir::ValueId id : m.inputs) {
    const std::string& name = m.value(id).name;
    TensorType t = m.type(id);
    if (t.dims.empty()) {
      return Status::Error(fmt::format("input '{}' is a scalar ({}); it has no batch dimension",
                                       name, t.ToString()));
    }
    for (size_t d = 0; d < t.rank(); ++d) {
      Dim& dim = t.dims[d];
      if (dim.is_static()) {
        if (d == 0 && dim.size != batch) {
          return Status::Error(
              fmt::format("input '{}' has a fixed batch size of {} ({}); it cannot run at batch {}",
                          name, dim.size, m.type(id).ToString(), batch));
        }
        continue;
      }
      const bool is_batch =
          d == 0 || (dim.is_symbolic() && std::find(batch_symbols.begin(), batch_symbols.end(),
                                                    dim.symbol) != batch_symbols.end());
      if (!is_batch) {
        return Status::Error(fmt::format(
            "input '{}' dim {} ({}) is not fixed by the model ({}); give the input's full shape",
            name, d, dim.ToString(), m.type(id).ToString()));
      }
      dim = Dim::Static(batch);
    }
    types.push_back(std::move(t));
  }
  Result<Plan> plan = LowerDirect(m, types);
  if (plan.ok()) plan.value().batch = batch;
  return plan;
}

std::string PrintPlan(const Plan& p) {
  std::string out = fmt::format(
      "plan {} batch={}: {} steps, {} buffers, arena {} bytes ({} per sample), temps {} bytes "
      "without reuse\n",
      p.model, p.batch, p.steps.size(), p.buffers.size(), p.arena_bytes, p.ArenaBytesPerSample(),
      p.ActivationBytes());
  static constexpr const char* kKind[] = {"input", "param", "const", "temp"};
  for (size_t i = 0; i < p.buffers.size(); ++i) {
    const PlanBuffer& b = p.buffers[i];
    out += fmt::format("  #{} {} %{}: {}", i, kKind[b.kind], b.name, b.type.ToString());
    if (b.kind == PlanBuffer::kTemp)
      out += fmt::format(" @{} +{}{}", b.offset, b.bytes(), b.nhwc ? " nhwc" : "");
    out += "\n";
  }
  for (const PlanStep& s : p.steps) {
    out += fmt::format("  #{} = {}(", s.output, s.kernel);
    for (size_t i = 0; i < s.inputs.size(); ++i) {
      out += fmt::format("{}#{}", i ? ", " : "", s.inputs[i]);
    }
    out += ")";
    if (!s.attrs.items().empty()) {
      out += " {";
      bool first = true;
      for (const auto& [name, value] : s.attrs.items()) {
        out += fmt::format("{}{}={}", first ? "" : ", ", name, ir::AttrToString(value));
        first = false;
      }
      out += "}";
    }
    if (!s.scope.empty()) out += " @" + s.scope;
    if (s.in_place >= 0 && static_cast<size_t>(s.in_place) < s.inputs.size()) {
      out += fmt::format(" in-place(#{})", s.inputs[s.in_place]);
    }
    out += "\n";
  }
  out += "  return";
  for (size_t i = 0; i < p.outputs.size(); ++i) {
    out += fmt::format("{}#{}", i ? ", " : " ", p.outputs[i]);
  }
  return out + "\n";
}

}  // namespace triton::runtime
