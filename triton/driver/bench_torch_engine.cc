// The libtorch engine of `triton bench perf` (bench_engines.h). Compiled with TRITON_HAVE_TORCH
// when triton_torch is built; without it the engine reports itself unavailable.
#include <string>

#include "triton/driver/bench_engines.h"

#ifdef TRITON_HAVE_TORCH
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "triton/train/torch_forward.h"
#include "triton/train/torch_ops.h"
#endif

namespace triton::driver::bench {

#ifdef TRITON_HAVE_TORCH
namespace {

class TorchEngine : public PerfEngine {
 public:
  TorchEngine(torch_ops::TorchModule m, std::vector<torch::Tensor> inputs, int threads)
      : module_(std::move(m)), inputs_(std::move(inputs)), threads_(threads) {}

  void BeforeRun() override {
    // at::set_num_threads also sets libgomp's default team size and rebuilds libtorch's
    // pthreadpool, so only when it changes (Triton's kernels pass num_threads explicitly).
    if (at::get_num_threads() != threads_) at::set_num_threads(threads_);
    SetBlasThreads(threads_);
  }
  Status Run() override {
    Result<std::vector<torch::Tensor>> out = module_.Forward(inputs_);
    if (!out.ok()) return out.status();
    outputs_ = std::move(out).value();
    return Status();
  }
  std::vector<float> FirstOutput() const override {
    if (outputs_.empty()) return {};
    torch::Tensor t = outputs_[0].to(torch::kFloat32).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
  }
  int64_t own_bytes() const override { return module_.weight_bytes(); }
  std::string own_bytes_method() const override { return "param-bytes"; }
  int64_t weight_bytes() const override { return module_.weight_bytes(); }
  int64_t arena_bytes() const override { return -1; }

 private:
  torch_ops::TorchModule module_;
  std::vector<torch::Tensor> inputs_;
  std::vector<torch::Tensor> outputs_;
  int threads_;
};

}  // namespace

bool TorchAvailable() { return true; }

Result<std::unique_ptr<PerfEngine>> MakeTorchEngine(const Model& model,
                                                    const std::vector<ir::HostTensor>& inputs,
                                                    int threads) {
  at::set_num_threads(threads);
  Result<torch_ops::TorchModule> m = torch_ops::TorchModule::Create(model.module, model.params);
  if (!m.ok()) return m.status();
  std::vector<torch::Tensor> in;
  try {
    for (const ir::HostTensor& h : inputs) in.push_back(torch_ops::ToTorch(h));
  } catch (const c10::Error& e) {
    return Status::Error(std::string("converting the inputs for libtorch: ") + e.what());
  }
  return std::unique_ptr<PerfEngine>(
      std::make_unique<TorchEngine>(std::move(m).value(), std::move(in), threads));
}

std::string TorchDescription() {
  std::string parallel = at::get_parallel_info();
  // The first lines name the backend ("ATen/Parallel:\n\tat::get_num_threads() : 2 ...");
  // keep the one that names the parallel backend.
  std::string backend = "unknown";
  const size_t p = parallel.find("ATen parallel backend: ");
  if (p != std::string::npos) {
    const size_t s = p + std::string("ATen parallel backend: ").size();
    backend = parallel.substr(s, parallel.find('\n', s) - s);
  }
  return std::string("libtorch ") + TORCH_VERSION + ", parallel backend: " + backend +
         ", oneDNN: " + (at::hasMKLDNN() ? "yes" : "no");
}

#else  // !TRITON_HAVE_TORCH

bool TorchAvailable() { return false; }

Result<std::unique_ptr<PerfEngine>> MakeTorchEngine(const Model&,
                                                    const std::vector<ir::HostTensor>&, int) {
  return Status::Error("libtorch is not in this build (libtorch-dev was not found by CMake)");
}

std::string TorchDescription() { return "libtorch: not in this build"; }

#endif

}  // namespace triton::driver::bench
