#pragma once
// A fresh directory under the system's temporary directory, removed with everything in it when
// the object goes. `path` is empty when it could not be created (callers report that).
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace triton::base {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "triton") {
    std::error_code ec;
    std::string templ =
        std::filesystem::temp_directory_path(ec).string() + "/" + prefix + "-XXXXXX";
    if (!ec && ::mkdtemp(templ.data())) path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace triton::base
