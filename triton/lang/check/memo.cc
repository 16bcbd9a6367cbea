// The elaborator's side of the instance memo (instance_memo.h): keys, ghosts, and recording and
// replaying parameter lists and forward fragments.
#include <cstring>

#include "triton/lang/check/elab.h"

namespace triton::lang::check {

namespace {

void AddType(MemoKeyBuilder& b, const ir::TensorType& t) {
  b.Add(static_cast<int64_t>(t.dtype)).Add(static_cast<int64_t>(t.dims.size()));
  for (const ir::Dim& d : t.dims) b.Add(d.size).Add(d.symbol);
}

// A module value's path relative to an instance's: "" for the path itself; false when `full`
// is not under `path`.
bool Relative(const std::string& full, const std::string& path, std::string* rel) {
  if (path.empty()) {
    *rel = full;
    return true;
  }
  if (full == path) {
    rel->clear();
    return true;
  }
  if (full.size() > path.size() && full.compare(0, path.size(), path) == 0 &&
      full[path.size()] == '.') {
    *rel = full.substr(path.size() + 1);
    return true;
  }
  return false;
}

}  // namespace

const MemoKey* Elaborator::DeclKeyOf(const Value& v) {
  if ((v.kind != VKind::kLayer && v.kind != VKind::kFunction) || !v.decl || !memo_) {
    return nullptr;
  }
  // Only a top-level declaration: its scope is its file's, which its key covers. One declared
  // inside a block closes over values no key describes.
  const diag::FileId file = v.decl->range.file;
  for (size_t p = 0; p < sources_.programs.size() && p < file_envs_.size(); ++p) {
    if (sources_.programs[p]->file != file) continue;
    if (!file_envs_[p] || v.closure != file_envs_[p]) return nullptr;
    if (decl_keys_) return decl_keys_->Find(v.decl);
    // Private: the declaration's address, tagged so it cannot meet a text key (which a private
    // memo never holds anyway).
    auto [it, fresh] = private_decl_keys_.try_emplace(v.decl);
    if (fresh) it->second = {reinterpret_cast<uintptr_t>(v.decl), 0x7072697661746531ull};
    return &it->second;
  }
  return nullptr;
}

bool Elaborator::Fingerprint(const Value& v, MemoKeyBuilder& b, std::vector<ir::ValueId>* tensors) {
  b.Add(static_cast<int64_t>(v.kind));
  switch (v.kind) {
    case VKind::kNone:
      return true;
    case VKind::kBool:
      b.Add(v.b ? 1 : 0);
      return true;
    case VKind::kInt:
      b.Add(v.i).Add(static_cast<int64_t>(v.dtype)).Add(v.untyped ? 1 : 0);
      return true;
    case VKind::kFloat: {
      int64_t bits;
      std::memcpy(&bits, &v.f, sizeof bits);
      b.Add(bits).Add(static_cast<int64_t>(v.dtype)).Add(v.untyped ? 1 : 0);
      return true;
    }
    case VKind::kStr:
      b.Add(*v.str);
      return true;
    case VKind::kList:
      b.Add(static_cast<int64_t>(v.list->size()));
      for (const Value& e : *v.list) {
        if (!Fingerprint(e, b, tensors)) return false;
      }
      return true;
    case VKind::kLayer:
    case VKind::kFunction: {
      const MemoKey* k = DeclKeyOf(v);
      if (!k) return false;
      b.Add(*k);
      return true;
    }
    case VKind::kBuiltin:
      b.Add(v.builtin);
      return true;
    case VKind::kTensor: {
      if (!tensors || v.gen != generation_) return false;
      AddType(b, TypeOf(v));
      size_t at = 0;  // which of the call's tensors: the same one twice is not two equal ones
      while (at < tensors->size() && (*tensors)[at] != v.tensor) ++at;
      if (at == tensors->size()) tensors->push_back(v.tensor);
      b.Add(static_cast<int64_t>(at));
      return true;
    }
    default:  // errors, initializers, instances: nothing a key can name
      return false;
  }
}

// Adds a call's arguments (positional, then keyword with their names) to `b`.
bool Elaborator::FingerprintArgs(const CallArgs& args, MemoKeyBuilder& b,
                                 std::vector<ir::ValueId>* tensors) {
  b.Add(static_cast<int64_t>(args.pos.size()));
  for (const Value& v : args.pos) {
    if (!Fingerprint(v, b, tensors)) return false;
  }
  for (const auto& [name, v] : args.kw) {
    b.Add(name);
    if (!Fingerprint(v, b, tensors)) return false;
  }
  return true;
}

bool Elaborator::ConstructionKey(const Value& layer, const CallArgs& args, MemoKey* out) {
  const MemoKey* decl = DeclKeyOf(layer);
  if (!decl) return false;
  MemoKeyBuilder b;
  b.Add("construct").Add(*decl);
  if (!FingerprintArgs(args, b, nullptr)) return false;
  *out = b.Finish();
  return true;
}

bool Elaborator::FragmentKey(const Instance& inst, const CallArgs& args, MemoKey* out,
                             std::vector<ir::ValueId>* tensors) {
  MemoKeyBuilder b;
  b.Add("forward").Add(inst.key);
  if (!FingerprintArgs(args, b, tensors)) return false;
  *out = b.Finish();
  return true;
}

MemoMark Elaborator::Mark() {
  MemoMark m;
  m.values = module_ ? module_->values.size() : 0;
  m.ops = module_ ? module_->ops.size() : 0;
  m.consts = module_ ? module_->consts.size() : 0;
  m.params = module_ ? module_->params.size() : 0;
  m.inputs = module_ ? module_->inputs.size() : 0;
  m.reports = diags_.reports();
  m.errors = error_calls_;
  m.anon = anon_counter_;
  m.steps = steps_;
  m.depth = depth_;
  m.outer_max_depth = max_depth_;
  max_depth_ = depth_;
  return m;
}

int Elaborator::EndMark(const MemoMark& m) {
  const int depth = max_depth_ - m.depth;
  max_depth_ = std::max(max_depth_, m.outer_max_depth);
  return depth;
}

bool Elaborator::Clean(const MemoMark& m) const {
  return diags_.reports() == m.reports && error_calls_ == m.errors && anon_counter_ == m.anon &&
         !step_limit_reported_ && module_ && module_->inputs.size() == m.inputs;
}

Value Elaborator::Ghostly(const Value& layer, CallArgs& args, const MemoKey& key) {
  std::shared_ptr<const ConstructionRecord> r = memo_->FindConstruction(key);
  // The real call would have stopped at a limit: let it, so that the diagnostic is the same.
  if (!r || depth_ + r->depth > kMaxCallDepth || steps_ + r->steps > kMaxSteps) return {};
  steps_ += r->steps;
  auto inst = std::make_shared<Instance>();
  inst->decl = layer.decl;
  inst->has_key = true;
  inst->key = key;
  inst->ghost = std::make_shared<Ghost>(Ghost{layer, args, depth_ - 1});
  ghost_keys_.insert(key);
  ++memo_stats_.construction_hits;
  Value v{VKind::kInstance};
  v.instance = std::move(inst);
  return v;
}

void Elaborator::Realize(Instance& inst) {
  if (!inst.ghost) return;
  std::shared_ptr<Ghost> g = std::move(inst.ghost);
  inst.ghost.reset();
  ++memo_stats_.realized;
  // The call runs again as it ran when it was recorded: at its caller's depth, its steps
  // already counted.
  const int64_t steps = steps_;
  const int depth = depth_;
  depth_ = g->depth;
  {
    DepthGuard guard(*this);
    CallSiteGuard site(call_stack_, g->args.range, &inst.decl->name);
    BuildInto(g->layer, g->args, inst);  // a recorded call returned nothing
  }
  depth_ = depth;
  steps_ = steps;
  if (!inst.params) inst.params = std::make_shared<Env>(nullptr);  // only after an error
  if (!inst.body) inst.body = std::make_shared<Env>(inst.params);
  if (inst.materialized) {
    int64_t cursor = inst.param_begin;
    Adopt(inst, &cursor);
  }
}

void Elaborator::MaterializeGhost(Instance& inst, const std::string& path) {
  std::shared_ptr<const std::vector<ParamRecord>> rec = memo_->FindParams(inst.key);
  std::vector<std::string> names;
  std::vector<uint64_t> hashes;
  if (rec) {
    names.reserve(rec->size());
    hashes.reserve(rec->size());
  }
  for (size_t k = 0; rec && k < rec->size(); ++k) {
    names.push_back(JoinPath(path, (*rec)[k].rel_name));
    hashes.push_back(ir::ValueNameSet::Hash(names.back()));
    // Taken: the real walk reports it.
    if (param_names_.Contains(*module_, names.back(), hashes.back())) rec.reset();
  }
  if (!rec) {
    Realize(inst);
    Materialize(inst, path);
    return;
  }
  inst.materialized = true;
  inst.path = path;
  inst.param_begin = static_cast<int64_t>(module_->params.size());
  for (size_t k = 0; k < rec->size(); ++k) {
    const ParamRecord& p = (*rec)[k];
    ir::ValueId id = builder_->AddParam(std::move(names[k]), p.type, p.info);
    param_names_.Add(id, hashes[k]);
    value_origin_.resize(module_->values.size());
    value_origin_[id] = p.origin;
  }
  inst.param_end = static_cast<int64_t>(module_->params.size());
  inst.params_clean = true;
  ++memo_stats_.param_replays;
}

// Whether records keyed by construction `key` can serve anyone: every later compile sharing the
// memo, or, in a private memo, a ghost of the same construction in this compile. (Constructions
// come before materialization and `forward`, so the ghosts are known by then.)
bool Elaborator::WorthRecording(const MemoKey& key) const {
  return memo_shared_ || ghost_keys_.count(key) > 0;
}

void Elaborator::RecordParams(const Instance& inst, const MemoMark& m) {
  if (!WorthRecording(inst.key)) return;
  if (module_->ops.size() != m.ops || module_->consts.size() != m.consts) return;
  if (memo_->FindParams(inst.key)) return;
  std::vector<ParamRecord> rec;
  rec.reserve(module_->params.size() - m.params);
  for (size_t k = m.params; k < module_->params.size(); ++k) {
    const ir::Param& p = module_->params[k];
    const ir::Value& v = module_->value(p.value);
    ParamRecord r;
    if (!Relative(v.name, inst.path, &r.rel_name)) return;
    r.type = v.type;
    r.info = p;
    r.info.value = ir::kNoValue;
    if (static_cast<size_t>(p.value) < value_origin_.size()) r.origin = value_origin_[p.value];
    rec.push_back(std::move(r));
  }
  memo_->Put(inst.key, std::move(rec));
}

void Elaborator::Adopt(Instance& inst, int64_t* cursor) {
  inst.param_begin = *cursor;
  // The walk Materialize made, taking its parameters in order instead of making them.
  ForEachParamHolder(inst, [&](Value& v, const std::string& path) {
    if (v.kind == VKind::kInit) {
      v = Value::Tensor(module_->params.at(static_cast<size_t>((*cursor)++)).value);
      v.gen = generation_;
      return;
    }
    Instance& child = *v.instance;
    if (child.materialized) return;  // as Materialize: named elsewhere
    child.materialized = true;
    child.path = path;
    child.params_clean = true;  // part of a replayed range
    child.param_begin = *cursor;
    if (!child.ghost) {
      Adopt(child, cursor);
    } else if (auto rec = memo_->FindParams(child.key)) {
      child.param_end = child.param_begin + static_cast<int64_t>(rec->size());  // stays a ghost
    } else {
      Realize(child);  // built, then adopts from param_begin
    }
    *cursor = child.param_end;
  });
  inst.param_end = *cursor;
}

namespace {

struct Encoder {
  const ir::Module& m;
  const Instance& inst;
  size_t first_local;
  const std::vector<ir::ValueId>& tensors;
  bool Ref(ir::ValueId id, FragmentRef* out) const {
    if (static_cast<size_t>(id) >= first_local) {
      *out = {FragmentRef::kLocal, static_cast<int32_t>(static_cast<size_t>(id) - first_local)};
      return true;
    }
    for (size_t k = 0; k < tensors.size(); ++k) {
      if (tensors[k] == id) {
        *out = {FragmentRef::kArg, static_cast<int32_t>(k)};
        return true;
      }
    }
    const ir::Value& v = m.value(id);
    if (v.kind == ir::ValueKind::kParam && v.def >= inst.param_begin && v.def < inst.param_end) {
      *out = {FragmentRef::kParam, static_cast<int32_t>(v.def - inst.param_begin)};
      return true;
    }
    return false;  // a value from outside the call: a record would not know it
  }
  bool Result(const Value& v, ResultTemplate* out) const {
    out->kind = static_cast<uint8_t>(v.kind);
    out->untyped = v.untyped;
    out->dtype = v.dtype;
    out->b = v.b;
    out->i = v.i;
    out->f = v.f;
    switch (v.kind) {
      case VKind::kNone:
      case VKind::kBool:
      case VKind::kInt:
      case VKind::kFloat:
        return true;
      case VKind::kStr:
        out->str = *v.str;
        return true;
      case VKind::kTensor:
        return Ref(v.tensor, &out->tensor);
      case VKind::kList:
        out->list.resize(v.list->size());
        for (size_t k = 0; k < v.list->size(); ++k) {
          if (!Result((*v.list)[k], &out->list[k])) return false;
        }
        return true;
      default:
        return false;
    }
  }
};

}  // namespace

void Elaborator::RecordFragment(const Instance& inst, const MemoKey& key, const MemoMark& m,
                                int depth, const std::vector<ir::ValueId>& tensors,
                                const Value& out) {
  if (!WorthRecording(inst.key) || module_->params.size() != m.params || !inst.params_clean) {
    return;
  }
  Encoder enc{*module_, inst, m.values, tensors};
  Fragment f;
  f.steps = steps_ - m.steps;
  f.depth = depth;
  f.params = inst.param_end - inst.param_begin;
  f.values.reserve(module_->values.size() - m.values);
  for (size_t id = m.values; id < module_->values.size(); ++id) {
    const ir::Value& v = module_->values[id];
    FragmentValue fv;
    fv.type = v.type;
    if (v.kind == ir::ValueKind::kConst) {
      fv.is_const = true;
      fv.data = module_->consts[static_cast<size_t>(v.def)].data;
    } else if (v.kind == ir::ValueKind::kOp) {
      const ir::Op& op = module_->ops[static_cast<size_t>(v.def)];
      fv.op = op.kind;
      fv.attrs = op.attrs;
      if (!Relative(op.scope, inst.path, &fv.scope)) return;
      fv.operands.resize(op.operands.size());
      for (size_t k = 0; k < op.operands.size(); ++k) {
        if (!enc.Ref(op.operands[k], &fv.operands[k])) return;
      }
    } else {
      return;
    }
    f.values.push_back(std::move(fv));
  }
  if (!enc.Result(out, &f.result)) return;
  memo_->Put(key, std::move(f));
  ++memo_stats_.fragment_records;
}

Value Elaborator::ReplayFragment(const Instance& inst, const Fragment& f,
                                 const std::vector<ir::ValueId>& tensors) {
  const size_t first = module_->values.size();
  auto id_of = [&](FragmentRef r) -> ir::ValueId {
    switch (r.kind) {
      case FragmentRef::kLocal:
        return static_cast<ir::ValueId>(first + static_cast<size_t>(r.index));
      case FragmentRef::kArg:
        return tensors.at(static_cast<size_t>(r.index));
      case FragmentRef::kParam:
        return module_->params.at(static_cast<size_t>(inst.param_begin + r.index)).value;
    }
    return ir::kNoValue;
  };
  std::vector<ir::ValueId> operands;
  for (const FragmentValue& fv : f.values) {
    if (fv.is_const) {
      builder_->AddConst(fv.type, fv.data);
      continue;
    }
    operands.resize(fv.operands.size());
    for (size_t k = 0; k < fv.operands.size(); ++k) operands[k] = id_of(fv.operands[k]);
    builder_->AddTypedOp(fv.op, operands, fv.attrs, JoinPath(inst.path, fv.scope), fv.type);
  }
  value_origin_.resize(module_->values.size());  // ops' origins are never shown (EmitOp)
  auto build = [&](auto&& self, const ResultTemplate& t) -> Value {
    Value v{static_cast<VKind>(t.kind)};
    v.untyped = t.untyped;
    v.dtype = t.dtype;
    v.b = t.b;
    v.i = t.i;
    v.f = t.f;
    if (v.kind == VKind::kStr) v.str = std::make_shared<const std::string>(t.str);
    if (v.kind == VKind::kTensor) {
      v.tensor = id_of(t.tensor);
      v.gen = generation_;
    }
    if (v.kind == VKind::kList) {
      std::vector<Value> elems;
      elems.reserve(t.list.size());
      for (const ResultTemplate& e : t.list) elems.push_back(self(self, e));
      v.list = std::make_shared<std::vector<Value>>(std::move(elems));
    }
    return v;
  };
  return build(build, f.result);
}

}  // namespace triton::lang::check
