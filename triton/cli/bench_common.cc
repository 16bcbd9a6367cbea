#include "triton/cli/bench_common.h"

#include <cstdio>
#include <fstream>
#include <sstream>

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

}  // namespace triton::cli
