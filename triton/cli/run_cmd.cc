// `triton run model.tnn [--input x.npy | --random] [--seed N] [--batch N] [--output y.npy]
// [--top K] [--json] [--kernels optimized|reference] [--isa LEVEL] [--threads N]
// [--no-act-quant]`: runs a package on the optimized CPU engine (default) or the reference
// runtime and prints, per sample, the top-K classes by the softmax of the logits.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/run.h"
#include "triton/runtime/npy.h"

namespace triton::cli {

namespace {
struct RunArgs {
  std::string file, output;
  std::vector<std::string> inputs;
  bool random = false, json = false;
  uint64_t seed = 0;
  int64_t batch = 0;  // 0: not given
  int64_t top = 5;
  std::string kernels = "optimized";  // or "reference"
  std::string isa;                    // "": TRITON_ISA, else the CPU's best
  int threads = 0;                    // 0: TRITON_NUM_THREADS, else every CPU
  bool no_act_quant = false;
  int profile = 0;  // > 0: time this many runs and print a per-step profile
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "triton: error: %s\n", message.c_str());
  return message.rfind("internal error", 0) == 0 ? kInternal : kUserError;
}

// The file output `i` of `n` is written to: `path` itself for the first, "<stem>_<i>.npy" next
// to it for the others.
std::string OutputPath(const std::string& path, size_t i) {
  if (i == 0) return path;
  std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "_" + std::to_string(i) + ".npy")).string();
}

// Reads the --input files: one per model input, with data of the input's kind (float data for a
// float input, integer data for an integer input).
Result<std::vector<ir::HostTensor>> ReadInputs(const RunArgs& a, const ir::Module& m) {
  if (a.inputs.size() != m.inputs.size()) {
    return Status::Error(fmt::format("model '{}' takes {} input(s), got {} --input file(s)", m.name,
                                     m.inputs.size(), a.inputs.size()));
  }
  std::vector<ir::HostTensor> out;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    std::string descr;
    Result<ir::HostTensor> t = runtime::ReadNpy(a.inputs[i], &descr);
    if (!t.ok()) return t.status();
    const ir::Value& v = m.value(m.inputs[i]);
    const bool float_data = descr.find('f') != std::string::npos;
    if (ir::IsFloat(v.type.dtype) != float_data) {
      return Status::Error(fmt::format(
          "{}: input '{}' must be {} ({} data), got '{}' data; convert it with .astype(numpy.{})",
          a.inputs[i], v.name, v.type.ToString(), ir::IsFloat(v.type.dtype) ? "float" : "integer",
          descr, ir::IsFloat(v.type.dtype) ? "float32" : "int64"));
    }
    t.value().dtype = v.type.dtype;
    if (a.batch > 0 && (t.value().shape.empty() || t.value().shape[0] != a.batch)) {
      return Status::Error(fmt::format("{}: --batch {} does not match the input's shape [{}]",
                                       a.inputs[i], a.batch, fmt::join(t.value().shape, ", ")));
    }
    out.push_back(std::move(t).value());
  }
  return out;
}

int RunModel(const RunArgs& a) {
  Result<driver::Model> model = driver::LoadModel(a.file);
  if (!model.ok()) return Fail(model.status().message());
  const std::string name = model.value().module.name;
  const std::string engine = model.value().engine();
  Result<std::vector<ir::HostTensor>> inputs =
      a.inputs.empty()
          ? driver::RandomInputs(model.value().module, a.batch > 0 ? a.batch : 1, a.seed)
          : ReadInputs(a, model.value().module);
  if (!inputs.ok()) return Fail(inputs.status().message());
  const std::string source = a.inputs.empty() ? fmt::format("random N(0, 1) input, seed {}", a.seed)
                                              : fmt::format("input {}", fmt::join(a.inputs, ", "));
  std::string kernels = "reference";
  int threads = 1;
  Result<driver::RunResult> r = Status::Error("not run");
  if (a.kernels == "reference") {
    r = driver::Run(std::move(model).value(), inputs.value());
  } else {
    Result<driver::CpuOptions> o = driver::CpuOptionsFor(a.isa, a.threads, !a.no_act_quant);
    if (!o.ok()) return Fail(o.status().message());
    o.value().profile_runs = a.profile;
    kernels = std::string(IsaName(o.value().isa));
    threads = o.value().threads;
    r = driver::RunCpu(model.value(), inputs.value(), o.value());
  }
  if (!r.ok()) {
    return Fail(a.inputs.size() == 1 && r.status().message().rfind("input '", 0) == 0
                    ? a.inputs[0] + ": " + r.status().message()
                    : r.status().message());
  }
  const driver::RunResult& res = r.value();

  nlohmann::json j = {{"model", name},
                      {"file", a.file},
                      {"engine", engine},
                      {"kernels", kernels},
                      {"threads", threads},
                      {"activations", a.no_act_quant || a.kernels == "reference" ? "fp32" : "int8"},
                      {"batch", res.batch},
                      {"input", a.inputs.empty() ? "random" : "npy"},
                      {"prepare_ms", res.prepare_ms},
                      {"run_ms", res.run_ms},
                      {"scores", "softmax of the logits"}};
  if (a.inputs.empty()) j["seed"] = a.seed;
  j["outputs"] = nlohmann::json::array();
  j["records"] = nlohmann::json::array();
  std::string text = fmt::format(
      "{}: {} engine, {} kernels{}, batch {}, {}: {:.2f} ms\n", name,
      engine == "fp32" ? "FP32" : "ternary", kernels,
      a.kernels == "reference" ? ""
                               : fmt::format(", {} thread{}{}", threads, threads == 1 ? "" : "s",
                                             a.no_act_quant ? ", FP32 activations" : ""),
      res.batch, source, res.run_ms);
  for (size_t i = 0; i < res.outputs.size(); ++i) {
    const ir::HostTensor& out = res.outputs[i];
    nlohmann::json o = {{"index", i}, {"shape", out.shape}};
    if (!a.output.empty()) {
      const std::string path = OutputPath(a.output, i);
      Status st = runtime::WriteNpy(path, out);
      if (!st.ok()) return Fail(st.message());
      o["file"] = path;
      if (!a.json) std::fprintf(stderr, "wrote %s\n", path.c_str());
    }
    j["outputs"].push_back(o);
    const std::string type = out.type().ToString();
    if (a.top == 0 || out.shape.size() != 2) {
      text += fmt::format("output {} {}{}\n", i, type,
                          a.top == 0 ? "" : " (not [N, classes] logits: no top-k)");
      continue;
    }
    Result<std::vector<std::vector<driver::TopEntry>>> top = driver::TopK(out, a.top);
    if (!top.ok()) return Fail(top.status().message());
    text += fmt::format("output {} {}: top {} classes per sample, scores = softmax of the logits\n",
                        i, type, std::min<int64_t>(a.top, out.shape[1]));
    for (size_t n = 0; n < top.value().size(); ++n) {
      nlohmann::json entries = nlohmann::json::array();
      text += fmt::format("  sample {}:", n);
      for (const driver::TopEntry& e : top.value()[n]) {
        entries.push_back({{"class", e.index}, {"score", e.probability}, {"logit", e.logit}});
        text += fmt::format("  {} ({:.4f})", e.index, e.probability);
      }
      text += "\n";
      j["records"].push_back({{"output", i}, {"sample", n}, {"top", entries}});
    }
  }
  if (!res.profile.empty()) {
    nlohmann::json prof = nlohmann::json::array();
    text += fmt::format("profile: median of {} runs {:.3f} ms; per step (mean ms, GMAC/s):\n",
                        a.profile, res.run_ms);
    for (const auto& s : res.profile) {
      const double ms = s.runs > 0 ? s.ms / static_cast<double>(s.runs) : 0;
      const double gmacs = ms > 0 ? static_cast<double>(s.macs) / (ms * 1e6) : 0;
      prof.push_back({{"kernel", s.kernel}, {"scope", s.scope}, {"ms", ms}, {"macs", s.macs}});
      text += fmt::format("  {:8.3f} ms {:7.1f}  {} @{}\n", ms, gmacs, s.kernel, s.scope);
    }
    j["profile"] = prof;
  }
  std::fputs(a.json ? (j.dump(2) + "\n").c_str() : text.c_str(), stdout);
  return kOk;
}
}  // namespace

void AddRun(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run a .tnn package on the CPU");
  cmd->add_option("file", a->file, "package (.tnn)")->required();
  auto* in = cmd->add_option("--input", a->inputs,
                             "input as a NumPy .npy file (repeat for models with several inputs)");
  cmd->add_flag("--random", a->random, "run on random N(0, 1) input (the default)")->excludes(in);
  cmd->add_option("--seed", a->seed, "seed of the random input (default 0)");
  cmd->add_option("--batch", a->batch, "batch size of the random input (default 1)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("-o,--output", a->output,
                  "write the outputs as float32 .npy (output i > 0 to <stem>_<i>.npy)");
  cmd->add_option("--top", a->top, "classes to print per sample (default 5; 0: none)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  cmd->add_flag("--json", a->json, "print one JSON object with a record per sample");
  cmd->add_option("--kernels", a->kernels,
                  "optimized (the CPU engine, default) or reference (scalar, the oracle)")
      ->check(CLI::IsMember({"optimized", "reference"}));
  cmd->add_option("--isa", a->isa,
                  "ISA level of the optimized kernels: reference, avx2, avx512vnni (default: "
                  "TRITON_ISA, else the CPU's best)");
  cmd->add_option("--threads", a->threads, "threads (default: TRITON_NUM_THREADS, else all CPUs)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--profile", a->profile,
                  "optimized kernels: time N more runs and print the median and a per-step "
                  "profile")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--no-act-quant", a->no_act_quant,
                "run ternary layers on FP32 activations instead of int8 (slower; no int8 "
                "rounding)");
  cmd->callback([a, &exit_code] { exit_code = RunModel(*a); });
}

}  // namespace triton::cli
