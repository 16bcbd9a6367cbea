#include "triton/lang/check/value.h"

namespace triton::lang::check {

namespace {
constexpr size_t kIndexThreshold = 12;  // linear search below this many bindings
constexpr size_t kInitialCapacity = 8;
}  // namespace

int Env::Find(const std::string& name) const {
  if (!index.empty()) {
    auto it = index.find(name);
    return it == index.end() ? -1 : static_cast<int>(it->second);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void Env::Bind(const std::string& name, Value v, diag::SourceRange where) {
  int at = Find(name);
  if (at >= 0) {
    values[static_cast<size_t>(at)] = std::move(v);
    ranges[static_cast<size_t>(at)] = where;
    return;
  }
  if (names.capacity() == 0) {  // one allocation per vector for the usual scope, not log2(n)
    names.reserve(kInitialCapacity);
    values.reserve(kInitialCapacity);
    ranges.reserve(kInitialCapacity);
  }
  names.push_back(name);
  values.push_back(std::move(v));
  ranges.push_back(where);
  if (!index.empty()) {
    index.emplace(name, static_cast<uint32_t>(names.size() - 1));
  } else if (names.size() > kIndexThreshold) {
    for (size_t i = 0; i < names.size(); ++i) index.emplace(names[i], static_cast<uint32_t>(i));
  }
}

}  // namespace triton::lang::check
