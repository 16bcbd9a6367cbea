// The instance memo's store and keys (instance_memo.h states the contract).
#include "triton/lang/check/instance_memo.h"

#include <xxhash.h>

#include <variant>

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

namespace {

// Estimated heap and struct bytes of the parts of a record.
constexpr size_t kEntry = 96;  // a map node, its key and a shared_ptr's control block

size_t SizeOf(const ir::Attrs& a) {
  size_t n = 0;
  for (const auto& [name, v] : a.items()) {
    n += sizeof(name) + name.size() + sizeof(v);
    if (const auto* str = std::get_if<std::string>(&v)) n += str->size();
    if (const auto* ints = std::get_if<std::vector<int64_t>>(&v)) n += ints->size() * 8;
    if (const auto* fs = std::get_if<std::vector<double>>(&v)) n += fs->size() * 8;
  }
  return n;
}

size_t SizeOf(const ir::TensorType& t) {
  size_t n = t.dims.size() * sizeof(ir::Dim);
  for (const ir::Dim& d : t.dims) n += d.symbol.size();
  return n;
}

size_t SizeOf(const ResultTemplate& r) {
  size_t n = sizeof(r) + r.str.size();
  for (const ResultTemplate& e : r.list) n += SizeOf(e);
  return n;
}

}  // namespace

void InstanceMemo::MakeRoom(size_t more) {
  if (bytes_ + more <= kMaxBytes) return;
  built_.clear();
  params_.clear();
  fragments_.clear();
  bytes_ = 0;
}

void InstanceMemo::Put(const MemoKey& k, ConstructionRecord r) {
  const size_t size = kEntry + sizeof(r);
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom(size);
  if (built_.emplace(k, std::make_shared<const ConstructionRecord>(std::move(r))).second) {
    bytes_ += size;
  }
}

void InstanceMemo::Put(const MemoKey& k, std::vector<ParamRecord> r) {
  size_t size = kEntry;
  for (const ParamRecord& p : r) {
    size += sizeof(p) + p.rel_name.size() + SizeOf(p.type) + p.info.quant.method.size() +
            p.info.init.size() + SizeOf(p.info.init_args);
  }
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom(size);
  if (params_.emplace(k, std::make_shared<const std::vector<ParamRecord>>(std::move(r))).second) {
    bytes_ += size;
  }
}

void InstanceMemo::Put(const MemoKey& k, Fragment r) {
  size_t size = kEntry + sizeof(r) + SizeOf(r.result);
  for (const FragmentValue& v : r.values) {
    size += sizeof(v) + SizeOf(v.type) + v.data.size() * sizeof(double) +
            v.operands.size() * sizeof(FragmentRef) + SizeOf(v.attrs) + v.scope.size();
  }
  std::lock_guard<std::mutex> lock(mu_);
  MakeRoom(size);
  if (fragments_.emplace(k, std::make_shared<const Fragment>(std::move(r))).second) {
    bytes_ += size;
  }
}

size_t InstanceMemo::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
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
  bytes_ = 0;
}

}  // namespace triton::lang::check
