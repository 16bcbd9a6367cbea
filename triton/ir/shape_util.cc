#include "triton/ir/shape_util.h"

#include <limits>

namespace triton::ir {
namespace {

using Wide = __int128;  // all size formulas run in 128 bits: attributes and dims may be huge

Wide FloorDiv(Wide a, Wide b) {
  Wide q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::optional<int64_t> Narrow(Wide v) {
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

}  // namespace

bool DimsCompatible(const Dim& a, const Dim& b) {
  return !a.is_static() || !b.is_static() || a.size == b.size;
}

Dim UnifyDims(const Dim& a, const Dim& b) {
  if (a.is_static()) return a;
  if (b.is_static()) return b;
  if (a.is_symbolic()) return a;
  return b;
}

std::optional<std::vector<Dim>> BroadcastDims(const std::vector<Dim>& a, const std::vector<Dim>& b,
                                              std::pair<int64_t, int64_t>* conflict) {
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  std::vector<Dim> out(n);
  for (size_t i = 0; i < n; ++i) {
    // Right-aligned: missing leading dims act as static 1.
    const Dim da = i + a.size() >= n ? a[i + a.size() - n] : Dim::Static(1);
    const Dim db = i + b.size() >= n ? b[i + b.size() - n] : Dim::Static(1);
    Dim& o = out[i];
    if (da == db) {
      o = da;
    } else if (da.is_static() && da.size == 1) {
      o = db;
    } else if (db.is_static() && db.size == 1) {
      o = da;
    } else if (da.is_static() && db.is_static()) {
      if (conflict != nullptr) *conflict = {da.size, db.size};
      return std::nullopt;
    } else if (da.is_static()) {
      o = da;
    } else if (db.is_static()) {
      o = db;
    } else {
      o = Dim::Unknown();  // N vs M, or N vs ?: either may be 1
    }
  }
  return out;
}

std::optional<int64_t> ConvOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                                      int64_t dilation) {
  if (stride <= 0) return std::nullopt;
  const Wide num = Wide{in} + 2 * Wide{pad} - Wide{dilation} * (Wide{kernel} - 1) - 1;
  return Narrow(FloorDiv(num, stride) + 1);
}

std::optional<int64_t> PoolOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                                      int64_t dilation, bool ceil_mode) {
  if (stride <= 0) return std::nullopt;
  const Wide num = Wide{in} + 2 * Wide{pad} - Wide{dilation} * (Wide{kernel} - 1) - 1 +
                   (ceil_mode ? Wide{stride} - 1 : 0);
  Wide out = FloorDiv(num, stride) + 1;
  // The last window must start inside the input or the left padding (PyTorch's rule).
  if (ceil_mode && (out - 1) * stride >= Wide{in} + pad) --out;
  return Narrow(out);
}

}  // namespace triton::ir
