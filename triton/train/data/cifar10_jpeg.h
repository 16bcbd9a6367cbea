#pragma once
// CIFAR-10 (JPEG): the shared copy ../shared/data/cifar10-jpeg.tar.gz, whose members are
// cifar10-jpeg/{train,test}/<class>/NNNN.jpg (32 x 32 RGB; 5,000 train and 1,000 test images per
// class). Read straight from the archive (no extraction), decoded on all cores, and cached
// decoded in DataCacheDir() (cifar10-jpeg-{train,test}.u8, keyed by the archive's path, size and
// modification time) so later runs load 150 MiB instead of decoding 50,000 JPEGs.
#include <string>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"
#include "triton/train/data/idx.h"  // Split

namespace triton::data {

struct Cifar10JpegOptions {
  bool disk_cache = true;  // for the archive; an extracted folder is always decoded
  std::string cache_dir;   // empty: DataCacheDir()
  int threads = 0;         // decoding threads; 0: one per core
};

// `path`: the .tar.gz, or an extracted copy (the folder holding train/ and test/, or its parent
// holding cifar10-jpeg/). The result has shape 3 x 32 x 32 and the 10 sorted class names.
Result<InMemoryDataset> LoadCifar10Jpeg(const std::string& path, Split split,
                                        const Cifar10JpegOptions& opts = {});

}  // namespace triton::data
