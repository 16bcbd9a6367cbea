#pragma once
// `triton cache stats|clear|prune|verify` over one cache directory. Only files that look like
// the cache's own are listed or removed: `<k0k1>/<key>.tce` entries, `<k0k1>/.tmp-*` temp files
// and the counters file, so pointing --cache-dir at a wrong folder cannot delete anything else.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "triton/cache/disk_cache.h"

namespace triton::cache {

struct CacheFile {
  std::string path;  // full path
  std::string name;  // "<k0k1>/<name>"
  uint64_t bytes = 0;
  int64_t mtime_s = 0;  // seconds since the epoch (last use for entries: hits touch them)
};

struct Inventory {
  bool exists = false;             // the directory exists
  std::vector<CacheFile> entries;  // *.tce in the fan-out folders, sorted by name
  std::vector<CacheFile> temps;    // temp files of writers (live, or left by a crash)
  uint64_t entry_bytes = 0, temp_bytes = 0;
  std::string error;  // the first listing error, if any
};

Inventory TakeInventory(const std::string& dir);

struct RemoveReport {
  size_t entries = 0, temps = 0;  // files removed
  uint64_t bytes = 0;             // bytes freed
  std::vector<std::string> errors;
};

// Removes every entry, temp file and the counters; then the empty fan-out folders.
RemoveReport Clear(const std::string& dir);

// Removes entries not used for more than `days` (by mtime, which hits refresh) as of `now_s`
// (seconds since the epoch), and temp files older than both `days` and an hour (younger ones may
// belong to a live writer).
RemoveReport Prune(const std::string& dir, double days, int64_t now_s);

// Checks a payload beyond the entry format (the driver decodes it); returns "" when it is good.
using PayloadCheck = std::function<std::string(std::string_view payload)>;

struct VerifyReport {
  size_t checked = 0;
  struct Bad {
    std::string name, problem;
  };
  std::vector<Bad> bad;
  size_t removed = 0;
  std::vector<std::string> errors;  // files that could not be read or removed
};

// Reads and validates every entry (format, size, checksum, the key against the file name, and
// `check` on the payload when given); removes the bad ones when `remove`.
VerifyReport Verify(const std::string& dir, bool remove, const PayloadCheck& check);

}  // namespace triton::cache
