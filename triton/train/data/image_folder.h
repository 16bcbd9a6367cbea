#pragma once
// ImageFolder: the ImageNet / torchvision layout, ROOT/<class>/<image>.jpg. Classes are the
// sub-folder names sorted byte-wise (label = index in that order); images are the JPEG files
// (.jpg/.jpeg, any case) anywhere under a class folder, sorted by path. Hidden entries and
// non-image files are skipped; other image formats (.png, .bmp, ...) are an error naming the
// file, since only JPEG is decoded.
//
// Every sample of a data set has one shape: either all images already share a size (CIFAR), or a
// resize is set (ImageNet: ResizeMode::kShortSideCenterCrop with short_side 256 and 224 x 224).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"
#include "triton/train/data/image.h"

namespace triton::data {

enum class ResizeMode {
  kNone,                 // images must all have the size of the first one
  kExact,                // resized to width x height (aspect ratio not kept)
  kShortSideCenterCrop,  // shorter side scaled to short_side, then the central width x height
};

struct ImageFolderOptions {
  int channels = 3;  // 3: RGB; 1: gray
  ResizeMode resize = ResizeMode::kNone;
  int width = 0, height = 0;  // output size for kExact and kShortSideCenterCrop
  int short_side = 0;         // kShortSideCenterCrop
  int threads = 0;            // decoding threads for Load*; 0: one per core
  bool strict = true;         // damaged JPEG data is an error (JpegDecodeOptions::strict)
};

// Where each sample's bytes are: a file on disk, or a range of an archive in memory.
struct ImageSource {
  std::string name;                // a path, or "ARCHIVE:member"
  std::span<const uint8_t> bytes;  // when in_memory
  bool in_memory = false;
};

struct ImageFolderIndex {
  std::vector<std::string> classes;
  std::vector<ImageSource> images;  // sorted by class, then path
  std::vector<int64_t> labels;
};

// Lists ROOT/<class>/... . Errors: ROOT missing or not a folder, no class folders, a class
// folder without JPEG images, a non-JPEG image file.
Result<ImageFolderIndex> ScanImageFolder(const std::string& root);

// The same over the members of a tar archive whose names start with `prefix` + "/" (members
// reference `archive`, which must outlive the index). `archive_name` prefixes the sample names.
Result<ImageFolderIndex> IndexTarFolder(std::span<const uint8_t> archive,
                                        const std::string& archive_name, const std::string& prefix);

// Decodes one image to the data set's layout: CHW uint8 of `shape` (the options' size, or the
// image's own size when kNone and shape is 0 x 0 x 0, in which case `shape` is set).
Status DecodeToChw(std::span<const uint8_t> bytes, const std::string& name,
                   const ImageFolderOptions& opts, ImageShape& shape, std::vector<uint8_t>& out);

// Decodes every image of the index into memory with opts.threads threads.
Result<InMemoryDataset> DecodeImageFolder(const ImageFolderIndex& index,
                                          const ImageFolderOptions& opts, const std::string& name);

// ScanImageFolder + DecodeImageFolder.
Result<InMemoryDataset> LoadImageFolder(const std::string& root, const ImageFolderOptions& opts);

// ROOT/<class>/... inside a .tar(.gz) archive, under `prefix` (e.g. "cifar10-jpeg/test"); the
// archive is decompressed in memory, decoded, and released.
Result<InMemoryDataset> LoadImageFolderFromTar(const std::string& archive_path,
                                               const std::string& prefix,
                                               const ImageFolderOptions& opts);

// A folder too big for memory (ImageNet): images are read and decoded on demand by ReadPixels,
// from the loader's worker threads. A resize mode other than kNone is required, so that the shape
// is known without decoding.
class StreamingImageFolder final : public ImageDataset {
 public:
  static Result<std::unique_ptr<StreamingImageFolder>> Open(const std::string& root,
                                                            const ImageFolderOptions& opts);
  int64_t size() const override { return static_cast<int64_t>(index_.labels.size()); }
  ImageShape shape() const override { return shape_; }
  const std::vector<std::string>& classes() const override { return index_.classes; }
  int64_t label(int64_t i) const override { return index_.labels[i]; }
  Status ReadPixels(int64_t i, uint8_t* out) const override;
  std::string name() const override { return root_; }

 private:
  StreamingImageFolder() = default;
  std::string root_;
  ImageFolderIndex index_;
  ImageFolderOptions opts_;
  ImageShape shape_;
};

}  // namespace triton::data
