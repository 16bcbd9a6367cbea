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
}  // namespace

bool RunCse(Module& m) {
  Rewriter rw(m);
  std::unordered_map<std::string, ValueId> seen_consts;  // key -> old const id
  for (const Constant& c : m.consts) {
    auto [it, fresh] = seen_consts.emplace(ConstKey(m, c), c.value);
    if (!fresh) rw.Replace(c.value, rw.Map(it->second));
  }
  std::unordered_map<std::string, ValueId> seen;  // op key -> new result id
  bool changed = false;
  for (const Op& op : m.ops) {
    std::string key = OpMnemonic(op.kind);
    for (ValueId o : op.operands) key += "," + std::to_string(rw.Map(o));
    for (const auto& [name, v] : op.attrs.items()) key += ";" + name + "=" + AttrToString(v);
    auto it = seen.find(key);
    if (it != seen.end()) {
      rw.Replace(op.result, it->second);
      changed = true;
      continue;
    }
    seen.emplace(std::move(key), rw.Keep(op));
  }
  Module out = rw.Finish();
  changed = changed || out.consts.size() != m.consts.size();
  if (changed) m = std::move(out);
  return changed;
}

}  // namespace triton::ir::passes
