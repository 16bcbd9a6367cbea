#include "triton/format/package_rules.h"

#include "triton/format/package_layout.h"
#include "triton/format/packing.h"

namespace triton::format::internal {

bool IsUtf8(std::string_view s) {
  // Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

std::string NameProblem(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > layout::kMaxNameBytes) {
    return "is " + std::to_string(s.size()) + " bytes long (the limit is " +
           std::to_string(layout::kMaxNameBytes) + ")";
  }
  if (!IsUtf8(s)) return "is not valid UTF-8";
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return "contains a control character";
  }
  return "";
}

std::string TextProblem(std::string_view s) {
  if (!IsUtf8(s)) return "is not valid UTF-8";
  if (s.find('\0') != std::string_view::npos) return "contains a NUL byte";
  return "";
}

std::string ComputeGeometry(std::span<const int64_t> dims, Encoding e, Geometry* g) {
  constexpr uint64_t kLimit = uint64_t{1} << 62;
  if (dims.size() > layout::kMaxRank) {
    return "has rank " + std::to_string(dims.size()) + " (the limit is " +
           std::to_string(layout::kMaxRank) + ")";
  }
  bool any_zero = false;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0) {
      return "has dimension " + std::to_string(i) + " = " + std::to_string(dims[i]) +
             " (dims must be >= 0)";
    }
    any_zero |= dims[i] == 0;
  }
  // Products are computed over the non-zero dims so that [0, 2^62, 2^62] (empty) is accepted only
  // if each partial product is still representable; everything is capped at 2^62.
  auto product = [&](size_t from, uint64_t* out) {
    uint64_t p = 1;
    for (size_t i = from; i < dims.size(); ++i) {
      if (dims[i] == 0) continue;
      if (__builtin_mul_overflow(p, static_cast<uint64_t>(dims[i]), &p) || p > kLimit) {
        return false;
      }
    }
    *out = p;
    return true;
  };
  uint64_t nonzero = 0;
  if (!product(0, &nonzero)) {
    return "has shape " + ShapeString(dims) + " with more than 2^62 elements";
  }
  g->elements = any_zero ? 0 : nonzero;
  switch (e) {
    case Encoding::kF32:
      g->rows = 1;
      g->cols = g->elements;
      if (g->elements > kLimit / 4) return "needs more than 2^62 bytes";
      g->payload_bytes = g->elements * 4;
      break;
    case Encoding::kTernary2Bit:
    case Encoding::kTernaryBase3: {
      if (dims.size() >= 2) {
        g->rows = static_cast<uint64_t>(dims[0]);
        uint64_t cols = 0;
        product(1, &cols);  // cannot fail: a sub-product of the checked one
        bool cols_zero = false;
        for (size_t i = 1; i < dims.size(); ++i) cols_zero |= dims[i] == 0;
        g->cols = cols_zero ? 0 : cols;
      } else {
        g->rows = 1;
        g->cols = g->elements;
      }
      const bool base3 = e == Encoding::kTernaryBase3;
      const uint64_t per_row = base3 ? PackedBase3Bytes(g->cols) : Packed2BitBytes(g->cols);
      uint64_t bytes = 0;
      if (__builtin_mul_overflow(g->rows, per_row, &bytes) || bytes > kLimit) {
        return "needs more than 2^62 bytes";
      }
      g->payload_bytes = bytes;
      break;
    }
  }
  return "";
}

bool ScaleCountValid(std::span<const int64_t> dims, uint64_t count) {
  if (count == 1) return true;
  return !dims.empty() && count == static_cast<uint64_t>(dims[0]);
}

std::string ShapeString(std::span<const int64_t> dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

std::string Quoted(std::string_view name) {
  constexpr size_t kShow = 80;
  size_t cut = name.size();
  if (cut > kShow) {
    cut = kShow;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  }
  std::string s(1, '\'');
  s.append(name.substr(0, cut));
  if (cut < name.size()) s.append("...");
  s.push_back('\'');
  return s;
}

bool IsReservedKey(std::string_view key) {
  return key == kKeyModelName || key == kKeySourceHash || key == kKeyCompilerVersion ||
         key == kKeyQuantization || key == kKeyAccuracy;
}

}  // namespace triton::format::internal
