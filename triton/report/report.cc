#include "triton/report/report.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "triton/report/accuracy_page.h"
#include "triton/report/compile_page.h"
#include "triton/report/performance_page.h"
#include "triton/report/readme_page.h"
#include "triton/report/zoo_page.h"

namespace triton::report {

namespace fs = std::filesystem;

std::vector<OutputFile> BuildReport(const Results& r) {
  std::vector<OutputFile> out = {ReadmePage(r)};
  for (auto page : {PerformancePage, ZooPage, AccuracyPage, CompilePage}) {
    std::vector<OutputFile> files = page(r);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

Status WriteReport(const std::vector<OutputFile>& files, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Error(dir + ": " + ec.message());
  for (const OutputFile& f : files) {
    const std::string path = (fs::path(dir) / f.name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << f.contents;
    out.close();
    if (!out) return Status::Error(path + ": cannot be written");
  }
  return Status();
}

ReportDiff CompareReport(const std::vector<OutputFile>& files, const std::string& dir) {
  ReportDiff d;
  for (const OutputFile& f : files) {
    const fs::path path = fs::path(dir) / f.name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      d.missing.push_back(f.name);
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str() != f.contents) d.differ.push_back(f.name);
  }
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const std::string ext = e.path().extension().string();
    if (ext != ".md" && ext != ".svg") continue;
    const bool generated = std::any_of(files.begin(), files.end(),
                                       [&](const OutputFile& f) { return f.name == name; });
    if (!generated) d.stale.push_back(name);
  }
  std::sort(d.stale.begin(), d.stale.end());
  return d;
}

}  // namespace triton::report
