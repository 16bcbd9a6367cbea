#include "triton/ir/value_names.h"

#include <xxhash.h>

namespace triton::ir {

uint64_t ValueNameSet::Hash(std::string_view name) { return XXH3_64bits(name.data(), name.size()); }

void ValueNameSet::Clear() {
  slots_.clear();
  count_ = 0;
}

bool ValueNameSet::Contains(const Module& m, std::string_view name, uint64_t h) const {
  if (slots_.empty()) return false;
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kNoValue) return false;
    if (s.hash == h && m.value(s.id).name == name) return true;
  }
}

void ValueNameSet::Insert(uint64_t hash, ValueId id) {
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].id != kNoValue) i = (i + 1) & mask;
  slots_[i] = {hash, id};
}

void ValueNameSet::Add(ValueId id, uint64_t hash) {
  if ((count_ + 1) * 2 > slots_.size()) {
    // 512 slots first: most models' parameters fit without a rehash (a ResNet-50 has 320).
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 512 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.id != kNoValue) Insert(s.hash, s.id);
    }
  }
  Insert(hash, id);
  ++count_;
}

}  // namespace triton::ir
