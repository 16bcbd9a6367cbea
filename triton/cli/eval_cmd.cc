// `triton eval model.tnn [--data NAME[:PATH]] [--split test|train] [--batch N] [--limit N]
// [--isa LEVEL] [--threads N] [--no-act-quant] [--json] [--progress] [--record]`: top-1, top-5
// and per-class accuracy of a package on a data set, run on the optimized CPU engine
// (driver/eval.h). The data set defaults to the one recorded in the package (data.name).
// --record writes the measured top-1 into the package's metadata (train.accuracy, accuracy), as
// `triton train` does at export: for packages exported without measuring them (--no-export-eval,
// a GPU run), so that the pretrained test and `triton bench accuracy` have the number to check.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>

#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/eval.h"
#include "triton/format/package.h"

namespace triton::cli {

namespace {

struct EvalArgs {
  std::string file, data, split = "test", isa;
  int64_t batch = 256, limit = 0;
  int threads = 0;  // 0: TRITON_NUM_THREADS, else every CPU
  bool no_act_quant = false, json = false, progress = false, record = false;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "triton: error: %s\n", message.c_str());
  return message.rfind("internal error", 0) == 0 ? kInternal : kUserError;
}

// --record: the measurement must be the one an export records (the whole test split of the
// package's own data set, int8 activations), then the package is rewritten atomically.
Status Record(const EvalArgs& a, const driver::DatasetRef& ref, double top1) {
  if (a.split != "test" || a.limit > 0 || a.no_act_quant) {
    return Status::Error(
        "--record needs the measurement an export records: the whole test split with int8 "
        "activations (no --split train, --limit or --no-act-quant)");
  }
  Result<format::Package> p = format::ReadPackage(a.file);
  if (!p.ok()) return p.status();
  auto& x = p.value().meta.extra;
  auto name = x.find(driver::kMetaDataName);
  if (name != x.end() && name->second != ref.name) {
    return Status::Error(fmt::format("--record: {} was trained on {}, measured here on {}", a.file,
                                     name->second, ref.name));
  }
  x[driver::kMetaDataName] = ref.name;
  x[driver::kMetaTrainAccuracy] = fmt::format("{:.6f}", top1);
  p.value().meta.accuracy = top1;
  return format::WritePackage(a.file, p.value());
}

int RunEval(const EvalArgs& a) {
  Result<driver::Model> model = driver::LoadModel(a.file);
  if (!model.ok()) return Fail(model.status().message());
  std::string spec = a.data;
  if (spec.empty()) {
    auto it = model.value().meta.extra.find(driver::kMetaDataName);
    if (it == model.value().meta.extra.end()) {
      return Fail(fmt::format("{}: the package records no data set ({}); give one with --data",
                              a.file, driver::kMetaDataName));
    }
    spec = it->second;
  }
  Result<driver::DatasetRef> ref = driver::ParseDatasetRef(spec);
  if (!ref.ok()) return Fail("--data: " + ref.status().message());

  driver::EvalOptions o;
  o.split = a.split == "train" ? data::Split::kTrain : data::Split::kTest;
  o.batch = a.batch;
  o.limit = a.limit;
  Result<driver::CpuOptions> cpu = driver::CpuOptionsFor(a.isa, a.threads, !a.no_act_quant);
  if (!cpu.ok()) return Fail(cpu.status().message());
  o.cpu = cpu.value();
  const bool show = a.progress || ::isatty(STDERR_FILENO);
  if (show) {
    o.progress = [](int64_t done, int64_t total) {
      std::fprintf(stderr, "\revaluating: %lld/%lld", static_cast<long long>(done),
                   static_cast<long long>(total));
      if (done == total) std::fputc('\n', stderr);
    };
  }

  Result<std::unique_ptr<data::InMemoryDataset>> d = driver::LoadDataset(ref.value(), o.split);
  if (!d.ok()) return Fail(d.status().message());
  Result<driver::EvalResult> r = driver::Evaluate(model.value(), *d.value(), ref.value().name, o);
  if (!r.ok()) return Fail(r.status().message());
  if (a.record) {
    Status st = Record(a, ref.value(), r.value().top1);
    if (!st.ok()) return Fail(st.message());
    std::fprintf(stderr, "recorded top-1 %.2f %% in %s\n", 100 * r.value().top1, a.file.c_str());
  }
  if (a.json) {
    nlohmann::json j = driver::EvalResultJson(r.value());
    j["data"] = ref.value().Spec();
    const double recorded = model.value().meta.accuracy;
    j["recorded_accuracy"] = std::isnan(recorded) ? nlohmann::json() : nlohmann::json(recorded);
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else {
    std::string text = driver::EvalResultText(r.value());
    if (!std::isnan(model.value().meta.accuracy)) {
      text += fmt::format("recorded in the package: {:.2f} %\n", 100 * model.value().meta.accuracy);
    }
    std::fputs(text.c_str(), stdout);
  }
  return kOk;
}

}  // namespace

void AddEval(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand("eval", "Accuracy of a .tnn package on a data set (CPU engine)");
  cmd->add_option("file", a->file, "package (.tnn)")->required();
  cmd->add_option("--data", a->data,
                  "data set: fashion-mnist, mnist, cifar10 or imagefolder:PATH, each also as "
                  "NAME:PATH (default: the one recorded in the package)");
  cmd->add_option("--split", a->split, "test (default) or train")
      ->check(CLI::IsMember({"test", "train"}));
  cmd->add_option("--batch", a->batch, "batch size (default 256)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--limit", a->limit, "only the first N samples of the split")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--isa", a->isa,
                  "ISA level of the kernels: reference, avx2, avx512vnni (default: TRITON_ISA, "
                  "else the CPU's best)");
  cmd->add_option("--threads", a->threads, "threads (default: TRITON_NUM_THREADS, else all CPUs)")
      ->check(CLI::Range(1, 4096));
  cmd->add_flag("--no-act-quant", a->no_act_quant,
                "run ternary layers on FP32 activations instead of int8");
  cmd->add_flag("--json", a->json,
                "print one JSON object (top1, top5, per_class, confusion, samples_per_s, ...)");
  cmd->add_flag("--progress", a->progress, "show progress on stderr even when it is not a TTY");
  cmd->add_flag("--record", a->record,
                "write the measured top-1 into the package's metadata (for packages exported "
                "with --no-export-eval)");
  cmd->callback([a, &exit_code] { exit_code = RunEval(*a); });
}

}  // namespace triton::cli
