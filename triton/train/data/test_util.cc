#include "triton/train/data/test_util.h"

#include <stdlib.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace triton::data::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "triton-data-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<uint8_t> IdxBytes(uint32_t magic, const std::vector<uint32_t>& dims,
                              const std::vector<uint8_t>& data) {
  std::vector<uint8_t> b;
  auto be32 = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
  };
  be32(magic);
  for (uint32_t d : dims) be32(d);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

std::vector<uint8_t> GzipBytes(const std::vector<uint8_t>& raw) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::vector<uint8_t> out(deflateBound(&z, raw.size()) + 64);
  z.next_in = const_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

Image PatternImage(int w, int h, int c, int seed) {
  Image img{w, h, c, std::vector<uint8_t>(static_cast<size_t>(w) * h * c)};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int k = 0; k < c; ++k) {
        const int v = 40 + (seed * 7 + k * 30) % 60 + x * 60 / w + y * 40 / h;  // no edges
        img.pixels[(static_cast<size_t>(y) * w + x) * c + k] = static_cast<uint8_t>(v);
      }
    }
  }
  return img;
}

std::vector<uint8_t> TarBytes(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files) {
  std::vector<uint8_t> out;
  for (const auto& [name, data] : files) {
    uint8_t h[512] = {};
    std::memcpy(h, name.data(), std::min<size_t>(name.size(), 99));
    std::snprintf(reinterpret_cast<char*>(h) + 100, 8, "%07o", 0644);
    std::snprintf(reinterpret_cast<char*>(h) + 108, 8, "%07o", 0);
    std::snprintf(reinterpret_cast<char*>(h) + 116, 8, "%07o", 0);
    std::snprintf(reinterpret_cast<char*>(h) + 124, 12, "%011o",
                  static_cast<unsigned>(data.size()));
    std::snprintf(reinterpret_cast<char*>(h) + 136, 12, "%011o", 0);
    h[156] = '0';
    std::memcpy(h + 257,
                "ustar\0"
                "00",
                8);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (uint8_t b : h) sum += b;
    std::snprintf(reinterpret_cast<char*>(h) + 148, 8, "%06o", sum);
    h[155] = ' ';
    out.insert(out.end(), h, h + 512);
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + 511) / 512 * 512, 0);
  }
  out.resize(out.size() + 1024, 0);
  return out;
}

}  // namespace triton::data::testing
