// Reference layout ops and reductions. Layout ops, max and min compute for each result element
// the flat index of the input element it takes (or -1 for padding) and share Gather, which also
// carries trit codes with their scales (eval.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "triton/ir/eval_internal.h"

namespace triton::ir::eval_internal {
namespace {

// Scales of one component (pos or neg) of one channel: the value its nonzero codes demand, else
// the scale its elements brought along (an all-zero channel keeps a meaningful scale), else 1.
struct Slot {
  bool demanded = false, brought = false;
  float value = 1, fallback = 1;
  bool Demand(float v) {
    if (demanded) return value == v;
    demanded = true, value = v;
    return true;
  }
  float Get() const { return demanded ? value : fallback; }
};

// Tries to give the trit tensor `out` one scale pair per slice along `axis` (-1: one for the
// whole tensor) that reproduces every element's (pos, neg); false when no such scales exist.
bool AssignScales(HostTensor& out, int64_t axis, const std::vector<float>& pos,
                  const std::vector<float>& neg, const std::vector<bool>& has) {
  const int64_t channels = axis < 0 ? 1 : out.shape[static_cast<size_t>(axis)];
  const int64_t inner = axis < 0 ? 1 : Product(out.shape, static_cast<size_t>(axis) + 1);
  std::vector<Slot> p(static_cast<size_t>(channels)), n(static_cast<size_t>(channels));
  for (size_t i = 0; i < out.data.size(); ++i) {
    if (!has[i]) continue;
    const auto c = axis < 0 ? 0 : static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
    if (!p[c].brought) {
      p[c].brought = n[c].brought = true;
      p[c].fallback = pos[i], n[c].fallback = neg[i];
    }
    const float code = out.data[i];
    if (code > 0 && !p[c].Demand(pos[i])) return false;
    if (code < 0 && !n[c].Demand(neg[i])) return false;
  }
  out.scale_pos.resize(static_cast<size_t>(channels));
  out.scale_neg.resize(static_cast<size_t>(channels));
  for (size_t c = 0; c < p.size(); ++c)
    out.scale_pos[c] = p[c].Get(), out.scale_neg[c] = n[c].Get();
  out.scale_axis = axis < 0 ? 0 : axis;
  return true;
}

// Axis of dim 0 after normalizing a possibly negative axis.
int64_t NormAxis(int64_t axis, size_t rank) {
  return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
}

// out[j0, j1, ...] = in[...] with out dim j = in dim perm[j].
Status PermuteBy(const std::vector<int64_t>& perm, const Ins& in, HostTensor& out) {
  const std::vector<int64_t> in_strides = Strides(in[0]->shape);
  const size_t rank = perm.size();
  std::vector<int64_t> step(rank);
  for (size_t j = 0; j < rank; ++j) step[j] = in_strides[static_cast<size_t>(perm[j])];
  std::vector<int64_t> src(out.data.size()), idx(rank, 0);
  int64_t off = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    src[i] = off;
    for (size_t d = rank; d-- > 0;) {
      off += step[d];
      if (++idx[d] < out.shape[d]) break;
      off -= step[d] * out.shape[d];
      idx[d] = 0;
    }
  }
  const int64_t axis = ChannelAxis(*in[0]);
  const auto moved = std::find(perm.begin(), perm.end(), axis);
  return Gather(in, src, 0, out, axis < 0 ? -1 : moved - perm.begin());
}

}  // namespace

int64_t ChannelAxis(const HostTensor& t) {
  return t.dtype == DType::kTrit && t.scale_pos.size() > 1 ? t.scale_axis : -1;
}

Status Gather(const Ins& sources, const std::vector<int64_t>& src, float fill, HostTensor& out,
              int64_t preferred_axis) {
  std::vector<int64_t> offsets = {0};  // flat index of each source's first element
  for (const HostTensor* s : sources) offsets.push_back(offsets.back() + s->num_elements());
  const auto owner = [&](int64_t i) {
    return static_cast<size_t>(std::upper_bound(offsets.begin(), offsets.end(), i) -
                               offsets.begin() - 1);
  };
  if (out.dtype != DType::kTrit) {
    std::vector<std::unique_ptr<Values>> vals;
    for (const HostTensor* s : sources) {
      vals.push_back(std::make_unique<Values>(*s, ReadsCodes(out.dtype)));
    }
    for (size_t i = 0; i < src.size(); ++i) {
      if (src[i] < 0) {
        out.data[i] = fill;
        continue;
      }
      const size_t k = sources.size() == 1 ? 0 : owner(src[i]);
      out.data[i] = StoreAs(out.dtype, (*vals[k])[src[i] - offsets[k]]);
    }
    const std::vector<float>& scale = sources[0]->scale_pos;
    const bool shared = std::all_of(sources.begin(), sources.end(), [&](const HostTensor* s) {
      return s->dtype == DType::kInt8 && s->scale_pos.size() == 1 && s->scale_pos == scale;
    });
    if (out.dtype == DType::kInt8 && shared) out.scale_pos = scale;
    return Status();
  }
  const bool scaled = std::any_of(sources.begin(), sources.end(),
                                  [](const HostTensor* s) { return !s->scale_pos.empty(); });
  std::vector<float> pos(src.size(), 1.0f), neg(src.size(), 1.0f);
  std::vector<bool> has(src.size(), false);
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i] < 0) {
      out.data[i] = fill;
      continue;
    }
    const size_t k = sources.size() == 1 ? 0 : owner(src[i]);
    const int64_t local = src[i] - offsets[k];
    out.data[i] = sources[k]->data[static_cast<size_t>(local)];
    ElementScales(*sources[k], local, &pos[i], &neg[i]);
    has[i] = true;
  }
  if (!scaled) return Status();
  if (preferred_axis >= 0 && AssignScales(out, preferred_axis, pos, neg, has)) return Status();
  if (AssignScales(out, -1, pos, neg, has)) return Status();
  for (size_t axis = 0; axis < out.shape.size(); ++axis) {
    if (AssignScales(out, static_cast<int64_t>(axis), pos, neg, has)) return Status();
  }
  out.scale_pos.clear(), out.scale_neg.clear();
  return Status::Error(
      fmt::format("the trit result {} would need different scales within one slice of every axis; "
                  "dequantize the operands first",
                  out.type().ToString()));
}

// flatten and reshape keep the row-major element order.
Status EvalFlatten(const Op&, const Ins& in, HostTensor& out) {
  std::vector<int64_t> src(out.data.size());
  std::iota(src.begin(), src.end(), int64_t{0});
  return Gather(in, src, 0, out);
}

Status EvalTranspose(const Op& op, const Ins& in, HostTensor& out) {
  const size_t rank = out.shape.size();
  std::vector<int64_t> perm(rank);
  std::iota(perm.begin(), perm.end(), int64_t{0});
  std::swap(perm[static_cast<size_t>(NormAxis(op.attrs.GetInt("dim0", 0), rank))],
            perm[static_cast<size_t>(NormAxis(op.attrs.GetInt("dim1", 0), rank))]);
  return PermuteBy(perm, in, out);
}

Status EvalPermute(const Op& op, const Ins& in, HostTensor& out) {
  std::vector<int64_t> perm = op.attrs.GetInts("dims", {});
  for (int64_t& d : perm) d = NormAxis(d, out.shape.size());
  return PermuteBy(perm, in, out);
}

Status EvalConcat(const Op& op, const Ins& in, HostTensor& out) {
  const auto axis = static_cast<size_t>(NormAxis(op.attrs.GetInt("axis", 0), out.shape.size()));
  const int64_t outer = Product(out.shape, 0, axis), inner = Product(out.shape, axis + 1);
  std::vector<int64_t> src;
  src.reserve(out.data.size());
  for (int64_t o = 0; o < outer; ++o) {
    int64_t offset = 0;
    for (const HostTensor* t : in) {
      const int64_t block = t->shape[axis] * inner;
      for (int64_t j = 0; j < block; ++j) src.push_back(offset + o * block + j);
      offset += t->num_elements();
    }
  }
  return Gather(in, src, 0, out, ChannelAxis(*in[0]));
}

// torch.nn.functional.pad: (before, after) pairs from the last dim; negative amounts crop.
// constant fills `value` (a trit: the code, which takes its slice's scale); reflect mirrors
// without repeating the edge (padding < size); replicate repeats the edge; circular wraps
// (padding <= size).
Status EvalPad(const Op& op, const Ins& in, HostTensor& out) {
  const std::vector<int64_t> pads = op.attrs.GetInts("pads", {});
  const std::string mode = op.attrs.GetString("mode", "constant");
  const double value = op.attrs.GetFloat("value", 0.0);
  const std::vector<int64_t>& shape = in[0]->shape;
  const size_t rank = shape.size();
  std::vector<int64_t> before(rank, 0);
  for (size_t p = 0; p < pads.size() / 2; ++p) {
    const size_t d = rank - 1 - p;
    before[d] = pads[2 * p];
    const int64_t after = pads[2 * p + 1], size = shape[d];
    if (mode == "constant" || (before[d] <= 0 && after <= 0)) continue;
    const int64_t most = std::max(before[d], after);
    if (size == 0 || (mode == "reflect" && most >= size) || (mode == "circular" && most > size)) {
      return OpError(
          op.kind, fmt::format("{} padding {} of dimension {} (size {}) is too large; "
                               "{} needs padding {} the size",
                               mode, most, d, size, mode, mode == "reflect" ? "below" : "at most"));
    }
  }
  const std::vector<int64_t> strides = Strides(shape);
  std::vector<int64_t> src(out.data.size()), idx(rank, 0);
  for (size_t i = 0; i < src.size(); ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < rank && off >= 0; ++d) {
      int64_t j = idx[d] - before[d];
      const int64_t size = shape[d];
      if (j < 0 || j >= size) {
        if (mode == "constant") {
          off = -1;
          break;
        }
        if (mode == "reflect") j = j < 0 ? -j : 2 * (size - 1) - j;
        if (mode == "replicate") j = std::clamp<int64_t>(j, 0, size - 1);
        if (mode == "circular") j = (j % size + size) % size;
      }
      off += j * strides[d];
    }
    src[i] = off;
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < out.shape[d]) break;
      idx[d] = 0;
    }
  }
  const float fill = out.dtype == DType::kTrit ? static_cast<float>(value)
                                               : CastValue(DType::kFloat64, out.dtype, value);
  return Gather(in, src, fill, out, ChannelAxis(*in[0]));
}

// sum and mean accumulate in double (mean of nothing is NaN, as torch.mean); max and min take
// the first extreme element by value (trit: code * scale; a NaN wins, as torch.amax), and an
// empty reduction is an error, as in PyTorch.
Status EvalReduce(const Op& op, const Ins& in, HostTensor& out) {
  const HostTensor& x = *in[0];
  const size_t rank = x.shape.size();
  const std::vector<int64_t> axes = op.attrs.GetInts("axes", {});
  const bool keepdim = op.attrs.GetBool("keepdim", false);
  std::vector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes) reduced[static_cast<size_t>(NormAxis(a, rank))] = true;
  // The result stride of each input dim (0 for reduced dims).
  const std::vector<int64_t> out_strides = Strides(out.shape);
  std::vector<int64_t> step(rank, 0);
  for (size_t d = 0, j = 0; d < rank; ++d) {
    if (!reduced[d]) step[d] = out_strides[j];
    if (!reduced[d] || keepdim) ++j;
  }
  const int64_t n_in = x.num_elements(), n_out = out.num_elements();
  const bool extreme = op.kind == OpKind::kReduceMax || op.kind == OpKind::kReduceMin;
  if (n_out > 0 && n_in == 0 && extreme) {
    return OpError(op.kind, "cannot reduce over an empty dimension (the result has no value)");
  }
  const Values v(x, extreme ? false : ReadsCodes(out.dtype));
  std::vector<double> acc(static_cast<size_t>(n_out), 0.0);
  std::vector<int64_t> best(static_cast<size_t>(n_out), -1);
  std::vector<int64_t> idx(rank, 0);
  int64_t o = 0;
  const bool is_max = op.kind == OpKind::kReduceMax;
  for (int64_t i = 0; i < n_in; ++i) {
    const double e = v[i];
    double& a = acc[static_cast<size_t>(o)];
    int64_t& b = best[static_cast<size_t>(o)];
    if (!extreme) {
      a += e;
    } else if (b < 0 || (std::isnan(e) && !std::isnan(a)) || (is_max ? e > a : e < a)) {
      a = e, b = i;
    }
    for (size_t d = rank; d-- > 0;) {
      o += step[d];
      if (++idx[d] < x.shape[d]) break;
      o -= step[d] * x.shape[d];
      idx[d] = 0;
    }
  }
  if (extreme) {
    int64_t axis = ChannelAxis(x);  // its position among the result's dims, if it survives
    if (axis >= 0 && reduced[static_cast<size_t>(axis)]) axis = -1;
    for (int64_t d = 0; axis > 0 && !keepdim && d < ChannelAxis(x); ++d) {
      if (reduced[static_cast<size_t>(d)]) --axis;
    }
    return Gather(in, best, 0, out, axis);
  }
  const double count = n_out == 0 ? 0.0 : static_cast<double>(n_in) / static_cast<double>(n_out);
  for (size_t i = 0; i < out.data.size(); ++i) {
    out.data[i] = StoreAs(out.dtype, op.kind == OpKind::kMean ? acc[i] / count : acc[i]);
  }
  return Status();
}

}  // namespace triton::ir::eval_internal
