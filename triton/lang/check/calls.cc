// Calls: argument binding, functions, layers (functional and module style), instances.
#include <algorithm>
#include <optional>

#include "triton/lang/check/elab.h"

namespace triton::lang::check {

namespace {
bool IsTensorTypeName(const std::string& n) {
  return n == "Tensor" || n == "tensor" || n == "TernaryTensor";
}
}  // namespace

bool Elaborator::IsFunctionalLayer(const ast::FnStmt& decl) {
  if (decl.return_type) return true;
  for (const ast::Param& p : decl.params) {
    if (p.type && !p.type->is_list && IsTensorTypeName(p.type->name)) return true;
  }
  return false;
}

Value Elaborator::EvalCall(const ast::CallExpr& e, const EnvPtr& env) {
  Value callee = Eval(*e.callee, env);
  static const std::string kNoName;
  const std::string* name = &kNoName;  // into the AST: no copy per call
  if (e.callee->kind == ast::ExprKind::kName) name = &e.callee->As<ast::NameExpr>().name;
  if (e.callee->kind == ast::ExprKind::kMember) name = &e.callee->As<ast::MemberExpr>().member;
  if (e.callee->kind == ast::ExprKind::kIndex &&
      e.callee->As<ast::IndexExpr>().base->kind == ast::ExprKind::kName) {
    name = &e.callee->As<ast::IndexExpr>().base->As<ast::NameExpr>().name;
  }
  CallArgs args;
  args.range = e.range;
  args.callee_range = e.callee->range;
  bool failed = callee.is_error();
  // One allocation per argument vector instead of growing 1, 2, 4 (every call comes here).
  size_t positional = 0;
  for (const ast::Arg& a : e.args) positional += a.name.empty() ? 1 : 0;
  args.pos.reserve(positional);
  args.pos_ranges.reserve(positional);
  args.kw.reserve(e.args.size() - positional);
  args.kw_ranges.reserve(e.args.size() - positional);
  for (const ast::Arg& a : e.args) {
    Value v = Eval(*a.value, env);
    failed = failed || v.is_error();
    if (a.name.empty()) {
      if (!args.kw.empty()) {
        Error(Kind::kBadArgument, a.range, "a positional argument cannot follow keyword arguments");
        failed = true;
      }
      args.pos.push_back(std::move(v));
      args.pos_ranges.push_back(a.range);
    } else {
      args.kw.emplace_back(a.name, std::move(v));
      args.kw_ranges.push_back(a.range);
    }
  }
  if (failed) return Value::Error();
  return Call(callee, args, *name);
}

Value Elaborator::Call(const Value& callee, CallArgs& args, const std::string& name) {
  switch (callee.kind) {
    case VKind::kError:
      return callee;
    case VKind::kBuiltin:
      return CallBuiltin(callee.builtin, args, callee);
    case VKind::kFunction:
      return CallFunction(callee, args);
    case VKind::kLayer:
      return CallLayer(callee, args);
    case VKind::kInstance:
      return CallInstance(callee.instance, args);
    default:
      Error(Kind::kNotCallable, args.callee_range,
            (name.empty() ? std::string("this") : "'" + name + "'") + " is " + Describe(callee) +
                ", not a function or layer");
      return Value::Error();
  }
}

bool Elaborator::BindParams(const ast::FnStmt& decl, CallArgs& args, const EnvPtr& scope,
                            SymBindings& syms) {
  auto what = [&] { return (decl.is_layer() ? "layer " : "function ") + decl.name; };
  size_t n = decl.params.size();
  if (args.pos.size() > n) {
    Error(Kind::kWrongArity, args.range,
          what() + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + ", got " +
              std::to_string(args.pos.size() + args.kw.size()));
    Note(decl.name_range, decl.name + " declared here");
    return false;
  }
  // Which argument fills each parameter: on the stack for the usual few parameters.
  constexpr size_t kInline = 8;
  const Value* slot_inline[kInline];
  SourceRange range_inline[kInline];
  std::vector<const Value*> slot_heap;
  std::vector<SourceRange> range_heap;
  const Value** slot = slot_inline;
  SourceRange* slot_range = range_inline;
  if (n > kInline) {
    slot_heap.resize(n);
    range_heap.resize(n);
    slot = slot_heap.data();
    slot_range = range_heap.data();
  }
  std::fill_n(slot, n, nullptr);
  std::fill_n(slot_range, n, args.range);
  for (size_t i = 0; i < args.pos.size(); ++i) {
    slot[i] = &args.pos[i];
    slot_range[i] = args.pos_ranges[i];
  }
  bool ok = true;
  for (size_t k = 0; k < args.kw.size(); ++k) {
    size_t i = 0;
    while (i < n && decl.params[i].name != args.kw[k].first) ++i;
    if (i == n) {
      std::string names;
      for (const ast::Param& p : decl.params) names += (names.empty() ? "" : ", ") + p.name;
      Error(Kind::kUnknownArgument, args.kw_ranges[k],
            what() + " has no parameter '" + args.kw[k].first + "'" +
                (names.empty() ? std::string(" (it takes none)") : " (it takes " + names + ")"));
      ok = false;
      continue;
    }
    if (slot[i]) {
      Error(Kind::kDuplicateArgument, args.kw_ranges[k],
            "argument '" + args.kw[k].first + "' of " + what() + " is given twice");
      ok = false;
      continue;
    }
    slot[i] = &args.kw[k].second;
    slot_range[i] = args.kw_ranges[k];
  }
  if (!ok) return false;
  for (size_t i = 0; i < n; ++i) {
    const ast::Param& p = decl.params[i];
    Value v;
    if (slot[i]) {
      v = *slot[i];
    } else if (p.default_value) {
      v = Eval(*p.default_value, scope);  // defaults see the parameters before them
    } else {
      Error(Kind::kWrongArity, args.range, what() + " is missing argument '" + p.name + "'");
      Note(p.range, "'" + p.name + "' declared here");
      return false;
    }
    if (p.type && !v.is_error()) {
      std::optional<LType> t = ResolveType(*p.type, scope);
      v = t ? Coerce(v, *t, syms, slot_range[i],
                     [&] { return "argument '" + p.name + "' of " + what(); })
            : Value::Error();
    }
    if (v.is_error()) return false;
    scope->Bind(p.name, std::move(v), p.name_range);
  }
  return true;
}

Value Elaborator::RunBody(const ast::FnStmt& decl, const EnvPtr& scope, const SymBindings& syms) {
  auto body = std::make_shared<Env>(scope);
  return_value_ = Value::None();
  Flow f = ExecStmts(decl.body->stmts, body);
  Value result = f == Flow::kReturn ? return_value_ : Value::None();
  SourceRange where = f == Flow::kReturn ? last_return_range_ : decl.name_range;
  if (decl.return_type && !result.is_error()) {
    std::optional<LType> t = ResolveType(*decl.return_type, scope);
    if (!t) return Value::Error();
    if (result.kind == VKind::kNone) {
      Error(Kind::kMissingReturn, decl.name_range,
            decl.name + " must return " + t->ToString() + " but reaches its end without `return`");
      return Value::Error();
    }
    SymBindings s = syms;
    result = Coerce(result, *t, s, where, [&] { return "the result of " + decl.name; });
  }
  return result;
}

Value Elaborator::CallFunction(const Value& fn, CallArgs& args) {
  DepthGuard guard(*this);
  // An instance call already pushed this site under the layer's name.
  bool same_site = !call_stack_.empty() && call_stack_.back().first.begin == args.range.begin &&
                   call_stack_.back().first.file == args.range.file;
  std::optional<CallSiteGuard> site;
  if (!same_site) site.emplace(call_stack_, args.range, &fn.decl->name);
  if (depth_ > kMaxCallDepth) {
    Error(Kind::kRecursionTooDeep, args.range,
          "calls nested deeper than " + std::to_string(kMaxCallDepth) + " (is '" + fn.decl->name +
              "' recursive?)");
    return Value::Error();
  }
  auto scope = std::make_shared<Env>(fn.closure, /*boundary=*/true);
  SymBindings syms;
  if (!BindParams(*fn.decl, args, scope, syms)) return Value::Error();
  return RunBody(*fn.decl, scope, syms);
}

Value Elaborator::CallLayer(const Value& layer, CallArgs& args) {
  DepthGuard guard(*this);
  const ast::FnStmt& decl = *layer.decl;
  CallSiteGuard site(call_stack_, args.range, &decl.name);
  if (depth_ > kMaxCallDepth) {
    Error(Kind::kRecursionTooDeep, args.range,
          "layers nested deeper than " + std::to_string(kMaxCallDepth) + " (does '" + decl.name +
              "' build itself?)");
    return Value::Error();
  }
  const bool functional = IsFunctionalLayer(decl);
  MemoKey key;
  const bool keyed = MemoOn() && !functional && ConstructionKey(layer, args, &key);
  if (keyed) {
    Value ghost = Ghostly(layer, args, key);
    if (ghost.kind == VKind::kInstance) return ghost;
  }
  if (functional) {
    auto params = std::make_shared<Env>(layer.closure, /*boundary=*/true);
    SymBindings syms;
    if (!BindParams(decl, args, params, syms)) return Value::Error();
    return RunBody(decl, params, syms);
  }
  // Module style: the body declares members; `fn forward` is called when the instance is.
  auto inst = std::make_shared<Instance>();
  const MemoMark mark = Mark();
  Value returned = BuildInto(layer, args, *inst);
  const int depth = EndMark(mark);
  if (returned.kind != VKind::kNone) return returned;
  if (keyed && Clean(mark) && module_->values.size() == mark.values) {
    memo_->Put(key, ConstructionRecord{steps_ - mark.steps, depth});
    inst->has_key = true;
    inst->key = key;
    ++memo_stats_.construction_records;
  }
  Value v{VKind::kInstance};
  v.instance = inst;
  return v;
}

Value Elaborator::BuildInto(const Value& layer, CallArgs& args, Instance& inst) {
  const ast::FnStmt& decl = *layer.decl;
  auto params = std::make_shared<Env>(layer.closure, /*boundary=*/true);
  SymBindings syms;
  if (!BindParams(decl, args, params, syms)) return Value::Error();
  inst.decl = &decl;
  inst.params = params;
  inst.body = std::make_shared<Env>(params);
  member_envs_.push_back(inst.body);
  return_value_ = Value::None();
  Flow f = ExecStmts(decl.body->stmts, inst.body);
  member_envs_.pop_back();
  if (f == Flow::kReturn && return_value_.kind != VKind::kNone) return return_value_;
  return Value::None();
}

Value Elaborator::CallInstance(const std::shared_ptr<Instance>& inst, CallArgs& args) {
  if (!inst->materialized) {
    // A layer built inside forward: its parameters are named after the calling layer.
    std::string base = scope_stack_.empty() ? "" : scope_stack_.back();
    Materialize(*inst, JoinPath(base, inst->decl->name + "_" + std::to_string(anon_counter_++)));
  }
  MemoKey key;
  std::vector<ir::ValueId> tensors;
  // No record can exist, nor be worth making, for a key WorthRecording refuses: skip the key.
  const bool keyed = MemoOn() && inst->has_key && inst->param_begin >= 0 &&
                     WorthRecording(inst->key) && FragmentKey(*inst, args, &key, &tensors);
  if (keyed) {
    std::shared_ptr<const Fragment> f = memo_->FindFragment(key);
    if (f && inst->params_clean && inst->param_end - inst->param_begin == f->params &&
        depth_ + f->depth <= kMaxCallDepth && steps_ + f->steps <= kMaxSteps) {
      steps_ += f->steps;
      ++memo_stats_.fragment_hits;
      return ReplayFragment(*inst, *f, tensors);
    }
  }
  Instance& real = Real(inst);
  int at = real.body->Find("forward");
  if (at < 0 || real.body->values[static_cast<size_t>(at)].kind != VKind::kFunction) {
    Error(Kind::kNotCallable, args.callee_range,
          "layer " + real.decl->name +
              " has no `fn forward(...)`, so its instances cannot be called");
    return Value::Error();
  }
  CallSiteGuard site(call_stack_, args.range, &real.decl->name);
  scope_stack_.push_back(real.path);
  const MemoMark mark = Mark();
  Value out = CallFunction(real.body->values[static_cast<size_t>(at)], args);
  const int depth = EndMark(mark);
  scope_stack_.pop_back();
  if (keyed && !out.is_error() && Clean(mark)) {
    RecordFragment(real, key, mark, depth, tensors, out);
  }
  return out;
}

}  // namespace triton::lang::check
