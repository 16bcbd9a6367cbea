#include "triton/driver/bench_accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "triton/base/file.h"
#include "triton/driver/bench_machine.h"
#include "triton/driver/eval.h"
#include "triton/driver/zoo.h"
#include "triton/driver/zoo_info.h"

namespace triton::driver {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Fraction(double v) { return v >= 0 && std::isfinite(v) ? json(v) : json(nullptr); }

// A number field of `j`, or null when absent or not a number.
json NumberOrNull(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? *it : json(nullptr);
}

std::string StringOr(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// The value of `--name VALUE` or `--name=VALUE` in a recorded command line, or "".
std::string CommandOption(const std::string& command, const std::string& name) {
  std::istringstream in(command);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == name && i + 1 < words.size()) return words[i + 1];
    if (words[i].rfind(name + "=", 0) == 0) return words[i].substr(name.size() + 1);
  }
  return "";
}

// "cifar10:PATH" -> "cifar10", "fashion_mnist" -> "fashion-mnist".
std::string DatasetName(const std::string& spec) {
  if (spec.empty()) return "";
  Result<DatasetRef> r = ParseDatasetRef(spec);
  return r.ok() ? r.value().name : spec.substr(0, spec.find(':'));
}

// The quantization method of a zoo model's ternary parameters ("twn"), or "".
std::string ZooDefaultMethod(const std::string& model) {
  if (!FindZooModel(model)) return "";
  Result<ir::Module> m = CompileZooModel(model, 0);
  if (!m.ok()) return "";
  for (const ir::Param& p : m.value().params) {
    if (p.ternary) return p.quant.method;
  }
  return "";
}

bool IsTrainResultName(const fs::path& p) {
  const std::string n = p.filename().string();
  return n == "train.json" || (n.size() > 11 && n.ends_with(".train.json"));
}

}  // namespace

Result<json> TrainRunRecord(const std::string& file, const json& train, const json& log_options) {
  if (!train.is_object()) return Status::Error(file + ": not a JSON object");
  auto epochs_it = train.find("epochs");
  if (epochs_it == train.end() || !epochs_it->is_array()) {
    return Status::Error(file + ": not a `triton train --json` result (no \"epochs\" array)");
  }
  json options =
      train.contains("options") && train["options"].is_object() ? train["options"] : log_options;
  if (!options.is_object()) options = json::object();
  const std::string command = StringOr(train, "command");

  std::string model = StringOr(train, "model", StringOr(options, "model"));
  std::string dataset = DatasetName(StringOr(options, "data"));
  if (dataset.empty()) dataset = DatasetName(CommandOption(command, "--data"));
  // The qat method: "" = the model's own (no --method), "none" = the FP32 baseline.
  std::string method;
  if (options.contains("qat") && options["qat"].is_object() && options["qat"].contains("method") &&
      options["qat"]["method"].is_string()) {
    method = options["qat"]["method"].get<std::string>();
  } else {
    method = CommandOption(command, "--method");
  }
  const bool fp32 = method == "none";
  std::string resolved = method.empty() ? ZooDefaultMethod(model) : method;

  double final_acc = -1, best_acc = -1;
  for (const json& e : *epochs_it) {
    if (!e.is_object() || !e.contains("test_acc") || !e["test_acc"].is_number()) continue;
    final_acc = e["test_acc"].get<double>();
    best_acc = std::max(best_acc, final_acc);
  }
  json recipe = train.contains("recipe") ? train["recipe"] : options.value("recipe", json());
  json planned = recipe.is_object() ? NumberOrNull(recipe, "epochs") : json(nullptr);
  std::string device = CommandOption(command, "--device");
  json r = {{"file", file},
            {"model", model},
            {"dataset", dataset},
            {"method", method},
            {"method_resolved", resolved},
            {"kind", fp32 ? "fp32" : "ternary"},
            {"ternary_acc", NumberOrNull(train, "ternary_acc")},
            {"ternary_acc_fp32_act", NumberOrNull(train, "ternary_acc_fp32_act")},
            {"fp32_acc", NumberOrNull(train, "fp32_acc")},
            {"torch_test_acc", NumberOrNull(train, "torch_test_acc")},
            {"final_test_acc", Fraction(final_acc)},
            {"best_test_acc", Fraction(best_acc)},
            {"epochs", epochs_it->size()},
            {"planned_epochs", planned},
            {"seconds", NumberOrNull(train, "seconds")},
            {"interrupted", train.contains("interrupted") && train["interrupted"].is_boolean() &&
                                train["interrupted"].get<bool>()},
            {"device", device.empty() ? "cpu" : device},
            {"seed", NumberOrNull(options, "seed")},
            {"recipe", recipe},
            {"command", command}};
  // The runtime's accuracy of the package that is this run's result: the FP32 package for the
  // FP32 baseline, the ternary package otherwise.
  r["accuracy"] = fp32 ? r["fp32_acc"] : r["ternary_acc"];
  return r;
}

Result<json> RunAccuracyBench(const AccuracyBenchOptions& o, bool* failed) {
  if (failed) *failed = false;
  for (const std::string& d : o.run_dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) return Status::Error(d + ": no such directory (--runs)");
  }
  const std::string dir = o.pretrained_dir.empty() ? PretrainedDir() : o.pretrained_dir;
  json j = {{"schema", kAccuracyBenchSchema},
            {"machine", MachineJson(o.cpu.isa, o.cpu.threads)},
            {"pretrained_dir", DisplayPath(dir)}};
  json skipped = json::array();

  const PretrainedScan scan = ScanPretrained(dir);
  for (const std::string& w : scan.warnings) skipped.push_back({{"file", dir}, {"reason", w}});
  auto wanted = [&](const std::string& model) {
    return o.models.empty() || std::find(o.models.begin(), o.models.end(), model) != o.models.end();
  };
  json pretrained = json::array();
  for (const PretrainedPackage& p : scan.packages) {
    if (!wanted(p.model)) continue;
    if (o.progress) o.progress("accuracy: " + p.path);
    json e = {{"path", p.path},
              {"file_bytes", p.file_bytes},
              {"model", p.model},
              {"dataset", p.dataset},
              {"quantization", p.quantization},
              {"kind", p.quantization.empty() ? "fp32" : "ternary"},
              {"recorded_accuracy", Fraction(p.accuracy)},
              {"recorded_accuracy_torch", Fraction(p.accuracy_torch)},
              {"measured", nullptr},
              {"recipe", p.recipe},
              {"train_command", p.train_command},
              {"train_device", nullptr},
              {"epochs", p.epochs},
              {"train_seconds", p.train_seconds},
              {"eval_command", p.EvalCommand()}};
    Result<Model> model = LoadModel(p.path);
    if (!model.ok()) {
      e["error"] = model.status().message();
      if (failed) *failed = true;
      pretrained.push_back(e);
      continue;
    }
    auto dev = model.value().meta.extra.find("train.device");
    if (dev != model.value().meta.extra.end()) e["train_device"] = dev->second;
    if (o.evaluate) {
      std::string error;
      if (p.dataset.empty()) {
        error = p.path + ": the package records no data set (data.name)";
      } else {
        Result<DatasetRef> ref = ParseDatasetRef(p.dataset);
        EvalOptions eo;
        eo.limit = o.limit;
        eo.cpu = o.cpu;
        eo.cpu.quantize_activations = true;
        Result<std::unique_ptr<data::InMemoryDataset>> d =
            ref.ok() ? LoadDataset(ref.value(), eo.split)
                     : Result<std::unique_ptr<data::InMemoryDataset>>(ref.status());
        if (!d.ok()) {
          error = d.status().message();
        } else {
          Result<EvalResult> r = Evaluate(model.value(), *d.value(), ref.value().name, eo);
          if (!r.ok()) {
            error = r.status().message();
          } else {
            e["measured"] = {{"top1", r.value().top1},           {"top5", r.value().top5},
                             {"samples", r.value().samples},     {"split", r.value().split},
                             {"act_quant", r.value().act_quant}, {"isa", r.value().isa},
                             {"threads", r.value().threads},     {"seconds", r.value().seconds}};
          }
        }
      }
      if (!error.empty()) {
        e["error"] = error;
        if (failed) *failed = true;
      }
    }
    pretrained.push_back(e);
  }
  j["pretrained"] = pretrained;

  json runs = json::array();
  for (const std::string& d : o.run_dirs) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(d, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file(ec) && IsTrainResultName(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string shown = DisplayPath(f.string());
      if (o.progress) o.progress("accuracy: run " + shown);
      Result<std::string> text = base::ReadFile(f.string());
      if (!text.ok()) {
        skipped.push_back({{"file", shown}, {"reason", text.status().message()}});
        continue;
      }
      json train = json::parse(text.value(), nullptr, false);
      if (train.is_discarded()) {
        skipped.push_back(
            {{"file", shown}, {"reason", text.value().empty() ? "empty file" : "not valid JSON"}});
        continue;
      }
      json log_options;
      const fs::path log = f.parent_path() / "log.json";
      if (fs::is_regular_file(log, ec)) {
        Result<std::string> lt = base::ReadFile(log.string());
        if (lt.ok()) {
          json l = json::parse(lt.value(), nullptr, false);
          if (l.is_object() && l.contains("options")) log_options = l["options"];
        }
      }
      Result<json> r = TrainRunRecord(shown, train, log_options);
      if (!r.ok()) {
        skipped.push_back({{"file", shown}, {"reason", r.status().message()}});
        continue;
      }
      if (wanted(r.value()["model"].get<std::string>())) runs.push_back(r.value());
    }
  }
  j["runs"] = runs;
  j["skipped"] = skipped;
  return j;
}

}  // namespace triton::driver
