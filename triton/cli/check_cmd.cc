// `triton check FILE...`: parse, name-check, type-check and elaborate every model and every
// layer that can be built alone; print all diagnostics. Exit 0 when every file is clean.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"

namespace triton::cli {

void AddCheck(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("check", "Check .tri files: syntax, names, types, shapes, ternary rules");
  auto files = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("text");
  auto imports = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "source files")->required();
  cmd->add_option("--diagnostics", *format, "diagnostic output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-I,--import-path", *imports, "extra directories searched by import");
  cmd->callback([files, format, imports, &exit_code] {
    int worst = kOk;
    for (const std::string& f : *files) {
      driver::CompileOptions o;
      o.check_only = true;
      o.import_paths = *imports;
      driver::FileCompileResult r = driver::CompileFile(f, o);
      if (!r.read_error.empty()) {
        std::fprintf(stderr, "triton: error: %s\n", r.read_error.c_str());
        worst = std::max(worst, static_cast<int>(kUserError));
        continue;
      }
      worst = std::max(worst, ReportDiagnostics(r, *format));
    }
    exit_code = worst;
  });
}

}  // namespace triton::cli
