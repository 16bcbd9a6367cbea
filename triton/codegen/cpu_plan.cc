// BuildCpuPlan: kernel selection and layout assignment for the CPU engine (contract in
// cpu_plan.h).
#include "triton/codegen/cpu_plan.h"

#include <fmt/format.h>

#include <string>

#include "triton/codegen/plan_builder.h"
#include "triton/ir/fused.h"
#include "triton/runtime/kernels.h"

namespace triton::codegen {
namespace {

using runtime::Plan;
using runtime::PlanBuffer;
using runtime::PlanStep;

// What layout a step wants for each input and gives its output.
// kAny: the layout of the step's lead input; kEither: whatever the buffer has (an [N, C, 1, 1]
// tensor has the same bytes in both layouts).
enum class Want : uint8_t { kNchw, kNhwc, kAny, kEither };

struct Choice {
  std::string kernel;
  std::vector<Want> inputs;   // per input
  Want output = Want::kNchw;  // kAny: the layout of the lead input
  size_t lead = 0;            // the input whose layout kAny follows
};

bool IsF32(const Plan& p, int32_t b, size_t rank) {
  const PlanBuffer& buf = p.buffers[static_cast<size_t>(b)];
  return buf.type.dtype == ir::DType::kFloat32 && buf.type.rank() == rank;
}

bool IsWeight(const Plan& p, int32_t b) {
  const PlanBuffer::Kind k = p.buffers[static_cast<size_t>(b)].kind;
  return k == PlanBuffer::kParam || k == PlanBuffer::kConst;
}

std::string Isa(const CpuPlanOptions& o) { return std::string(IsaName(o.isa)); }

// Dense layers: conv2d, fused_conv2d, linear, fused_linear.
bool ChooseDense(const Plan& p, const PlanStep& s, const CpuPlanOptions& o, Choice* c) {
  const bool fused = ir::IsFusedDense(s.op);
  const ir::OpKind base = fused ? ir::FusedBaseOp(s.op) : s.op;
  const bool conv = base == ir::OpKind::kConv2d;
  const size_t rank = conv ? 4 : 2;
  if (s.inputs.size() < 2 || !IsF32(p, s.inputs[0], rank) || !IsF32(p, s.output, rank)) {
    return false;
  }
  int residual = -1;
  std::string act = "none";
  if (fused) {
    const ir::FusedLayout l = ir::GetFusedLayout(s.attrs);
    residual = l.residual;
    act = l.activation;
  }
  // Every operand but x and the residual is materialized at load time.
  for (size_t i = 1; i < s.inputs.size(); ++i) {
    if (static_cast<int>(i) == residual) continue;
    if (!IsWeight(p, s.inputs[i])) return false;
  }
  if (residual >= 0 && !IsF32(p, s.inputs[static_cast<size_t>(residual)], rank)) return false;
  const PlanBuffer& w = p.buffers[static_cast<size_t>(s.inputs[1])];
  const bool trit = w.type.dtype == ir::DType::kTrit;
  if (!trit && w.type.dtype != ir::DType::kFloat32) return false;
  const int64_t groups = conv ? s.attrs.GetInt("groups", 1) : 1;
  const std::string op = conv ? "conv2d" : "linear";
  if (trit && groups == 1 && o.quantize_activations) {
    c->kernel = op + "_t2_u8_f32__" + Isa(o);
  } else if (conv && groups > 1 && w.type.dims[1].size == 1 && w.type.dims[0].size == groups) {
    c->kernel = "conv2d_f32_nhwc_dw__" + Isa(o);
  } else {
    c->kernel = op + (conv ? "_f32_nhwc__blas" : "_f32__blas");
  }
  const Want x = conv ? Want::kNhwc : Want::kNchw;  // rank 2: one layout
  c->inputs.assign(s.inputs.size(), Want::kAny);
  c->inputs[0] = x;
  if (residual >= 0) c->inputs[static_cast<size_t>(residual)] = x;
  c->output = x;
  return true;
}

Choice Choose(const Plan& p, const PlanStep& s, const CpuPlanOptions& o) {
  Choice c;
  if (ChooseDense(p, s, o, &c)) return c;
  c = Choice{};
  const bool f32_in = !s.inputs.empty() && IsF32(p, s.inputs[0], 4) && IsF32(p, s.output, 4);
  switch (s.op) {
    case ir::OpKind::kMaxPool2d:
    case ir::OpKind::kAvgPool2d:
    case ir::OpKind::kAdaptiveAvgPool2d:
    case ir::OpKind::kGlobalAvgPool2d:
      if (f32_in) {
        return Choice{
            std::string(ir::OpMnemonic(s.op)) + "_f32_nhwc__" + Isa(o), {Want::kNhwc}, Want::kNhwc};
      }
      break;
    case ir::OpKind::kFlatten: {
      const PlanBuffer& x = p.buffers[static_cast<size_t>(s.inputs[0])];
      if (x.type.dtype != ir::DType::kFloat32) break;
      // NHWC and NCHW coincide when H = W = 1 (and for ranks other than 4: one layout).
      const bool spatial_one =
          x.type.rank() == 4 && x.type.dims[2].size == 1 && x.type.dims[3].size == 1;
      return Choice{"flatten_f32", {spatial_one ? Want::kAny : Want::kNchw}, Want::kNchw};
    }
    case ir::OpKind::kRelu:
      if (p.buffers[static_cast<size_t>(s.inputs[0])].type.dtype == ir::DType::kFloat32) {
        return Choice{"relu_f32", {Want::kAny}, Want::kAny};
      }
      break;
    case ir::OpKind::kMul: {
      // x * s with s of shape [N or 1, C, 1, 1] (a squeeze-and-excitation gate), either order.
      const PlanBuffer& out = p.buffers[static_cast<size_t>(s.output)];
      if (out.type.dtype != ir::DType::kFloat32 || out.type.rank() != 4) break;
      for (size_t xi = 0; xi < 2; ++xi) {
        const PlanBuffer& x = p.buffers[static_cast<size_t>(s.inputs[xi])];
        const PlanBuffer& g = p.buffers[static_cast<size_t>(s.inputs[1 - xi])];
        const auto& d = g.type.dims;
        if (!(x.type == out.type) || g.type.dtype != ir::DType::kFloat32 || g.type.rank() != 4 ||
            d[1].size != out.type.dims[1].size || d[2].size != 1 || d[3].size != 1 ||
            (d[0].size != 1 && d[0].size != out.type.dims[0].size)) {
          continue;
        }
        Choice mul{"mul_f32_channel", {Want::kAny, Want::kAny}, Want::kAny, xi};
        mul.inputs[1 - xi] = Want::kEither;
        return mul;
      }
      break;
    }
    case ir::OpKind::kAdd: {
      const PlanBuffer& a = p.buffers[static_cast<size_t>(s.inputs[0])];
      const PlanBuffer& b = p.buffers[static_cast<size_t>(s.inputs[1])];
      const PlanBuffer& out = p.buffers[static_cast<size_t>(s.output)];
      if (a.type.dtype == ir::DType::kFloat32 && a.type == out.type && b.type == out.type) {
        return Choice{"add_f32", {Want::kAny, Want::kAny}, Want::kAny};
      }
      break;
    }
    default:
      break;
  }
  c.kernel = runtime::ReferenceKernelName(s.op);
  c.inputs.assign(s.inputs.size(), Want::kNchw);
  c.output = Want::kNchw;
  return c;
}

// Rebuilds the steps with kernels chosen and reorders inserted.
class LayoutAssigner {
 public:
  LayoutAssigner(Plan& p, const CpuPlanOptions& o) : p_(p), o_(o) {}

  void Run() {
    std::vector<PlanStep> old = std::move(p_.steps);
    p_.steps.clear();
    other_.assign(p_.buffers.size(), -1);
    for (PlanStep& s : old) {
      const Choice c = Choose(p_, s, o_);
      s.kernel = c.kernel;
      // kAny inputs follow input 0's layout, as it is now.
      const bool first_nhwc =
          !s.inputs.empty() && Nhwc(s.inputs[c.lead]) && c.inputs[c.lead] == Want::kAny;
      for (size_t i = 0; i < s.inputs.size(); ++i) {
        const int32_t b = s.inputs[i];
        if (p_.buffers[static_cast<size_t>(b)].type.rank() != 4) continue;
        if (!IsLayoutTracked(b)) continue;
        Want w = c.inputs[i];
        if (w == Want::kEither) continue;
        if (w == Want::kAny) w = first_nhwc ? Want::kNhwc : Want::kNchw;
        if ((w == Want::kNhwc) != Nhwc(b)) s.inputs[i] = Reordered(b, s.scope);
      }
      const Want out = c.output == Want::kAny ? (first_nhwc ? Want::kNhwc : Want::kNchw) : c.output;
      PlanBuffer& ob = p_.buffers[static_cast<size_t>(s.output)];
      ob.nhwc = out == Want::kNhwc && ob.type.rank() == 4;
      p_.steps.push_back(std::move(s));
    }
    for (int32_t& b : p_.outputs) {
      if (Nhwc(b)) b = Reordered(b, "");
    }
  }

 private:
  bool IsLayoutTracked(int32_t b) const {
    const PlanBuffer::Kind k = p_.buffers[static_cast<size_t>(b)].kind;
    return k == PlanBuffer::kTemp || k == PlanBuffer::kInput;
  }
  bool Nhwc(int32_t b) const { return p_.buffers[static_cast<size_t>(b)].nhwc; }

  // The buffer holding b's value in the other layout, made by one reorder step (at most one per
  // buffer: a second consumer reuses it).
  int32_t Reordered(int32_t b, const std::string& scope) {
    if (other_[static_cast<size_t>(b)] >= 0) return other_[static_cast<size_t>(b)];
    PlanBuffer copy = p_.buffers[static_cast<size_t>(b)];
    copy.kind = PlanBuffer::kTemp;
    copy.index = -1;
    copy.nhwc = !copy.nhwc;
    copy.name += copy.nhwc ? ".nhwc" : ".nchw";
    const int32_t nb = static_cast<int32_t>(p_.buffers.size());
    p_.buffers.push_back(std::move(copy));
    other_.resize(p_.buffers.size(), -1);
    other_[static_cast<size_t>(b)] = nb;
    other_[static_cast<size_t>(nb)] = b;
    PlanStep r;
    r.op = ir::OpKind::kReorder;
    const bool to_nhwc = p_.buffers[static_cast<size_t>(nb)].nhwc;
    r.kernel = to_nhwc ? "reorder_f32_nchw_to_nhwc" : "reorder_f32_nhwc_to_nchw";
    if (p_.buffers[static_cast<size_t>(b)].type.dtype != ir::DType::kFloat32) {
      r.kernel = runtime::ReferenceKernelName(ir::OpKind::kReorder);
    }
    r.inputs = {b};
    r.output = nb;
    r.attrs.Set("to", std::string(to_nhwc ? "nhwc" : "nchw"));
    r.scope = scope;
    p_.steps.push_back(std::move(r));
    return nb;
  }

  Plan& p_;
  const CpuPlanOptions& o_;
  std::vector<int32_t> other_;  // per buffer: its copy in the other layout, or -1
};

}  // namespace

Result<Plan> BuildCpuPlan(const ir::Module& m, const std::vector<ir::TensorType>& input_types,
                          const CpuPlanOptions& options) {
  if (!IsaSupported(options.isa)) {
    return Status::Error(
        fmt::format("this CPU does not support ISA level {}", IsaName(options.isa)));
  }
  Result<Plan> lowered = runtime::LowerDirect(m, input_types);
  if (!lowered.ok()) return lowered;
  Plan plan = std::move(lowered).value();
  LayoutAssigner(plan, options).Run();
  PlanMemory(&plan);
  return plan;
}

}  // namespace triton::codegen
