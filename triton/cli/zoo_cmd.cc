// `triton zoo list [--json]` and `triton zoo show NAME [--json]`: every zoo model with its
// architecture, data set, input, parameters, MACs, measured package sizes (FP32, 2-bit, base-3)
// and pretrained packages (driver/zoo_info.h has the method).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/zoo.h"
#include "triton/driver/zoo_info.h"
#include "triton/report/format.h"

namespace triton::cli {

namespace {

struct ZooArgs {
  std::string name;
  bool json = false;
};

// One formatting of counts for the CLI and the generated pages (report/format.h).
std::string WithCommas(uint64_t v) { return report::Commas(static_cast<int64_t>(v)); }
using report::Si;

std::string Mb(uint64_t bytes) { return fmt::format("{:.2f}", static_cast<double>(bytes) / 1e6); }

double Ratio(uint64_t fp32, uint64_t b) {
  return b ? static_cast<double>(fp32) / static_cast<double>(b) : 0.0;
}

std::string Shape(const std::vector<int64_t>& s, const char* sep) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? sep : "") + std::to_string(s[i]);
  return out;
}

std::string Percent(double fraction) { return fmt::format("{:.2f} %", 100 * fraction); }

void PrintWarnings(const driver::PretrainedScan& scan) {
  for (const std::string& w : scan.warnings) {
    std::fprintf(stderr, "triton: warning: skipping a pretrained package: %s\n", w.c_str());
  }
}

int List(const ZooArgs& a) {
  const driver::PretrainedScan scan = driver::ScanPretrained(driver::PretrainedDir());
  PrintWarnings(scan);
  const bool progress = ::isatty(2) != 0;
  std::vector<driver::ZooInfo> infos;
  int code = kOk;
  for (const driver::ZooEntry& e : driver::ZooModels()) {
    if (progress) std::fprintf(stderr, "\rmeasuring %-20s", std::string(e.name).c_str());
    Result<driver::ZooInfo> z = driver::DescribeZooModel(e.name, scan);
    if (!z.ok()) {
      if (progress) std::fputs("\r", stderr);
      std::fprintf(stderr, "triton: error: %s\n", z.status().message().c_str());
      code = kUserError;
      continue;
    }
    infos.push_back(std::move(z.value()));
  }
  if (progress) std::fprintf(stderr, "\r%30s\r", "");
  // Packages whose model is no zoo model are still worth a line.
  std::vector<const driver::PretrainedPackage*> others;
  for (const driver::PretrainedPackage& p : scan.packages) {
    if (!driver::FindZooModel(p.model)) others.push_back(&p);
  }
  if (a.json) {
    nlohmann::json models = nlohmann::json::array(), other = nlohmann::json::array();
    for (const driver::ZooInfo& z : infos) models.push_back(z.ToJson());
    for (const driver::PretrainedPackage* p : others) other.push_back(p->ToJson());
    nlohmann::json j = {
        {"models", models}, {"models_dir", driver::ZooModelsDir()}, {"other_pretrained", other}};
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
    return code;
  }
  std::string out =
      fmt::format("{:<16} {:<14} {:<11} {:>8} {:>8} {:>8} {:>8}  {:>17}  {:>17}  {}\n", "model",
                  "data set", "input", "params", "ternary", "MACs", "FP32 MB", "2-bit MB (ratio)",
                  "base-3 MB (ratio)", "pretrained");
  for (const driver::ZooInfo& z : infos) {
    std::string pre = "-";
    if (!z.pretrained.empty()) {
      const driver::PretrainedPackage& best = z.pretrained.front();
      pre = best.accuracy >= 0 ? Percent(best.accuracy) : "yes";
      if (z.pretrained.size() > 1) pre += fmt::format(" (+{} more)", z.pretrained.size() - 1);
    }
    out += fmt::format("{:<16} {:<14} {:<11} {:>8} {:>8} {:>8} {:>8}  {:>17}  {:>17}  {}\n", z.name,
                       z.dataset, Shape(z.input_shape, "x"), Si(static_cast<double>(z.parameters)),
                       Si(static_cast<double>(z.ternary_parameters)),
                       Si(static_cast<double>(z.macs)), Mb(z.fp32_bytes),
                       fmt::format("{:>8} ({:>5.2f}x)", Mb(z.ternary_2bit_bytes),
                                   Ratio(z.fp32_bytes, z.ternary_2bit_bytes)),
                       fmt::format("{:>8} ({:>5.2f}x)", Mb(z.ternary_base3_bytes),
                                   Ratio(z.fp32_bytes, z.ternary_base3_bytes)),
                       pre);
  }
  out +=
      "MACs per sample; MB = 10^6 bytes of the .tnn file, measured (ratio: FP32 / ternary); "
      "pretrained: best top-1 of models/pretrained. `triton zoo show NAME` for details.\n";
  for (const driver::PretrainedPackage* p : others) {
    out += fmt::format("pretrained package of no zoo model: {} (model '{}')\n", p->path, p->model);
  }
  std::fputs(out.c_str(), stdout);
  return code;
}

std::string ShowText(const driver::ZooInfo& z) {
  std::string out = fmt::format("{}: {}\n", z.name, z.description);
  auto row = [&](const char* key, const std::string& value) {
    out += fmt::format("  {:<16}{}\n", key, value);
  };
  row("source", z.file + " --model " + z.name);
  row("data set", z.dataset);
  row("input", "[N, " + Shape(z.input_shape, ", ") + "]");
  const double share =
      z.parameters ? static_cast<double>(z.ternary_parameters) / static_cast<double>(z.parameters)
                   : 0.0;
  std::string params = fmt::format("{} ({} ternary, {:.1f}%)", WithCommas(z.parameters),
                                   WithCommas(z.ternary_parameters), 100 * share);
  if (z.buffer_elements)
    params += fmt::format("; {} buffer elements", WithCommas(z.buffer_elements));
  row("parameters", params);
  row("MACs", WithCommas(z.macs) + " per sample");
  row("ternary layers", z.ternary_quantization.empty() ? "none" : z.ternary_quantization);
  out += "  package sizes (.tnn files at -O2, measured by serializing them):\n";
  row("  FP32", fmt::format("{:>13} bytes {:>9} MB", WithCommas(z.fp32_bytes), Mb(z.fp32_bytes)));
  row("  2-bit", fmt::format("{:>13} bytes {:>9} MB  {:.2f}x smaller than FP32",
                             WithCommas(z.ternary_2bit_bytes), Mb(z.ternary_2bit_bytes),
                             Ratio(z.fp32_bytes, z.ternary_2bit_bytes)));
  row("  base-3", fmt::format("{:>13} bytes {:>9} MB  {:.2f}x smaller than FP32",
                              WithCommas(z.ternary_base3_bytes), Mb(z.ternary_base3_bytes),
                              Ratio(z.fp32_bytes, z.ternary_base3_bytes)));
  row("  write them", z.CompileCommand());
  if (z.pretrained.empty()) {
    row("pretrained", "none (in " + driver::PretrainedDir() + ")");
    return out;
  }
  for (const driver::PretrainedPackage& p : z.pretrained) {
    row("pretrained", fmt::format("{} ({} bytes)", p.path, WithCommas(p.file_bytes)));
    row("  data set", p.dataset.empty() ? "not recorded" : p.dataset);
    std::string acc =
        p.accuracy >= 0 ? Percent(p.accuracy) + " top-1 (the runtime, at export)" : "not recorded";
    if (p.accuracy_torch >= 0) acc += "; QAT model in libtorch " + Percent(p.accuracy_torch);
    row("  accuracy", acc);
    row("  quantization", p.quantization.empty() ? "none (FP32)" : p.quantization);
    if (!p.recipe.empty()) row("  recipe", p.recipe);
    if (!p.epochs.empty() || !p.train_seconds.empty()) {
      row("  trained", (p.epochs.empty() ? "" : p.epochs + " epochs") +
                           (p.epochs.empty() || p.train_seconds.empty() ? "" : ", ") +
                           (p.train_seconds.empty() ? "" : p.train_seconds + " s"));
    }
    row("  reproduce", p.train_command.empty() ? "not recorded" : p.train_command);
    row("  re-measure", p.EvalCommand());
  }
  return out;
}

int Show(const ZooArgs& a) {
  if (!driver::FindZooModel(a.name)) {
    std::fprintf(stderr, "triton: error: unknown zoo model '%s'; known models: %s\n",
                 a.name.c_str(), driver::ZooModelNames().c_str());
    return kUserError;
  }
  const driver::PretrainedScan scan = driver::ScanPretrained(driver::PretrainedDir());
  PrintWarnings(scan);
  Result<driver::ZooInfo> z = driver::DescribeZooModel(a.name, scan);
  if (!z.ok()) {
    std::fprintf(stderr, "triton: error: %s\n", z.status().message().c_str());
    return kUserError;
  }
  std::string out = a.json ? z.value().ToJson().dump(2) + "\n" : ShowText(z.value());
  std::fputs(out.c_str(), stdout);
  return kOk;
}

}  // namespace

void AddZoo(CLI::App& app, int& exit_code) {
  auto* zoo = app.add_subcommand("zoo", "The model zoo: architectures, sizes, pretrained packages");
  zoo->require_subcommand(1);
  auto a = std::make_shared<ZooArgs>();
  auto* list = zoo->add_subcommand("list", "one row per zoo model");
  list->add_flag("--json", a->json, "print one JSON object");
  list->callback([a, &exit_code] { exit_code = List(*a); });
  auto* show = zoo->add_subcommand("show", "everything about one zoo model");
  show->add_option("name", a->name, "zoo model (`triton zoo list`)")->required();
  show->add_flag("--json", a->json, "print one JSON object");
  show->callback([a, &exit_code] { exit_code = Show(*a); });
}

}  // namespace triton::cli
