// The optimized-module memo (module_memo.h).
#include "triton/driver/module_memo.h"

#include <xxhash.h>

namespace triton::driver {
namespace {

template <typename T>
void Raw(std::string& s, const T& v) {
  s.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void Str(std::string& s, const std::string& v) {
  Raw(s, v.size());
  s.append(v);
}

void Type(std::string& s, const ir::TensorType& t) {
  Raw(s, t.dtype);
  Raw(s, t.dims.size());
  for (const ir::Dim& d : t.dims) {
    Raw(s, d.size);
    Str(s, d.symbol);
  }
}

void Attrs(std::string& s, const ir::Attrs& a) {
  Raw(s, a.items().size());
  ir::AppendAttrsKey(s, a);
}

}  // namespace

ModuleDigest DigestModule(const ir::Module& m, int opt_level) {
  std::string s;
  s.reserve(64 * m.values.size() + 128 * m.ops.size());
  Str(s, "triton-module-digest-1");
  Raw(s, opt_level);
  Str(s, m.name);
  Raw(s, m.values.size());
  for (const ir::Value& v : m.values) {
    Raw(s, v.kind);
    Type(s, v.type);
    Str(s, v.name);
    Raw(s, v.def);
  }
  Raw(s, m.inputs.size());
  for (ir::ValueId v : m.inputs) Raw(s, v);
  Raw(s, m.params.size());
  for (const ir::Param& p : m.params) {
    Raw(s, p.value);
    Raw(s, p.trainable);
    Raw(s, p.ternary);
    Str(s, p.quant.method);
    Raw(s, p.quant.threshold);
    Raw(s, p.quant.per_channel);
    Str(s, p.init);
    Attrs(s, p.init_args);
  }
  Raw(s, m.consts.size());
  for (const ir::Constant& c : m.consts) {
    Raw(s, c.value);
    Raw(s, c.data.size());
    s.append(reinterpret_cast<const char*>(c.data.data()), c.data.size() * sizeof(double));
  }
  Raw(s, m.ops.size());
  for (const ir::Op& op : m.ops) {
    Raw(s, op.kind);
    Raw(s, op.result);
    Raw(s, op.operands.size());
    for (ir::ValueId o : op.operands) Raw(s, o);
    Attrs(s, op.attrs);
    Str(s, op.scope);
  }
  Raw(s, m.outputs.size());
  for (ir::ValueId v : m.outputs) Raw(s, v);
  XXH128_hash_t h = XXH3_128bits(s.data(), s.size());
  return {h.high64, h.low64};
}

std::shared_ptr<const OptimizedMemo::Entry> OptimizedMemo::Find(const ModuleDigest& d) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(d);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<const OptimizedMemo::Entry> OptimizedMemo::Put(const ModuleDigest& d, Entry e) {
  auto stored = std::make_shared<Entry>(std::move(e));  // not const: ModuleHandle::Take
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[d] = stored;
  return stored;
}

void OptimizedMemo::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

}  // namespace triton::driver
