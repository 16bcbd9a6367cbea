#include "triton/report/results.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace triton::report {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Thrown by Reader on a missing or mistyped field; LoadResults and the Parse* functions turn it
// into a Status. Never escapes this file.
struct FieldError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A JSON value at `path` inside `file`: typed access whose errors name both.
class Reader {
 public:
  Reader(const std::string& file, const json& j, std::string path = "")
      : file_(file), j_(j), path_(std::move(path)) {}

  const json& raw() const { return j_; }
  bool has(const char* key) const {
    return j_.is_object() && j_.contains(key) && !j_.at(key).is_null();
  }
  Reader at(const char* key) const {
    if (!j_.is_object()) Fail(path_.empty() ? "the file" : path_, "expected an object");
    auto it = j_.find(key);
    if (it == j_.end()) Fail(Sub(key), "missing");
    return Reader(file_, *it, Sub(key));
  }
  std::string str(const char* key) const {
    Reader r = at(key);
    if (!r.j_.is_string()) Fail(r.path_, "expected a string");
    return r.j_.get<std::string>();
  }
  std::string str_or(const char* key, const std::string& fallback = "") const {
    if (!has(key)) return fallback;
    Reader r = at(key);
    if (r.j_.is_string()) return r.j_.get<std::string>();
    if (r.j_.is_number()) return r.j_.dump();
    Fail(r.path_, "expected a string");
  }
  double num(const char* key) const {
    Reader r = at(key);
    if (!r.j_.is_number()) Fail(r.path_, "expected a number");
    return r.j_.get<double>();
  }
  // A number, or `fallback` when absent or null.
  double num_or(const char* key, double fallback = NAN) const {
    if (!has(key)) return fallback;
    return num(key);
  }
  int64_t integer(const char* key) const {
    Reader r = at(key);
    if (!r.j_.is_number()) Fail(r.path_, "expected an integer");
    return r.j_.is_number_integer() ? r.j_.get<int64_t>()
                                    : static_cast<int64_t>(std::llround(r.j_.get<double>()));
  }
  int64_t integer_or(const char* key, int64_t fallback) const {
    return has(key) ? integer(key) : fallback;
  }
  bool boolean_or(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    Reader r = at(key);
    if (!r.j_.is_boolean()) Fail(r.path_, "expected true or false");
    return r.j_.get<bool>();
  }
  std::vector<Reader> array(const char* key) const {
    Reader r = at(key);
    if (!r.j_.is_array()) Fail(r.path_, "expected an array");
    std::vector<Reader> out;
    for (size_t i = 0; i < r.j_.size(); ++i) {
      out.emplace_back(file_, r.j_[i], fmt::format("{}[{}]", r.path_, i));
    }
    return out;
  }
  std::vector<Reader> array_or_empty(const char* key) const {
    return has(key) ? array(key) : std::vector<Reader>{};
  }

 private:
  std::string Sub(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw FieldError(fmt::format("{}: {}: {}", file_, path, what));
  }
  const std::string& file_;
  const json& j_;
  std::string path_;
};

template <typename T, typename F>
Result<T> Guard(F&& f) {
  try {
    return f();
  } catch (const FieldError& e) {
    return Status::Error(e.what());
  } catch (const json::exception& e) {
    return Status::Error(e.what());
  }
}

Machine ReadMachine(const Reader& m) {
  Machine out;
  out.cpu = m.str_or("cpu", "unknown CPU");
  out.isa = m.str_or("isa");
  out.date = m.str_or("date");
  out.kernel = m.str_or("kernel");
  out.build_type = m.str_or("build_type");
  out.compiler = m.str_or("compiler");
  out.allocator = m.str_or("allocator");  // absent in results written before it was recorded
  out.libtorch = m.str_or("libtorch");
  out.cores = m.integer_or("logical_cores", m.integer_or("cpus_online", 0));
  out.threads = m.integer_or("threads", 0);
  out.load = m.num_or("load_average_1m", -1);
  return out;
}

ProcessTime ReadProcess(const Reader& parent, const char* key) {
  ProcessTime p;
  if (!parent.has(key)) return p;
  Reader r = parent.at(key);
  p.command = r.str("command");
  p.median_ms = r.num("median_ms");
  p.min_ms = r.num("min_ms");
  return p;
}

int ModelOrder(const std::string& name) {
  if (name == "resnet18") return 0;
  if (name == "resnet18_cifar") return 1;
  return 2;
}

// The header every run file has: its schema (checked unless `schema` is empty: perf files have
// none), the command line and the machine.
template <typename Run>
void ReadRunHeader(const std::string& file, const Reader& root, std::string_view schema, Run& run) {
  if (!schema.empty()) {
    const std::string got = root.str("schema");
    if (got != schema) {
      throw FieldError(fmt::format("{}: schema: '{}', expected '{}'", file, got, schema));
    }
  }
  run.file = file;
  run.command = root.str_or("command");
  run.machine = ReadMachine(root.at("machine"));
}

}  // namespace

std::vector<int64_t> PerfRun::Batches() const {
  std::vector<int64_t> b;
  for (const PerfRecord& r : records) {
    if (std::find(b.begin(), b.end(), r.batch) == b.end()) b.push_back(r.batch);
  }
  std::sort(b.begin(), b.end());
  return b;
}

const PerfRecord* PerfRun::Find(const std::string& engine, int64_t batch) const {
  for (const PerfRecord& r : records) {
    if (r.engine == engine && r.batch == batch && r.available) return &r;
  }
  return nullptr;
}

const CompileLevel* CompileModel::Level(int opt_level) const {
  for (const CompileLevel& l : levels) {
    if (l.opt_level == opt_level) return &l;
  }
  return nullptr;
}

std::string TrainRun::MethodLabel() const {
  if (method == "none") return "none (FP32)";
  if (method.empty()) {
    return method_resolved.empty() ? "model default" : method_resolved + " (model default)";
  }
  return method;
}

Result<PerfRun> ParsePerf(const std::string& file, const json& j) {
  return Guard<PerfRun>([&] {
    Reader root(file, j);
    PerfRun run;
    ReadRunHeader(file, root, "", run);
    Reader m = root.at("model");
    run.model = m.str("name");
    run.params = m.integer("params");
    run.ternary_params = m.integer("ternary_params");
    run.fp32_bytes = m.integer("fp32_package_bytes");
    run.bytes_2bit = m.integer("ternary_2bit_package_bytes");
    run.bytes_base3 = m.integer("ternary_base3_package_bytes");
    for (const Reader& r : root.array("records")) {
      PerfRecord p;
      p.engine = r.str("engine");
      p.batch = r.integer("batch");
      p.available = r.boolean_or("available", true);
      p.error = r.str_or("error");
      if (p.available) {
        p.median_ms = r.num("median_ms");
        p.p95_ms = r.num("p95_ms");
        p.p99_ms = r.num("p99_ms");
        p.mean_ms = r.num("mean_ms");
        p.ci95_ms = r.num("ci95_ms");
        p.throughput = r.num("throughput");
        p.runs = r.integer("runs");
        p.peak_bytes = r.integer_or("peak_bytes", -1);
        p.peak_method = r.str_or("peak_method");
        p.engine_weight_bytes = r.integer_or("engine_weight_bytes", -1);
      }
      run.records.push_back(std::move(p));
    }
    return run;
  });
}

Result<KernelRun> ParseKernels(const std::string& file, const json& j) {
  return Guard<KernelRun>([&] {
    Reader root(file, j);
    KernelRun k;
    k.file = file;
    Reader ctx = root.at("context");
    k.date = ctx.str_or("date");
    k.cpu = ctx.str_or("cpu");
    k.clock_ghz = ctx.str_or("clock_ghz");
    k.peak_mac_per_cycle = ctx.str_or("peak_mac_per_cycle");
    k.cpus = ctx.integer_or("num_cpus", 0);
    std::vector<std::string> seen;
    for (const Reader& b : root.array("benchmarks")) {
      if (b.str_or("aggregate_name") != "median") continue;
      const std::string name = b.str("run_name");
      if (name.find("Quantize") != std::string::npos) continue;
      if (!b.has("GOPS") || !b.has("MAC/cyc/core")) continue;
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      k.rows.push_back({name, b.num("GOPS"), b.num("MAC/cyc/core"), b.num_or("%peak")});
    }
    return k;
  });
}

Result<CompileRun> ParseCompile(const std::string& file, const json& j) {
  return Guard<CompileRun>([&] {
    Reader root(file, j);
    CompileRun c;
    ReadRunHeader(file, root, "triton-bench-compile/1", c);
    Reader method = root.at("method");
    c.repetitions = method.integer("repetitions");
    c.min_time_s = method.num("min_time_s");
    c.process_runs = method.integer_or("process_runs", 0);
    for (const Reader& m : root.array("models")) {
      CompileModel cm;
      cm.name = m.str("name");
      cm.file = m.str_or("file");
      cm.error = m.str_or("error");
      if (!cm.error.empty()) {
        c.models.push_back(std::move(cm));
        continue;
      }
      cm.lines = m.integer("lines");
      for (const Reader& l : m.array("levels")) {
        CompileLevel cl;
        cl.opt_level = static_cast<int>(l.integer("opt_level"));
        cl.wall_ms = l.num("wall_ms");
        cl.wall_min_ms = l.num_or("wall_min_ms");
        cl.cpu_ms = l.num_or("cpu_ms");
        cl.iterations = l.integer_or("iterations", 0);
        cl.lex_ms = l.num("lex_ms");
        cl.parse_ms = l.num("parse_ms");
        cl.check_ms = l.num("check_ms");
        cl.elaborate_ms = l.num("elaborate_ms");
        cl.verify_ms = l.num("verify_ms");
        cl.passes_ms = l.num("passes_ms");
        cl.stages_ms = l.num("stages_ms");
        cm.levels.push_back(cl);
      }
      for (const Reader& p : m.array_or_empty("passes")) {
        cm.passes.push_back({p.str("pass"), p.num("ms"), p.boolean_or("changed", false)});
      }
      cm.plan_ms = m.num_or("plan_ms");
      cm.to_plan_ms = m.num_or("to_plan_ms");
      if (m.has("cache")) {
        Reader ca = m.at("cache");
        cm.cold_ms = ca.num("cold_ms");
        cm.disk_hit_ms = ca.num("disk_hit_ms");
        cm.memory_hit_ms = ca.num("memory_hit_ms");
        cm.key_ms = ca.num("key_ms");
      }
      if (m.has("edit")) {
        Reader e = m.at("edit");
        for (auto [key, out] : {std::pair{"unused", &cm.edit_unused},
                                {"used", &cm.edit_used},
                                {"used_comment", &cm.edit_used_comment}}) {
          if (!e.has(key)) continue;  // absent or null: not measured
          Reader x = e.at(key);
          *out = {x.str("file"),
                  x.str("declaration"),
                  x.str("outcome"),
                  x.num("ms"),
                  x.num_or("cache_ms"),
                  x.num_or("background_store_ms"),
                  x.num_or("front_end_ms"),
                  x.num_or("elaborate_ms"),
                  x.num_or("optimize_ms")};
        }
        cm.edit_cold_ms = e.num_or("cold_ms");
      }
      cm.process = ReadProcess(m, "process");
      c.models.push_back(std::move(cm));
    }
    if (root.has("process")) {
      Reader p = root.at("process");
      c.version = ReadProcess(p, "version");
      c.warm_cache = ReadProcess(p, "warm_cache");
    }
    return c;
  });
}

Result<AccuracyRun> ParseAccuracy(const std::string& file, const json& j) {
  return Guard<AccuracyRun>([&] {
    Reader root(file, j);
    AccuracyRun a;
    ReadRunHeader(file, root, "triton-bench-accuracy/1", a);
    a.pretrained_dir = root.str_or("pretrained_dir");
    for (const Reader& p : root.array("pretrained")) {
      PretrainedResult r;
      r.path = p.str("path");
      r.model = p.str_or("model");
      r.dataset = p.str_or("dataset");
      r.quantization = p.str_or("quantization");
      r.kind = p.str_or("kind", r.quantization.empty() ? "fp32" : "ternary");
      r.error = p.str_or("error");
      r.file_bytes = p.integer_or("file_bytes", 0);
      r.recorded = p.num_or("recorded_accuracy");
      r.recorded_torch = p.num_or("recorded_accuracy_torch");
      if (p.has("measured")) {
        Reader m = p.at("measured");
        r.measured = m.num("top1");
        r.measured_top5 = m.num_or("top5");
        r.samples = m.integer_or("samples", 0);
        r.act_quant = m.boolean_or("act_quant", true);
      }
      r.recipe = p.str_or("recipe");
      r.train_command = p.str_or("train_command");
      r.train_device = p.str_or("train_device");
      r.epochs = p.str_or("epochs");
      r.train_seconds = p.str_or("train_seconds");
      r.eval_command = p.str_or("eval_command");
      a.pretrained.push_back(std::move(r));
    }
    for (const Reader& t : root.array_or_empty("runs")) {
      TrainRun r;
      r.file = t.str("file");
      r.model = t.str_or("model");
      r.dataset = t.str_or("dataset");
      r.method = t.str_or("method");
      r.method_resolved = t.str_or("method_resolved");
      r.kind = t.str_or("kind", r.method == "none" ? "fp32" : "ternary");
      r.device = t.str_or("device", "cpu");
      r.command = t.str_or("command");
      r.accuracy = t.num_or("accuracy");
      r.ternary_acc = t.num_or("ternary_acc");
      r.fp32_acc = t.num_or("fp32_acc");
      r.torch_acc = t.num_or("torch_test_acc");
      r.final_test_acc = t.num_or("final_test_acc");
      r.seconds = t.num_or("seconds");
      r.epochs = t.integer_or("epochs", 0);
      r.planned_epochs = t.integer_or("planned_epochs", 0);
      r.interrupted = t.boolean_or("interrupted", false);
      a.runs.push_back(std::move(r));
    }
    for (const Reader& s : root.array_or_empty("skipped")) {
      a.skipped.push_back({s.str_or("file"), s.str_or("reason")});
    }
    return a;
  });
}

Result<ZooRun> ParseZoo(const std::string& file, const json& j) {
  return Guard<ZooRun>([&] {
    Reader root(file, j);
    ZooRun z;
    z.file = file;
    if (root.has("generated")) {
      Reader g = root.at("generated");
      z.command = g.str_or("command");
      if (g.has("machine")) z.machine = ReadMachine(g.at("machine"));
    }
    for (const Reader& m : root.array("models")) {
      ZooModel zm;
      zm.name = m.str("name");
      zm.description = m.str_or("description");
      zm.file = m.str_or("file");
      zm.dataset = m.str_or("dataset");
      zm.quantization = m.str_or("ternary_quantization");
      for (const Reader& d : m.array("input_shape")) {
        if (!d.raw().is_number_integer())
          throw FieldError(file + ": input_shape: expected integers");
        zm.input_shape.push_back(d.raw().get<int64_t>());
      }
      zm.params = m.integer("parameters");
      zm.ternary_params = m.integer("ternary_parameters");
      zm.macs = m.integer("macs");
      Reader s = m.at("sizes");
      zm.fp32_bytes = s.integer("fp32_bytes");
      zm.bytes_2bit = s.integer("ternary_2bit_bytes");
      zm.bytes_base3 = s.integer("ternary_base3_bytes");
      zm.sizes_command = s.str_or("command");
      for (const Reader& p : m.array_or_empty("pretrained")) {
        zm.pretrained.push_back({p.str("path"), p.str_or("dataset"), p.str_or("quantization"),
                                 p.str_or("train_command"), p.str_or("eval_command"),
                                 p.num_or("accuracy")});
      }
      z.models.push_back(std::move(zm));
    }
    return z;
  });
}

Result<Results> LoadResults(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::Error(dir + ": not a directory");
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec) && e.path().extension() == ".json") {
      names.push_back(e.path().filename().string());
    }
  }
  if (ec) return Status::Error(dir + ": " + ec.message());
  std::sort(names.begin(), names.end());

  Results out;
  for (const std::string& name : names) {
    const bool perf = name.rfind("perf_", 0) == 0;
    if (!perf && name != "bench_tconv.json" && name != "compile.json" && name != "accuracy.json" &&
        name != "zoo.json") {
      continue;
    }
    const std::string path = (fs::path(dir) / name).string();
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) return Status::Error(path + ": cannot be read");
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) {
      return Status::Error(path + (ss.str().empty() ? ": empty file" : ": not valid JSON"));
    }
    if (!j.is_object()) return Status::Error(path + ": expected a JSON object");
    if (perf) {
      Result<PerfRun> r = ParsePerf(path, j);
      if (!r.ok()) return r.status();
      out.perf.push_back(std::move(r).value());
      out.perf.back().file = name;
    } else if (name == "bench_tconv.json") {
      Result<KernelRun> r = ParseKernels(path, j);
      if (!r.ok()) return r.status();
      out.kernels = std::move(r).value();
      out.kernels->file = name;
    } else if (name == "compile.json") {
      Result<CompileRun> r = ParseCompile(path, j);
      if (!r.ok()) return r.status();
      out.compile = std::move(r).value();
      out.compile->file = name;
    } else if (name == "accuracy.json") {
      Result<AccuracyRun> r = ParseAccuracy(path, j);
      if (!r.ok()) return r.status();
      out.accuracy = std::move(r).value();
      out.accuracy->file = name;
    } else {
      Result<ZooRun> r = ParseZoo(path, j);
      if (!r.ok()) return r.status();
      out.zoo = std::move(r).value();
      out.zoo->file = name;
    }
  }
  if (out.empty()) {
    return Status::Error(dir +
                         ": no results files (perf_*.json, bench_tconv.json, compile.json, "
                         "accuracy.json, zoo.json)");
  }
  std::stable_sort(out.perf.begin(), out.perf.end(), [](const PerfRun& a, const PerfRun& b) {
    const int oa = ModelOrder(a.model), ob = ModelOrder(b.model);
    return oa != ob ? oa < ob : a.model < b.model;
  });
  return out;
}

}  // namespace triton::report
