#include "triton/driver/run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "triton/base/timer.h"
#include "triton/codegen/cpu_plan.h"
#include "triton/codegen/plan_builder.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace triton::driver {
namespace {

std::string ShapeText(const std::vector<int64_t>& shape) {
  return "[" + fmt::format("{}", fmt::join(shape, ", ")) + "]";
}

// code x scale of a ternary record, per dim-0 channel (or one scale for the tensor).
std::vector<float> DequantizeRecord(const format::TensorRecord& t) {
  std::vector<float> out(t.trits.size());
  const size_t channels = t.scale_pos.size();
  const size_t per = channels > 0 ? t.trits.size() / channels : 0;
  for (size_t i = 0; i < t.trits.size(); ++i) {
    const size_t c = per > 0 ? std::min(i / per, channels - 1) : 0;
    const int8_t v = t.trits[i];
    const float s = v > 0 ? t.scale_pos[c] : t.scale_neg[c];
    out[i] = channels > 0 ? static_cast<float>(v) * s : 0.0f;
  }
  return out;
}

}  // namespace

Result<Model> ModelFromPackage(format::Package package, const std::string& file) {
  Result<ir::Module> parsed = ir::ParseModule(package.ir_text, file + " (IR)");
  if (!parsed.ok()) {
    return Status::Error(
        fmt::format("{}: the package's IR does not parse: {}", file, parsed.status().message()));
  }
  if (std::vector<std::string> errors = ir::Verify(parsed.value()); !errors.empty()) {
    return Status::Error(fmt::format(
        "{}: the package's IR is invalid: {}{}", file, errors[0],
        errors.size() > 1 ? fmt::format(" (and {} more problems)", errors.size() - 1) : ""));
  }
  Model model;
  model.file = file;
  model.meta = std::move(package.meta);
  model.module = std::move(parsed).value();
  ir::Module& m = model.module;
  for (ir::Param& p : m.params) {
    ir::Value& v = m.values[static_cast<size_t>(p.value)];
    format::TensorRecord* rec = nullptr;
    for (format::TensorRecord& r : package.tensors) {
      if (r.name == v.name) rec = &r;
    }
    if (!rec) {
      return Status::Error(fmt::format("{}: the package has no tensor '{}' (the IR declares {})",
                                       file, v.name, v.type.ToString()));
    }
    if (!v.type.is_static()) {
      return Status::Error(
          fmt::format("{}: param '{}' has a non-static type {}", file, v.name, v.type.ToString()));
    }
    std::vector<int64_t> shape;
    for (const ir::Dim& d : v.type.dims) shape.push_back(d.size);
    if (shape != rec->shape) {
      return Status::Error(
          fmt::format("{}: the IR declares param '{}' {}, but the package stores {}", file, v.name,
                      v.type.ToString(), ShapeText(rec->shape)));
    }
    ir::HostTensor t;
    t.shape = shape;
    if (rec->ternary()) {
      if (v.type.dtype == ir::DType::kTrit) {
        t.dtype = ir::DType::kTrit;
        t.data.assign(rec->trits.begin(), rec->trits.end());
        t.scale_pos = std::move(rec->scale_pos);
        t.scale_neg = std::move(rec->scale_neg);
        ++model.ternary_tensors;
      } else {
        t.dtype = v.type.dtype;
        t.data = DequantizeRecord(*rec);
      }
    } else {
      t.dtype = v.type.dtype;
      if (v.type.dtype == ir::DType::kTrit) {
        // Latent FP32 weights of a ternary layer: the FP32 engine.
        t.dtype = ir::DType::kFloat32;
        v.type.dtype = ir::DType::kFloat32;
        p.ternary = false;
        ++model.fp32_latent_tensors;
      }
      t.data = std::move(rec->f32);
    }
    model.params.push_back(std::move(t));
  }
  return model;
}

Result<Model> LoadModel(const std::string& path) {
  Result<format::Package> p = format::ReadPackage(path);
  if (!p.ok()) return p.status();
  return ModelFromPackage(std::move(p).value(), path);
}

Result<std::vector<ir::HostTensor>> RandomInputs(const ir::Module& m, int64_t batch,
                                                 uint64_t seed) {
  // The plan's batch binding gives the concrete types (and its errors).
  Result<runtime::Plan> plan = codegen::BuildPlan(m, batch);
  if (!plan.ok()) return plan.status();
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<ir::HostTensor> inputs(m.inputs.size());
  for (const runtime::PlanBuffer& b : plan.value().buffers) {
    if (b.kind != runtime::PlanBuffer::kInput) continue;
    ir::HostTensor& t = inputs[static_cast<size_t>(b.index)];
    t.dtype = b.type.dtype;
    for (const ir::Dim& d : b.type.dims) t.shape.push_back(d.size);
    t.data.resize(static_cast<size_t>(b.type.num_elements()));
    for (float& x : t.data) {
      x = ir::IsFloat(t.dtype) ? normal(rng) : std::round(std::clamp(normal(rng), -3.0f, 3.0f));
    }
  }
  return inputs;
}

Result<runtime::Executor> Prepare(Model&& model, const std::vector<ir::TensorType>& input_types) {
  Result<runtime::Plan> plan = codegen::BuildPlan(model.module, input_types);
  if (!plan.ok()) return plan.status();
  Result<std::vector<ir::HostTensor>> consts = runtime::ConstantTensors(model.module, plan.value());
  if (!consts.ok()) return consts.status();
  Result<runtime::Executor> e = runtime::Executor::Create(
      std::move(plan).value(), std::move(model.params), std::move(consts).value());
  if (!e.ok()) return Status::Error(model.file + ": " + e.status().message());
  return e;
}

Result<std::unique_ptr<runtime::cpu::Engine>> PrepareCpu(
    const Model& model, const std::vector<ir::TensorType>& input_types, const CpuOptions& o) {
  codegen::CpuPlanOptions po;
  po.isa = o.isa;
  po.quantize_activations = o.quantize_activations;
  Result<runtime::Plan> plan = codegen::BuildCpuPlan(model.module, input_types, po);
  if (!plan.ok()) return plan.status();  // input errors: the caller names the input's file
  Result<std::vector<ir::HostTensor>> consts = runtime::ConstantTensors(model.module, plan.value());
  if (!consts.ok()) return consts.status();
  runtime::cpu::EngineOptions eo;
  eo.isa = o.isa;
  eo.threads = o.threads;
  eo.profile = o.profile_runs > 0;
  Result<std::unique_ptr<runtime::cpu::Engine>> e = runtime::cpu::Engine::Create(
      std::move(plan).value(), model.params, std::move(consts).value(), eo);
  if (!e.ok()) return Status::Error(model.file + ": " + e.status().message());
  return e;
}

Result<CpuOptions> DefaultCpuOptions() {
  CpuOptions o;
  Result<Isa> isa = ActiveIsa();
  if (!isa.ok()) return isa.status();
  Result<int> threads = DefaultThreads();
  if (!threads.ok()) return threads.status();
  o.isa = isa.value();
  o.threads = threads.value();
  return o;
}

namespace {

Result<std::vector<ir::TensorType>> InputTypes(const std::vector<ir::HostTensor>& inputs) {
  std::vector<ir::TensorType> types;
  for (const ir::HostTensor& t : inputs) {
    for (int64_t d : t.shape) {
      if (d < 0) return Status::Error("an input has a negative dimension");
    }
    types.push_back(t.type());
  }
  return types;
}

}  // namespace

Result<CpuOptions> CpuOptionsFor(const std::string& isa, int threads, bool quantize_activations) {
  Result<CpuOptions> o = DefaultCpuOptions();
  if (!o.ok()) return o;
  if (!isa.empty()) {
    Result<Isa> level = ParseIsa(isa);
    if (!level.ok()) return Status::Error("--isa: " + level.status().message());
    if (!IsaSupported(level.value())) {
      return Status::Error(fmt::format("--isa {}: this CPU does not support it (best: {})", isa,
                                       IsaName(BestIsa())));
    }
    o.value().isa = level.value();
  }
  if (threads > 0) o.value().threads = threads;
  o.value().quantize_activations = quantize_activations;
  return o;
}

Result<RunResult> RunCpu(const Model& model, const std::vector<ir::HostTensor>& inputs,
                         const CpuOptions& o) {
  Result<std::vector<ir::TensorType>> types = InputTypes(inputs);
  if (!types.ok()) return types.status();
  RunResult r;
  base::Timer timer;
  Result<std::unique_ptr<runtime::cpu::Engine>> e = PrepareCpu(model, types.value(), o);
  if (!e.ok()) return e.status();
  r.prepare_ms = timer.ElapsedMs();
  r.batch = inputs.empty() || inputs[0].shape.empty() ? 1 : inputs[0].shape[0];
  timer.Reset();
  Result<std::vector<ir::HostTensor>> out = e.value()->Run(inputs);
  if (!out.ok()) return out.status();
  r.run_ms = timer.ElapsedMs();
  r.outputs = std::move(out).value();
  if (o.profile_runs > 0) {
    // The first run warmed up (arena pages, weights in cache); it is not in the profile.
    e.value()->ResetProfile();
    std::vector<double> times;
    for (int i = 0; i < o.profile_runs; ++i) {
      timer.Reset();
      Result<std::vector<ir::HostTensor>> again = e.value()->Run(inputs);
      if (!again.ok()) return again.status();
      times.push_back(timer.ElapsedMs());
    }
    std::sort(times.begin(), times.end());
    r.run_ms = times[times.size() / 2];
    r.profile = e.value()->steps();
  }
  return r;
}

Result<RunResult> Run(Model&& model, const std::vector<ir::HostTensor>& inputs) {
  Result<std::vector<ir::TensorType>> types_or = InputTypes(inputs);
  if (!types_or.ok()) return types_or.status();
  const std::vector<ir::TensorType>& types = types_or.value();
  RunResult r;
  base::Timer timer;
  Result<runtime::Executor> e = Prepare(std::move(model), types);
  if (!e.ok()) return e.status();
  r.prepare_ms = timer.ElapsedMs();
  r.batch = e.value().plan().batch;
  timer.Reset();
  Result<std::vector<ir::HostTensor>> out = e.value().Run(inputs);
  if (!out.ok()) return out.status();
  r.run_ms = timer.ElapsedMs();
  r.outputs = std::move(out).value();
  return r;
}

Result<std::vector<std::vector<TopEntry>>> TopK(const ir::HostTensor& logits, int64_t k) {
  if (logits.shape.empty() || logits.shape.size() > 2) {
    return Status::Error(
        fmt::format("top-k needs logits of shape [N, C] or [C], got {}", ShapeText(logits.shape)));
  }
  const int64_t classes = logits.shape.back();
  const int64_t rows = logits.shape.size() == 2 ? logits.shape[0] : 1;
  if (static_cast<int64_t>(logits.data.size()) != rows * classes) {
    return Status::Error("top-k: the logits' data does not match their shape");
  }
  const std::vector<float> values = ir::Dequantized(logits);
  k = std::clamp<int64_t>(k, 0, classes);
  std::vector<std::vector<TopEntry>> out(static_cast<size_t>(rows));
  std::vector<int64_t> order(static_cast<size_t>(classes));
  for (int64_t n = 0; n < rows; ++n) {
    const float* row = values.data() + n * classes;
    double mx = -INFINITY;
    for (int64_t c = 0; c < classes; ++c) mx = std::max(mx, static_cast<double>(row[c]));
    double sum = 0;
    for (int64_t c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(row[c]) - mx);
    for (int64_t c = 0; c < classes; ++c) order[static_cast<size_t>(c)] = c;
    // NaN logits sort last.
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int64_t a, int64_t b) {
      const float x = row[a], y = row[b];
      if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
      return x > y || (x == y && a < b);
    });
    for (int64_t i = 0; i < k; ++i) {
      const int64_t c = order[static_cast<size_t>(i)];
      out[static_cast<size_t>(n)].push_back(
          TopEntry{c, std::exp(static_cast<double>(row[c]) - mx) / sum, row[c]});
    }
  }
  return out;
}

}  // namespace triton::driver
