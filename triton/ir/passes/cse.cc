#include "triton/ir/passes/cse.h"

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
  std::unordered_map<std::string, ValueId> seen;  // op key -> first result id
  std::string key;
  for (const Op& op : m.ops) {
    // The mnemonic ends with '\0' and the operand count precedes the fixed-width ids, so two
    // keys are equal only for the same kind, the same operands and the same attributes.
    key.assign(OpMnemonic(op.kind));
    key.push_back('\0');
    AppendRaw(key, static_cast<ValueId>(op.operands.size()));
    for (ValueId o : op.operands) {
      const ValueId r = rep[static_cast<size_t>(o)];
      used[static_cast<size_t>(r)] = true;
      AppendRaw(key, r);
    }
    AppendAttrsKey(key, op.attrs);
    auto [it, fresh] = seen.emplace(key, op.result);
    if (!fresh) {
      rep[static_cast<size_t>(op.result)] = it->second;
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
