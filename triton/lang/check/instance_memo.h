#pragma once
// The instance memo: what building a layer instance and running its `forward` produced, recorded
// under content keys so that a later call with the same key replays it instead of interpreting the
// layer's code again - inside one compile (ResNet-50 builds 12 of its 16 bottlenecks from the
// same arguments as an earlier one) and across compiles of one process (an edit to the model's
// top-level layer leaves the instances it builds unchanged).
//
// Three records, each keyed by a 128-bit XXH3 digest (instance_memo.cc builds the key material):
//   Construction  key = (declaration key, argument values): calling the layer class built an
//                 instance without touching the module and without a diagnostic. A hit hands out
//                 a *ghost*: an instance that keeps the call (declaration and arguments) and is
//                 built for real only when something looks inside it (Elaborator::Realize).
//   ParamList     key = construction key: the parameters materializing the instance created, in
//                 order, named relative to its path. A ghost is materialized by adding them.
//   Fragment      key = (construction key, forward's argument values and tensor types): the
//                 values `forward` added to the module (constants and ops, operands relative to
//                 the call's tensors and the instance's parameter range, scopes relative to its
//                 path) and its result.
// The declaration key (DeclarationKeys, depends.h) hashes the exact text and position of every
// top-level statement the declaration's code can read, so a record's source ranges (kept for
// diagnostics' notes) stay true. Records are taken only from calls that reported nothing, left no
// other trace in the elaborator, and stayed inside their own values; every replay first checks
// the step and depth limits as the real call would. The contract, checked by every zoo model's
// test: a module built with replays is identical to one built without.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "triton/diag/source.h"
#include "triton/ir/module.h"

namespace triton::lang::check {

using MemoKey = std::array<uint64_t, 2>;

struct MemoKeyHash {
  size_t operator()(const MemoKey& k) const { return static_cast<size_t>(k[0] ^ (k[1] * 31)); }
};

// Hashes length-framed fields into a MemoKey.
class MemoKeyBuilder {
 public:
  MemoKeyBuilder() { m_.reserve(256); }  // one allocation for the usual key
  MemoKeyBuilder& Add(std::string_view bytes);
  MemoKeyBuilder& Add(int64_t v);
  MemoKeyBuilder& Add(const MemoKey& k);
  MemoKey Finish() const;
  std::string& material() { return m_; }

 private:
  std::string m_;
};

struct ConstructionRecord {
  int64_t steps = 0;  // steps the real call counted (charged again on a hit)
  int depth = 0;      // how much deeper than the caller its calls nested
};

struct ParamRecord {
  std::string rel_name;  // relative to the instance's path ("" = the path itself)
  ir::TensorType type;
  ir::Param info;  // `value` unused
  diag::SourceRange origin;
};

// An operand or a result tensor of a fragment: a value the fragment created (index into
// Fragment::values), the k-th tensor among forward's arguments, or the k-th parameter of the
// instance's parameter range.
struct FragmentRef {
  enum Kind : uint8_t { kLocal, kArg, kParam } kind = kLocal;
  int32_t index = 0;
};

struct FragmentValue {
  bool is_const = false;
  ir::TensorType type;
  std::vector<double> data;  // constants
  ir::OpKind op{};           // ops
  std::vector<FragmentRef> operands;
  ir::Attrs attrs;
  std::string scope;  // relative to the instance's path
  diag::SourceRange origin;
};

// forward's result: a tensor, a number, a string, none, a bool, or a list of these.
struct ResultTemplate {
  uint8_t kind = 0;  // a VKind
  bool untyped = false;
  ir::DType dtype = ir::DType::kInt64;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string str;
  FragmentRef tensor;
  std::vector<ResultTemplate> list;
};

struct Fragment {
  int64_t steps = 0;
  int depth = 0;
  int64_t params = 0;  // the instance's parameter count: a replay needs the same (a clean one)
  std::vector<FragmentValue> values;
  ResultTemplate result;
};

// Thread-safe; records are immutable once stored. Bounded: past kMaxBytes of records (an
// estimate: their structs, strings, attributes and constants' data) it starts over, so a
// long-running process that compiles edit after edit never grows without limit. A ResNet-50
// compile records about 0.4 MB; each edit of its top-level layer adds about 80 KB (that layer's
// parameter list, under its new key).
class InstanceMemo {
 public:
  static constexpr size_t kMaxBytes = size_t{64} << 20;

  std::shared_ptr<const ConstructionRecord> FindConstruction(const MemoKey& k) const;
  std::shared_ptr<const std::vector<ParamRecord>> FindParams(const MemoKey& k) const;
  std::shared_ptr<const Fragment> FindFragment(const MemoKey& k) const;
  void Put(const MemoKey& k, ConstructionRecord r);
  void Put(const MemoKey& k, std::vector<ParamRecord> r);
  void Put(const MemoKey& k, Fragment r);
  size_t size() const;   // records
  size_t bytes() const;  // their estimated size
  void Clear();

 private:
  void MakeRoom(size_t more);  // under mu_: starts over when `more` bytes would pass the bound
  mutable std::mutex mu_;
  size_t bytes_ = 0;
  std::unordered_map<MemoKey, std::shared_ptr<const ConstructionRecord>, MemoKeyHash> built_;
  std::unordered_map<MemoKey, std::shared_ptr<const std::vector<ParamRecord>>, MemoKeyHash> params_;
  std::unordered_map<MemoKey, std::shared_ptr<const Fragment>, MemoKeyHash> fragments_;
};

// What the memo did in one compile (tests and `-v`).
struct MemoStats {
  int construction_hits = 0, construction_records = 0;
  int param_replays = 0;
  int fragment_hits = 0, fragment_records = 0;
  int realized = 0;  // ghosts built for real because something looked inside
};

}  // namespace triton::lang::check
