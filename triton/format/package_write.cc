// The .tnn writer: ValidatePackage, SerializePackage, WritePackage (docs/format.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "triton/format/bytes.h"
#include "triton/format/package.h"
#include "triton/format/package_layout.h"
#include "triton/format/package_rules.h"
#include "triton/format/packing.h"

namespace triton::format {
namespace {

using internal::ByteWriter;
using internal::Quoted;

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

Status CheckTensor(const TensorRecord& t, size_t index, std::set<std::string_view>* names) {
  const std::string bad_name = internal::NameProblem(t.name);
  if (!bad_name.empty()) {
    return Status::Error("tensor #" + std::to_string(index) + " name " + bad_name);
  }
  const std::string who = "tensor " + Quoted(t.name);
  if (!names->insert(t.name).second) return Status::Error(who + " appears twice");
  internal::Geometry g;
  const std::string bad_shape = internal::ComputeGeometry(t.shape, t.encoding, &g);
  if (!bad_shape.empty()) return Status::Error(who + " " + bad_shape);
  const std::string shape = internal::ShapeString(t.shape);
  if (!t.ternary()) {
    if (!t.trits.empty() || !t.scale_pos.empty() || !t.scale_neg.empty()) {
      return Status::Error(who + " is f32 but has trits or scales");
    }
    if (t.f32.size() != g.elements) {
      return Status::Error(who + " has " + std::to_string(t.f32.size()) + " f32 values; shape " +
                           shape + " has " + std::to_string(g.elements) + " elements");
    }
    return Status();
  }
  const std::string enc = EncodingName(t.encoding);
  if (!t.f32.empty()) return Status::Error(who + " is " + enc + " but has f32 values");
  if (t.trits.size() != g.elements) {
    return Status::Error(who + " has " + std::to_string(t.trits.size()) + " trits; shape " + shape +
                         " has " + std::to_string(g.elements) + " elements");
  }
  for (size_t i = 0; i < t.trits.size(); ++i) {
    if (t.trits[i] < -1 || t.trits[i] > 1) {
      return Status::Error(who + " trit " + std::to_string(i) + " is " +
                           std::to_string(t.trits[i]) + "; trits are -1, 0 or 1");
    }
  }
  if (t.scale_pos.size() != t.scale_neg.size()) {
    return Status::Error(who + " has " + std::to_string(t.scale_pos.size()) + " scale_pos and " +
                         std::to_string(t.scale_neg.size()) + " scale_neg values");
  }
  if (!internal::ScaleCountValid(t.shape, t.scale_pos.size())) {
    return Status::Error(who + " has " + std::to_string(t.scale_pos.size()) +
                         " scales; expected 1" +
                         (t.shape.empty() ? "" : " or " + std::to_string(t.shape[0]) + " (dim 0)"));
  }
  for (const auto* v : {&t.scale_pos, &t.scale_neg}) {
    for (size_t i = 0; i < v->size(); ++i) {
      if (!std::isfinite((*v)[i])) {
        return Status::Error(who + (v == &t.scale_pos ? " scale_pos[" : " scale_neg[") +
                             std::to_string(i) + "] is " + std::to_string((*v)[i]) +
                             "; scales must be finite");
      }
    }
  }
  return Status();
}

Status CheckText(const std::string& what, const std::string& s) {
  const std::string bad = internal::TextProblem(s);
  return bad.empty() ? Status() : Status::Error(what + " " + bad);
}

// Metadata entries in file order: the named fields (accuracy only when known), then `extra` in
// key order. Returns the entry count.
uint32_t WriteMetadata(const Metadata& m, ByteWriter* w) {
  uint32_t count = 0;
  auto key = [&](uint8_t type, std::string_view k) {
    w->U8(type);
    w->U32(static_cast<uint32_t>(k.size()));
    w->Bytes(k);
    ++count;
  };
  auto str = [&](std::string_view k, const std::string& v) {
    key(layout::kMetaString, k);
    w->U32(static_cast<uint32_t>(v.size()));
    w->Bytes(v);
  };
  str(internal::kKeyModelName, m.model_name);
  str(internal::kKeySourceHash, m.source_hash);
  str(internal::kKeyCompilerVersion, m.compiler_version);
  str(internal::kKeyQuantization, m.quantization);
  if (!std::isnan(m.accuracy)) {
    key(layout::kMetaF64, internal::kKeyAccuracy);
    w->F64(m.accuracy);
  }
  for (const auto& [k, v] : m.extra) str(k, v);
  return count;
}

// Where one tensor's bytes go in the file.
struct Placement {
  uint64_t data_offset = 0, data_bytes = 0;
  uint64_t scale_offset = 0, scale_count = 0;
};

void WriteF32s(std::span<const float> v, uint8_t* out) {
  if constexpr (std::endian::native == std::endian::little) {
    if (!v.empty()) std::memcpy(out, v.data(), v.size() * 4);
  } else {
    for (size_t i = 0; i < v.size(); ++i) {
      internal::PutLE(out + 4 * i, std::bit_cast<uint32_t>(v[i]), 4);
    }
  }
}

// memcpy into out[at...], skipping empty sources (whose data() may be null).
void CopyTo(std::vector<uint8_t>& out, uint64_t at, const void* src, size_t n) {
  if (n > 0) std::memcpy(out.data() + at, src, n);
}

// Writes all of `bytes` to `fd`; false (errno set) on a failed write.
bool WriteAllBytes(int fd, const std::vector<uint8_t>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// An output that is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in place:
// renaming a temporary over it would replace the device node or the pipe with a regular file
// (run as root, `-o /dev/null` would turn /dev/null itself into a file).
Status WriteInPlace(const std::string& path, const std::vector<uint8_t>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open for writing: " + std::strerror(errno));
  const bool ok = WriteAllBytes(fd, bytes);
  const std::string reason = std::strerror(errno);
  if (::close(fd) != 0 && ok) {
    return Status::Error(path + ": close failed: " + std::strerror(errno));
  }
  return ok ? Status() : Status::Error(path + ": write failed: " + reason);
}

}  // namespace

Status ValidatePackage(const Package& p) {
  if (p.tensors.size() > UINT32_MAX) return Status::Error("too many tensors");
  std::set<std::string_view> names;
  for (size_t i = 0; i < p.tensors.size(); ++i) {
    Status s = CheckTensor(p.tensors[i], i, &names);
    if (!s.ok()) return s;
  }
  const Metadata& m = p.meta;
  for (const auto& [what, v] : {std::pair{"model_name", &m.model_name},
                                {"source_hash", &m.source_hash},
                                {"compiler_version", &m.compiler_version},
                                {"quantization", &m.quantization}}) {
    Status s = CheckText(std::string("metadata ") + what, *v);
    if (!s.ok()) return s;
  }
  if (std::isinf(m.accuracy)) {
    return Status::Error("metadata accuracy is " + std::to_string(m.accuracy) +
                         "; it must be finite (or NaN: unknown)");
  }
  for (const auto& [k, v] : m.extra) {
    const std::string bad = internal::NameProblem(k);
    if (!bad.empty()) return Status::Error("metadata key " + bad);
    if (internal::IsReservedKey(k)) {
      return Status::Error("metadata extra key " + Quoted(k) + " is reserved for a named field");
    }
    Status s = CheckText("metadata " + Quoted(k), v);
    if (!s.ok()) return s;
  }
  return CheckText("IR text", p.ir_text);
}

std::vector<uint8_t> SerializePackage(const Package& p) {
  const Status valid = ValidatePackage(p);
  TRITON_CHECK_MSG(valid.ok(), valid.message().c_str());

  std::vector<uint8_t> meta;
  ByteWriter mw(&meta);
  const uint32_t meta_count = WriteMetadata(p.meta, &mw);

  // Layout: header, metadata, IR text, directory, data region (64-aligned), trailer.
  uint64_t dir_size = 0;
  for (const TensorRecord& t : p.tensors) {
    dir_size += layout::kDirFixedBytes + t.name.size() + 8 * t.shape.size();
  }
  const uint64_t meta_off = layout::kHeaderSize;
  const uint64_t ir_off = meta_off + meta.size();
  const uint64_t dir_off = ir_off + p.ir_text.size();
  const uint64_t data_off = AlignUp(dir_off + dir_size, layout::kDataAlign);
  std::vector<Placement> place(p.tensors.size());
  uint64_t cursor = data_off;
  for (size_t i = 0; i < p.tensors.size(); ++i) {
    const TensorRecord& t = p.tensors[i];
    internal::Geometry g;
    internal::ComputeGeometry(t.shape, t.encoding, &g);
    Placement& pl = place[i];
    pl.data_bytes = g.payload_bytes;
    if (pl.data_bytes > 0) {
      pl.data_offset = AlignUp(cursor, layout::kDataAlign);
      cursor = pl.data_offset + pl.data_bytes;
    }
    pl.scale_count = t.ternary() ? t.scale_pos.size() : 0;
    if (pl.scale_count > 0) {
      pl.scale_offset = AlignUp(cursor, layout::kScaleAlign);
      cursor = pl.scale_offset + 8 * pl.scale_count;
    }
  }
  const uint64_t data_size = cursor - data_off;
  const uint64_t body_end = data_size > 0 ? cursor : dir_off + dir_size;
  const uint64_t file_size = body_end + layout::kTrailerSize;

  std::vector<uint8_t> out(file_size, 0);
  uint8_t* h = out.data();
  std::memcpy(h + layout::kOffMagic, layout::kMagic, 8);
  auto put = [&](size_t at, uint64_t v, size_t n) { internal::PutLE(h + at, v, n); };
  put(layout::kOffMajor, layout::kMajor, 2);
  put(layout::kOffMinor, layout::kMinor, 2);
  put(layout::kOffMetaCount, meta_count, 4);
  put(layout::kOffTensorCount, p.tensors.size(), 4);
  // An empty section has offset 0 (docs/format.md §1).
  auto section = [&](size_t at, uint64_t off, uint64_t size) {
    put(at, size > 0 ? off : 0, 8);
    put(at + 8, size, 8);
  };
  section(layout::kOffMetaOffset, meta_off, meta.size());
  section(layout::kOffIrOffset, ir_off, p.ir_text.size());
  section(layout::kOffDirOffset, dir_off, dir_size);
  section(layout::kOffDataOffset, data_off, data_size);

  CopyTo(out, meta_off, meta.data(), meta.size());
  CopyTo(out, ir_off, p.ir_text.data(), p.ir_text.size());

  std::vector<uint8_t> dir;
  dir.reserve(dir_size);
  ByteWriter dw(&dir);
  for (size_t i = 0; i < p.tensors.size(); ++i) {
    const TensorRecord& t = p.tensors[i];
    const Placement& pl = place[i];
    dw.U32(static_cast<uint32_t>(t.name.size()));
    dw.Bytes(t.name);
    dw.U8(static_cast<uint8_t>(t.encoding));
    dw.U8(t.trainable ? layout::kFlagTrainable : 0);
    dw.U8(static_cast<uint8_t>(t.shape.size()));
    dw.U8(0);
    for (int64_t d : t.shape) dw.I64(d);
    dw.U64(pl.data_offset);
    dw.U64(pl.data_bytes);
    dw.U64(pl.scale_offset);
    dw.U64(pl.scale_count);

    if (t.ternary()) {
      internal::Geometry g;
      internal::ComputeGeometry(t.shape, t.encoding, &g);
      PackRows(t.trits, g.rows, g.cols, t.encoding == Encoding::kTernaryBase3,
               std::span(out.data() + pl.data_offset, pl.data_bytes));
      WriteF32s(t.scale_pos, out.data() + pl.scale_offset);
      WriteF32s(t.scale_neg, out.data() + pl.scale_offset + 4 * pl.scale_count);
    } else {
      WriteF32s(t.f32, out.data() + pl.data_offset);
    }
  }
  TRITON_CHECK(dir.size() == dir_size);
  CopyTo(out, dir_off, dir.data(), dir.size());
  layout::StampSizeAndChecksum(out);
  return out;
}

Status WritePackage(const std::string& path, const Package& p) {
  const Status valid = ValidatePackage(p);
  if (!valid.ok()) return Status::Error(path + ": " + valid.message());
  const std::vector<uint8_t> bytes = SerializePackage(p);

  // Where the file goes: an existing directory is an error, an existing non-regular file is
  // written in place, and a symbolic link is followed (the temporary goes beside the file it
  // names, so the rename replaces that file and the link stays a link).
  std::string target = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Error(path + ": is a directory");
    if (!S_ISREG(st.st_mode)) return WriteInPlace(path, bytes);
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      target = real;
      std::free(real);
    }
  }

  // A unique temporary name in the target's directory, so rename() is atomic (same file system)
  // and readers never see a partial package. open(O_EXCL) with mode 0666 lets the umask decide
  // the permissions, as for any other output file.
  static std::atomic<uint64_t> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = target + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    return Status::Error(path + ": cannot create temporary file " + tmp + ": " +
                         std::strerror(errno));
  }
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Error(path + ": " + what + ": " + reason);
  };
  if (!WriteAllBytes(fd, bytes)) return fail("write failed");
  if (::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Error(path + ": close failed: " + reason);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Error(path + ": cannot rename " + tmp + " into place: " + reason);
  }
  return Status();
}

}  // namespace triton::format
