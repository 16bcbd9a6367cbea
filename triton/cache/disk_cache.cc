#include "triton/cache/disk_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace triton::cache {

namespace {

std::atomic<int> g_write_fault{0};

std::string ErrnoText(int err) { return std::strerror(err); }

// Creates `path` (one level) unless it exists as a directory.
int MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0) return 0;
  int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0) return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  return err;
}

// mkdir -p, returning the errno of the first failure and the path that failed.
int MakeDirs(const std::string& path, std::string* failed) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return 0;
    *failed = path;
    return ENOTDIR;
  }
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    int err = MakeDirs(path.substr(0, slash), failed);
    if (err) return err;
  }
  int err = MakeDir(path);
  if (err) *failed = path;
  return err;
}

int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

int ReadAll(int fd, std::string& out, size_t size) {
  out.resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, out.data() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;  // shrank under us: validation reports it as truncated
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return 0;
}

uint64_t TempSuffix() {
  static std::atomic<uint64_t> counter{std::random_device{}()};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

void WriteTagFile(const std::string& dir) {
  std::string path = dir + "/" + kTagFile;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return;
  static const char kTag[] =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
      "# This file is a cache directory tag created by triton (the compile cache).\n"
      "# For information about cache directory tags see https://bford.info/cachedir/\n";
  (void)WriteAll(fd, kTag);
  ::close(fd);
}

Counters ParseCounters(std::string_view text) {
  Counters c;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    std::string_view name = line.substr(0, sp);
    uint64_t v = 0;
    for (char ch : line.substr(sp + 1)) {
      if (ch < '0' || ch > '9') break;
      v = v * 10 + static_cast<uint64_t>(ch - '0');
    }
    if (name == "hits") c.hits = v;
    if (name == "misses") c.misses = v;
    if (name == "stores") c.stores = v;
    if (name == "bad_entries") c.bad_entries = v;
    if (name == "write_failures") c.write_failures = v;
  }
  return c;
}

std::string FormatCounters(const Counters& c) {
  return fmt::format("hits {}\nmisses {}\nstores {}\nbad_entries {}\nwrite_failures {}\n", c.hits,
                     c.misses, c.stores, c.bad_entries, c.write_failures);
}

}  // namespace

Counters& Counters::operator+=(const Counters& o) {
  hits += o.hits;
  misses += o.misses;
  stores += o.stores;
  bad_entries += o.bad_entries;
  write_failures += o.write_failures;
  return *this;
}

bool IsUnwritableError(int err) {
  return err == EACCES || err == EPERM || err == EROFS || err == ENOSPC || err == EDQUOT;
}

void DiskCache::InjectWriteErrorForTesting(int err) { g_write_fault.store(err); }

std::string DiskCache::EntryPath(const Key& key) const {
  std::string hex = key.Hex();
  return dir_ + "/" + hex.substr(0, 2) + "/" + hex + kEntrySuffix;
}

ReadResult DiskCache::Read(const Key& key) const {
  ReadResult r;
  std::string path = EntryPath(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return r;  // kAbsent
    r.kind = ReadResult::Kind::kError;
    r.message = fmt::format("cannot read {}: {}", path, ErrnoText(errno));
    return r;
  }
  struct stat st {};
  int err = ::fstat(fd, &st) != 0 ? errno : 0;
  if (!err && !S_ISREG(st.st_mode)) err = EISDIR;
  if (!err && static_cast<uint64_t>(st.st_size) > kMaxEntryBytes) {
    ::close(fd);
    r.kind = ReadResult::Kind::kBad;
    r.problem = EntryProblem::kForeign;
    r.message = fmt::format("not a cache entry ({} bytes, more than any entry)", st.st_size);
    ::unlink(path.c_str());
    return r;
  }
  if (!err) err = ReadAll(fd, r.bytes, static_cast<size_t>(st.st_size));
  ::close(fd);
  if (err) {
    r.kind = ReadResult::Kind::kError;
    r.message = fmt::format("cannot read {}: {}", path, ErrnoText(err));
    r.bytes.clear();
    return r;
  }
  DecodedEntry d = DecodeEntry(r.bytes, &key);
  if (!d.ok()) {
    r.kind = ReadResult::Kind::kBad;
    r.problem = d.problem;
    r.message = d.message;
    r.bytes.clear();
    ::unlink(path.c_str());
    return r;
  }
  r.kind = ReadResult::Kind::kHit;
  r.payload_offset = static_cast<size_t>(d.payload.data() - r.bytes.data());
  r.payload_size = d.payload.size();
  // Last use, for `triton cache prune --older-than`; fails harmlessly on a read-only cache.
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  return r;
}

WriteResult DiskCache::Write(const Key& key, std::string_view payload) const {
  WriteResult w;
  auto fail = [&w](int err, std::string message) {
    w.ok = false;
    w.error = err;
    w.message = std::move(message);
    return w;
  };
  std::string hex = key.Hex();
  std::string sub = dir_ + "/" + hex.substr(0, 2);
  struct stat st {};
  bool had_root = ::stat(dir_.c_str(), &st) == 0;
  std::string failed;
  if (int err = MakeDirs(sub, &failed)) {
    return fail(err, fmt::format("cannot create {}: {}", failed, ErrnoText(err)));
  }
  if (!had_root) WriteTagFile(dir_);
  std::string temp =
      fmt::format("{}/{}{}-{}-{:x}", sub, kTempPrefix, hex, ::getpid(), TempSuffix());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    return fail(err, fmt::format("cannot create a file in {}: {}", sub, ErrnoText(err)));
  }
  std::string bytes = EncodeEntry(key, payload);
  int err = g_write_fault.load();
  if (!err) err = WriteAll(fd, bytes);
  if (::close(fd) != 0 && !err) err = errno;
  if (!err && ::rename(temp.c_str(), EntryPath(key).c_str()) != 0) err = errno;
  if (err) {
    ::unlink(temp.c_str());
    return fail(err, fmt::format("cannot write {}: {}", EntryPath(key), ErrnoText(err)));
  }
  return w;
}

void DiskCache::AddCounters(const Counters& delta) const {
  if (delta.empty()) return;
  std::string path = dir_ + "/" + kStatsFile;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (::flock(fd, LOCK_EX) == 0) {
    struct stat st {};
    std::string text;
    if (::fstat(fd, &st) == 0 && st.st_size < 4096) ReadAll(fd, text, st.st_size);
    Counters c = ParseCounters(text);
    c += delta;
    std::string out = FormatCounters(c);
    if (::pwrite(fd, out.data(), out.size(), 0) == static_cast<ssize_t>(out.size())) {
      (void)::ftruncate(fd, static_cast<off_t>(out.size()));
    }
  }
  ::close(fd);  // releases the lock
}

Counters DiskCache::ReadCounters() const {
  std::string path = dir_ + "/" + kStatsFile;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  struct stat st {};
  if (::flock(fd, LOCK_SH) == 0 && ::fstat(fd, &st) == 0 && st.st_size < 4096) {
    ReadAll(fd, text, st.st_size);
  }
  ::close(fd);
  return ParseCounters(text);
}

}  // namespace triton::cache
