#pragma once
// A set of a module's value names, for duplicate checks: the elaborator's ("parameter name 'x'
// is used twice in this model") and the verifier's (input and parameter names). Every parameter
// is looked up once and added once, on the hot path of a compile (a ResNet-50 has about 320). An
// open-addressing table of (hash, value id); the names themselves are read from the module, so
// nothing is copied and no node is allocated per name.
#include <cstdint>
#include <string_view>
#include <vector>

#include "triton/ir/module.h"

namespace triton::ir {

class ValueNameSet {
 public:
  void Clear();
  // The hash the set keys a name by: a caller that asks Contains and then adds the name hashes
  // it once.
  static uint64_t Hash(std::string_view name);
  // Whether a value of `m` added here is named `name` (whose Hash is `hash`).
  bool Contains(const Module& m, std::string_view name, uint64_t hash) const;
  bool Contains(const Module& m, std::string_view name) const {
    return Contains(m, name, Hash(name));
  }
  // Adds value `id` of the module, whose name (as it is now: names must not change after) has
  // Hash `hash` and is not in the set yet.
  void Add(ValueId id, uint64_t hash);
  void Add(const Module& m, ValueId id) { Add(id, Hash(m.value(id).name)); }

 private:
  struct Slot {
    uint64_t hash = 0;
    ValueId id = kNoValue;  // kNoValue: empty
  };
  void Insert(uint64_t hash, ValueId id);
  std::vector<Slot> slots_;  // a power of two, at most half full
  size_t count_ = 0;
};

}  // namespace triton::ir
