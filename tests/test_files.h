#pragma once
// File helpers shared by the end-to-end tests that read inputs from the source tree.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::test_files {

// The repository root as a prefix for reading files: "" when the tests run there (ctest does),
// else the source directory the test was built from. `dir` is a folder known to exist under it.
inline std::string RepoRoot(const char* dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return "";
  return std::string(TRITON_SOURCE_DIR) + "/";
}

// The whole file as bytes ("" when it cannot be read).
inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace triton::test_files
