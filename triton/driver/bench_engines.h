#pragma once
// The engines `triton bench perf` times (internal to triton_bench_perf): one forward on inputs
// bound at creation, so that a timed run is exactly the engine's work. Each engine sets the
// process-wide thread pools it relies on in BeforeRun (called outside the timed region): the
// engines share libgomp and OpenBLAS, and Triton's FP32 kernels want OpenBLAS single-threaded
// (they fan out themselves) while libtorch calls BLAS from one thread and wants its pool at the
// full thread count.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/driver/run.h"
#include "triton/ir/eval.h"

namespace triton::driver::bench {

class PerfEngine {
 public:
  virtual ~PerfEngine() = default;
  virtual void BeforeRun() = 0;
  virtual Status Run() = 0;  // one forward; outputs of the last run are kept
  // The first output of the last Run as float32, row-major (for the agreement check).
  virtual std::vector<float> FirstOutput() const = 0;
  // The engine's own account of the memory it holds, and what that account covers.
  virtual int64_t own_bytes() const = 0;
  virtual std::string own_bytes_method() const = 0;
  virtual int64_t weight_bytes() const = 0;
  virtual int64_t arena_bytes() const = 0;  // -1: not known (libtorch allocates per op)
};

// Triton's optimized CPU engine (PrepareCpu) on `model` (its params are copied).
Result<std::unique_ptr<PerfEngine>> MakeTritonEngine(const Model& model,
                                                     const std::vector<ir::HostTensor>& inputs,
                                                     const CpuOptions& options);

// Whether this build has libtorch (TRITON_HAVE_TORCH); without it MakeTorchEngine fails.
bool TorchAvailable();
// The model's IR run by libtorch (triton/train/torch_forward.h) with its params as FP32 tensors
// (ternary params dequantized), at `threads` intra-op threads; the inputs are converted once.
Result<std::unique_ptr<PerfEngine>> MakeTorchEngine(const Model& model,
                                                    const std::vector<ir::HostTensor>& inputs,
                                                    int threads);
// "libtorch 1.13.0, parallel: OpenMP 4.5, mkldnn: yes" (or why it is unavailable).
std::string TorchDescription();

// Sets OpenBLAS's own pool size (process-wide).
void SetBlasThreads(int threads);

}  // namespace triton::driver::bench

namespace triton::driver::bench {

// Peak resident memory of building and running one engine, measured in a forked child
// (bench_perf.h states the method). `make` runs in the child only.
struct PeakMemory {
  bool measured = false;  // false: see `error`, use the engine's own count
  int64_t peak_bytes = 0, load_peak_bytes = 0;
  std::string error;
};
PeakMemory MeasurePeakInChild(const std::function<Result<std::unique_ptr<PerfEngine>>()>& make,
                              double timeout_s);

}  // namespace triton::driver::bench
