#include "triton/lang/check/value.h"

namespace triton::lang::check {

namespace {
constexpr size_t kIndexThreshold = 12;  // linear search below this many bindings
constexpr size_t kInitialCapacity = 8;
}  // namespace

uint32_t NameHash(std::string_view name) {
  uint32_t h = 2166136261u;  // FNV-1a (Fowler, Noll, Vo): offset basis and prime
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return h;
}

int Env::Find(std::string_view name, uint32_t hash) const {
  if (!slots_.empty()) {
    const size_t mask = slots_.size() - 1;
    for (size_t s = hash & mask;; s = (s + 1) & mask) {
      const int32_t i = slots_[s];
      if (i < 0) return -1;
      if (hashes[static_cast<size_t>(i)] == hash && names[static_cast<size_t>(i)] == name) return i;
    }
  }
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (hashes[i] == hash && names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void Env::Index(size_t binding) {
  const size_t mask = slots_.size() - 1;
  size_t s = hashes[binding] & mask;
  while (slots_[s] >= 0) s = (s + 1) & mask;
  slots_[s] = static_cast<int32_t>(binding);
}

void Env::Bind(const std::string& name, Value v, diag::SourceRange where) {
  const uint32_t hash = NameHash(name);
  int at = Find(name, hash);
  if (at >= 0) {
    values[static_cast<size_t>(at)] = std::move(v);
    ranges[static_cast<size_t>(at)] = where;
    return;
  }
  if (names.capacity() == 0) {  // one allocation per vector for the usual scope, not log2(n)
    names.reserve(kInitialCapacity);
    values.reserve(kInitialCapacity);
    ranges.reserve(kInitialCapacity);
    hashes.reserve(kInitialCapacity);
  }
  names.push_back(name);
  values.push_back(std::move(v));
  ranges.push_back(where);
  hashes.push_back(hash);
  // The index stays at most half full; it is rebuilt when it doubles.
  if (names.size() > kIndexThreshold && names.size() * 2 > slots_.size()) {
    size_t size = 32;
    while (size < names.size() * 4) size *= 2;
    slots_.assign(size, -1);
    for (size_t i = 0; i < names.size(); ++i) Index(i);
  } else if (!slots_.empty()) {
    Index(names.size() - 1);
  }
}

}  // namespace triton::lang::check
