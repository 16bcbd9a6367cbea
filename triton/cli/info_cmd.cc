// `triton info model.tnn [--json]`: tensors, parameters, ternary share, sparsity, bits per weight,
// file bytes and the FP32-equivalent bytes.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"

namespace triton::cli {

void AddInfo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("info", "Describe a .tnn package");
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("file", *file, "package (.tnn)")->required();
  cmd->add_flag("--json", *json, "print one JSON object");
  cmd->callback([file, json, &exit_code] {
    Result<format::Package> p = format::ReadPackage(*file);
    if (!p.ok()) {
      std::fprintf(stderr, "triton: error: %s\n", p.status().message().c_str());
      exit_code = kUserError;
      return;
    }
    struct stat st {};
    uint64_t bytes = ::stat(file->c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    nlohmann::json info = driver::PackageInfo(p.value(), bytes);
    info["file"] = *file;
    std::string out = *json ? info.dump(2) + "\n" : driver::PackageInfoText(info);
    std::fputs(out.c_str(), stdout);
    exit_code = kOk;
  });
}

}  // namespace triton::cli
