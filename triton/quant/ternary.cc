// Ternarization methods. The formulas, their sources and the edge-case conventions are written in
// docs/quantization.md; this file implements exactly that text. All sums run in double so that
// the result does not depend on summation order at float precision for realistic group sizes.
#include "triton/quant/ternary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "triton/base/check.h"
#include "triton/quant/random.h"

namespace triton::quant {
namespace {

struct MethodEntry {
  Method method;
  const char* name;
};

constexpr MethodEntry kMethods[] = {
    {Method::kTwn, "twn"},
    {Method::kThreshold, "threshold"},
    {Method::kStochastic, "stochastic"},
    {Method::kLearned, "learned"},
    {Method::kAbsmean, "absmean"},
};

bool UsesThreshold(Method m) {
  switch (m) {
    case Method::kTwn:
    case Method::kThreshold:
    case Method::kLearned:
      return true;
    case Method::kStochastic:
    case Method::kAbsmean:
      return false;
  }
  return false;
}

bool SearchRequested(const TernaryOptions& o) { return o.target_sparsity >= 0; }

// Checks the options against the method; the message names the field and the value.
Status ValidateOptions(const TernaryOptions& o) {
  const std::string method = MethodName(o.method);
  if (std::isnan(o.target_sparsity) || o.target_sparsity > 1) {
    return Status::Error("ternarize: target sparsity " + std::to_string(o.target_sparsity) +
                         " is not in [0, 1]");
  }
  if (SearchRequested(o) && !UsesThreshold(o.method)) {
    return Status::Error("ternarize: method '" + method +
                         "' has no threshold, so it cannot search a target sparsity");
  }
  if (UsesThreshold(o.method) && !SearchRequested(o) &&
      !(std::isfinite(o.threshold_factor) && o.threshold_factor >= 0)) {
    return Status::Error("ternarize: threshold factor " + std::to_string(o.threshold_factor) +
                         " for method '" + method + "' must be finite and >= 0");
  }
  return Status();
}

// Checks the shape and returns the element count; the message names the offending dimension.
Result<int64_t> ValidateShape(std::span<const float> w, const std::vector<int64_t>& shape) {
  if (shape.empty()) {
    return Status::Error("ternarize: a weight needs rank >= 1 (dim 0 is the output channel)");
  }
  int64_t count = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) {
      return Status::Error("ternarize: dimension " + std::to_string(d) + " is negative (" +
                           std::to_string(shape[d]) + ")");
    }
    if (shape[d] != 0 && count > std::numeric_limits<int64_t>::max() / shape[d]) {
      return Status::Error("ternarize: the element count of the shape overflows int64");
    }
    count *= shape[d];
  }
  if (static_cast<uint64_t>(count) != w.size()) {
    return Status::Error("ternarize: the shape holds " + std::to_string(count) + " elements but " +
                         std::to_string(w.size()) + " weights were given");
  }
  return count;
}

Status CheckFinite(std::span<const float> w, int64_t group_size) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (std::isfinite(w[i])) continue;
    const char* what = std::isnan(w[i]) ? "NaN" : (w[i] > 0 ? "+Inf" : "-Inf");
    std::string where = "weight " + std::to_string(i);
    if (group_size > 0) {
      where += " (channel " + std::to_string(static_cast<int64_t>(i) / group_size) + ", element " +
               std::to_string(static_cast<int64_t>(i) % group_size) + ")";
    }
    return Status::Error("ternarize: " + where + " is " + what + "; weights must be finite");
  }
  return Status();
}

double MeanAbs(std::span<const float> w) {
  if (w.empty()) return 0;
  double sum = 0;
  for (float x : w) sum += std::fabs(static_cast<double>(x));
  return sum / static_cast<double>(w.size());
}

double MaxAbs(std::span<const float> w) {
  double m = 0;
  for (float x : w) m = std::max(m, std::fabs(static_cast<double>(x)));
  return m;
}

// The threshold that makes the number of zeros (elements with |w| <= delta) closest to
// round(target * n). Without ties among |w| that count is hit exactly. With ties at the k-th
// smallest |w| the tied elements all fall on one side: the candidates are delta = a_(k) (the
// k-th smallest |w|; zeros >= k) and the largest |w| below a_(k) (or 0 if none; zeros < k);
// the closer count wins, and on equal distance the one with more zeros. The result is >= 0, so
// exact zeros always stay zero.
double SearchThreshold(std::span<const float> w, double target) {
  const size_t n = w.size();
  const auto k = static_cast<size_t>(std::llround(target * static_cast<double>(n)));
  if (n == 0 || k == 0) return 0;
  std::vector<float> a(n);
  for (size_t i = 0; i < n; ++i) a[i] = std::fabs(w[i]);
  std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(k - 1), a.end());
  const float v = a[k - 1];
  if (v == 0) return 0;
  size_t at_most = 0, below = 0;
  float below_max = 0;
  for (float x : a) {
    if (x <= v) ++at_most;
    if (x < v) {
      ++below;
      below_max = std::max(below_max, x);
    }
  }
  return (at_most - k <= k - below) ? v : below_max;
}

// Threshold rule shared by kTwn, kThreshold and kLearned: t = sign(w) if |w| > delta, else 0.
void AssignByThreshold(std::span<const float> w, double delta, std::span<int8_t> t) {
  for (size_t i = 0; i < w.size(); ++i) {
    const double x = w[i];
    t[i] = x > delta ? 1 : (x < -delta ? -1 : 0);
  }
}

struct GroupScales {
  float pos = 0;
  float neg = 0;
};

// TWN's alpha*: the mean |w| over the nonzero trits (0 if there are none).
float MeanAbsOverNonzero(std::span<const float> w, std::span<const int8_t> t) {
  double sum = 0;
  size_t count = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (t[i] == 0) continue;
    sum += std::fabs(static_cast<double>(w[i]));
    ++count;
  }
  return count == 0 ? 0.0f : static_cast<float>(sum / static_cast<double>(count));
}

// Ternarizes one group (a channel, or the whole tensor). `first_index` is the flat index of the
// group's first element in the tensor: the stochastic method draws its random numbers by flat
// index, so the draws do not depend on the grouping.
GroupScales TernarizeGroup(std::span<const float> w, std::span<int8_t> t, const TernaryOptions& o,
                           uint64_t first_index) {
  GroupScales s;
  switch (o.method) {
    case Method::kTwn:
    case Method::kThreshold:
    case Method::kLearned: {
      double delta;
      if (SearchRequested(o)) {
        delta = SearchThreshold(w, o.target_sparsity);
      } else if (o.method == Method::kTwn) {
        delta = o.threshold_factor * MeanAbs(w);
      } else {
        delta = o.threshold_factor * MaxAbs(w);
      }
      AssignByThreshold(w, delta, t);
      if (o.method != Method::kLearned) {
        s.pos = s.neg = MeanAbsOverNonzero(w, t);
        break;
      }
      // TTQ's initial Wp / Wn: the least-squares optimal value for each side given the trits.
      double sum_pos = 0, sum_neg = 0;
      size_t n_pos = 0, n_neg = 0;
      for (size_t i = 0; i < w.size(); ++i) {
        if (t[i] > 0) {
          sum_pos += w[i];
          ++n_pos;
        } else if (t[i] < 0) {
          sum_neg -= w[i];
          ++n_neg;
        }
      }
      s.pos = n_pos == 0 ? 0.0f : static_cast<float>(sum_pos / static_cast<double>(n_pos));
      s.neg = n_neg == 0 ? 0.0f : static_cast<float>(sum_neg / static_cast<double>(n_neg));
      break;
    }
    case Method::kStochastic: {
      // TernGrad: t = sign(w) with probability |w| / max|W|, scale = max|W|; E[deq] = w.
      const double m = MaxAbs(w);
      for (size_t i = 0; i < w.size(); ++i) {
        const double p = m == 0 ? 0.0 : std::fabs(static_cast<double>(w[i])) / m;
        const bool keep = UniformDraw(o.seed, first_index + i) < p;
        t[i] = !keep ? 0 : (w[i] > 0 ? 1 : -1);
      }
      s.pos = s.neg = static_cast<float>(m);
      break;
    }
    case Method::kAbsmean: {
      // BitNet b1.58: t = RoundClip(w / max(gamma, eps), -1, 1) with round half to even, which
      // for |q| <= 1.5 reduces to comparing with +-0.5 (0.5 itself rounds to 0).
      const float gamma = static_cast<float>(MeanAbs(w));
      const float d = std::max(gamma, kAbsmeanEpsilon);
      for (size_t i = 0; i < w.size(); ++i) {
        const float q = w[i] / d;
        t[i] = q > 0.5f ? 1 : (q < -0.5f ? -1 : 0);
      }
      s.pos = s.neg = gamma;
      break;
    }
  }
  // A scale that multiplies no trit is 0, so an all-zero group reads back as exact zeros (and
  // for kLearned a side without trits has scale 0). kAbsmean with mean|W| < eps can get here.
  const bool any_pos = std::any_of(t.begin(), t.end(), [](int8_t x) { return x > 0; });
  const bool any_neg = std::any_of(t.begin(), t.end(), [](int8_t x) { return x < 0; });
  if (o.method == Method::kLearned) {
    if (!any_pos) s.pos = 0;
    if (!any_neg) s.neg = 0;
  } else if (!any_pos && !any_neg) {
    s.pos = s.neg = 0;
  }
  return s;
}

float DequantizeOne(int8_t trit, float scale_pos, float scale_neg) {
  return trit > 0 ? scale_pos : (trit < 0 ? -scale_neg : 0.0f);
}

}  // namespace

const char* MethodName(Method m) {
  for (const MethodEntry& e : kMethods) {
    if (e.method == m) return e.name;
  }
  TRITON_UNREACHABLE("unknown ternarization method");
}

Result<Method> ParseMethod(const std::string& name) {
  std::string valid;
  for (const MethodEntry& e : kMethods) {
    if (name == e.name) return e.method;
    valid += valid.empty() ? "" : ", ";
    valid += e.name;
  }
  return Status::Error("unknown ternarization method '" + name + "' (valid: " + valid + ")");
}

double DefaultThresholdFactor(Method m) {
  switch (m) {
    case Method::kTwn:
      return 0.7;
    case Method::kThreshold:
    case Method::kLearned:
      return 0.05;
    case Method::kStochastic:
    case Method::kAbsmean:
      return 0;
  }
  return 0;
}

Result<TernaryTensor> Ternarize(std::span<const float> w, const std::vector<int64_t>& shape,
                                const TernaryOptions& options, TernaryReport* report) {
  if (Status s = ValidateOptions(options); !s.ok()) return s;
  Result<int64_t> count = ValidateShape(w, shape);
  if (!count.ok()) return count.status();
  const int64_t channels = shape[0];
  const int64_t group_size =
      options.per_channel ? (channels == 0 ? 0 : count.value() / channels) : count.value();
  const int64_t groups = options.per_channel ? channels : 1;
  if (Status s = CheckFinite(w, options.per_channel ? group_size : 0); !s.ok()) return s;

  TernaryTensor out;
  out.shape = shape;
  out.trits.assign(w.size(), 0);
  out.scale_pos.assign(static_cast<size_t>(groups), 0.0f);
  out.scale_neg.assign(static_cast<size_t>(groups), 0.0f);
  for (int64_t g = 0; g < groups; ++g) {
    const auto begin = static_cast<size_t>(g * group_size);
    const auto size = static_cast<size_t>(group_size);
    const GroupScales s = TernarizeGroup(
        w.subspan(begin, size), std::span<int8_t>(out.trits).subspan(begin, size), options, begin);
    out.scale_pos[static_cast<size_t>(g)] = s.pos;
    out.scale_neg[static_cast<size_t>(g)] = s.neg;
  }
  if (report != nullptr) *report = Measure(w, out);
  return out;
}

TernaryReport Measure(std::span<const float> w, const TernaryTensor& t) {
  const std::vector<float> deq = Dequantize(t);
  TRITON_CHECK_MSG(deq.size() == w.size(), "Measure: weights and ternary tensor differ in size");
  TernaryReport r;
  size_t zeros = 0;
  double err2 = 0, norm2 = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    zeros += t.trits[i] == 0;
    const double x = w[i];
    const double e = x - static_cast<double>(deq[i]);
    err2 += e * e;
    norm2 += x * x;
  }
  r.sparsity = w.empty() ? 0.0 : static_cast<double>(zeros) / static_cast<double>(w.size());
  r.relative_error = norm2 == 0 ? 0.0 : std::sqrt(err2 / norm2);
  double scale_sum = 0;
  for (size_t c = 0; c < t.scale_pos.size(); ++c) scale_sum += t.scale_pos[c] + t.scale_neg[c];
  r.mean_scale =
      t.scale_pos.empty() ? 0.0 : scale_sum / (2.0 * static_cast<double>(t.scale_pos.size()));
  return r;
}

std::vector<float> Dequantize(const TernaryTensor& t) {
  TRITON_CHECK_MSG(!t.shape.empty(), "Dequantize: rank-0 ternary tensor");
  TRITON_CHECK_MSG(t.scale_pos.size() == t.scale_neg.size(),
                   "Dequantize: scale_pos and scale_neg differ in length");
  int64_t count = 1;
  for (int64_t d : t.shape) count *= d;
  TRITON_CHECK_MSG(static_cast<uint64_t>(count) == t.trits.size(),
                   "Dequantize: trit count differs from the shape's element count");
  std::vector<float> out(t.trits.size());
  if (t.trits.empty()) return out;
  const size_t groups = t.scale_pos.size();
  TRITON_CHECK_MSG(groups == 1 || (t.shape[0] > 0 && groups == static_cast<size_t>(t.shape[0]) &&
                                   t.trits.size() % groups == 0),
                   "Dequantize: scale count is neither 1 nor the number of channels");
  const size_t group_size = t.trits.size() / groups;
  for (size_t i = 0; i < t.trits.size(); ++i) {
    const size_t g = i / group_size;
    out[i] = DequantizeOne(t.trits[i], t.scale_pos[g], t.scale_neg[g]);
  }
  return out;
}

}  // namespace triton::quant
