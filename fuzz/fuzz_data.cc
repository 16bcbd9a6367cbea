// libFuzzer entry point: arbitrary bytes through the data set readers (triton/train/data/).
//
// The first byte picks the reader, the rest is its input:
//   0  IDX: gunzipped first when it is gzip (16 MiB cap), then ParseIdx with 0, 1 or 3
//      expected dimensions (second byte mod 3);
//   1  JPEG: DecodeJpeg (RGB or gray, strict or lenient, at most 2^22 pixels), then whatever
//      decodes is resized, center-cropped and converted to CHW;
//   2  tar: ParseTar and the ImageFolder index over it;
//   3  CIFAR binary: ParseCifarBinary as CIFAR-10 and as CIFAR-100.
// Properties: an error message starts with the file name and is one line; every member or
// image returned lies inside its buffer. A crash, a sanitizer report, a hang or an allocation
// past -rss_limit_mb is a bug in a reader.
//
// Seeds: fuzz/data-seeds/ (see its README.md), e.g.
//   build/fuzz/fuzz/fuzz_data -max_total_time=60 -max_len=65536 -rss_limit_mb=2048 \
//     build/fuzz/data-run fuzz/data-seeds   (mkdir the run folder first)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "triton/train/data/cifar.h"
#include "triton/train/data/gzip.h"
#include "triton/train/data/idx.h"
#include "triton/train/data/image.h"
#include "triton/train/data/image_folder.h"
#include "triton/train/data/tar.h"

namespace {

using triton::Result;
using triton::Status;
namespace d = triton::data;

[[noreturn]] void Bug(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_data: %s: %s\n", what, detail.c_str());
  std::abort();
}

void CheckMessage(const Status& s, const std::string& file) {
  if (s.ok()) return;
  const std::string& m = s.message();
  if (m.rfind(file + ": ", 0) != 0 && m.rfind(file + ":", 0) != 0) {
    Bug("message without the file name", m);
  }
  if (m.find('\n') != std::string::npos) Bug("multi-line message", m);
}

void Idx(std::span<const uint8_t> in, int mode) {
  const std::string file = "fuzz.idx";
  std::vector<uint8_t> raw;
  if (d::IsGzip(in)) {
    Result<std::vector<uint8_t>> g = d::Gunzip(in, file, size_t{16} << 20);
    if (!g.ok()) return CheckMessage(g.status(), file);
    raw = std::move(g).value();
    in = raw;
  }
  Result<d::IdxArray> r = d::ParseIdx(in, file, mode == 0 ? 0 : mode == 1 ? 1 : 3);
  if (!r.ok()) return CheckMessage(r.status(), file);
  uint64_t n = 1;
  for (uint32_t x : r.value().dims) n *= x;
  if (n != r.value().data.size()) Bug("IDX size", std::to_string(n));
}

void Jpeg(std::span<const uint8_t> in, int mode) {
  const std::string file = "fuzz.jpg";
  d::JpegDecodeOptions o;
  o.channels = (mode & 1) ? 1 : 3;
  o.strict = (mode & 2) == 0;
  o.max_pixels = int64_t{1} << 22;
  if (mode & 4) o.min_w = o.min_h = 16;
  Result<d::Image> r = d::DecodeJpeg(in, file, o);
  if (!r.ok()) return CheckMessage(r.status(), file);
  const d::Image& img = r.value();
  if (img.w <= 0 || img.h <= 0 || img.c != o.channels ||
      img.pixels.size() != static_cast<size_t>(img.w) * img.h * img.c) {
    Bug("decoded image shape", std::to_string(img.w) + "x" + std::to_string(img.h));
  }
  const d::Image small = d::Resize(img, 8, 6);
  const d::Image crop = d::CenterCrop(small, 4, 4);
  std::vector<uint8_t> chw(crop.pixels.size());
  d::ToChw(crop, chw.data());
}

void Tar(std::span<const uint8_t> in) {
  const std::string file = "fuzz.tar";
  Result<std::vector<d::TarMember>> r = d::ParseTar(in, file);
  if (!r.ok()) return CheckMessage(r.status(), file);
  for (const d::TarMember& m : r.value()) {
    if (m.offset > in.size() || m.size > in.size() - m.offset) Bug("member out of bounds", m.name);
  }
  Result<d::ImageFolderIndex> index = d::IndexTarFolder(in, file, "");
  if (!index.ok()) return CheckMessage(index.status(), file);
}

void Cifar(std::span<const uint8_t> in) {
  const std::string file = "fuzz.bin";
  for (d::CifarLayout l : {d::CifarLayout::kCifar10, d::CifarLayout::kCifar100Fine}) {
    std::vector<uint8_t> pixels;
    std::vector<int64_t> labels;
    Status s =
        d::ParseCifarBinary(in, file, l, l == d::CifarLayout::kCifar10 ? 10 : 100, pixels, labels);
    CheckMessage(s, file);
    if (s.ok() && pixels.size() != labels.size() * 3072) Bug("CIFAR sizes", "");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::span<const uint8_t> rest(data + 2, size - 2);
  switch (data[0] % 4) {
    case 0:
      Idx(rest, data[1] % 3);
      break;
    case 1:
      Jpeg(rest, data[1]);
      break;
    case 2:
      Tar(rest);
      break;
    case 3:
      Cifar(rest);
      break;
  }
  return 0;
}
