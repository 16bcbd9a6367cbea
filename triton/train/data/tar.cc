#include "triton/train/data/tar.h"

#include <algorithm>
#include <optional>

namespace triton::data {
namespace {

constexpr size_t kBlock = 512;

// An octal or base-256 numeric field; nullopt when malformed.
std::optional<uint64_t> Number(const uint8_t* f, size_t len) {
  if (f[0] & 0x80) {  // base-256 (GNU): big-endian two's complement, positive values only here
    if (f[0] != 0x80) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 56) return std::nullopt;
      v = (v << 8) | f[i];
    }
    return v;
  }
  uint64_t v = 0;
  size_t i = 0;
  while (i < len && f[i] == ' ') ++i;
  bool any = false;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (v >> 60) return std::nullopt;
    v = v * 8 + (f[i] - '0');
    any = true;
  }
  for (; i < len; ++i) {
    if (f[i] != ' ' && f[i] != '\0') return std::nullopt;
  }
  if (!any) return std::nullopt;
  return v;
}

std::string Field(const uint8_t* f, size_t len) {
  const size_t n = std::find(f, f + len, uint8_t{0}) - f;
  return std::string(reinterpret_cast<const char*>(f), n);
}

std::string Clean(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

// The "path" record of a pax extended header: records are "LEN key=value\n", LEN counting the
// whole record in decimal.
std::optional<std::string> PaxPath(std::span<const uint8_t> data) {
  std::optional<std::string> path;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t len = 0, i = pos;
    while (i < data.size() && data[i] >= '0' && data[i] <= '9' && len < data.size()) {
      len = len * 10 + (data[i] - '0');
      ++i;
    }
    if (i == pos || i >= data.size() || data[i] != ' ' || len <= i - pos + 1 ||
        len > data.size() - pos) {
      return path;  // malformed: keep what was found (the header name is the fallback)
    }
    const std::string rec(reinterpret_cast<const char*>(data.data()) + i + 1, pos + len - i - 1);
    if (rec.rfind("path=", 0) == 0 && !rec.empty() && rec.back() == '\n') {
      path = rec.substr(5, rec.size() - 6);
    }
    pos += len;
  }
  return path;
}

}  // namespace

Result<std::vector<TarMember>> ParseTar(std::span<const uint8_t> bytes, const std::string& file) {
  std::vector<TarMember> out;
  std::optional<std::string> next_name;  // from a GNU 'L' or pax 'x' header
  size_t pos = 0;
  while (true) {
    if (bytes.size() - pos < kBlock) {
      if (pos == bytes.size() && !out.empty()) break;  // tolerated: no end-of-archive blocks
      return Status::Error(file + ": truncated tar archive: header at offset " +
                           std::to_string(pos) + " is cut short (" +
                           std::to_string(bytes.size() - pos) + " bytes left)");
    }
    const uint8_t* h = bytes.data() + pos;
    if (std::all_of(h, h + kBlock, [](uint8_t b) { return b == 0; })) break;  // end of archive
    const std::string where = file + ": tar header at offset " + std::to_string(pos) + ": ";
    const std::optional<uint64_t> sum = Number(h + 148, 8);
    uint64_t actual = 0;
    for (size_t i = 0; i < kBlock; ++i) actual += (i >= 148 && i < 156) ? ' ' : h[i];
    if (!sum || *sum != actual) {
      return Status::Error(where + "bad checksum (not a tar archive, or damaged)");
    }
    const std::optional<uint64_t> size = Number(h + 124, 12);
    if (!size) return Status::Error(where + "malformed size field");
    const size_t data_at = pos + kBlock;
    if (*size > bytes.size() - data_at) {
      return Status::Error(where + "member of " + std::to_string(*size) +
                           " bytes runs past the end of the archive (" +
                           std::to_string(bytes.size() - data_at) + " bytes left)");
    }
    const std::span<const uint8_t> data = bytes.subspan(data_at, *size);
    const char type = static_cast<char>(h[156]);
    std::string name = Field(h, 100);
    if (std::equal(h + 257, h + 262, "ustar")) {
      const std::string prefix = Field(h + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    if (type == 'L') {
      next_name = Field(data.data(), data.size());
    } else if (type == 'x') {
      if (std::optional<std::string> p = PaxPath(data)) next_name = *p;
    } else if (type == '0' || type == '\0' || type == '7') {
      out.push_back({Clean(next_name.value_or(name)), data_at, static_cast<size_t>(*size)});
      next_name.reset();
    } else {
      next_name.reset();  // directories, links, devices, global pax headers: no file data used
    }
    // The data is padded to whole blocks; the size check above bounds this addition.
    const size_t padded = (static_cast<size_t>(*size) + kBlock - 1) / kBlock * kBlock;
    pos = std::min(bytes.size(), data_at + padded);
  }
  return out;
}

}  // namespace triton::data
