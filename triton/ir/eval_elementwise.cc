// Reference activations, softmax and broadcasting arithmetic, with PyTorch's formulas evaluated
// in double (eval.h: operand views and result storage). NaN propagates as in PyTorch.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "triton/ir/eval_internal.h"

namespace triton::ir::eval_internal {
namespace {

double Clamp(double v, double lo, double hi) {
  if (std::isnan(v)) return v;
  return std::min(std::max(v, lo), hi);
}

double Sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// One unary activation; `lo`, `hi` are clip's bounds.
double Unary(OpKind k, double v, double lo, double hi) {
  switch (k) {
    case OpKind::kRelu:
      return std::isnan(v) ? v : std::max(v, 0.0);
    case OpKind::kRelu6:
      return Clamp(v, 0, 6);
    case OpKind::kSigmoid:
      return Sigmoid(v);
    case OpKind::kTanh:
      return std::tanh(v);
    case OpKind::kGelu:  // exact: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
      return 0.5 * v * (1.0 + std::erf(v * (1.0 / std::numbers::sqrt2)));
    case OpKind::kSilu:
      return v * Sigmoid(v);
    case OpKind::kHardswish:  // x * relu6(x + 3) / 6
      return v * Clamp(v + 3, 0, 6) / 6;
    case OpKind::kHardsigmoid:  // relu6(x + 3) / 6
      return Clamp(v + 3, 0, 6) / 6;
    case OpKind::kAbs:
      return std::fabs(v);
    case OpKind::kNeg:
      return -v;
    case OpKind::kClip:
      return Clamp(v, lo, hi);
    default:
      TRITON_UNREACHABLE("not a unary activation");
  }
}

double Binary(OpKind k, double a, double b) {
  switch (k) {
    case OpKind::kAdd:
      return a + b;
    case OpKind::kSub:
      return a - b;
    case OpKind::kMul:
      return a * b;
    case OpKind::kDiv:
      return a / b;
    case OpKind::kPow:
      return std::pow(a, b);
    default:
      TRITON_UNREACHABLE("not a binary op");
  }
}

}  // namespace

Status EvalUnary(const Op& op, const Ins& in, HostTensor& out) {
  const double lo = op.attrs.GetFloat("min", -HUGE_VAL), hi = op.attrs.GetFloat("max", HUGE_VAL);
  const Values x(*in[0], ReadsCodes(out.dtype));
  for (size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] = StoreAs(out.dtype, Unary(op.kind, x[static_cast<int64_t>(i)], lo, hi));
  }
  return Status();
}

// softmax = exp(x - max) / sum exp(x - max); log_softmax = x - max - log(sum exp(x - max)),
// over `axis`, with the max subtracted for numerical stability.
Status EvalSoftmax(const Op& op, const Ins& in, HostTensor& out) {
  const auto rank = static_cast<int64_t>(out.shape.size());
  int64_t axis = op.attrs.GetInt("axis", -1);
  if (axis < 0) axis += rank;
  const int64_t n = out.shape[static_cast<size_t>(axis)];
  const int64_t inner = Product(out.shape, static_cast<size_t>(axis) + 1);
  const int64_t outer = Product(out.shape, 0, static_cast<size_t>(axis));
  const Values x(*in[0], false);
  const bool log = op.kind == OpKind::kLogSoftmax;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < inner; ++j) {
      const int64_t base = o * n * inner + j;
      double mx = -HUGE_VAL;
      for (int64_t i = 0; i < n; ++i) mx = std::max<double>(mx, x[base + i * inner]);
      double sum = 0;
      for (int64_t i = 0; i < n; ++i) sum += std::exp(x[base + i * inner] - mx);
      const double log_sum = std::log(sum);
      for (int64_t i = 0; i < n; ++i) {
        const double v = x[base + i * inner] - mx;
        out.data[static_cast<size_t>(base + i * inner)] =
            StoreAs(out.dtype, log ? v - log_sum : std::exp(v) / sum);
      }
    }
  }
  return Status();
}

// NumPy broadcasting: shapes right-aligned, a dim of 1 (or a missing one) repeats.
Status EvalBinary(const Op& op, const Ins& in, HostTensor& out) {
  const bool codes = ReadsCodes(out.dtype);
  const Values a(*in[0], codes), b(*in[1], codes);
  const size_t rank = out.shape.size();
  std::vector<int64_t> sa(rank, 0), sb(rank, 0);
  for (int k = 0; k < 2; ++k) {
    const std::vector<int64_t>& shape = in[static_cast<size_t>(k)]->shape;
    const std::vector<int64_t> strides = Strides(shape);
    std::vector<int64_t>& s = k == 0 ? sa : sb;
    for (size_t i = 0; i < shape.size(); ++i) {
      const size_t o = rank - shape.size() + i;
      s[o] = shape[i] == 1 ? 0 : strides[i];
    }
  }
  if (op.kind == OpKind::kPow && IsInteger(out.dtype)) {
    const int64_t nb = in[1]->num_elements();
    for (int64_t i = 0; i < nb; ++i) {
      if (b[i] < 0) return OpError(op.kind, "integers to negative integer powers are not allowed");
    }
  }
  std::vector<int64_t> idx(rank, 0);
  int64_t oa = 0, ob = 0;
  for (size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] = StoreAs(out.dtype, Binary(op.kind, a[oa], b[ob]));
    for (size_t d = rank; d-- > 0;) {  // advance the multi-index, keeping both offsets
      oa += sa[d], ob += sb[d];
      if (++idx[d] < out.shape[d]) break;
      oa -= sa[d] * out.shape[d], ob -= sb[d] * out.shape[d];
      idx[d] = 0;
    }
  }
  return Status();
}

}  // namespace triton::ir::eval_internal
