#pragma once
// Packages from compiled modules: initial weights (PyTorch's initializers, seeded and
// reproducible across platforms), ternarization of the parameters the IR declares ternary, and
// the summary `triton info` prints.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "triton/base/status.h"
#include "triton/format/package.h"
#include "triton/ir/module.h"
#include "triton/quant/ternary.h"

namespace triton::driver {

// Every parameter initialized by its init spec (kaiming_normal, kaiming_uniform, normal, zeros,
// ones, random_ternary) in FP32 -- the latent weights; ternary parameters stay FP32 until
// QuantizePackage. Each parameter's stream is seeded by (seed, its name), so adding a layer does
// not change the others.
format::Package InitialPackage(const ir::Module& m, uint64_t seed, const std::string& source_hash);

struct QuantizeOptions {
  std::string method;  // "" = each parameter's own method from the IR (its QuantSpec)
  bool per_channel = true;
  bool per_channel_set = false;  // false: each parameter's own QuantSpec decides
  double sparsity = -1;          // target sparsity in (0, 1), or < 0 for the method's threshold
  bool base3 = false;            // storage: base-3 (1.6 bits/weight) instead of 2-bit
  uint64_t seed = 0;             // stochastic rounding
};

// Ternarizes every parameter that the package's IR declares ternary and that is still FP32
// (already ternary ones are re-encoded to the requested storage format). Returns per-tensor
// reports in `report` (JSON array) when given.
Status QuantizePackage(format::Package& p, const QuantizeOptions& o, nlohmann::json* report);

// `triton info`: tensors, parameters, ternary share, sparsity, bits per weight, file bytes and the
// FP32-equivalent bytes.
nlohmann::json PackageInfo(const format::Package& p, uint64_t file_bytes);
std::string PackageInfoText(const nlohmann::json& info);

}  // namespace triton::driver
