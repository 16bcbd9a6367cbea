#include "triton/cli/bench_common.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "triton/cli/common.h"

namespace triton::cli {

CLI::App* BenchApp(CLI::App& app) { return app.get_subcommand("bench"); }

int BenchFail(int code, const std::string& message) {
  std::fprintf(stderr, "triton: error: %s\n", message.c_str());
  return code;
}

bool WriteJsonFile(const std::string& path, const nlohmann::json& j, std::string* error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << j.dump(2) << "\n";
  f.close();
  if (!f) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int FinishBench(const std::string& text, const nlohmann::json& j, const std::string& json_path,
                bool quiet, bool failed) {
  std::fputs(text.c_str(), stdout);
  if (!json_path.empty()) {
    std::string error;
    if (!WriteJsonFile(json_path, j, &error)) return BenchFail(kUserError, error);
    if (!quiet) std::fprintf(stderr, "wrote %s\n", json_path.c_str());
  }
  return failed ? kUserError : kOk;
}

}  // namespace triton::cli
