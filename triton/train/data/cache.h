#pragma once
// The data cache: decoded data sets saved as one binary file so that a second run (or the next
// process of a training script) skips decoding. A cache is never trusted: a file that does not
// match its checksum, its key or its own sizes is rebuilt.
//
// File layout (little-endian): "TRDATA01", u64 XXH64 of the key string, u32 c, h, w, u64 n,
// u32 class count and per class u32 length + bytes, u32 name length + bytes, n u32 labels,
// n*c*h*w pixel bytes (CHW per sample), then u64 XXH64 of every byte before it.
#include <functional>
#include <string>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"

namespace triton::data {

// $TRITON_DATA_DIR when set, else $HOME/.cache/triton/data, else /tmp/triton-data.
std::string DataCacheDir();

// Writes atomically (a temporary file renamed into place); creates the parent folders.
Status SaveDatasetCache(const std::string& path, const std::string& key, const InMemoryDataset& d);

// Reads a cache written with the same key. Errors say why it cannot be used ("PATH: key
// mismatch", "PATH: checksum mismatch", "PATH: truncated").
Result<InMemoryDataset> LoadDatasetCache(const std::string& path, const std::string& key);

// The cached data set when `path` holds a valid one for `key`; otherwise build() and save it
// (a failed save is ignored: the cache is an optimization). `hit` tells which happened.
Result<InMemoryDataset> LoadOrBuildCached(const std::string& path, const std::string& key,
                                          const std::function<Result<InMemoryDataset>()>& build,
                                          bool* hit = nullptr);

}  // namespace triton::data
