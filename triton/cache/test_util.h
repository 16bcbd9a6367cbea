#pragma once
// Test helpers for the cache: a temporary directory removed with everything in it.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace triton::cache::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/triton-cache-test-XXXXXX";
    char* p = ::mkdtemp(templ.data());
    if (p) path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    // Undo chmod 0555 of any test before removing.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec)) ::chmod(it->path().c_str(), 0755);
    }
    ::chmod(path_.c_str(), 0755);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// True when permission bits do not stop this process (root, CAP_DAC_OVERRIDE): chmod-based
// read-only tests must be skipped then.
inline bool PermissionsAreBypassed(const std::string& dir) {
  std::string probe = dir + "/.probe";
  ::mkdir(probe.c_str(), 0755);
  ::chmod(probe.c_str(), 0555);
  std::string f = probe + "/x";
  FILE* fp = std::fopen(f.c_str(), "w");
  bool bypassed = fp != nullptr;
  if (fp) std::fclose(fp);
  ::unlink(f.c_str());
  ::chmod(probe.c_str(), 0755);
  ::rmdir(probe.c_str());
  return bypassed;
}

}  // namespace triton::cache::testing
