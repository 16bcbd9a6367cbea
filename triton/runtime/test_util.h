#pragma once
// Test support for triton/runtime: reading IR text files and random tensors of a plan's types.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"
#include "triton/runtime/plan.h"

namespace triton::runtime::testing {

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses and verifies IR text; fails the test on an error.
inline ir::Module ParseVerified(const std::string& text, const std::string& name) {
  Result<ir::Module> m = ir::ParseModule(text, name);
  if (!m.ok()) {
    ADD_FAILURE() << m.status().message();
    return ir::Module{};
  }
  for (const std::string& e : ir::Verify(m.value())) ADD_FAILURE() << name << ": " << e;
  return std::move(m).value();
}

// A random tensor of static type `t`: floats ~ N(0, 1) (|x| + 0.5 for names ending in
// "running_var", so variances are positive), trits uniform in {-1, 0, 1} with per-channel
// (dim 0) scales in [0.5, 1.5), integers in [-3, 3], bools 0/1.
inline ir::HostTensor RandomTensor(const ir::TensorType& t, std::mt19937_64& rng,
                                   const std::string& name = "") {
  ir::HostTensor h;
  h.dtype = t.dtype;
  for (const ir::Dim& d : t.dims) h.shape.push_back(d.size);
  h.data.resize(static_cast<size_t>(t.num_elements()));
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> small(-3, 3), trit(-1, 1), bit(0, 1);
  const bool variance = name.size() >= 11 && name.substr(name.size() - 11) == "running_var";
  for (float& v : h.data) {
    if (ir::IsFloat(t.dtype)) {
      v = variance ? std::abs(normal(rng)) + 0.5f : normal(rng);
    } else if (t.dtype == ir::DType::kTrit) {
      v = static_cast<float>(trit(rng));
    } else if (t.dtype == ir::DType::kBool) {
      v = static_cast<float>(bit(rng));
    } else {
      v = static_cast<float>(small(rng));
    }
  }
  if (t.dtype == ir::DType::kTrit) {
    std::uniform_real_distribution<float> scale(0.5f, 1.5f);
    const size_t channels = h.shape.empty() ? 1 : static_cast<size_t>(h.shape[0]);
    for (size_t c = 0; c < channels; ++c) {
      h.scale_pos.push_back(scale(rng));
      h.scale_neg.push_back(h.scale_pos.back());
    }
  }
  return h;
}

// Random params and inputs for `plan`, in Module::params / Module::inputs order.
inline std::vector<ir::HostTensor> RandomBuffers(const Plan& plan, PlanBuffer::Kind kind,
                                                 std::mt19937_64& rng) {
  std::vector<ir::HostTensor> out;
  for (const PlanBuffer& b : plan.buffers) {
    if (b.kind != kind) continue;
    if (out.size() <= static_cast<size_t>(b.index)) out.resize(static_cast<size_t>(b.index) + 1);
    out[static_cast<size_t>(b.index)] = RandomTensor(b.type, rng, b.name);
  }
  return out;
}

}  // namespace triton::runtime::testing
