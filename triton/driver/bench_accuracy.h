#pragma once
// `triton bench accuracy`: the accuracy numbers the benchmark pages quote, gathered in one file.
//
//  pretrained  every package of the pretrained directory (zoo_info.h ScanPretrained) re-evaluated
//              by the runtime as `triton eval` does (driver::Evaluate: top-1 with int8
//              activations into ternary layers, on the data set the package records), next to
//              what its metadata records (model, data set, quantization, accuracy at export,
//              libtorch's accuracy, recipe, command, train.device, epochs, seconds, size).
//  runs        every training result found below the run directories: files named `train.json`
//              (or `*.train.json`) holding `triton train --json` output (TrainResult::ToJson plus
//              model, recipe, command). The training options (data set, qat.method) are taken
//              from the file's "options" when present, else from log.json beside it, else from
//              the recorded command (--data, --method). Missing fields are null; a file that
//              cannot be read or parsed is listed under "skipped" with the reason.
//
// JSON ("schema": "triton-bench-accuracy/1"; accuracies are fractions in [0, 1] or null):
//   {"schema", "machine" (bench_machine.h), "pretrained_dir",
//    "pretrained": [{"path", "file_bytes", "model", "dataset", "quantization", "kind"
//      ("ternary"|"fp32"), "recorded_accuracy", "recorded_accuracy_torch", "measured": {"top1",
//      "top5", "samples", "split", "act_quant", "seconds"} | null, "error" (when it could not be
//      evaluated), "recipe", "train_command", "train_device", "epochs", "train_seconds",
//      "eval_command"}],
//    "runs": [{"file", "model", "dataset", "method" (the qat method as given: "none" for the
//      FP32 baseline), "method_resolved" (the model's own method when "method" is ""), "kind"
//      ("fp32"|"ternary"), "accuracy" (the runtime's accuracy of the package of that kind),
//      "ternary_acc", "ternary_acc_fp32_act", "fp32_acc", "torch_test_acc", "final_test_acc",
//      "best_test_acc", "epochs", "planned_epochs", "seconds", "interrupted", "device", "seed",
//      "recipe", "command"}],
//    "skipped": [{"file", "reason"}]}
// The CLI adds "command".
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/driver/run.h"

namespace triton::driver {

inline constexpr const char* kAccuracyBenchSchema = "triton-bench-accuracy/1";

struct AccuracyBenchOptions {
  std::string pretrained_dir;         // "" = PretrainedDir()
  std::vector<std::string> run_dirs;  // searched recursively for train.json files
  std::vector<std::string> models;    // non-empty: only the packages and runs of these models
  bool evaluate = true;               // false: metadata only (no data set needed)
  int64_t limit = 0;                  // > 0: only the first N test samples (smoke tests)
  CpuOptions cpu;                     // isa, threads; quantize_activations stays true
  std::function<void(const std::string&)> progress;  // one line per step; null: quiet
};

// One training result file (`triton train --json` output) as a "runs" record; `log_options` are
// the options of log.json beside it (or null). Errors: not a JSON object, or not a training
// result (no "epochs" array).
Result<nlohmann::json> TrainRunRecord(const std::string& file, const nlohmann::json& train,
                                      const nlohmann::json& log_options);

// Errors: a run directory that does not exist. A package that fails to evaluate is recorded with
// "error"; `failed` (when given) is set then.
Result<nlohmann::json> RunAccuracyBench(const AccuracyBenchOptions& o, bool* failed = nullptr);

}  // namespace triton::driver
