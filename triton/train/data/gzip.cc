#include "triton/train/data/gzip.h"

#include <zlib.h>

#include "triton/base/file.h"

namespace triton::data {

bool IsGzip(std::span<const uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

Result<std::vector<uint8_t>> Gunzip(std::span<const uint8_t> bytes, const std::string& file,
                                    size_t max_out) {
  z_stream z{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (CRC-32 and length are checked by zlib).
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    return Status::Error(file + ": zlib initialization failed");
  }
  std::vector<uint8_t> out;
  out.resize(std::min<size_t>(max_out, std::max<size_t>(bytes.size() * 4, 1 << 16)));
  z.next_in = const_cast<Bytef*>(bytes.data());
  size_t in_left = bytes.size();
  size_t produced = 0;
  std::string error;
  while (true) {
    if (produced == out.size()) {
      if (out.size() >= max_out) {
        error = "decompressed data exceeds the limit of " + std::to_string(max_out) + " bytes";
        break;
      }
      out.resize(std::min(max_out, out.size() * 2));
    }
    // zlib counts in uInt: feed and drain at most 1 GiB per call.
    const uInt in_chunk = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    const uInt out_chunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
    z.avail_in = in_chunk;
    z.next_out = out.data() + produced;
    z.avail_out = out_chunk;
    const int rc = inflate(&z, Z_NO_FLUSH);
    in_left -= in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    if (rc == Z_STREAM_END) {
      // A following gzip member (files made by `cat a.gz b.gz`) continues the data.
      if (in_left > 0 && IsGzip({z.next_in, in_left})) {
        inflateReset(&z);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && in_left == 0 && z.avail_out > 0) {
      error = "truncated gzip stream (unexpected end of file)";
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error = std::string("corrupt gzip stream: ") + (z.msg ? z.msg : "inflate error");
      break;
    }
  }
  inflateEnd(&z);
  if (!error.empty()) return Status::Error(file + ": " + error);
  out.resize(produced);
  return out;
}

Result<std::vector<uint8_t>> ReadMaybeGzip(const std::string& path, size_t max_out) {
  Result<std::string> raw = base::ReadFile(path);
  if (!raw.ok()) return raw.status();
  const std::string& s = raw.value();
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  if (IsGzip(bytes)) return Gunzip(bytes, path, max_out);
  if (bytes.size() > max_out) {
    return Status::Error(path + ": file exceeds the limit of " + std::to_string(max_out) +
                         " bytes");
  }
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace triton::data
