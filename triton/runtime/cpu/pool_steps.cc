// Pooling steps on NHWC buffers (kernels/pool).
#include <fmt/format.h>

#include "triton/kernels/pool/pool.h"
#include "triton/runtime/cpu/step.h"

namespace triton::runtime::cpu {
namespace {

class PoolStep final : public Step {
 public:
  Status Run(RunState& st) override {
    namespace kp = kernels::pool;
    const float* x = st.F(in_);
    float* y = st.F(out_);
    switch (op_) {
      case ir::OpKind::kMaxPool2d:
        kp::MaxPool(shape_, x, y, st.isa, st.threads);
        break;
      case ir::OpKind::kAvgPool2d:
        kp::AvgPool(shape_, x, y, st.isa, st.threads);
        break;
      default:  // adaptive / global average
        kp::AdaptiveAvgPool(shape_.batch, shape_.in_h, shape_.in_w, shape_.c, out_h_, out_w_, x, y,
                            st.isa, st.threads);
        break;
    }
    return Status();
  }

  ir::OpKind op_ = ir::OpKind::kMaxPool2d;
  int32_t in_ = -1, out_ = -1;
  kernels::pool::PoolShape shape_;
  int64_t out_h_ = 1, out_w_ = 1;
};

}  // namespace

Result<std::unique_ptr<Step>> MakePoolStep(const BuildArgs& a) {
  const PlanBuffer& in = a.In(0);
  const PlanBuffer& out = a.Out();
  if (!in.nhwc || !out.nhwc || in.type.rank() != 4 || out.type.rank() != 4) {
    return Status::Error("pooling kernels run on NHWC rank-4 buffers");
  }
  auto s = std::make_unique<PoolStep>();
  s->op_ = a.step.op;
  s->in_ = a.step.inputs[0];
  s->out_ = a.step.output;
  kernels::pool::PoolShape& sh = s->shape_;
  sh.batch = in.type.dims[0].size, sh.c = in.type.dims[1].size;
  sh.in_h = in.type.dims[2].size, sh.in_w = in.type.dims[3].size;
  s->out_h_ = out.type.dims[2].size, s->out_w_ = out.type.dims[3].size;
  if (a.step.op == ir::OpKind::kMaxPool2d || a.step.op == ir::OpKind::kAvgPool2d) {
    const auto k = a.step.attrs.GetInts("kernel", {1, 1});
    const auto st = a.step.attrs.GetInts("stride", k);
    const auto p = a.step.attrs.GetInts("padding", {0, 0});
    if (k.size() != 2 || st.size() != 2 || p.size() != 2) {
      return Status::Error("kernel, stride and padding need two values");
    }
    sh.kh = k[0], sh.kw = k[1], sh.stride_h = st[0], sh.stride_w = st[1];
    sh.pad_h = p[0], sh.pad_w = p[1];
    sh.ceil_mode = a.step.attrs.GetBool("ceil_mode", false);
    if (sh.out_h() != s->out_h_ || sh.out_w() != s->out_w_) {
      return Status::Error(fmt::format("pooling output {}x{} differs from the plan's {}x{}",
                                       sh.out_h(), sh.out_w(), s->out_h_, s->out_w_));
    }
  } else if (a.step.op != ir::OpKind::kAdaptiveAvgPool2d &&
             a.step.op != ir::OpKind::kGlobalAvgPool2d) {
    return Status::Error("not a pooling op");
  }
  s->kernel = a.step.kernel;
  return std::unique_ptr<Step>(std::move(s));
}

}  // namespace triton::runtime::cpu
