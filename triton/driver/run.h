#pragma once
// The library entry point behind `triton run`: a .tnn package -> its IR (parsed and verified) ->
// params from the package's tensors -> a Plan (codegen::BuildPlan at the inputs' shapes) -> the
// runtime's Executor.
//
// Params: FP32 tensors run as float, ternary tensors as trits + scales. A param that the IR
// declares ternary but the package stores in FP32 (a package straight from `triton compile -o`,
// before `triton quantize`) runs in FP32: the "Triton FP32" engine. A param the IR declares FP32
// but the package stores ternary runs dequantized (code x scale).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/format/package.h"
#include "triton/ir/eval.h"
#include "triton/ir/module.h"
#include "triton/runtime/cpu/engine.h"
#include "triton/runtime/executor.h"
#include "triton/runtime/plan.h"

namespace triton::driver {

struct Model {
  std::string file;  // names the package in messages
  format::Metadata meta;
  ir::Module module;  // the package's IR; params run in FP32 are retyped f32 (not re-verified)
  std::vector<ir::HostTensor> params;  // Module::params order
  int64_t ternary_tensors = 0;         // params run as trits
  int64_t fp32_latent_tensors = 0;     // params the IR declares ternary, run in FP32
  // "ternary" when some param runs as trits, else "fp32".
  std::string engine() const { return ternary_tensors > 0 ? "ternary" : "fp32"; }
};

// Reads and validates the package at `path` (format::ReadPackage), parses and verifies its IR
// and builds the params. Errors start with the file name: "model.tnn: the IR declares param
// 'fc.weight' f32[10, 128], but the package stores [10, 64]".
Result<Model> LoadModel(const std::string& path);
// The same from a package in memory (its tensor data moves into the model).
Result<Model> ModelFromPackage(format::Package package, const std::string& file);

// Inputs of N(0, 1) values for `m` at batch `batch` (dim 0 of each input; every other dim must be
// static), reproducible from `seed`.
Result<std::vector<ir::HostTensor>> RandomInputs(const ir::Module& m, int64_t batch, uint64_t seed);

// Plans the model (codegen::BuildPlan) for inputs of `input_types` (static; symbolic dims bound
// by them) and builds its executor; the params move into the executor.
Result<runtime::Executor> Prepare(Model&& model, const std::vector<ir::TensorType>& input_types);

// The optimized CPU engine (runtime/cpu/engine.h) for `model`: codegen::BuildCpuPlan at
// `input_types`, then Engine::Create with a copy of the model's params (the model stays usable,
// e.g. for a second engine at another ISA level).
struct CpuOptions {
  Isa isa = Isa::kReference;
  int threads = 1;
  bool quantize_activations = true;  // ternary layers on int8 activations
  int profile_runs = 0;              // RunCpu: > 0 runs once to warm up, then this many timed runs
};
Result<std::unique_ptr<runtime::cpu::Engine>> PrepareCpu(
    const Model& model, const std::vector<ir::TensorType>& input_types, const CpuOptions& o);
// The options from the environment: ActiveIsa() (TRITON_ISA) and DefaultThreads()
// (TRITON_NUM_THREADS), errors naming the variable.
Result<CpuOptions> DefaultCpuOptions();
// DefaultCpuOptions overridden by a user's choices (`--isa`, `--threads`, `--no-act-quant`):
// `isa` "" and `threads` 0 keep the defaults. An unknown level, or one this CPU lacks, is an
// error prefixed "--isa: ".
Result<CpuOptions> CpuOptionsFor(const std::string& isa, int threads, bool quantize_activations);

struct RunResult {
  std::vector<ir::HostTensor> outputs;  // Module::outputs order
  int64_t batch = 1;
  double prepare_ms = 0;  // lowering + executor creation
  double run_ms = 0;      // Executor::Run (RunCpu with profile_runs: the median timed run)
  std::vector<runtime::cpu::StepInfo> profile;  // RunCpu with profile_runs: per step
};
// Prepare at the inputs' types, then run once. A wrong input shape or dtype is an error naming
// the input and the dimension.
Result<RunResult> Run(Model&& model, const std::vector<ir::HostTensor>& inputs);

// The same on the optimized CPU engine (PrepareCpu); batch = dim 0 of the first input.
Result<RunResult> RunCpu(const Model& model, const std::vector<ir::HostTensor>& inputs,
                         const CpuOptions& o);

// The k largest classes of each row of `logits` ([N, C], or [C] as one row), by the softmax of
// the row (computed in double, max-subtracted): probability and raw logit, best first (ties:
// lower class first). k is clamped to C.
struct TopEntry {
  int64_t index = 0;
  double probability = 0;
  float logit = 0;
};
Result<std::vector<std::vector<TopEntry>>> TopK(const ir::HostTensor& logits, int64_t k);

}  // namespace triton::driver
