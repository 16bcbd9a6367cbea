// The instance memo's store and keys (instance_memo.h states the contract).
#include "triton/lang/check/instance_memo.h"

#include <xxhash.h>

namespace triton::lang::check {

MemoKeyBuilder& MemoKeyBuilder::Add(std::string_view bytes) {
  Add(static_cast<int64_t>(bytes.size()));  // framed: ("ab", "c") never equals ("a", "bc")
  m_.append(bytes);
  return *this;
}

MemoKeyBuilder& MemoKeyBuilder::Add(int64_t v) {
  m_.append(reinterpret_cast<const char*>(&v), sizeof v);
  return *this;
}

MemoKeyBuilder& MemoKeyBuilder::Add(const MemoKey& k) {
  m_.append(reinterpret_cast<const char*>(k.data()), sizeof k);
  return *this;
}

MemoKey MemoKeyBuilder::Finish() const {
  XXH128_hash_t h = XXH3_128bits(m_.data(), m_.size());
  return {h.high64, h.low64};
}

std::shared_ptr<const ConstructionRecord> InstanceMemo::FindConstruction(const MemoKey& k) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = built_.find(k);
  return it == built_.end() ? nullptr : it->second;
}

std::shared_ptr<const std::vector<ParamRecord>> InstanceMemo::FindParams(const MemoKey& k) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = params_.find(k);
  return it == params_.end() ? nullptr : it->second;
}

std::shared_ptr<const Fragment> InstanceMemo::FindFragment(const MemoKey& k) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = fragments_.find(k);
  return it == fragments_.end() ? nullptr : it->second;
}

void InstanceMemo::MakeRoom() {
  if (built_.size() + params_.size() + fragments_.size() < kMaxRecords) return;
  built_.clear();
  params_.clear();
  fragments_.clear();
}

void InstanceMemo::Put(const MemoKey& k, ConstructionRecord r) {
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom();
  built_.emplace(k, std::make_shared<const ConstructionRecord>(std::move(r)));
}

void InstanceMemo::Put(const MemoKey& k, std::vector<ParamRecord> r) {
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom();
  params_.emplace(k, std::make_shared<const std::vector<ParamRecord>>(std::move(r)));
}

void InstanceMemo::Put(const MemoKey& k, Fragment r) {
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom();
  fragments_.emplace(k, std::make_shared<const Fragment>(std::move(r)));
}

size_t InstanceMemo::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return built_.size() + params_.size() + fragments_.size();
}

void InstanceMemo::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  built_.clear();
  params_.clear();
  fragments_.clear();
}

}  // namespace triton::lang::check
