#pragma once
// Shared by the subcommands: exit codes (DESIGN.md §3) and diagnostic output.
#include <string>

#include "triton/driver/compile.h"

namespace triton::cli {

enum Exit { kOk = 0, kUserError = 1, kUsage = 2, kInternal = 3 };

// Prints the diagnostics of a compile to stderr as text (colored on a TTY) or to stdout as JSON
// (`--diagnostics=json`). Returns kUserError when there were errors, kInternal when the
// verifier rejected the IR, else kOk.
int ReportDiagnostics(const driver::CompileResult& r, const std::string& format);

}  // namespace triton::cli
