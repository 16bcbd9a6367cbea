#pragma once
// Whole-file reading with messages that name the file and the problem.
#include <string>

#include "triton/base/status.h"

namespace triton::base {

// Reads the whole file as bytes. Errors: "PATH: no such file", "PATH: is a directory", ...
// With `canonical`, also sets *canonical to the absolute path of the file it opened, with every
// symbolic link, `.` and `..` resolved (realpath(3)'s answer, asked of the open file: one system
// call instead of one per path component; `path` itself if neither can tell). Unchanged on an
// error.
Result<std::string> ReadFile(const std::string& path, std::string* canonical = nullptr);

// The canonical path (as above) of `path` if it names a regular file, else "". With `text`, the
// file is read as well (*text: its bytes or the read's error; unchanged when "" is returned),
// through the open that asks its canonical path: resolving an `import` and reading it cost a
// stat and one open, not a stat, a realpath and an open. Nothing but a regular file is opened
// (opening a FIFO blocks; opening a device can act on it).
std::string RegularFile(const std::string& path, Result<std::string>* text = nullptr);

}  // namespace triton::base
