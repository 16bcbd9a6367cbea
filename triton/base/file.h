#pragma once
// Whole-file reading with messages that name the file and the problem.
#include <string>

#include "triton/base/status.h"

namespace triton::base {

// Reads the whole file as bytes. Errors: "PATH: no such file", "PATH: is a directory", ...
Result<std::string> ReadFile(const std::string& path);

}  // namespace triton::base
