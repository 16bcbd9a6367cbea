#include "triton/train/data/idx.h"

#include <cstdio>
#include <filesystem>

#include "triton/train/data/gzip.h"

namespace triton::data {
namespace {

// The largest decompressed IDX file accepted (the MNIST training images are 47 MB).
constexpr size_t kMaxIdxBytes = size_t{4} << 30;

std::string Hex8(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

uint32_t BigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

Result<IdxArray> ParseIdx(std::span<const uint8_t> bytes, const std::string& file,
                          int expected_dims) {
  auto fail = [&](const std::string& m) { return Status::Error(file + ": " + m); };
  if (bytes.size() < 4) {
    return fail("not an IDX file: " + std::to_string(bytes.size()) +
                " bytes, shorter than the 4-byte magic");
  }
  const uint32_t magic = BigEndian32(bytes.data());
  const int ndims = bytes[3];
  if (bytes[0] != 0 || bytes[1] != 0) {
    return fail("not an IDX file: magic " + Hex8(magic) + " does not start with two zero bytes" +
                (IsGzip(bytes) ? " (gzip data where raw IDX was expected)" : ""));
  }
  if (bytes[2] != 0x08) {
    return fail("IDX element type 0x" + Hex8(bytes[2]).substr(8) +
                " is not supported (only unsigned byte, 0x08)");
  }
  if (expected_dims != 0 && ndims != expected_dims) {
    return fail("wrong magic " + Hex8(magic) + ": expected " + Hex8(0x800u + expected_dims) +
                (expected_dims == 3   ? " (images)"
                 : expected_dims == 1 ? " (labels)"
                                      : ""));
  }
  if (ndims < 1 || ndims > 4) {
    return fail("IDX with " + std::to_string(ndims) + " dimensions is not supported (1 to 4)");
  }
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (bytes.size() < header) {
    return fail("truncated header: " + std::to_string(ndims) + " dimensions need " +
                std::to_string(header) + " bytes, the file has " + std::to_string(bytes.size()));
  }
  IdxArray out;
  uint64_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    const uint32_t n = BigEndian32(bytes.data() + 4 + 4 * d);
    out.dims.push_back(n);
    count *= n;  // at most 4 factors below 2^32 each, checked against the file size as we go
    if (count > kMaxIdxBytes) {
      return fail("dimensions declare more than " + std::to_string(kMaxIdxBytes) + " elements");
    }
  }
  const uint64_t have = bytes.size() - header;
  if (have < count) {
    return fail("truncated: the header declares " + std::to_string(count) +
                " bytes of data, the file has " + std::to_string(have));
  }
  if (have > count) {
    return fail(std::to_string(have - count) + " trailing bytes after the " +
                std::to_string(count) + " bytes of data the header declares");
  }
  out.data.assign(bytes.begin() + header, bytes.end());
  return out;
}

Result<InMemoryDataset> LoadIdx(const std::string& images_path, const std::string& labels_path,
                                std::vector<std::string> classes, const std::string& name) {
  Result<std::vector<uint8_t>> ib = ReadMaybeGzip(images_path, kMaxIdxBytes);
  if (!ib.ok()) return ib.status();
  Result<IdxArray> images = ParseIdx(ib.value(), images_path, 3);
  if (!images.ok()) return images.status();
  ib.value() = {};
  Result<std::vector<uint8_t>> lb = ReadMaybeGzip(labels_path, kMaxIdxBytes);
  if (!lb.ok()) return lb.status();
  Result<IdxArray> labels = ParseIdx(lb.value(), labels_path, 1);
  if (!labels.ok()) return labels.status();

  const uint32_t n = images.value().dims[0];
  const uint32_t rows = images.value().dims[1], cols = images.value().dims[2];
  if (rows == 0 || cols == 0 || rows > 65536 || cols > 65536) {
    return Status::Error(images_path + ": image size " + std::to_string(rows) + " x " +
                         std::to_string(cols) + " is not supported (1 to 65536 per side)");
  }
  if (labels.value().dims[0] != n) {
    return Status::Error(labels_path + ": " + std::to_string(labels.value().dims[0]) +
                         " labels, but " + images_path + " has " + std::to_string(n) + " images");
  }
  std::vector<int64_t> ls(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t l = labels.value().data[i];
    if (l >= classes.size()) {
      return Status::Error(labels_path + ": label " + std::to_string(l) + " of sample " +
                           std::to_string(i) + " is out of range (" +
                           std::to_string(classes.size()) + " classes)");
    }
    ls[i] = l;
  }
  const ImageShape shape{1, static_cast<int>(rows), static_cast<int>(cols)};
  return InMemoryDataset(name, shape, std::move(images.value().data), std::move(ls),
                         std::move(classes));
}

namespace {

// The first existing file among the MNIST spellings of `stem` ("train-images-idx3-ubyte").
Result<std::string> FindIdxFile(const std::string& dir, const std::string& stem) {
  std::string dotted = stem;  // train-images-idx3-ubyte -> train-images.idx3-ubyte
  if (size_t p = dotted.rfind("-idx"); p != std::string::npos) dotted[p] = '.';
  std::string tried;
  for (const std::string& name : {stem + ".gz", stem, dotted, dotted + ".gz"}) {
    const std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
    tried += (tried.empty() ? "" : ", ") + name;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::Error(dir + ": no such directory (looking for " + stem + ")");
  }
  return Status::Error(dir + ": no IDX file " + stem + " (tried " + tried + ")");
}

Result<InMemoryDataset> LoadMnistLayout(const std::string& dir, Split split,
                                        std::vector<std::string> classes,
                                        const std::string& set_name) {
  const std::string prefix = split == Split::kTrain ? "train" : "t10k";
  Result<std::string> images = FindIdxFile(dir, prefix + "-images-idx3-ubyte");
  if (!images.ok()) return images.status();
  Result<std::string> labels = FindIdxFile(dir, prefix + "-labels-idx1-ubyte");
  if (!labels.ok()) return labels.status();
  return LoadIdx(images.value(), labels.value(), std::move(classes),
                 set_name + " " + prefix + " (" + dir + ")");
}

}  // namespace

Result<InMemoryDataset> LoadFashionMnist(const std::string& dir, Split split) {
  return LoadMnistLayout(dir, split, FashionMnistClasses(), "fashion-mnist");
}

Result<InMemoryDataset> LoadMnist(const std::string& dir, Split split) {
  return LoadMnistLayout(dir, split, MnistClasses(), "mnist");
}

std::vector<std::string> FashionMnistClasses() {
  // Label order from the Fashion-MNIST README (Xiao et al., 2017).
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

std::vector<std::string> MnistClasses() {
  return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

}  // namespace triton::data
