// The .npy format, as specified by numpy/lib/format.py: the magic "\x93NUMPY", a major and minor
// version byte, the header length (uint16 in 1.0, uint32 in 2.0 and 3.0; little-endian), then
// the header: a Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), }
// padded with spaces and a newline so that the data starts at a multiple of 64 bytes. Version
// 3.0 only allows UTF-8 in the header (irrelevant to the keys used here).
#include "triton/runtime/npy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "triton/base/file.h"

namespace triton::runtime {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr int64_t kMaxElements = int64_t{1} << 40;  // far beyond any real input; keeps sizes sane

// A cursor over the header text; every read is bounds-checked.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view s) : s_(s) {}
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Peek(char c) {
    SkipSpace();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool AtEnd() {
    SkipSpace();
    return i_ >= s_.size();
  }
  // A Python string literal in single or double quotes (no escapes are needed by the format).
  std::optional<std::string> String() {
    SkipSpace();
    if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '"')) return std::nullopt;
    const char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\') return std::nullopt;
      out += s_[i_++];
    }
    if (i_ >= s_.size()) return std::nullopt;
    ++i_;
    return out;
  }
  // A word: True, False, or anything up to a delimiter (for messages).
  std::string Word() {
    SkipSpace();
    size_t start = i_;
    while (i_ < s_.size() && std::strchr(",:}) \n", s_[i_]) == nullptr) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  // A non-negative decimal integer (an `L` suffix, as Python 2 wrote, is accepted).
  std::optional<int64_t> Int() {
    SkipSpace();
    size_t start = i_;
    int64_t v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[i_] - '0', &v))
        return std::nullopt;
      ++i_;
    }
    if (i_ == start) return std::nullopt;
    if (i_ < s_.size() && s_[i_] == 'L') ++i_;
    return v;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

Result<Header> ParseHeader(std::string_view text, const std::string& file) {
  const auto bad = [&](const std::string& what) {
    return Status::Error(fmt::format("{}: malformed .npy header: {}", file, what));
  };
  HeaderParser p(text);
  Header h;
  bool has_descr = false, has_order = false, has_shape = false;
  if (!p.Eat('{')) return bad("it does not start with '{'");
  while (!p.Eat('}')) {
    std::optional<std::string> key = p.String();
    if (!key) return bad("expected a quoted key");
    if (!p.Eat(':')) return bad(fmt::format("expected ':' after '{}'", *key));
    if (*key == "descr") {
      if (p.Peek('[')) return bad("structured dtypes are not supported");
      std::optional<std::string> d = p.String();
      if (!d) return bad("'descr' must be a string such as '<f4'");
      h.descr = *d;
      has_descr = true;
    } else if (*key == "fortran_order") {
      std::string w = p.Word();
      if (w != "True" && w != "False") return bad("'fortran_order' must be True or False");
      h.fortran_order = w == "True";
      has_order = true;
    } else if (*key == "shape") {
      if (!p.Eat('(')) return bad("'shape' must be a tuple such as (1, 784)");
      while (!p.Eat(')')) {
        std::optional<int64_t> d = p.Int();
        if (!d) return bad("'shape' must hold non-negative integers");
        if (h.shape.size() >= 32) return bad("'shape' has more than 32 dimensions");
        h.shape.push_back(*d);
        if (!p.Eat(',') && !p.Peek(')')) return bad("expected ',' or ')' in 'shape'");
      }
      has_shape = true;
    } else {
      return bad(fmt::format("unexpected key '{}'", *key));
    }
    if (!p.Eat(',') && !p.Peek('}')) return bad("expected ',' or '}'");
  }
  if (!p.AtEnd()) return bad("text after the closing '}'");
  if (!has_descr || !has_order || !has_shape) {
    return bad("it must have the keys 'descr', 'fortran_order' and 'shape'");
  }
  return h;
}

enum class Elem { kF4, kF8, kI1, kU1, kI4, kI8 };
struct ElemInfo {
  const char* code;
  Elem elem;
  size_t size;
};
constexpr ElemInfo kElems[] = {{"f4", Elem::kF4, 4}, {"f8", Elem::kF8, 8}, {"i1", Elem::kI1, 1},
                               {"u1", Elem::kU1, 1}, {"i4", Elem::kI4, 4}, {"i8", Elem::kI8, 8}};

Result<ElemInfo> ParseDescr(const std::string& descr, const std::string& file) {
  std::string_view code = descr;
  char order = '=';
  if (!code.empty() && std::strchr("<>|=", code[0]) != nullptr) {
    order = code[0];
    code.remove_prefix(1);
  }
  for (const ElemInfo& e : kElems) {
    if (code != e.code) continue;
    if (order == '>' && e.size > 1) {
      return Status::Error(fmt::format(
          "{}: dtype '{}' is big-endian; only little-endian is supported", file, descr));
    }
    return e;
  }
  return Status::Error(fmt::format(
      "{}: dtype '{}' is not supported; use float32, float64, int8, uint8, int32 or int64 "
      "('<f4', '<f8', '|i1', '|u1', '<i4', '<i8')",
      file, descr));
}

uint64_t LoadLE(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

float Convert(const unsigned char* p, Elem e) {
  switch (e) {
    case Elem::kF4: {
      const auto bits = static_cast<uint32_t>(LoadLE(p, 4));
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    case Elem::kF8: {
      const uint64_t bits = LoadLE(p, 8);
      double d;
      std::memcpy(&d, &bits, 8);
      return static_cast<float>(d);
    }
    case Elem::kI1:
      return static_cast<float>(static_cast<int8_t>(p[0]));
    case Elem::kU1:
      return static_cast<float>(p[0]);
    case Elem::kI4:
      return static_cast<float>(static_cast<int32_t>(static_cast<uint32_t>(LoadLE(p, 4))));
    case Elem::kI8:
      return static_cast<float>(static_cast<int64_t>(LoadLE(p, 8)));
  }
  return 0;
}

std::string ShapeTuple(const std::vector<int64_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return "(" + fmt::format("{}", fmt::join(shape, ", ")) + ")";
}

}  // namespace

Result<ir::HostTensor> ParseNpy(std::string_view bytes, const std::string& file,
                                std::string* descr) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Error(fmt::format("{}: not a .npy file (no \\x93NUMPY magic)", file));
  }
  if (bytes.size() < 10) {
    return Status::Error(fmt::format("{}: truncated .npy header ({} bytes)", file, bytes.size()));
  }
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const int major = u[6], minor = u[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    return Status::Error(
        fmt::format("{}: .npy format version {}.{} is not supported (1.0, 2.0 and 3.0 are)", file,
                    major, minor));
  }
  const size_t len_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + len_bytes) {
    return Status::Error(fmt::format("{}: truncated .npy header ({} bytes)", file, bytes.size()));
  }
  const uint64_t header_len = LoadLE(u + 8, len_bytes);
  const uint64_t data_offset = 8 + len_bytes + header_len;
  if (data_offset > bytes.size()) {
    return Status::Error(fmt::format("{}: the .npy header claims {} bytes, but the file has {}",
                                     file, header_len, bytes.size() - 8 - len_bytes));
  }
  Result<Header> h = ParseHeader(bytes.substr(8 + len_bytes, header_len), file);
  if (!h.ok()) return h.status();
  Result<ElemInfo> e = ParseDescr(h.value().descr, file);
  if (!e.ok()) return e.status();
  const std::vector<int64_t>& shape = h.value().shape;
  int64_t n = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxElements) {
      return Status::Error(
          fmt::format("{}: shape {} has too many elements", file, ShapeTuple(shape)));
    }
  }
  if (h.value().fortran_order) {
    return Status::Error(fmt::format(
        "{}: the array is in Fortran order (fortran_order=True); save a C-ordered array "
        "(numpy.ascontiguousarray)",
        file));
  }
  const uint64_t want = static_cast<uint64_t>(n) * e.value().size;
  const uint64_t have = bytes.size() - data_offset;
  if (have != want) {
    return Status::Error(fmt::format("{}: shape {} of '{}' needs {} data bytes, the file has {}",
                                     file, ShapeTuple(shape), h.value().descr, want, have));
  }
  if (descr) *descr = h.value().descr;
  ir::HostTensor t;
  t.dtype = ir::DType::kFloat32;
  t.shape = shape;
  t.data.resize(static_cast<size_t>(n));
  const unsigned char* data = u + data_offset;
  for (size_t i = 0; i < t.data.size(); ++i) {
    t.data[i] = Convert(data + i * e.value().size, e.value().elem);
  }
  return t;
}

Result<ir::HostTensor> ReadNpy(const std::string& path, std::string* descr) {
  Result<std::string> bytes = base::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return ParseNpy(bytes.value(), path, descr);
}

std::string SerializeNpy(const ir::HostTensor& t) {
  std::string dict =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': {}, }}", ShapeTuple(t.shape));
  // Pad with spaces, then a newline, so that the data starts at a multiple of 64.
  const bool v1 = dict.size() + 1 + 10 <= 65535;
  const size_t prefix = v1 ? 10 : 12;
  const size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out(kMagic);
  out += static_cast<char>(v1 ? 1 : 2);
  out += '\0';
  const uint64_t len = dict.size();
  for (size_t i = 0; i < (v1 ? 2u : 4u); ++i) out += static_cast<char>((len >> (8 * i)) & 0xff);
  out += dict;
  const std::vector<float> values = ir::Dequantized(t);  // trit: code x scale
  out.reserve(out.size() + 4 * values.size());
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  return out;
}

Status WriteNpy(const std::string& path, const ir::HostTensor& t) {
  const std::string bytes = SerializeNpy(t);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool ok = written == bytes.size() && std::fclose(f) == 0;
  if (!ok) {
    if (written != bytes.size()) std::fclose(f);
    return Status::Error(fmt::format("{}: write error: {}", path, std::strerror(errno)));
  }
  return Status();
}

}  // namespace triton::runtime
