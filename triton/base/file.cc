#include "triton/base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace triton::base {

// Plain open/fstat/read: the compile cache reads every source file on each compile (to key it),
// and an ifstream plus a string stream cost several times the system calls themselves.

namespace {

// Closes the descriptor it holds.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status OpenError(const std::string& path, int err) {
  if (err == ENOENT || err == ENOTDIR) return Status::Error(path + ": " + std::strerror(err));
  return Status::Error(path + ": cannot open: " + std::strerror(err));
}

// Reads the open regular file or stream `fd` to its end; `size_hint` from its fstat.
Result<std::string> ReadAll(const std::string& path, int fd, off_t size_hint) {
  // st_size is a hint: the file may grow or shrink while it is read, and pipes and /proc files
  // report 0. Read until end of file, growing the buffer as needed.
  std::string out;
  out.resize(size_hint > 0 ? static_cast<size_t>(size_hint) + 1 : 4096);
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(path + ": read error: " + std::strerror(errno));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  out.resize(used);
  return out;
}

// realpath(3) of `path`, or "".
std::string RealPath(const std::string& path) {
  char* r = ::realpath(path.c_str(), nullptr);
  std::string out = r ? r : "";
  std::free(r);
  return out;
}

// The canonical path of the file open as `fd` (opened as `path`): the kernel's name for it
// (/proc/self/fd), else realpath(3) of `path`, else "".
std::string CanonicalOf(int fd, const std::string& path) {
  char link[32];
  char buf[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, buf, sizeof buf);
  if (n > 0 && n < static_cast<ssize_t>(sizeof buf) && buf[0] == '/') {
    std::string_view name(buf, static_cast<size_t>(n));
    // Removed since it was opened: the kernel's name is no path any more.
    constexpr std::string_view kDeleted = " (deleted)";
    if (!name.ends_with(kDeleted)) return std::string(name);
  }
  return RealPath(path);
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, std::string* canonical) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return OpenError(path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return Status::Error(path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::Error(path + ": is a directory, not a file");
  Result<std::string> text = ReadAll(path, f.fd, st.st_size);
  if (text.ok() && canonical) {
    std::string c = CanonicalOf(f.fd, path);
    *canonical = c.empty() ? path : std::move(c);
  }
  return text;
}

std::string RegularFile(const std::string& path, Result<std::string>* text) {
  // stat first: opening a device or FIFO can have effects of its own (a FIFO blocks for a
  // writer, some devices act on open), and only a regular file is wanted.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  struct stat opened {};
  if (f.fd < 0 || ::fstat(f.fd, &opened) != 0) {
    // Found but not readable (no read permission): the read's error is the caller's to report.
    const int err = errno;
    std::string out = RealPath(path);
    if (text) *text = OpenError(path, err);
    return out.empty() ? path : out;
  }
  // Replaced between the stat and the open: not the regular file that was found.
  if (!S_ISREG(opened.st_mode)) return "";
  std::string out = CanonicalOf(f.fd, path);
  if (out.empty()) out = path;
  if (text) *text = ReadAll(path, f.fd, opened.st_size);
  return out;
}

}  // namespace triton::base
