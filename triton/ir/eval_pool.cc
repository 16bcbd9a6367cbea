// Reference pooling on [N, C, H, W] with PyTorch's window rules (the output sizes come from
// PoolOutputSize via InferType). Window (oh, ow) of a kernel k, stride s, padding p starts at
// oh*s - p; padded positions never win a max and, for avgpool2d, count in the divisor as with
// PyTorch's default count_include_pad=True, except the part of a window beyond the right
// padding (possible under ceil_mode), which PyTorch clips away before counting.
#include <algorithm>
#include <cmath>

#include "triton/ir/eval_internal.h"

namespace triton::ir::eval_internal {
namespace {

struct Pool {
  int64_t n, c, h, w, oh, ow;
  std::vector<int64_t> kernel, stride, pad;
};

Pool ReadPool(const Op& op, const Ins& in, const HostTensor& out) {
  Pool p;
  const std::vector<int64_t>& s = in[0]->shape;
  p.n = s[0], p.c = s[1], p.h = s[2], p.w = s[3], p.oh = out.shape[2], p.ow = out.shape[3];
  p.kernel = op.attrs.GetInts("kernel", {1, 1});
  p.stride = op.attrs.GetInts("stride", p.kernel);
  p.pad = op.attrs.GetInts("padding", {0, 0});
  return p;
}

}  // namespace

// The maximum of the window's input elements by value (trit: code * scale); the first maximum
// wins, a NaN wins over numbers. The result is that element (a trit keeps its code and scale).
Status EvalMaxPool2d(const Op& op, const Ins& in, HostTensor& out) {
  const Pool p = ReadPool(op, in, out);
  const Values x(*in[0], false);
  std::vector<int64_t> src(out.data.size());
  size_t o = 0;
  for (int64_t plane = 0; plane < p.n * p.c; ++plane) {
    const int64_t base = plane * p.h * p.w;
    for (int64_t y = 0; y < p.oh; ++y) {
      const int64_t y0 = std::max<int64_t>(y * p.stride[0] - p.pad[0], 0);
      const int64_t y1 = std::min(y * p.stride[0] - p.pad[0] + p.kernel[0], p.h);
      for (int64_t xo = 0; xo < p.ow; ++xo, ++o) {
        const int64_t x0 = std::max<int64_t>(xo * p.stride[1] - p.pad[1], 0);
        const int64_t x1 = std::min(xo * p.stride[1] - p.pad[1] + p.kernel[1], p.w);
        int64_t best = base + y0 * p.w + x0;
        double best_v = -HUGE_VAL;
        for (int64_t iy = y0; iy < y1; ++iy) {
          for (int64_t ix = x0; ix < x1; ++ix) {
            const int64_t i = base + iy * p.w + ix;
            const double v = x[i];
            if (v > best_v || (std::isnan(v) && !std::isnan(best_v))) best = i, best_v = v;
          }
        }
        src[o] = y0 < y1 && x0 < x1 ? best : -1;  // never empty under PoolOutputSize's rule
      }
    }
  }
  return Gather({in[0]}, src, 0, out, ChannelAxis(*in[0]));
}

// sum(window inside the input) / divisor, divisor = the window clipped to the padded input
// [-p, size + p) (PyTorch's count_include_pad=True).
Status EvalAvgPool2d(const Op& op, const Ins& in, HostTensor& out) {
  const Pool p = ReadPool(op, in, out);
  const Values x(*in[0], false);
  size_t o = 0;
  for (int64_t plane = 0; plane < p.n * p.c; ++plane) {
    const float* xp = x.data() + plane * p.h * p.w;
    for (int64_t y = 0; y < p.oh; ++y) {
      int64_t y0 = y * p.stride[0] - p.pad[0];
      int64_t y1 = std::min(y0 + p.kernel[0], p.h + p.pad[0]);
      const int64_t rows = y1 - y0;
      y0 = std::max<int64_t>(y0, 0), y1 = std::min(y1, p.h);
      for (int64_t xo = 0; xo < p.ow; ++xo, ++o) {
        int64_t x0 = xo * p.stride[1] - p.pad[1];
        int64_t x1 = std::min(x0 + p.kernel[1], p.w + p.pad[1]);
        const int64_t divisor = rows * (x1 - x0);
        x0 = std::max<int64_t>(x0, 0), x1 = std::min(x1, p.w);
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy) {
          for (int64_t ix = x0; ix < x1; ++ix) sum += xp[iy * p.w + ix];
        }
        const bool empty = y0 >= y1 || x0 >= x1;  // PyTorch writes 0 for an empty window
        out.data[o] = StoreAs(out.dtype, empty ? 0.0 : sum / static_cast<double>(divisor));
      }
    }
  }
  return Status();
}

// The mean over each [H, W] plane (an empty plane gives NaN, as torch.mean).
Status EvalGlobalAvgPool2d(const Op&, const Ins& in, HostTensor& out) {
  const Values x(*in[0], false);
  const int64_t hw = Product(in[0]->shape, 2);
  for (size_t plane = 0; plane < out.data.size(); ++plane) {
    double sum = 0;
    const float* xp = x.data() + static_cast<int64_t>(plane) * hw;
    for (int64_t i = 0; i < hw; ++i) sum += xp[i];
    out.data[plane] = StoreAs(out.dtype, sum / static_cast<double>(hw));
  }
  return Status();
}

// PyTorch's adaptive windows: output index o of size O over an input of size I averages input
// indices [floor(o * I / O), ceil((o + 1) * I / O)).
Status EvalAdaptiveAvgPool2d(const Op&, const Ins& in, HostTensor& out) {
  const Values x(*in[0], false);
  const std::vector<int64_t>& s = in[0]->shape;
  const int64_t h = s[2], w = s[3], oh = out.shape[2], ow = out.shape[3];
  size_t o = 0;
  for (int64_t plane = 0; plane < s[0] * s[1]; ++plane) {
    const float* xp = x.data() + plane * h * w;
    for (int64_t y = 0; y < oh; ++y) {
      const int64_t y0 = y * h / oh, y1 = ((y + 1) * h + oh - 1) / oh;
      for (int64_t xo = 0; xo < ow; ++xo, ++o) {
        const int64_t x0 = xo * w / ow, x1 = ((xo + 1) * w + ow - 1) / ow;
        double sum = 0;
        for (int64_t iy = y0; iy < y1; ++iy) {
          for (int64_t ix = x0; ix < x1; ++ix) sum += xp[iy * w + ix];
        }
        out.data[o] = StoreAs(out.dtype, sum / static_cast<double>((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return Status();
}

}  // namespace triton::ir::eval_internal
