#pragma once
// The on-disk layer of the compile cache: one file per key, `<dir>/<k0k1>/<key>.tce` (the first
// two hex digits of the key fan entries out over 256 folders), in the entry format of entry.h.
//
// Concurrency: writers write a private temp file (`<dir>/<k0k1>/.tmp-<key>-<pid>-<n>`) and
// rename it over the entry, so readers see either no entry, the old one or the new one, never a
// partial file; two processes storing one key store the same bytes, and the last rename wins.
// Nothing is fsync'ed: after a crash an entry may be damaged, and the checksum catches that.
// Reads trust nothing: every entry is validated (entry.h), and a bad one is removed.
#include <cstdint>
#include <string>
#include <string_view>

#include "triton/cache/entry.h"
#include "triton/cache/key.h"

namespace triton::cache {

inline constexpr const char* kEntrySuffix = ".tce";
inline constexpr const char* kTempPrefix = ".tmp-";
inline constexpr const char* kStatsFile = "stats";
inline constexpr const char* kTagFile = "CACHEDIR.TAG";
inline constexpr uint64_t kMaxEntryBytes = uint64_t{1} << 30;  // larger files are not ours

// Counters kept in `<dir>/stats`, best effort: a cache that cannot update them still works.
struct Counters {
  uint64_t hits = 0, misses = 0, stores = 0, bad_entries = 0, write_failures = 0;
  Counters& operator+=(const Counters& o);
  bool empty() const { return !hits && !misses && !stores && !bad_entries && !write_failures; }
};

struct ReadResult {
  enum class Kind { kHit, kAbsent, kBad, kError };
  Kind kind = Kind::kAbsent;
  std::string bytes;  // the whole entry file (kHit)
  size_t payload_offset = 0, payload_size = 0;
  EntryProblem problem = EntryProblem::kNone;  // kBad
  std::string message;  // kBad: what is wrong with the entry; kError: the I/O error
  std::string_view payload() const {
    return std::string_view(bytes).substr(payload_offset, payload_size);
  }
};

struct WriteResult {
  bool ok = true;
  int error = 0;        // errno of the failed call
  std::string message;  // "cannot create /c/ab: Read-only file system"
};

class DiskCache {
 public:
  explicit DiskCache(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }
  std::string EntryPath(const Key& key) const;

  // Reads and validates the entry of `key`. A bad entry (corrupt, truncated, foreign, another
  // format version, another key) is removed, best effort, so the next write replaces it; an
  // unreadable one (kError) is left alone.
  ReadResult Read(const Key& key) const;
  // Stores `payload` as the entry of `key` (temp file + rename); creates the folders as needed.
  WriteResult Write(const Key& key, std::string_view payload) const;

  // Adds `delta` to the counters file under an exclusive flock; silently does nothing when the
  // file cannot be opened or locked.
  void AddCounters(const Counters& delta) const;
  Counters ReadCounters() const;

  // Tests only: makes the next writes fail with `err` (0 = off) after the temp file is created,
  // as a full or read-only file system would.
  static void InjectWriteErrorForTesting(int err);

 private:
  std::string dir_;
};

// True for the errors that mean "this directory cannot take writes": EACCES, EPERM, EROFS,
// ENOSPC, EDQUOT.
bool IsUnwritableError(int err);

}  // namespace triton::cache
