// Reference dense layers and normalizations (PyTorch semantics). Sums run in double, one
// accumulator per output element, over the reduction indices in their natural order (conv2d:
// input channel, kernel row, kernel column; linear/matmul: k), then round once to the result
// type. conv2d interchanges the loops so that the innermost one runs over a contiguous output
// row (it vectorizes); the order of the additions into each accumulator is unchanged.
#include <algorithm>
#include <cmath>

#include "triton/ir/eval_internal.h"

namespace triton::ir::eval_internal {
namespace {

// ceil(a / b) and floor(a / b) for b > 0 and any sign of a.
int64_t CeilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

// out[n, oc, oh, ow] = bias[oc] + sum over icg < C/groups, kh, kw of
//   w[oc, icg, kh, kw] * x[n, g * C/groups + icg, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw]
// with g = oc / (Cout/groups) and zero outside the input (zero padding).
Status EvalConv2d(const Op& op, const Ins& in, HostTensor& out) {
  const std::vector<int64_t> stride = op.attrs.GetInts("stride", {1, 1});
  const std::vector<int64_t> pad = op.attrs.GetInts("padding", {0, 0});
  const std::vector<int64_t> dil = op.attrs.GetInts("dilation", {1, 1});
  const int64_t groups = op.attrs.GetInt("groups", 1);
  const bool codes = ReadsCodes(out.dtype);
  const Values x(*in[0], codes), w(*in[1], codes);
  const HostTensor& xt = *in[0];
  const HostTensor& wt = *in[1];
  const int64_t batch = xt.shape[0], c = xt.shape[1], h = xt.shape[2], wd = xt.shape[3];
  const int64_t cout = wt.shape[0], cg = wt.shape[1], kh = wt.shape[2], kw = wt.shape[3];
  const int64_t oh = out.shape[2], ow = out.shape[3];
  const int64_t cout_g = cout / groups;
  std::vector<float> bias(static_cast<size_t>(cout), 0.0f);
  if (in.size() == 3) bias = Values(*in[2], codes).Copy();
  std::vector<double> acc(static_cast<size_t>(oh * ow));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t oc = 0; oc < cout; ++oc) {
      const int64_t g = oc / cout_g;
      std::fill(acc.begin(), acc.end(), bias[static_cast<size_t>(oc)]);
      for (int64_t icg = 0; icg < cg; ++icg) {
        const float* plane = x.data() + (n * c + g * cg + icg) * h * wd;
        for (int64_t ky = 0; ky < kh; ++ky) {
          for (int64_t kx = 0; kx < kw; ++kx) {
            const double wv = w[((oc * cg + icg) * kh + ky) * kw + kx];
            // Output columns whose input column ow*sw - pw + kx*dw lies in [0, wd).
            const int64_t shift = kx * dil[1] - pad[1];
            const int64_t lo = std::max<int64_t>(0, CeilDiv(-shift, stride[1]));
            const int64_t hi = std::min<int64_t>(ow, FloorDiv(wd - 1 - shift, stride[1]) + 1);
            if (stride[0] == 1 && stride[1] == 1 && lo == 0 && hi == ow && ow == wd) {
              // Whole rows (a 1x1 kernel, say): the valid rows are one contiguous run in both
              // the input plane and the accumulators, so the row loop merges into one.
              const int64_t top = ky * dil[0] - pad[0];  // input row of output row 0
              const int64_t y0 = std::max<int64_t>(0, -top), y1 = std::min(oh, h - top);
              const float* src = plane + (y0 + top) * wd + shift;
              double* a = acc.data() + y0 * ow;
              for (int64_t i = 0; i < (y1 - y0) * ow; ++i) a[i] += wv * src[i];
              continue;
            }
            for (int64_t y = 0; y < oh; ++y) {
              const int64_t iy = y * stride[0] - pad[0] + ky * dil[0];
              if (iy < 0 || iy >= h) continue;
              const float* row = plane + iy * wd + shift;
              double* a = acc.data() + y * ow;
              const int64_t sx = stride[1];
              if (sx == 1) {  // the same loop, written so that it vectorizes
                for (int64_t xo = lo; xo < hi; ++xo) a[xo] += wv * row[xo];
              } else {
                for (int64_t xo = lo; xo < hi; ++xo) a[xo] += wv * row[xo * sx];
              }
            }
          }
        }
      }
      float* o = out.data.data() + (n * cout + oc) * oh * ow;
      for (int64_t i = 0; i < oh * ow; ++i) o[i] = StoreAs(out.dtype, acc[static_cast<size_t>(i)]);
    }
  }
  return Status();
}

// out[..., o] = bias[o] + sum_i x[..., i] * w[o, i].
Status EvalLinear(const Op& op, const Ins& in, HostTensor& out) {
  const bool codes = ReadsCodes(out.dtype);
  const Values x(*in[0], codes), w(*in[1], codes);
  const int64_t k = in[1]->shape[1], nout = in[1]->shape[0];
  const int64_t m = Product(in[0]->shape, 0, in[0]->shape.size() - 1);
  std::vector<float> bias;
  if (in.size() == 3) bias = Values(*in[2], codes).Copy();
  for (int64_t r = 0; r < m; ++r) {
    const float* xr = x.data() + r * k;
    for (int64_t o = 0; o < nout; ++o) {
      const float* wr = w.data() + o * k;
      double acc = bias.empty() ? 0.0 : bias[static_cast<size_t>(o)];
      for (int64_t i = 0; i < k; ++i) acc += static_cast<double>(xr[i]) * wr[i];
      out.data[static_cast<size_t>(r * nout + o)] = StoreAs(out.dtype, acc);
    }
  }
  return Status();
}

// numpy.matmul: a rank-1 a is [1, k] and a rank-1 b is [k, 1] (the unit dim is dropped from the
// result); the batch dims (all but the last two) broadcast.
Status EvalMatMul(const Op& op, const Ins& in, HostTensor& out) {
  const bool codes = ReadsCodes(out.dtype);
  const Values a(*in[0], codes), b(*in[1], codes);
  std::vector<int64_t> as = in[0]->shape, bs = in[1]->shape;
  if (as.size() == 1) as.insert(as.begin(), 1);
  if (bs.size() == 1) bs.push_back(1);
  const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  // Batch dims right-aligned to the longer list; a missing dim is 1.
  const size_t rank = std::max(as.size(), bs.size()) - 2;
  std::vector<int64_t> batch(rank), astride(rank, 0), bstride(rank, 0);
  int64_t ast = m * k, bst = k * n;
  for (size_t i = rank; i-- > 0;) {
    const size_t off = rank - i;  // position from the right among the batch dims
    const int64_t ad = off <= as.size() - 2 ? as[as.size() - 2 - off] : 1;
    const int64_t bd = off <= bs.size() - 2 ? bs[bs.size() - 2 - off] : 1;
    batch[i] = std::max(ad, bd);
    if (ad == 0 || bd == 0) batch[i] = 0;
    astride[i] = ad == 1 ? 0 : ast;
    bstride[i] = bd == 1 ? 0 : bst;
    ast *= ad;
    bst *= bd;
  }
  const int64_t count = Product(batch);
  std::vector<double> row(static_cast<size_t>(n));
  std::vector<int64_t> idx(rank, 0);
  for (int64_t p = 0; p < count; ++p) {
    int64_t aoff = 0, boff = 0;
    for (size_t i = 0; i < rank; ++i) aoff += idx[i] * astride[i], boff += idx[i] * bstride[i];
    for (int64_t r = 0; r < m; ++r) {
      std::fill(row.begin(), row.end(), 0.0);
      for (int64_t j = 0; j < k; ++j) {
        const double av = a[aoff + r * k + j];
        const float* br = b.data() + boff + j * n;
        for (int64_t col = 0; col < n; ++col) row[static_cast<size_t>(col)] += av * br[col];
      }
      float* o = out.data.data() + (p * m + r) * n;
      for (int64_t col = 0; col < n; ++col)
        o[col] = StoreAs(out.dtype, row[static_cast<size_t>(col)]);
    }
    for (size_t i = rank; i-- > 0;) {  // next batch index
      if (++idx[i] < batch[i]) break;
      idx[i] = 0;
    }
  }
  return Status();
}

// Inference batch norm: (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c], c = dim 1.
Status EvalBatchNorm(const Op& op, const Ins& in, HostTensor& out) {
  const double eps = op.attrs.GetFloat("eps", 1e-5);
  const Values x(*in[0], false), gamma(*in[1], false), beta(*in[2], false), mean(*in[3], false),
      var(*in[4], false);
  const int64_t batch = out.shape[0], c = out.shape[1], inner = Product(out.shape, 2);
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t ch = 0; ch < c; ++ch) {
      const double sd = std::sqrt(static_cast<double>(var[ch]) + eps);
      const int64_t base = (n * c + ch) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const double v = (static_cast<double>(x[base + i]) - mean[ch]) / sd * gamma[ch] + beta[ch];
        out.data[static_cast<size_t>(base + i)] = StoreAs(out.dtype, v);
      }
    }
  }
  return Status();
}

// Layer norm over the trailing dims that gamma covers (else `normalized_shape`, else the last
// dim): (x - mean) / sqrt(var + eps) * gamma + beta with the biased (population) variance.
Status EvalLayerNorm(const Op& op, const Ins& in, HostTensor& out) {
  const double eps = op.attrs.GetFloat("eps", 1e-5);
  size_t norm_rank = 1;
  if (in.size() >= 2) {
    norm_rank = in[1]->shape.size();
  } else if (const auto s = op.attrs.GetInts("normalized_shape", {}); !s.empty()) {
    norm_rank = s.size();
  }
  const Values x(*in[0], false);
  const int64_t inner = Product(out.shape, out.shape.size() - norm_rank);
  const int64_t outer = inner == 0 ? 0 : Product(out.shape) / inner;
  std::vector<float> gamma, beta;
  if (in.size() >= 2) gamma = Dequantized(*in[1]);
  if (in.size() >= 3) beta = Dequantized(*in[2]);
  for (int64_t r = 0; r < outer; ++r) {
    const float* xr = x.data() + r * inner;
    double sum = 0;
    for (int64_t i = 0; i < inner; ++i) sum += xr[i];
    const double mean = sum / static_cast<double>(inner);
    double sq = 0;
    for (int64_t i = 0; i < inner; ++i) sq += (xr[i] - mean) * (xr[i] - mean);
    const double sd = std::sqrt(sq / static_cast<double>(inner) + eps);
    for (int64_t i = 0; i < inner; ++i) {
      double v = (xr[i] - mean) / sd;
      if (!gamma.empty()) v *= gamma[static_cast<size_t>(i)];
      if (!beta.empty()) v += beta[static_cast<size_t>(i)];
      out.data[static_cast<size_t>(r * inner + i)] = StoreAs(out.dtype, v);
    }
  }
  return Status();
}

}  // namespace triton::ir::eval_internal
