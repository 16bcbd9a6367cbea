#include "triton/driver/zoo_info.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "triton/driver/eval.h"
#include "triton/driver/weights.h"
#include "triton/driver/zoo.h"
#include "triton/format/package.h"
#include "triton/ir/printer.h"

namespace triton::driver {

namespace fs = std::filesystem;

namespace {

// `p` relative to the working directory when it lies below it ("models/vgg.tri"), else as given.
std::string DisplayPath(const fs::path& p) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return p.string();
  const fs::path abs = fs::absolute(p, ec).lexically_normal();
  if (ec) return p.string();
  const fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return p.string();
  return rel.string();
}

std::string Extra(const format::Metadata& m, const char* key) {
  auto it = m.extra.find(key);
  return it == m.extra.end() ? "" : it->second;
}

double ParseAccuracy(const std::string& s) {
  if (s.empty()) return -1;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0' && std::isfinite(v) ? v : -1;
}

// Shell-quotes `s` when it holds anything but [A-Za-z0-9_./:=,+-].
std::string Quote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) ||
                      std::string_view("_./:=,+-").find(c) != std::string_view::npos);
  }
  if (plain) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The bytes of the serialized package (the size of the file WritePackage writes).
uint64_t SerializedBytes(const format::Package& p) { return format::SerializePackage(p).size(); }

}  // namespace

std::string PretrainedPackage::EvalCommand() const {
  std::string cmd = "triton eval " + Quote(path);
  if (!dataset.empty()) cmd += " --data " + Quote(dataset);
  return cmd;
}

nlohmann::json PretrainedPackage::ToJson() const {
  nlohmann::json j = {{"path", path},
                      {"file_bytes", file_bytes},
                      {"model", model},
                      {"dataset", dataset},
                      {"quantization", quantization},
                      {"recipe", recipe},
                      {"train_command", train_command},
                      {"eval_command", EvalCommand()}};
  j["accuracy"] = accuracy >= 0 ? nlohmann::json(accuracy) : nlohmann::json(nullptr);
  j["accuracy_torch"] =
      accuracy_torch >= 0 ? nlohmann::json(accuracy_torch) : nlohmann::json(nullptr);
  j["train_seconds"] = train_seconds;
  j["epochs"] = epochs;
  return j;
}

PretrainedScan ScanPretrained(const std::string& dir) {
  PretrainedScan scan;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return scan;
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".tnn" && e.is_regular_file(ec)) files.push_back(e.path());
  }
  if (ec) scan.warnings.push_back(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    Result<format::Package> p = format::ReadPackage(f.string());
    if (!p.ok()) {
      scan.warnings.push_back(p.status().message());
      continue;
    }
    const format::Metadata& m = p.value().meta;
    PretrainedPackage pp;
    pp.path = DisplayPath(f);
    pp.file_bytes = fs::file_size(f, ec);
    pp.model = m.model_name;
    pp.dataset = Extra(m, kMetaDataName);
    pp.accuracy =
        std::isfinite(m.accuracy) ? m.accuracy : ParseAccuracy(Extra(m, kMetaTrainAccuracy));
    pp.accuracy_torch = ParseAccuracy(Extra(m, kMetaTrainAccuracyTorch));
    pp.quantization = m.quantization;
    pp.recipe = Extra(m, kMetaTrainRecipe);
    pp.train_command = Extra(m, kMetaTrainCommand);
    pp.train_seconds = Extra(m, kMetaTrainSeconds);
    pp.epochs = Extra(m, kMetaTrainEpochs);
    scan.packages.push_back(std::move(pp));
  }
  return scan;
}

std::string ZooInfo::CompileCommand() const {
  return "triton compile " + Quote(file) + " --model " + name + " -o " + name +
         ".tnn && triton quantize " + name + ".tnn -o " + name + "_2bit.tnn --format 2bit" +
         " && triton quantize " + name + ".tnn -o " + name + "_base3.tnn --format base3";
}

nlohmann::json ZooInfo::ToJson() const {
  auto ratio = [&](uint64_t b) {
    return b ? static_cast<double>(fp32_bytes) / static_cast<double>(b) : 0.0;
  };
  nlohmann::json pre = nlohmann::json::array();
  for (const PretrainedPackage& p : pretrained) pre.push_back(p.ToJson());
  return {{"name", name},
          {"description", description},
          {"file", file},
          {"dataset", dataset},
          {"input_shape", input_shape},
          {"parameters", parameters},
          {"ternary_parameters", ternary_parameters},
          {"ternary_share",
           parameters ? static_cast<double>(ternary_parameters) / static_cast<double>(parameters)
                      : 0.0},
          {"buffer_elements", buffer_elements},
          {"macs", macs},
          {"ternary_quantization", ternary_quantization},
          {"sizes",
           {{"fp32_bytes", fp32_bytes},
            {"ternary_2bit_bytes", ternary_2bit_bytes},
            {"ternary_base3_bytes", ternary_base3_bytes},
            {"ternary_2bit_ratio", ratio(ternary_2bit_bytes)},
            {"ternary_base3_ratio", ratio(ternary_base3_bytes)},
            {"weights", "constant (a package's size does not depend on its weight values)"},
            {"command", CompileCommand()}}},
          {"pretrained", pre}};
}

Result<ZooInfo> DescribeZooModel(std::string_view name, const PretrainedScan& scan) {
  const ZooEntry* e = FindZooModel(name);
  if (!e) {
    return Status::Error("unknown zoo model '" + std::string(name) +
                         "'; known models: " + ZooModelNames());
  }
  std::string source_hash;
  Result<ir::Module> compiled = CompileZooModel(name, 2, &source_hash);
  if (!compiled.ok()) return compiled.status();
  const ir::Module& m = compiled.value();

  ZooInfo z;
  z.name = std::string(e->name);
  z.description = std::string(e->description);
  z.file = DisplayPath(fs::path(ZooModelsDir()) / e->file);
  z.dataset = std::string(e->dataset);
  z.input_shape = e->input_shape;
  z.parameters = m.ParameterCount();
  z.ternary_parameters = m.TernaryParameterCount();
  for (const ir::Param& p : m.params) {
    if (!p.trainable) z.buffer_elements += m.type(p.value).num_elements();
  }
  z.macs = m.MacCount();

  // The package `triton compile -o` writes (seed 0), with every weight 1 instead of the seeded
  // draw (see zoo_info.h): InitialPackage of a copy whose parameters say init=ones, with the
  // original's IR text.
  ir::Module ones = m;
  for (ir::Param& p : ones.params) p.init = "ones";
  format::Package pkg = InitialPackage(ones, 0, source_hash);
  pkg.ir_text = ir::Print(m);
  z.fp32_bytes = SerializedBytes(pkg);
  // Ternarized once, in place: each parameter's own method, as `triton quantize` without
  // --method. Ternarizing is most of the time (VGG-16: 134M weights), so base-3 re-encodes the
  // same trits (QuantizePackage only changes the storage of ternary tensors) rather than
  // ternarizing the FP32 weights again; the trits are the same either way.
  QuantizeOptions qo;
  Status st = QuantizePackage(pkg, qo, nullptr);
  if (!st.ok()) return Status::Error(z.name + ": quantizing: " + st.message());
  z.ternary_2bit_bytes = SerializedBytes(pkg);
  // "twn per-channel 2bit" -> "twn per-channel"; "" when the model has no ternary layer.
  std::string method = pkg.meta.quantization;
  if (method.ends_with(" 2bit")) method.resize(method.size() - 5);
  z.ternary_quantization = method;
  qo.base3 = true;
  st = QuantizePackage(pkg, qo, nullptr);
  if (!st.ok()) return Status::Error(z.name + ": quantizing (base-3): " + st.message());
  // A re-encode leaves meta.quantization as it was; `triton quantize --format base3` of the FP32
  // package records "<method> base3".
  if (!method.empty()) pkg.meta.quantization = method + " base3";
  z.ternary_base3_bytes = SerializedBytes(pkg);

  for (const PretrainedPackage& p : scan.packages) {
    if (p.model == z.name) z.pretrained.push_back(p);
  }
  std::stable_sort(z.pretrained.begin(), z.pretrained.end(),
                   [](const PretrainedPackage& a, const PretrainedPackage& b) {
                     return a.accuracy > b.accuracy;
                   });
  return z;
}

Result<ZooInfo> DescribeZooModel(std::string_view name) {
  return DescribeZooModel(name, ScanPretrained(PretrainedDir()));
}

}  // namespace triton::driver
