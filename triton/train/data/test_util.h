#pragma once
// Helpers for the data tests: a temporary folder, and writers of tiny IDX, CIFAR, JPEG and tar
// files so that no test depends on the real data sets.
#include <cstdint>
#include <string>
#include <vector>

#include "triton/train/data/image.h"

namespace triton::data::testing {

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<uint8_t> IdxBytes(uint32_t magic, const std::vector<uint32_t>& dims,
                              const std::vector<uint8_t>& data);
std::vector<uint8_t> GzipBytes(const std::vector<uint8_t>& raw);
void WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes);
std::vector<uint8_t> ReadBytes(const std::string& path);

// A w x h image with c channels whose pixels follow a smooth pattern set by `seed` (smooth so
// that JPEG keeps it within a few levels).
Image PatternImage(int w, int h, int c, int seed);

// A ustar archive of (name, data) regular files (names shorter than 100 bytes).
std::vector<uint8_t> TarBytes(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files);

}  // namespace triton::data::testing
