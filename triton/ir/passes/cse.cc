#include "triton/ir/passes/cse.h"

#include <xxhash.h>

#include <string>
#include <unordered_map>

#include "triton/ir/passes/rewriter.h"

namespace triton::ir::passes {

namespace {
std::string ConstKey(const Module& m, const Constant& c) {
  std::string k = m.type(c.value).ToString();
  k.append(reinterpret_cast<const char*>(c.data.data()), c.data.size() * sizeof(double));
  return k;
}

template <typename T>
void AppendRaw(std::string& key, const T& v) {
  key.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// An op's key over representative operands. The mnemonic ends with '\0' and the operand count
// precedes the fixed-width ids, so two keys are equal only for the same kind, the same operands
// and the same attributes.
void OpKey(const Op& op, const std::vector<ValueId>& rep, std::string& key) {
  key.assign(OpMnemonic(op.kind));
  key.push_back('\0');
  AppendRaw(key, static_cast<ValueId>(op.operands.size()));
  for (ValueId o : op.operands) AppendRaw(key, rep[static_cast<size_t>(o)]);
  AppendAttrsKey(key, op.attrs);
}

// The first op seen with each key: open addressing over (key hash, op index), so no key string
// or map node is allocated per op. A hash match is confirmed by rebuilding that op's key, which
// happens only for true duplicates and for hash collisions.
class FirstOps {
 public:
  explicit FirstOps(size_t ops) {
    size_t n = 16;
    while (n < 2 * ops) n *= 2;
    slots_.assign(n, Slot{});
  }
  // The index of the first op whose key equals `key` (the key of op `index`), or -1 after
  // recording op `index` as the first of its key.
  int FindOrAdd(const std::string& key, int index, const Module& m,
                const std::vector<ValueId>& rep) {
    const uint64_t h = XXH3_64bits(key.data(), key.size());
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.index < 0) {
        s = {h, index};
        return -1;
      }
      if (s.hash == h) {
        OpKey(m.ops[static_cast<size_t>(s.index)], rep, other_);
        if (other_ == key) return s.index;
      }
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int index = -1;
  };
  std::vector<Slot> slots_;  // at most half full
  std::string other_;
};

}  // namespace

// Two passes over the module: the first finds, for every value, its representative (the first
// constant with the same type and data, the first op with the same kind, attributes and
// representative operands); the module is rebuilt only when a value has another representative
// or a constant is unused (the rebuild drops those), so a module with nothing to merge costs one
// scan rather than a copy.
bool RunCse(Module& m) {
  std::vector<ValueId> rep(m.values.size());
  for (size_t v = 0; v < rep.size(); ++v) rep[v] = static_cast<ValueId>(v);
  bool merged = false;
  std::unordered_map<std::string, ValueId> seen_consts;  // key -> first const id
  for (const Constant& c : m.consts) {
    auto [it, fresh] = seen_consts.emplace(ConstKey(m, c), c.value);
    if (!fresh) {
      rep[static_cast<size_t>(c.value)] = it->second;
      merged = true;
    }
  }
  std::vector<bool> used(m.values.size(), false);
  FirstOps first(m.ops.size());
  std::string key;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    for (ValueId o : op.operands) used[static_cast<size_t>(rep[static_cast<size_t>(o)])] = true;
    OpKey(op, rep, key);
    const int earlier = first.FindOrAdd(key, static_cast<int>(i), m, rep);
    if (earlier >= 0) {
      rep[static_cast<size_t>(op.result)] = m.ops[static_cast<size_t>(earlier)].result;
      merged = true;
    }
  }
  for (ValueId o : m.outputs) used[static_cast<size_t>(rep[static_cast<size_t>(o)])] = true;
  bool unused_const = false;
  for (const Constant& c : m.consts) {
    unused_const = unused_const || (rep[static_cast<size_t>(c.value)] == c.value &&
                                    !used[static_cast<size_t>(c.value)]);
  }
  if (!merged && !unused_const) return false;

  Rewriter rw(m);
  for (const Constant& c : m.consts) {
    const ValueId r = rep[static_cast<size_t>(c.value)];
    if (r != c.value) rw.Replace(c.value, rw.Map(r));
  }
  for (const Op& op : m.ops) {
    const ValueId r = rep[static_cast<size_t>(op.result)];
    if (r != op.result) {
      rw.Replace(op.result, rw.Map(r));
    } else {
      rw.Keep(op);
    }
  }
  m = rw.Finish();
  return true;
}

}  // namespace triton::ir::passes
