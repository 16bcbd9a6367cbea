#pragma once
// Test support: runs the `triton` binary as a user would, through the shell.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace triton::testing {

struct CliOutput {
  int code = -1;  // exit status; -1 when the process did not exit normally
  std::string out, err;
};

// Runs `binary args` (args already shell-quoted where needed): stdout is captured, stderr goes
// to `err_file` and is read back into `err`.
inline CliOutput RunCli(const std::string& binary, const std::string& args,
                        const std::string& err_file) {
  const std::string cmd = binary + " " + args + " 2>" + err_file;
  CliOutput o;
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return o;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int status = ::pclose(p);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  o.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
  return o;
}

}  // namespace triton::testing
