#pragma once
// The optimized-module memo: the verifier's and the -O pipeline's result for an elaborated
// module, keyed by a digest of that module and the -O level. A compile whose elaborated module
// equals an earlier one's (an edit that changed code but not what it builds, such as a renamed
// local or a new unused `let` in a layer the model uses) skips both. In memory, process-wide:
// the compile cache's, next to the elaborator's instance memo (cached_compile.h). Bounded.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "triton/ir/module.h"

namespace triton::driver {

using ModuleDigest = std::array<uint64_t, 2>;

// XXH3-128 over everything a module holds (values, inputs, parameters with their quantization
// and initializer, constants' data, ops with operands, attributes and scopes, outputs, name) and
// `opt_level`: equal digests mean equal modules (up to a hash collision).
ModuleDigest DigestModule(const ir::Module& m, int opt_level);

class OptimizedMemo {
 public:
  static constexpr size_t kMaxEntries = 64;  // a ResNet-50 module is about 0.3 MB
  struct Entry {
    ir::Module module;  // after the pipeline
    std::vector<std::string> verify_errors;
  };
  std::shared_ptr<const Entry> Find(const ModuleDigest& d) const;
  // Stores `e` and returns it as stored (shared: the compile cache keeps the module without
  // copying it again).
  std::shared_ptr<const Entry> Put(const ModuleDigest& d, Entry e);
  void Clear();

 private:
  struct Hash {
    size_t operator()(const ModuleDigest& d) const { return static_cast<size_t>(d[0] ^ d[1]); }
  };
  mutable std::mutex mu_;
  std::unordered_map<ModuleDigest, std::shared_ptr<const Entry>, Hash> entries_;
};

}  // namespace triton::driver
