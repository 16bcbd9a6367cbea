#pragma once
// The names of a module's parameters, for the elaborator's duplicate check ("parameter name 'x'
// is used twice in this model"). Every parameter is looked up once and added once, so this is on
// the hot path of a compile (a ResNet-50 makes about 320). An open-addressing table of (hash,
// parameter value id); the names themselves are read from the module, so nothing is copied and no
// node is allocated per name.
#include <cstdint>
#include <string_view>
#include <vector>

#include "triton/ir/module.h"

namespace triton::lang::check {

class ParamNames {
 public:
  void Clear();
  // Whether a parameter of `m` added here is named `name`.
  bool Contains(const ir::Module& m, std::string_view name) const;
  // Adds parameter value `param` of `m`; its name must not be in the set yet.
  void Add(const ir::Module& m, ir::ValueId param);

 private:
  struct Slot {
    uint64_t hash = 0;
    ir::ValueId id = ir::kNoValue;  // kNoValue: empty
  };
  void Insert(uint64_t hash, ir::ValueId id);
  std::vector<Slot> slots_;  // a power of two, at most half full
  size_t count_ = 0;
};

}  // namespace triton::lang::check
