#include "triton/ir/builder.h"

#include "triton/base/check.h"

namespace triton::ir {

ValueId Builder::AddInput(std::string name, TensorType type) {
  const auto id = static_cast<ValueId>(m_.values.size());
  m_.values.push_back(Value{ValueKind::kInput, std::move(type), std::move(name),
                            static_cast<int32_t>(m_.inputs.size())});
  m_.inputs.push_back(id);
  return id;
}

ValueId Builder::AddParam(std::string name, TensorType type, Param info) {
  const auto id = static_cast<ValueId>(m_.values.size());
  m_.values.push_back(Value{ValueKind::kParam, std::move(type), std::move(name),
                            static_cast<int32_t>(m_.params.size())});
  info.value = id;
  m_.params.push_back(std::move(info));
  return id;
}

// A constant's type is static and `data` holds exactly its elements: the front end computes both,
// so a mismatch is a bug in Triton.
ValueId Builder::AddConst(TensorType type, std::vector<double> data) {
  TRITON_CHECK_MSG(type.is_static() && type.num_elements() == static_cast<int64_t>(data.size()),
                   "constant data does not match its type");
  const auto id = static_cast<ValueId>(m_.values.size());
  m_.values.push_back(
      Value{ValueKind::kConst, std::move(type), {}, static_cast<int32_t>(m_.consts.size())});
  m_.consts.push_back(Constant{id, std::move(data)});
  return id;
}

std::variant<ValueId, ShapeError> Builder::AddOp(OpKind kind, std::vector<ValueId> operands,
                                                 Attrs attrs, std::string scope) {
  for (size_t i = 0; i < operands.size(); ++i) {
    const ValueId id = operands[i];
    TRITON_CHECK_MSG(id >= 0 && static_cast<size_t>(id) < m_.values.size(),
                     "operand id out of range");
    operand_types_[i] = m_.values[static_cast<size_t>(id)].type;
  }
  TypeOrError t = InferType(kind, operand_types_.first(operands.size()), attrs);
  if (auto* err = std::get_if<ShapeError>(&t)) return std::move(*err);
  return AddTypedOp(kind, std::move(operands), std::move(attrs), std::move(scope),
                    std::move(std::get<TensorType>(t)));
}

ValueId Builder::AddTypedOp(OpKind kind, std::vector<ValueId> operands, Attrs attrs,
                            std::string scope, TensorType type) {
  // The same operand check AddOp makes: a trusted type is no reason to accept a dangling id.
  for (ValueId o : operands) {
    TRITON_CHECK_MSG(o >= 0 && static_cast<size_t>(o) < m_.values.size(),
                     "operand id out of range");
  }
  const auto id = static_cast<ValueId>(m_.values.size());
  m_.values.push_back(
      Value{ValueKind::kOp, std::move(type), {}, static_cast<int32_t>(m_.ops.size())});
  m_.ops.push_back(Op{kind, std::move(operands), std::move(attrs), id, std::move(scope)});
  return id;
}

}  // namespace triton::ir
