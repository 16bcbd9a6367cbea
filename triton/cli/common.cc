#include "triton/cli/common.h"

#include <unistd.h>

#include <cstdio>

namespace triton::cli {

int ReportDiagnostics(const driver::CompileResult& r, const std::string& format) {
  if (format == "json") {
    std::fputs((r.diags->RenderJson() + "\n").c_str(), stdout);
  } else if (!r.diags->diagnostics().empty()) {
    std::string text = r.diags->RenderText(isatty(STDERR_FILENO) && !std::getenv("NO_COLOR"));
    std::fputs(text.c_str(), stderr);
    if (r.diags->error_count() > 1) {
      std::fprintf(stderr, "%zu errors\n", r.diags->error_count());
    }
  }
  if (r.diags->has_errors()) return kUserError;
  if (!r.verify_errors.empty()) {
    std::fprintf(stderr, "triton: internal error: the IR failed verification:\n");
    for (const std::string& e : r.verify_errors) std::fprintf(stderr, "  %s\n", e.c_str());
    return kInternal;
  }
  return kOk;
}

}  // namespace triton::cli
