// Steps without a kernel family of their own: reference kernels (any op, NCHW), layout reorders,
// flatten, and same-shape element-wise relu / add.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/pool/pool.h"
#include "triton/runtime/cpu/step.h"

namespace triton::runtime::cpu {
namespace {

std::vector<int64_t> Shape(const PlanBuffer& b) {
  std::vector<int64_t> s;
  for (const ir::Dim& d : b.type.dims) s.push_back(d.size);
  return s;
}

// Any op through ir::EvalOp: operands copied out of the arena as NCHW HostTensors (the plan
// guarantees NCHW here), the result copied back (f32) or kept as a HostTensor (other dtypes).
class ReferenceStep final : public Step {
 public:
  explicit ReferenceStep(const PlanStep& s) {
    op_.kind = s.op;
    op_.attrs = s.attrs;
    op_.scope = s.scope;
    op_.operands.assign(s.inputs.begin(), s.inputs.end());
    op_.result = s.output;
    inputs_ = s.inputs;
    output_ = s.output;
  }
  Status Run(RunState& st) override {
    std::vector<ir::HostTensor> copies(inputs_.size());
    std::vector<const ir::HostTensor*> args;
    for (size_t i = 0; i < inputs_.size(); ++i) {
      const int32_t b = inputs_[i];
      if (st.InArena(b)) {
        copies[i] = ToHost(st, b);
        args.push_back(&copies[i]);
      } else if (st.buffer(b).kind == PlanBuffer::kTemp) {
        args.push_back(&(*st.side)[static_cast<size_t>(b)]);
      } else {
        args.push_back(st.host[static_cast<size_t>(b)]);
      }
    }
    Result<ir::HostTensor> r = ir::EvalOp(op_, args);
    if (!r.ok()) return r.status();
    const PlanBuffer& ob = st.buffer(output_);
    if (r.value().num_elements() != ob.type.num_elements() || r.value().dtype != ob.type.dtype) {
      return Status::Error(
          fmt::format("internal error: the reference kernel produced {} values "
                      "for a {} buffer",
                      r.value().num_elements(), ob.type.ToString()));
    }
    if (st.InArena(output_)) {
      std::memcpy(st.F(output_), r.value().data.data(), r.value().data.size() * sizeof(float));
    } else {
      (*st.side)[static_cast<size_t>(output_)] = std::move(r).value();
    }
    return Status();
  }

 private:
  ir::Op op_;
  std::vector<int32_t> inputs_;
  int32_t output_;
};

class ReorderStep final : public Step {
 public:
  ReorderStep(int32_t in, int32_t out, bool to_nhwc, std::vector<int64_t> shape)
      : in_(in), out_(out), to_nhwc_(to_nhwc), shape_(std::move(shape)) {}
  Status Run(RunState& st) override {
    const int64_t n = shape_[0], c = shape_[1], h = shape_[2], w = shape_[3];
    if (to_nhwc_) {
      kernels::pool::NchwToNhwc(n, c, h, w, st.F(in_), st.F(out_), st.threads);
    } else {
      kernels::pool::NhwcToNchw(n, c, h, w, st.F(in_), st.F(out_), st.threads);
    }
    return Status();
  }

 private:
  int32_t in_, out_;
  bool to_nhwc_;
  std::vector<int64_t> shape_;
};

// Copies the bytes (flatten never moves an element within its layout-compatible input).
class CopyStep final : public Step {
 public:
  CopyStep(int32_t in, int32_t out, int64_t n) : in_(in), out_(out), n_(n) {}
  Status Run(RunState& st) override {
    const float* src = st.F(in_);
    float* dst = st.F(out_);
    if (src != dst) std::memmove(dst, src, static_cast<size_t>(n_) * sizeof(float));
    return Status();
  }

 private:
  int32_t in_, out_;
  int64_t n_;
};

// relu (one input) or add (two inputs of the output's shape and layout); the output may alias
// an input (in-place plan steps): each element is read before it is written.
class EltwiseStep final : public Step {
 public:
  EltwiseStep(std::vector<int32_t> in, int32_t out, int64_t n)
      : in_(std::move(in)), out_(out), n_(n) {}
  Status Run(RunState& st) override {
    float* y = st.F(out_);
    const float* a = st.F(in_[0]);
    if (in_.size() == 1) {
      kernels::ParallelFor(n_, st.threads, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) y[i] = std::isnan(a[i]) ? a[i] : std::max(a[i], 0.0f);
      });
    } else {
      const float* c = st.F(in_[1]);
      kernels::ParallelFor(n_, st.threads, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) y[i] = a[i] + c[i];
      });
    }
    return Status();
  }

 private:
  std::vector<int32_t> in_;
  int32_t out_;
  int64_t n_;
};

// x * gate with gate [N or 1, C, 1, 1] (the same bytes in both layouts: [N][C]) and x, out
// [N, C, H, W] in x's layout. out may alias x (in-place plan steps).
class ChannelMulStep final : public Step {
 public:
  ChannelMulStep(int32_t x, int32_t gate, int32_t out, int64_t n, int64_t c, int64_t hw,
                 bool gate_batched, bool nhwc)
      : x_(x),
        gate_(gate),
        out_(out),
        n_(n),
        c_(c),
        hw_(hw),
        gate_batched_(gate_batched),
        nhwc_(nhwc) {}
  Status Run(RunState& st) override {
    const float* x = st.F(x_);
    const float* g = st.F(gate_);
    float* y = st.F(out_);
    kernels::ParallelFor(n_ * hw_, st.threads, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {  // i: a pixel (NHWC) or an (n, c) plane (NCHW)
        if (nhwc_) {
          const float* s = g + (gate_batched_ ? i / hw_ : 0) * c_;
          const float* xi = x + i * c_;
          float* yi = y + i * c_;
          for (int64_t k = 0; k < c_; ++k) yi[k] = xi[k] * s[k];
        } else {
          // NCHW: rows are (n, c) planes of hw; the loop index still covers n * hw items, so
          // walk planes within this chunk's share of the tensor.
          for (int64_t k = 0; k < c_; ++k) {
            const int64_t n = i / hw_, p = i % hw_;
            const float s = g[(gate_batched_ ? n : 0) * c_ + k];
            const int64_t at = (n * c_ + k) * hw_ + p;
            y[at] = x[at] * s;
          }
        }
      }
    });
    return Status();
  }

 private:
  int32_t x_, gate_, out_;
  int64_t n_, c_, hw_;
  bool gate_batched_, nhwc_;
};

}  // namespace

ir::HostTensor ToHost(const RunState& st, int32_t b) {
  const PlanBuffer& buf = st.buffer(b);
  ir::HostTensor t;
  t.dtype = buf.type.dtype;
  t.shape = Shape(buf);
  const int64_t n = buf.type.num_elements();
  const float* src = st.F(b);
  t.data.resize(static_cast<size_t>(n));
  if (buf.nhwc) {
    kernels::pool::NhwcToNchw(t.shape[0], t.shape[1], t.shape[2], t.shape[3], src, t.data.data(),
                              1);
  } else {
    std::memcpy(t.data.data(), src, static_cast<size_t>(n) * sizeof(float));
  }
  return t;
}

Result<std::unique_ptr<Step>> MakeReferenceStep(const BuildArgs& a) {
  for (size_t i = 0; i < a.step.inputs.size(); ++i) {
    if (a.In(i).nhwc) return Status::Error("a reference kernel cannot read an NHWC buffer");
  }
  if (a.Out().nhwc) return Status::Error("a reference kernel cannot write an NHWC buffer");
  auto s = std::make_unique<ReferenceStep>(a.step);
  s->kernel = a.step.kernel;
  return std::unique_ptr<Step>(std::move(s));
}

Result<std::unique_ptr<Step>> MakeReorderStep(const BuildArgs& a) {
  const PlanBuffer& in = a.In(0);
  const PlanBuffer& out = a.Out();
  const bool to_nhwc = a.step.kernel == "reorder_f32_nchw_to_nhwc";
  if (in.type.rank() != 4 || in.type.dtype != ir::DType::kFloat32 || !(in.type == out.type) ||
      in.nhwc == to_nhwc || out.nhwc != to_nhwc) {
    return Status::Error("a reorder needs an f32 rank-4 input in the other layout");
  }
  auto s = std::make_unique<ReorderStep>(a.step.inputs[0], a.step.output, to_nhwc, Shape(in));
  s->kernel = a.step.kernel;
  return std::unique_ptr<Step>(std::move(s));
}

Result<std::unique_ptr<Step>> MakeFlattenStep(const BuildArgs& a) {
  const PlanBuffer& in = a.In(0);
  const bool spatial_one =
      in.type.rank() == 4 && in.type.dims[2].size == 1 && in.type.dims[3].size == 1;
  if (in.type.dtype != ir::DType::kFloat32 || (in.nhwc && !spatial_one) || a.Out().nhwc) {
    return Status::Error("flatten_f32 needs an f32 input whose layout is the logical order");
  }
  auto s = std::make_unique<CopyStep>(a.step.inputs[0], a.step.output, a.Out().type.num_elements());
  s->kernel = a.step.kernel;
  return std::unique_ptr<Step>(std::move(s));
}

Result<std::unique_ptr<Step>> MakeEltwiseStep(const BuildArgs& a) {
  const PlanBuffer& out = a.Out();
  if (a.step.kernel == "mul_f32_channel") {
    const size_t xi = a.In(0).type == out.type ? 0 : 1;
    const PlanBuffer& x = a.In(xi);
    const PlanBuffer& g = a.In(1 - xi);
    if (!(x.type == out.type) || x.nhwc != out.nhwc || out.type.rank() != 4 || g.type.rank() != 4 ||
        g.type.dims[1].size != out.type.dims[1].size || g.type.dims[2].size != 1 ||
        g.type.dims[3].size != 1) {
      return Status::Error("mul_f32_channel needs x [N, C, H, W] and a gate [N or 1, C, 1, 1]");
    }
    const auto& d = out.type.dims;
    auto s = std::make_unique<ChannelMulStep>(
        a.step.inputs[xi], a.step.inputs[1 - xi], a.step.output, d[0].size, d[1].size,
        d[2].size * d[3].size, g.type.dims[0].size != 1, out.nhwc);
    s->kernel = a.step.kernel;
    return std::unique_ptr<Step>(std::move(s));
  }
  for (size_t i = 0; i < a.step.inputs.size(); ++i) {
    const PlanBuffer& in = a.In(i);
    if (in.type.dtype != ir::DType::kFloat32 || !(in.type == out.type) || in.nhwc != out.nhwc) {
      return Status::Error(a.step.kernel + " needs f32 operands of the result's shape and layout");
    }
  }
  auto s = std::make_unique<EltwiseStep>(a.step.inputs, a.step.output, out.type.num_elements());
  s->kernel = a.step.kernel;
  return std::unique_ptr<Step>(std::move(s));
}

}  // namespace triton::runtime::cpu
