#include "triton/train/data/cifar.h"

#include <filesystem>
#include <sstream>

#include "triton/base/file.h"

namespace triton::data {
namespace {

constexpr int kPixels = 3 * 32 * 32;

int RecordBytes(CifarLayout layout) { return layout == CifarLayout::kCifar10 ? 3073 : 3074; }

// Class names from a meta .txt (one per line, blank lines ignored), or `fallback` when the file
// does not exist. A file with the wrong number of names is an error.
Result<std::vector<std::string>> ClassNames(const std::filesystem::path& meta,
                                            std::vector<std::string> fallback) {
  std::error_code ec;
  if (!std::filesystem::exists(meta, ec)) return fallback;
  Result<std::string> text = base::ReadFile(meta.string());
  if (!text.ok()) return text.status();
  std::vector<std::string> names;
  std::istringstream in(text.value());
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  if (names.size() != fallback.size()) {
    return Status::Error(meta.string() + ": " + std::to_string(names.size()) +
                         " class names, expected " + std::to_string(fallback.size()));
  }
  return names;
}

Result<InMemoryDataset> LoadFiles(const std::string& dir, const std::vector<std::string>& files,
                                  CifarLayout layout, std::vector<std::string> classes,
                                  const std::string& name) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::Error(dir + ": no such directory (expected CIFAR binary files " + files[0] +
                         "...)");
  }
  std::vector<uint8_t> pixels;
  std::vector<int64_t> labels;
  for (const std::string& f : files) {
    const std::string path = (std::filesystem::path(dir) / f).string();
    Result<std::string> bytes = base::ReadFile(path);
    if (!bytes.ok()) return bytes.status();
    const std::string& b = bytes.value();
    Status s = ParseCifarBinary({reinterpret_cast<const uint8_t*>(b.data()), b.size()}, path,
                                layout, static_cast<int>(classes.size()), pixels, labels);
    if (!s.ok()) return s;
  }
  return InMemoryDataset(name + " (" + dir + ")", ImageShape{3, 32, 32}, std::move(pixels),
                         std::move(labels), std::move(classes));
}

std::vector<std::string> Numbered(const char* prefix, int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i));
  return v;
}

}  // namespace

Status ParseCifarBinary(std::span<const uint8_t> bytes, const std::string& file, CifarLayout layout,
                        int num_classes, std::vector<uint8_t>& pixels,
                        std::vector<int64_t>& labels) {
  const size_t rec = RecordBytes(layout);
  if (bytes.empty()) return Status::Error(file + ": empty file (no CIFAR records)");
  if (bytes.size() % rec != 0) {
    return Status::Error(file +
                         ": truncated or not a CIFAR binary file: " + std::to_string(bytes.size()) +
                         " bytes is not a whole number of " + std::to_string(rec) +
                         "-byte records (" + std::to_string(bytes.size() / rec) + " records and " +
                         std::to_string(bytes.size() % rec) + " bytes)");
  }
  const size_t n = bytes.size() / rec;
  const size_t label_at = layout == CifarLayout::kCifar100Fine ? 1 : 0;
  pixels.reserve(pixels.size() + n * kPixels);
  labels.reserve(labels.size() + n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* r = bytes.data() + i * rec;
    const int label = r[label_at];
    if (label >= num_classes) {
      return Status::Error(
          file + ": record " + std::to_string(i) + " has label " + std::to_string(label) +
          ", out of range for " + std::to_string(num_classes) + " classes (not a " +
          (layout == CifarLayout::kCifar10 ? "CIFAR-10" : "CIFAR-100") + " file?)");
    }
    labels.push_back(label);
    pixels.insert(pixels.end(), r + rec - kPixels, r + rec);
  }
  return Status();
}

Result<InMemoryDataset> LoadCifar10Binary(const std::string& dir, Split split) {
  Result<std::vector<std::string>> classes =
      ClassNames(std::filesystem::path(dir) / "batches.meta.txt", Cifar10Classes());
  if (!classes.ok()) return classes.status();
  std::vector<std::string> files;
  if (split == Split::kTrain) {
    for (int i = 1; i <= 5; ++i) files.push_back("data_batch_" + std::to_string(i) + ".bin");
  } else {
    files.push_back("test_batch.bin");
  }
  return LoadFiles(dir, files, CifarLayout::kCifar10, std::move(classes).value(),
                   split == Split::kTrain ? "cifar10 train" : "cifar10 test");
}

Result<InMemoryDataset> LoadCifar100Binary(const std::string& dir, Split split, bool coarse) {
  Result<std::vector<std::string>> classes =
      coarse
          ? ClassNames(std::filesystem::path(dir) / "coarse_label_names.txt",
                       Numbered("superclass", 20))
          : ClassNames(std::filesystem::path(dir) / "fine_label_names.txt", Numbered("class", 100));
  if (!classes.ok()) return classes.status();
  return LoadFiles(dir, {split == Split::kTrain ? "train.bin" : "test.bin"},
                   coarse ? CifarLayout::kCifar100Coarse : CifarLayout::kCifar100Fine,
                   std::move(classes).value(),
                   split == Split::kTrain ? "cifar100 train" : "cifar100 test");
}

std::vector<std::string> Cifar10Classes() {
  return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
}

}  // namespace triton::data
