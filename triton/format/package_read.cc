// The .tnn reader: ParsePackage, ReadPackage (docs/format.md §10 lists every check in order).
//
// Safety contract: every offset, size and count is checked against the bytes that could hold it
// before it is used, so no read leaves `bytes` and nothing is allocated from a claimed size:
// allocations are proportional to the file (metadata strings and names are copies of file
// bytes, the tensor list is bounded by directory size / 41, unpacked data by the payload bytes
// that were checked to exist: at most 5 trits per byte).
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <string_view>

#include "triton/base/file.h"
#include "triton/format/bytes.h"
#include "triton/format/package.h"
#include "triton/format/package_layout.h"
#include "triton/format/package_rules.h"
#include "triton/format/packing.h"

namespace triton::format {
namespace {

static_assert(sizeof(size_t) == 8, "the reader assumes 64-bit sizes");

using internal::ByteReader;
using internal::GetU16;
using internal::GetU32;
using internal::GetU64;
using internal::Quoted;
namespace L = layout;

std::string Num(uint64_t v) { return std::to_string(v); }

std::string Hex(uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*" PRIx64, digits, v);
  return buf;
}

// "[offset 4096, 256 bytes]"
std::string Span(uint64_t off, uint64_t size) {
  return "[offset " + Num(off) + ", " + Num(size) + " bytes]";
}

// Bytes shown in a message: printable ASCII as is, the rest as \xNN.
std::string Printable(std::span<const uint8_t> b) {
  std::string s;
  for (uint8_t c : b) {
    if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
      s += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    }
  }
  return s;
}

std::string PlainDouble(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A byte range of the file and what it holds, for the overlap checks.
struct Range {
  uint64_t off = 0, size = 0;
  std::string what;
  uint64_t end() const { return off + size; }  // callers checked off + size <= file size
};

// Where one tensor's bytes are, as read from its directory entry.
struct Placement {
  internal::Geometry g;
  uint64_t data_offset = 0, data_bytes = 0;
  uint64_t scale_offset = 0, scale_count = 0;
};

class Parser {
 public:
  Parser(std::span<const uint8_t> bytes, const std::string& file) : b_(bytes), file_(file) {}

  Result<Package> Run() {
    Package p;
    Status s = CheckHeader();
    if (s.ok()) s = CheckSections();
    if (s.ok()) s = ReadMetadata(&p.meta);
    if (s.ok()) s = ReadIr(&p.ir_text);
    if (s.ok()) s = ReadDirectory(&p);
    if (s.ok()) s = CheckTensorOverlaps(p);
    if (s.ok()) s = Decode(&p);
    if (!s.ok()) return s;
    return p;
  }

 private:
  Status Fail(const std::string& msg) const { return Status::Error(file_ + ": " + msg); }

  Status CheckHeader();
  Status CheckSections();
  Status ReadMetadata(Metadata* m);
  Status ReadIr(std::string* ir);
  Status ReadDirectory(Package* p);
  Status ReadEntry(ByteReader* r, size_t index, Package* p);
  Status CheckPlacement(const TensorRecord& t, const Placement& pl);
  Status CheckTensorOverlaps(const Package& p);
  Status Decode(Package* p);

  std::span<const uint8_t> Section(const Range& r) const { return b_.subspan(r.off, r.size); }
  bool InData(uint64_t off, uint64_t size) const {
    return off >= data_.off && off <= data_.end() && size <= data_.end() - off;
  }

  std::span<const uint8_t> b_;
  const std::string& file_;
  uint16_t minor_ = 0;
  uint32_t meta_count_ = 0, tensor_count_ = 0;
  uint64_t body_end_ = 0;  // file size - trailer: where sections must end
  Range meta_, ir_, dir_, data_;
  std::vector<Placement> place_;
};

Status Parser::CheckHeader() {
  const size_t n = b_.size();
  const std::string too_small = "file is " + Num(n) +
                                " bytes, too small to be a .tnn package (at least " +
                                Num(L::kMinFileSize) + ")";
  if (n < sizeof L::kMagic) return Fail(too_small);
  if (std::memcmp(b_.data(), L::kMagic, sizeof L::kMagic) != 0) {
    return Fail("not a .tnn package: magic is '" + Printable(b_.first(8)) +
                "', expected 'TRITONNN'");
  }
  if (n < L::kOffFlags) return Fail(too_small);
  const uint16_t major = GetU16(&b_[L::kOffMajor]);
  minor_ = GetU16(&b_[L::kOffMinor]);
  const std::string version = Num(major) + "." + Num(minor_);
  const std::string ours = Num(L::kMajor) + "." + Num(L::kMinor);
  if (major > L::kMajor) {
    return Fail("package format version " + version + " is newer than this reader (" + ours +
                "); upgrade triton");
  }
  if (major < L::kMajor) {
    return Fail("package format version " + version + " is not supported (this reader reads " +
                Num(L::kMajor) + ".x)");
  }
  if (n < L::kMinFileSize) return Fail(too_small);
  const uint32_t flags = GetU32(&b_[L::kOffFlags]);
  if (flags != 0) {
    return Fail("header flags " + Hex(flags, 8) + " has bits this reader does not know");
  }
  const uint64_t declared = GetU64(&b_[L::kOffFileSize]);
  if (declared > n) {
    return Fail("file is truncated: header says " + Num(declared) + " bytes, file has " + Num(n));
  }
  if (declared < n) {
    return Fail("file has " + Num(n) + " bytes but the header says " + Num(declared) +
                " (bytes after the end of the package)");
  }
  if (minor_ == L::kMinor) {  // later minors may define these bytes; 1.0 files keep them zero
    for (size_t i = L::kOffReserved; i < L::kOffReserved + L::kReservedSize; ++i) {
      if (b_[i] != 0) {
        return Fail("header byte " + Num(i) + " is " + Hex(b_[i], 2) +
                    "; bytes 96..127 are reserved and must be 0");
      }
    }
  }
  body_end_ = n - L::kTrailerSize;
  const uint64_t stored = GetU64(&b_[body_end_]);
  const uint64_t actual = L::Checksum(b_.first(body_end_));
  if (stored != actual) {
    return Fail("checksum mismatch: the trailer says " + Hex(stored, 16) +
                ", the contents hash to " + Hex(actual, 16) + " (XXH3-64); the file is corrupt");
  }
  meta_count_ = GetU32(&b_[L::kOffMetaCount]);
  tensor_count_ = GetU32(&b_[L::kOffTensorCount]);
  return Status();
}

Status Parser::CheckSections() {
  auto read = [&](size_t at, const char* what) {
    return Range{GetU64(&b_[at]), GetU64(&b_[at + 8]), what};
  };
  meta_ = read(L::kOffMetaOffset, "metadata section");
  ir_ = read(L::kOffIrOffset, "IR text section");
  dir_ = read(L::kOffDirOffset, "tensor directory");
  data_ = read(L::kOffDataOffset, "data region");
  std::vector<Range> present;
  for (const Range* r : {&meta_, &ir_, &dir_, &data_}) {
    if (r->size == 0) {
      if (r->off != 0) {
        return Fail(r->what + " is empty but has offset " + Num(r->off) +
                    " (empty sections have offset 0)");
      }
      continue;
    }
    if (r == &data_ && r->off % L::kDataAlign != 0) {
      return Fail("data region offset " + Num(r->off) + " is not a multiple of " +
                  Num(L::kDataAlign));
    }
    if (r->off < L::kHeaderSize) {
      return Fail(r->what + " " + Span(r->off, r->size) + " starts inside the " +
                  Num(L::kHeaderSize) + "-byte header");
    }
    if (r->off > body_end_ || r->size > body_end_ - r->off) {
      return Fail(r->what + " " + Span(r->off, r->size) +
                  " extends past the end of the contents (" + Num(body_end_) +
                  " bytes before the checksum)");
    }
    present.push_back(*r);
  }
  std::sort(present.begin(), present.end(),
            [](const Range& a, const Range& b) { return a.off < b.off; });
  for (size_t i = 1; i < present.size(); ++i) {
    const Range& a = present[i - 1];
    const Range& c = present[i];
    if (a.end() > c.off) {
      return Fail(c.what + " " + Span(c.off, c.size) + " overlaps the " + a.what + " " +
                  Span(a.off, a.size));
    }
  }
  // Counts against the bytes that could hold them, before anything is allocated for them.
  if (meta_count_ * L::kMinMetaEntry > meta_.size) {
    return Fail("header claims " + Num(meta_count_) + " metadata entries; the " + Num(meta_.size) +
                "-byte metadata section holds at most " + Num(meta_.size / L::kMinMetaEntry));
  }
  if (tensor_count_ * L::kMinDirEntry > dir_.size) {
    return Fail("header claims " + Num(tensor_count_) + " tensors; the " + Num(dir_.size) +
                "-byte tensor directory holds at most " + Num(dir_.size / L::kMinDirEntry));
  }
  return Status();
}

Status Parser::ReadMetadata(Metadata* m) {
  ByteReader r(Section(meta_));
  std::set<std::string_view> seen;
  for (uint32_t i = 0; i < meta_count_; ++i) {
    const std::string entry = "metadata entry #" + Num(i);
    auto truncated = [&](const std::string& what, uint64_t need) {
      return Fail(entry + " is truncated: its " + what + " needs " + Num(need) + " bytes, " +
                  Num(r.left()) + " are left in the metadata section");
    };
    if (r.left() < 5) return truncated("type and key length", 5);
    const uint8_t type = r.U8();
    const uint32_t key_len = r.U32();
    if (key_len > r.left()) return truncated("key", key_len);
    const std::string_view key = r.Str(key_len);
    const std::string bad_key = internal::NameProblem(key);
    if (!bad_key.empty()) return Fail(entry + " key " + bad_key);
    const std::string who = "metadata " + Quoted(key);
    if (!seen.insert(key).second) return Fail(who + " appears twice");

    std::string text;  // the value as extra-text
    double f64 = NAN;
    switch (type) {
      case L::kMetaString: {
        if (r.left() < 4) return truncated("value length", 4);
        const uint32_t len = r.U32();
        if (len > r.left()) return truncated("value", len);
        text = std::string(r.Str(len));
        const std::string bad = internal::TextProblem(text);
        if (!bad.empty()) return Fail(who + " value " + bad);
        break;
      }
      case L::kMetaF64:
        if (r.left() < 8) return truncated("value", 8);
        f64 = r.F64();
        text = PlainDouble(f64);
        break;
      case L::kMetaI64:
        if (r.left() < 8) return truncated("value", 8);
        text = std::to_string(r.I64());
        break;
      default:
        return Fail(who + " has unknown type " + Num(type) + " (1 string, 2 f64, 3 i64)");
    }
    const char* type_name = type == L::kMetaString ? "string" : type == L::kMetaF64 ? "f64" : "i64";
    if (key == internal::kKeyAccuracy) {
      if (type != L::kMetaF64) return Fail(who + " has type " + type_name + "; expected f64");
      if (!std::isfinite(f64)) return Fail(who + " is " + text + "; it must be finite");
      m->accuracy = f64;
      continue;
    }
    std::string* named = key == internal::kKeyModelName         ? &m->model_name
                         : key == internal::kKeySourceHash      ? &m->source_hash
                         : key == internal::kKeyCompilerVersion ? &m->compiler_version
                         : key == internal::kKeyQuantization    ? &m->quantization
                                                                : nullptr;
    if (named != nullptr) {
      if (type != L::kMetaString) return Fail(who + " has type " + type_name + "; expected string");
      *named = std::move(text);
    } else {
      m->extra.emplace(std::string(key), std::move(text));  // unknown keys: kept as text
    }
  }
  if (r.left() != 0) {
    return Fail("metadata section has " + Num(r.left()) + " bytes after its " + Num(meta_count_) +
                " entries");
  }
  return Status();
}

Status Parser::ReadIr(std::string* ir) {
  const auto s = Section(ir_);
  const std::string_view text(reinterpret_cast<const char*>(s.data()), s.size());
  const std::string bad = internal::TextProblem(text);
  if (!bad.empty()) return Fail("IR text " + bad);
  *ir = std::string(text);
  return Status();
}

Status Parser::ReadDirectory(Package* p) {
  ByteReader r(Section(dir_));
  p->tensors.reserve(tensor_count_);  // bounded: tensor_count * 41 <= directory size
  place_.reserve(tensor_count_);
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < tensor_count_; ++i) {
    Status s = ReadEntry(&r, i, p);
    if (!s.ok()) return s;
    if (!names.insert(p->tensors.back().name).second) {
      return Fail("tensor " + Quoted(p->tensors.back().name) + " appears twice in the directory");
    }
  }
  if (r.left() != 0) {
    return Fail("tensor directory has " + Num(r.left()) + " bytes after its " + Num(tensor_count_) +
                " entries");
  }
  return Status();
}

Status Parser::ReadEntry(ByteReader* r, size_t index, Package* p) {
  auto truncated = [&](const std::string& what, uint64_t need) {
    return Fail("tensor #" + Num(index) + " directory entry is truncated: its " + what + " needs " +
                Num(need) + " bytes, " + Num(r->left()) + " are left in the tensor directory");
  };
  if (r->left() < 4) return truncated("name length", 4);
  const uint32_t name_len = r->U32();
  if (name_len > r->left()) return truncated("name", name_len);
  const std::string_view name = r->Str(name_len);
  const std::string bad_name = internal::NameProblem(name);
  if (!bad_name.empty()) return Fail("tensor #" + Num(index) + " name " + bad_name);
  const std::string who = "tensor " + Quoted(name);
  if (r->left() < 4) return truncated("encoding, flags and rank", 4);
  const uint8_t enc = r->U8(), flags = r->U8(), rank = r->U8(), reserved = r->U8();
  if (enc > static_cast<uint8_t>(Encoding::kTernaryBase3)) {
    return Fail(who + " has unknown encoding " + Num(enc) +
                " (0 f32, 1 ternary-2bit, 2 ternary-base3)");
  }
  if ((flags & ~L::kFlagTrainable) != 0) {
    return Fail(who + " has unknown flag bits " + Hex(flags & ~L::kFlagTrainable, 2));
  }
  if (reserved != 0) return Fail(who + " reserved byte is " + Num(reserved) + ", must be 0");
  if (rank > L::kMaxRank) {
    return Fail(who + " has rank " + Num(rank) + " (the limit is " + Num(L::kMaxRank) + ")");
  }
  if (r->left() < 8ull * rank + 32) return truncated("dims and offsets", 8ull * rank + 32);

  TensorRecord t;
  t.name = std::string(name);
  t.encoding = static_cast<Encoding>(enc);
  t.trainable = (flags & L::kFlagTrainable) != 0;
  for (uint8_t d = 0; d < rank; ++d) t.shape.push_back(r->I64());
  Placement pl;
  pl.data_offset = r->U64();
  pl.data_bytes = r->U64();
  pl.scale_offset = r->U64();
  pl.scale_count = r->U64();
  const std::string bad_shape = internal::ComputeGeometry(t.shape, t.encoding, &pl.g);
  if (!bad_shape.empty()) return Fail(who + " " + bad_shape);
  Status s = CheckPlacement(t, pl);
  if (!s.ok()) return s;
  p->tensors.push_back(std::move(t));
  place_.push_back(pl);
  return Status();
}

Status Parser::CheckPlacement(const TensorRecord& t, const Placement& pl) {
  const std::string who = "tensor " + Quoted(t.name);
  if (pl.data_bytes != pl.g.payload_bytes) {
    return Fail(who + " needs " + Num(pl.g.payload_bytes) + " bytes, file has " +
                Num(pl.data_bytes));
  }
  if (pl.data_bytes == 0) {
    if (pl.data_offset != 0) {
      return Fail(who + " has no data bytes but data offset " + Num(pl.data_offset) +
                  " (must be 0)");
    }
  } else {
    if (pl.data_offset % L::kDataAlign != 0) {
      return Fail(who + " data offset " + Num(pl.data_offset) + " is not a multiple of " +
                  Num(L::kDataAlign));
    }
    if (!InData(pl.data_offset, pl.data_bytes)) {
      return Fail(who + " data " + Span(pl.data_offset, pl.data_bytes) +
                  " lies outside the data region " + Span(data_.off, data_.size));
    }
  }
  if (!t.ternary()) {
    if (pl.scale_count != 0 || pl.scale_offset != 0) {
      return Fail(who + " is f32 but its scale count is " + Num(pl.scale_count) +
                  " and scale offset " + Num(pl.scale_offset) + " (both must be 0)");
    }
    return Status();
  }
  if (!internal::ScaleCountValid(t.shape, pl.scale_count)) {
    return Fail(who + " has " + Num(pl.scale_count) + " scales; expected 1" +
                (t.shape.empty() ? "" : " or " + Num(t.shape[0]) + " (dim 0)"));
  }
  if (pl.scale_count == 0) {
    if (pl.scale_offset != 0) {
      return Fail(who + " has no scales but scale offset " + Num(pl.scale_offset) + " (must be 0)");
    }
    return Status();
  }
  if (pl.scale_offset % L::kScaleAlign != 0) {
    return Fail(who + " scale offset " + Num(pl.scale_offset) + " is not a multiple of " +
                Num(L::kScaleAlign));
  }
  // scale_count * 8 may overflow for a hostile count: compare the count with the region first.
  if (pl.scale_count > data_.size / 8 || !InData(pl.scale_offset, pl.scale_count * 8)) {
    return Fail(who + " has " + Num(pl.scale_count) + " scale pairs at offset " +
                Num(pl.scale_offset) + ", outside the data region " + Span(data_.off, data_.size));
  }
  return Status();
}

Status Parser::CheckTensorOverlaps(const Package& p) {
  std::vector<Range> ranges;
  for (size_t i = 0; i < place_.size(); ++i) {
    const Placement& pl = place_[i];
    const std::string who = "tensor " + Quoted(p.tensors[i].name);
    if (pl.data_bytes > 0) ranges.push_back({pl.data_offset, pl.data_bytes, who + " data"});
    if (pl.scale_count > 0) {
      ranges.push_back({pl.scale_offset, pl.scale_count * 8, who + " scales"});
    }
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.off < b.off; });
  size_t furthest = 0;  // the range seen so far that ends last
  for (size_t i = 1; i < ranges.size(); ++i) {
    const Range& a = ranges[furthest];
    const Range& c = ranges[i];
    if (a.end() > c.off) {
      return Fail(c.what + " " + Span(c.off, c.size) + " overlaps " + a.what + " " +
                  Span(a.off, a.size));
    }
    if (c.end() > a.end()) furthest = i;
  }
  return Status();
}

void ReadF32s(std::span<const uint8_t> in, std::vector<float>* out) {
  out->resize(in.size() / 4);
  if constexpr (std::endian::native == std::endian::little) {
    if (!in.empty()) std::memcpy(out->data(), in.data(), in.size());
  } else {
    for (size_t i = 0; i < out->size(); ++i) {
      (*out)[i] = std::bit_cast<float>(GetU32(in.data() + 4 * i));
    }
  }
}

Status Parser::Decode(Package* p) {
  for (size_t i = 0; i < p->tensors.size(); ++i) {
    TensorRecord& t = p->tensors[i];
    const Placement& pl = place_[i];
    const auto data = b_.subspan(pl.data_offset, pl.data_bytes);
    if (!t.ternary()) {
      ReadF32s(data, &t.f32);
      continue;
    }
    t.trits.resize(pl.g.elements);
    Status s =
        UnpackRows(data, pl.g.rows, pl.g.cols, t.encoding == Encoding::kTernaryBase3, t.trits);
    if (!s.ok()) {
      return Fail("tensor " + Quoted(t.name) + " data at offset " + Num(pl.data_offset) + ": " +
                  s.message());
    }
    const auto scales = b_.subspan(pl.scale_offset, pl.scale_count * 8);
    ReadF32s(scales.first(pl.scale_count * 4), &t.scale_pos);
    ReadF32s(scales.subspan(pl.scale_count * 4), &t.scale_neg);
    for (const auto* v : {&t.scale_pos, &t.scale_neg}) {
      for (size_t k = 0; k < v->size(); ++k) {
        if (!std::isfinite((*v)[k])) {
          return Fail("tensor " + Quoted(t.name) +
                      (v == &t.scale_pos ? " scale_pos[" : " scale_neg[") + Num(k) + "] is " +
                      PlainDouble((*v)[k]) + "; scales must be finite");
        }
      }
    }
  }
  return Status();
}

}  // namespace

Result<Package> ParsePackage(std::span<const uint8_t> bytes, const std::string& file) {
  return Parser(bytes, file).Run();
}

Result<Package> ReadPackage(const std::string& path) {
  Result<std::string> bytes = base::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const std::string& s = bytes.value();
  return ParsePackage(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()), path);
}

}  // namespace triton::format
