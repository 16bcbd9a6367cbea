#pragma once
// The in-memory layer: a thread-safe LRU map key -> immutable value, bounded by a byte budget.
// Values are shared (shared_ptr<const V>), so a hit costs a lookup and a reference count.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "triton/cache/key.h"

namespace triton::cache {

template <typename V>
class MemoryCache {
 public:
  explicit MemoryCache(size_t budget_bytes) : budget_(budget_bytes) {}

  std::shared_ptr<const V> Get(const Key& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return it->second.value;
  }

  // Inserts or replaces; evicts least recently used values beyond the budget. A value larger
  // than the whole budget is not kept.
  void Put(const Key& key, std::shared_ptr<const V> value, size_t bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    EraseLocked(key);
    if (bytes > budget_) return;
    lru_.push_front(key);
    map_.emplace(key, Item{std::move(value), bytes, lru_.begin()});
    bytes_ += bytes;
    while (bytes_ > budget_ && !lru_.empty()) EraseLocked(lru_.back());
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
    lru_.clear();
    bytes_ = 0;
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }
  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_;
  }

 private:
  struct Item {
    std::shared_ptr<const V> value;
    size_t bytes;
    std::list<Key>::iterator pos;
  };
  void EraseLocked(const Key& key) {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    bytes_ -= it->second.bytes;
    lru_.erase(it->second.pos);
    map_.erase(it);
  }

  mutable std::mutex mu_;
  size_t budget_;
  size_t bytes_ = 0;
  std::list<Key> lru_;
  std::unordered_map<Key, Item, KeyHash> map_;
};

}  // namespace triton::cache
