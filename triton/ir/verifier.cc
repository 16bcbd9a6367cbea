// Structural and type checks. Every check tolerates arbitrary corruption (ids out of range,
// inconsistent back-references) and reports it instead of crashing, so Verify can run on any
// parsed or transformed module.
#include "triton/ir/verifier.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

#include "triton/ir/ops.h"
#include "triton/ir/text_util.h"
#include "triton/ir/value_names.h"

namespace triton::ir {
namespace {

// A name or symbol as a message shows it: 'name', or quoted with escapes when it is not a bare
// identifier (any bytes can reach here from a parsed or decoded module; messages are one line).
std::string Shown(std::string_view name) {
  return IsBareIdent(name) ? "'" + std::string(name) + "'" : QuoteString(name);
}

class Verifier {
 public:
  explicit Verifier(const Module& m) : m_(m), defined_(m.values.size(), false) {}

  std::vector<std::string> Run() {
    CheckValues();
    CheckInputs();
    CheckParams();
    CheckConsts();
    CheckOps();
    CheckOutputs();
    return std::move(problems_);
  }

 private:
  bool InRange(ValueId id) const { return id >= 0 && static_cast<size_t>(id) < m_.values.size(); }

  void Problem(std::string p) { problems_.push_back(std::move(p)); }

  // Every value points back at the entry of its kind that defines it.
  void CheckValues() {
    for (size_t i = 0; i < m_.values.size(); ++i) {
      const Value& v = m_.values[i];
      const auto id = static_cast<ValueId>(i);
      ValueId back = kNoValue;
      size_t count = 0;
      const char* kind = "";
      switch (v.kind) {
        case ValueKind::kInput:
          kind = "input";
          count = m_.inputs.size();
          if (v.def >= 0 && static_cast<size_t>(v.def) < count)
            back = m_.inputs[static_cast<size_t>(v.def)];
          break;
        case ValueKind::kParam:
          kind = "param";
          count = m_.params.size();
          if (v.def >= 0 && static_cast<size_t>(v.def) < count)
            back = m_.params[static_cast<size_t>(v.def)].value;
          break;
        case ValueKind::kConst:
          kind = "const";
          count = m_.consts.size();
          if (v.def >= 0 && static_cast<size_t>(v.def) < count)
            back = m_.consts[static_cast<size_t>(v.def)].value;
          break;
        case ValueKind::kOp:
          kind = "op";
          count = m_.ops.size();
          if (v.def >= 0 && static_cast<size_t>(v.def) < count)
            back = m_.ops[static_cast<size_t>(v.def)].result;
          break;
      }
      for (const Dim& d : v.type.dims) {
        if (!(d.size >= 0 && d.symbol.empty()) && d.size != -1) {
          Problem(fmt::format("value {} has an invalid dimension (size {}, symbol {})", id, d.size,
                              Shown(d.symbol)));
          break;
        }
      }
      if (v.def < 0 || static_cast<size_t>(v.def) >= count) {
        Problem(fmt::format("value {} ({}) refers to {} {} but there are {}", id, kind, kind, v.def,
                            count));
      } else if (back != id) {
        Problem(fmt::format("value {} ({}) refers to {} {}, which defines value {}", id, kind, kind,
                            v.def, back));
      }
    }
  }

  // The entry at `index` of a list of `kind` defines value `id`: in range, of that kind, and
  // pointing back. Marks it defined.
  bool CheckDef(ValueId id, ValueKind kind, size_t index, const char* what) {
    if (!InRange(id)) {
      Problem(fmt::format("{} {} has value id {} out of range (module has {} values)", what, index,
                          id, m_.values.size()));
      return false;
    }
    const Value& v = m_.value(id);
    // The value exists: later uses count as defined even when this entry is inconsistent, so one
    // broken back-reference does not cascade into "used before definition" reports. (A value
    // can match only one entry, the one its `def` names, so a second definer fails this check.)
    defined_[static_cast<size_t>(id)] = true;
    if (v.kind != kind || v.def != static_cast<int32_t>(index)) {
      Problem(
          fmt::format("{} {} names value {}, which is not {} {}", what, index, id, what, index));
      return false;
    }
    return true;
  }

  void CheckName(ValueId id, const char* what) {
    const std::string& name = m_.value(id).name;
    if (name.empty()) Problem(fmt::format("{} value {} has an empty name", what, id));
    const uint64_t hash = ValueNameSet::Hash(name);
    if (names_.Contains(m_, name, hash)) {
      Problem(fmt::format("duplicate input or param name {}", Shown(name)));
    } else {
      names_.Add(id, hash);
    }
  }

  void CheckInputs() {
    for (size_t i = 0; i < m_.inputs.size(); ++i) {
      if (CheckDef(m_.inputs[i], ValueKind::kInput, i, "input")) CheckName(m_.inputs[i], "input");
    }
  }

  void CheckParams() {
    for (size_t i = 0; i < m_.params.size(); ++i) {
      const Param& p = m_.params[i];
      if (!CheckDef(p.value, ValueKind::kParam, i, "param")) continue;
      CheckName(p.value, "param");
      const TensorType& t = m_.type(p.value);
      const std::string& name = m_.value(p.value).name;
      if (t.dtype == DType::kTrit && !p.ternary) {
        Problem(fmt::format("param {} has type {} but is not marked ternary", Shown(name),
                            t.ToString()));
      }
      if (p.ternary && t.dtype != DType::kTrit) {
        Problem(
            fmt::format("param {} is marked ternary but has type {}", Shown(name), t.ToString()));
      }
      if (!t.is_static())
        Problem(fmt::format("param {} has non-static type {}", Shown(name), t.ToString()));
    }
  }

  void CheckConsts() {
    for (size_t i = 0; i < m_.consts.size(); ++i) {
      const Constant& c = m_.consts[i];
      if (!CheckDef(c.value, ValueKind::kConst, i, "const")) continue;
      const TensorType& t = m_.type(c.value);
      if (t.num_elements() != static_cast<int64_t>(c.data.size())) {
        Problem(
            fmt::format("const %c{} of type {} holds {} values", i, t.ToString(), c.data.size()));
      }
      if (t.dtype == DType::kTrit) {
        for (double d : c.data) {
          if (d != -1 && d != 0 && d != 1) {
            Problem(fmt::format("const %c{} has trit value {}, not -1, 0 or 1", i, d));
            break;
          }
        }
      }
    }
  }

  void CheckOps() {
    for (size_t i = 0; i < m_.ops.size(); ++i) {
      const Op& op = m_.ops[i];
      const auto kind_index = static_cast<size_t>(op.kind);
      if (kind_index >= num_op_kinds_) {
        Problem(fmt::format("op {} has an invalid kind {}", i, kind_index));
        CheckDef(op.result, ValueKind::kOp, i, "op");
        continue;
      }
      const char* name = OpMnemonic(op.kind);
      bool operands_ok = true;
      size_t n = 0;  // operand types gathered into types_
      for (size_t j = 0; j < op.operands.size(); ++j) {
        const ValueId id = op.operands[j];
        if (!InRange(id)) {
          Problem(fmt::format("op %{} ({}) operand {} is value {}, out of range", i, name, j, id));
          operands_ok = false;
        } else if (!defined_[static_cast<size_t>(id)]) {
          Problem(fmt::format("op %{} ({}) operand {} uses value {} before its definition", i, name,
                              j, id));
          operands_ok = false;
        } else {
          types_[n++] = m_.type(id);
        }
      }
      if (!CheckDef(op.result, ValueKind::kOp, i, "op")) continue;
      if (!operands_ok) continue;
      const TypeOrError inferred = InferType(op.kind, types_.first(n), op.attrs);
      const TensorType& actual = m_.type(op.result);
      if (const auto* e = std::get_if<ShapeError>(&inferred)) {
        // Arity is checked by InferType too (kArity), with the operand counts in the message.
        Problem(fmt::format(
            "op %{} ({}) {}: {}", i, name,
            e->code == ShapeErrorCode::kArity ? "has the wrong operand count" : "is ill-typed",
            e->message));
      } else if (std::get<TensorType>(inferred) != actual) {
        Problem(fmt::format("op %{} ({}) has result type {} but its operands give {}", i, name,
                            actual.ToString(), std::get<TensorType>(inferred).ToString()));
      }
    }
  }

  void CheckOutputs() {
    if (m_.outputs.empty()) Problem("module has no outputs");
    for (size_t i = 0; i < m_.outputs.size(); ++i) {
      if (!InRange(m_.outputs[i])) {
        Problem(fmt::format("output {} is value {}, out of range", i, m_.outputs[i]));
      } else if (!defined_[static_cast<size_t>(m_.outputs[i])]) {
        Problem(fmt::format("output {} is value {}, which is never defined", i, m_.outputs[i]));
      }
    }
  }

  const Module& m_;
  const size_t num_op_kinds_ = AllOps().size();
  std::vector<bool>
      defined_;         // set as definitions are checked in order: inputs, params, consts, ops
  ValueNameSet names_;  // of the inputs and params checked so far
  std::vector<std::string> problems_;
  TypeSlots types_;  // CheckOps' operand types
};

}  // namespace

std::vector<std::string> Verify(const Module& m) { return Verifier(m).Run(); }

}  // namespace triton::ir
