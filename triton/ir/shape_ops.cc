// Shape rules of the layout, reduction and quantization ops (dispatched from InferType in
// shape.cc; the element-type conventions are listed at the top of shape.cc).
#include <fmt/format.h>

#include <algorithm>

#include "triton/ir/shape_internal.h"
#include "triton/ir/shape_util.h"

namespace triton::ir::shape_internal {
namespace {

// Product of static sizes, or nullopt if a dim is not static or the product overflows.
std::optional<int64_t> StaticProduct(const std::vector<Dim>& dims, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) {
    if (!dims[i].is_static() || __builtin_mul_overflow(p, dims[i].size, &p)) return std::nullopt;
  }
  return p;
}

const char* const kQuantMethods[] = {"twn", "threshold", "stochastic", "learned", "absmean"};

}  // namespace

// ---------------------------------------------------------------- shape manipulation

TypeOrError InferFlatten(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kFlatten;
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 1, "an input with at least 1 dimension"));
  const TensorType& x = in[0];
  int64_t start = 1, end = -1;
  TRITON_SHAPE_TRY(ReadInt(k, a, "start_dim", 1, &start));
  TRITON_SHAPE_TRY(ReadInt(k, a, "end_dim", -1, &end));
  TRITON_SHAPE_TRY(NormAxis(k, "start_dim", start, x.rank(), &start));
  TRITON_SHAPE_TRY(NormAxis(k, "end_dim", end, x.rank(), &end));
  if (start > end) {
    return Err(Code::kAttr, -1,
               fmt::format("flatten start_dim {} comes after end_dim {}", start, end));
  }
  const auto s = static_cast<size_t>(start), e = static_cast<size_t>(end) + 1;
  TensorType out{x.dtype, {x.dims.begin(), x.dims.begin() + static_cast<ptrdiff_t>(s)}};
  if (e - s == 1) {
    out.dims.push_back(x.dims[s]);  // a single dim keeps its symbol
  } else {
    const std::optional<int64_t> p = StaticProduct(x.dims, s, e);
    out.dims.push_back(p ? Dim::Static(*p) : Dim::Unknown());
  }
  out.dims.insert(out.dims.end(), x.dims.begin() + static_cast<ptrdiff_t>(e), x.dims.end());
  return out;
}

// One -1 entry is inferred: from the element count when the input is static, or as the input's
// only non-static dim when the remaining static sizes match (reshape [N, 512, 1, 1] to [-1, 512]
// gives [N, 512]); otherwise it is unknown.
TypeOrError InferReshape(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kReshape;
  const TensorType& x = in[0];
  std::vector<int64_t> shape;
  TRITON_SHAPE_TRY(ReadInts(k, a, "shape", 0, {}, &shape, /*required=*/true));
  int infer_at = -1;
  int64_t known = 1;  // product of the entries other than -1
  bool overflow = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && infer_at < 0) {
      infer_at = static_cast<int>(i);
      continue;
    }
    if (shape[i] < 0) {
      return Err(
          Code::kAttr, -1,
          fmt::format("reshape shape {} may hold one -1 and otherwise sizes >= 0", IntList(shape)));
    }
    overflow |= __builtin_mul_overflow(known, shape[i], &known);
  }
  if (overflow) {
    return Err(Code::kAttr, -1, fmt::format("reshape shape {} is too large", IntList(shape)));
  }
  TensorType out{x.dtype, {}};
  for (int64_t s : shape) out.dims.push_back(s == -1 ? Dim::Unknown() : Dim::Static(s));
  const std::optional<int64_t> total = StaticProduct(x.dims, 0, x.rank());
  if (total) {
    const bool fits = infer_at >= 0 ? (known != 0 && *total % known == 0) : *total == known;
    if (!fits) {
      return Err(
          Code::kShape, 0,
          fmt::format("cannot reshape {} ({} elements) to {}", Lang(x), *total, IntList(shape)));
    }
    if (infer_at >= 0) out.dims[static_cast<size_t>(infer_at)] = Dim::Static(*total / known);
    return out;
  }
  if (infer_at >= 0) {
    // Exactly one non-static input dim and the static rest equal to `known`: -1 is that dim.
    size_t dynamic = 0, which = 0;
    for (size_t i = 0; i < x.rank(); ++i) {
      if (!x.dims[i].is_static()) ++dynamic, which = i;
    }
    std::vector<Dim> rest = x.dims;
    rest.erase(rest.begin() + static_cast<ptrdiff_t>(which));
    const std::optional<int64_t> rest_product = StaticProduct(rest, 0, rest.size());
    if (dynamic == 1 && rest_product && *rest_product == known) {
      out.dims[static_cast<size_t>(infer_at)] = x.dims[which];
    }
  }
  return out;
}

TypeOrError InferTranspose(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kTranspose;
  TensorType out = in[0];
  int64_t d0 = 0, d1 = 0;
  TRITON_SHAPE_TRY(ReadInt(k, a, "dim0", 0, &d0, /*required=*/true));
  TRITON_SHAPE_TRY(ReadInt(k, a, "dim1", 0, &d1, /*required=*/true));
  TRITON_SHAPE_TRY(NormAxis(k, "dim0", d0, out.rank(), &d0));
  TRITON_SHAPE_TRY(NormAxis(k, "dim1", d1, out.rank(), &d1));
  std::swap(out.dims[static_cast<size_t>(d0)], out.dims[static_cast<size_t>(d1)]);
  return out;
}

TypeOrError InferPermute(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kPermute;
  const TensorType& x = in[0];
  std::vector<int64_t> dims;
  TRITON_SHAPE_TRY(ReadInts(k, a, "dims", 0, {}, &dims, /*required=*/true));
  const auto bad = [&] {
    return Err(Code::kAttr, -1,
               fmt::format("permute dims {} must be a permutation of the {} dimensions of {}",
                           IntList(dims), x.rank(), Lang(x)));
  };
  if (dims.size() != x.rank()) return bad();
  std::vector<bool> seen(x.rank(), false);
  TensorType out{x.dtype, {}};
  for (int64_t d : dims) {
    const auto r = static_cast<int64_t>(x.rank());
    if (d < -r || d >= r) return bad();
    const auto i = static_cast<size_t>(d < 0 ? d + r : d);
    if (seen[i]) return bad();
    seen[i] = true;
    out.dims.push_back(x.dims[i]);
  }
  return out;
}

TypeOrError InferConcat(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kConcat;
  TRITON_SHAPE_TRY(RequireMinRank(k, in, 0, 1, "operands with at least 1 dimension"));
  TensorType out = in[0];
  int64_t axis = 0;
  TRITON_SHAPE_TRY(ReadInt(k, a, "axis", 0, &axis));
  TRITON_SHAPE_TRY(NormAxis(k, "axis", axis, out.rank(), &axis));
  const auto ax = static_cast<size_t>(axis);
  for (size_t i = 1; i < in.size(); ++i) {
    const TensorType& t = in[i];
    const int idx = static_cast<int>(i);
    if (t.rank() != out.rank()) {
      return Err(Code::kRank, idx,
                 fmt::format("concat operand {} is {} but operand 0 is {}: ranks differ", i,
                             Lang(t), Lang(in[0])));
    }
    const std::optional<DType> dtype = CommonType(out.dtype, t.dtype);
    if (!dtype) {
      return Err(Code::kType, idx,
                 fmt::format("concat operand {} has element type {}, which has no common type "
                             "with {}",
                             i, DTypeName(t.dtype), DTypeName(out.dtype)));
    }
    out.dtype = *dtype;
    for (size_t d = 0; d < t.rank(); ++d) {
      if (d == ax) continue;
      if (!DimsCompatible(out.dims[d], t.dims[d])) {
        return Err(Code::kShape, idx,
                   fmt::format("concat operand {} is {} but operand 0 is {}: dimension {} "
                               "differs (only axis {} may)",
                               i, Lang(t), Lang(in[0]), d, axis));
      }
      out.dims[d] = UnifyDims(out.dims[d], t.dims[d]);
    }
    int64_t sum = 0;
    if (out.dims[ax].is_static() && t.dims[ax].is_static() &&
        !__builtin_add_overflow(out.dims[ax].size, t.dims[ax].size, &sum)) {
      out.dims[ax] = Dim::Static(sum);
    } else {
      out.dims[ax] = Dim::Unknown();
    }
  }
  return out;
}

// `pads` holds (before, after) pairs starting from the last dim, as torch.nn.functional.pad;
// negative pads crop.
TypeOrError InferPad(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kPad;
  TensorType out = in[0];
  std::vector<int64_t> pads;
  std::string mode;
  double value = 0;
  TRITON_SHAPE_TRY(ReadInts(k, a, "pads", 0, {}, &pads, /*required=*/true));
  TRITON_SHAPE_TRY(ReadFloat(k, a, "value", 0.0, &value));
  TRITON_SHAPE_TRY(ReadString(k, a, "mode", "constant", &mode));
  if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular") {
    return Err(
        Code::kAttr, -1,
        fmt::format("pad mode \"{}\" must be constant, reflect, replicate or circular", mode));
  }
  if (out.dtype == DType::kTrit && value != -1 && value != 0 && value != 1) {
    return Err(Code::kAttr, -1,
               fmt::format("pad value {} of a trit tensor must be -1, 0 or 1", value));
  }
  if (pads.size() % 2 != 0 || pads.size() / 2 > out.rank()) {
    return Err(Code::kAttr, -1,
               fmt::format("pad pads {} must be (before, after) pairs for at most the {} "
                           "dimensions of {}",
                           IntList(pads), out.rank(), Lang(in[0])));
  }
  for (size_t p = 0; p < pads.size() / 2; ++p) {
    Dim& d = out.dims[out.rank() - 1 - p];
    const int64_t before = pads[2 * p], after = pads[2 * p + 1];
    if (before == 0 && after == 0) continue;
    if (!d.is_static()) {
      d = Dim::Unknown();
      continue;
    }
    const __int128 size = __int128{d.size} + before + after;
    if (size < 0 || size > INT64_MAX) {
      return Err(Code::kShape, 0,
                 fmt::format("pad {} of {} gives dimension {} a size out of range", IntList(pads),
                             Lang(in[0]), out.rank() - 1 - p));
    }
    d = Dim::Static(static_cast<int64_t>(size));
  }
  return out;
}

// ---------------------------------------------------------------- reductions

TypeOrError InferReduce(OpKind k, const Operands& in, const Attrs& a) {
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  const TensorType& x = in[0];
  std::vector<int64_t> axes;
  bool keepdim = false;
  TRITON_SHAPE_TRY(ReadInts(k, a, "axes", 0, {}, &axes));
  TRITON_SHAPE_TRY(ReadBool(k, a, "keepdim", false, &keepdim));
  std::vector<bool> reduce(x.rank(), axes.empty());
  for (int64_t axis : axes) {
    int64_t norm = 0;
    TRITON_SHAPE_TRY(NormAxis(k, "axis", axis, x.rank(), &norm));
    if (reduce[static_cast<size_t>(norm)]) {
      return Err(
          Code::kAttr, -1,
          fmt::format("{} axes {} name dimension {} twice", OpMnemonic(k), IntList(axes), norm));
    }
    reduce[static_cast<size_t>(norm)] = true;
  }
  TensorType out{x.dtype, {}};
  for (size_t i = 0; i < x.rank(); ++i) {
    if (!reduce[i]) {
      out.dims.push_back(x.dims[i]);
    } else if (keepdim) {
      out.dims.push_back(Dim::Static(1));
    }
  }
  if (IsInteger(x.dtype)) {
    if (k == OpKind::kMean) out.dtype = DType::kFloat32;
    if (k == OpKind::kSum) out.dtype = DType::kInt64;  // as torch.sum of integers
  }
  return out;
}

// ---------------------------------------------------------------- quantization and conversion

TypeOrError InferTernaryQuantize(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kTernaryQuantize;
  TRITON_SHAPE_TRY(RequireFloat(k, in, 0, "input"));
  std::string method;
  double threshold = 0.7;
  bool per_channel = true;
  TRITON_SHAPE_TRY(ReadString(k, a, "method", "twn", &method));
  TRITON_SHAPE_TRY(ReadFloat(k, a, "threshold", 0.7, &threshold));
  TRITON_SHAPE_TRY(ReadBool(k, a, "per_channel", true, &per_channel));
  if (std::find(std::begin(kQuantMethods), std::end(kQuantMethods), method) ==
      std::end(kQuantMethods)) {
    return Err(Code::kAttr, -1,
               fmt::format("ternary_quantize method \"{}\" is not one of twn, threshold, "
                           "stochastic, learned, absmean",
                           method));
  }
  if (!(threshold >= 0)) {
    return Err(Code::kAttr, -1,
               fmt::format("ternary_quantize threshold must be non-negative, got {}", threshold));
  }
  return TensorType{DType::kTrit, in[0].dims};
}

TypeOrError InferSteQuantize(const Operands& in, const Attrs&) { return in[0]; }

// scale: a scalar, a single value, or one value per slice along `axis` (default 0, the output
// channel of a weight).
TypeOrError InferDequantize(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kDequantize;
  TRITON_SHAPE_TRY(RequireNumeric(k, in, 0, "input"));
  const TensorType& x = in[0];
  if (in.size() == 2) {
    TRITON_SHAPE_TRY(RequireFloat(k, in, 1, "scale"));
    const TensorType& s = in[1];
    int64_t axis = 0;
    TRITON_SHAPE_TRY(ReadInt(k, a, "axis", 0, &axis));
    if (s.rank() == 1 && !(s.dims[0].is_static() && s.dims[0].size == 1)) {
      TRITON_SHAPE_TRY(NormAxis(k, "axis", axis, x.rank(), &axis));
      if (!DimsCompatible(s.dims[0], x.dims[static_cast<size_t>(axis)])) {
        return Err(Code::kShape, 1,
                   fmt::format("dequantize scale {} must hold 1 value or one per slice of {} "
                               "along axis {}",
                               Lang(s), Lang(x), axis));
      }
    } else if (s.rank() > 1) {
      return Err(Code::kRank, 1,
                 fmt::format("dequantize scale must be a scalar or a vector, got {}", Lang(s)));
    }
  }
  return TensorType{DType::kFloat32, x.dims};
}

TypeOrError InferQuantizeInt8(const Operands& in, const Attrs&) {
  TRITON_SHAPE_TRY(RequireFloat(OpKind::kQuantizeInt8, in, 0, "input"));
  return TensorType{DType::kInt8, in[0].dims};
}

// A float or integer tensor never becomes ternary by a cast: that takes ternary_quantize.
TypeOrError InferCast(const Operands& in, const Attrs& a) {
  const OpKind k = OpKind::kCast;
  std::string name;
  TRITON_SHAPE_TRY(ReadString(k, a, "dtype", "", &name, /*required=*/true));
  const std::optional<DType> dtype = ParseDType(name);
  if (!dtype) {
    return Err(Code::kAttr, -1, fmt::format("cast dtype \"{}\" is not an element type", name));
  }
  if (*dtype == DType::kTrit && in[0].dtype != DType::kTrit) {
    return Err(Code::kType, 0,
               fmt::format("cannot cast {} to trit: use ternary_quantize", Lang(in[0])));
  }
  return TensorType{*dtype, in[0].dims};
}

}  // namespace triton::ir::shape_internal
