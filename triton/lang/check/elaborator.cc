// Entries (models, the top-level script, layers checked alone) and the naming of the model tree.
#include <algorithm>

#include "triton/base/timer.h"
#include "triton/lang/check/elab.h"

namespace triton::lang::check {

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "." + b;
}

namespace {
bool IsDecl(const ast::Stmt& s) {
  return s.kind == ast::StmtKind::kLayer || s.kind == ast::StmtKind::kFn ||
         s.kind == ast::StmtKind::kImport || s.kind == ast::StmtKind::kModel;
}

// The stem of a file name: "models/resnet.tri" -> "resnet".
std::string Stem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}
}  // namespace

Elaborator::Elaborator(const SourceSet& sources, const ElabOptions& options,
                       diag::DiagEngine& diags)
    : sources_(sources), options_(options), diags_(diags) {
  // `triton check` elaborates layers alone and every entry: nothing there is worth recording.
  if (!options.memo_off && !options.check_all) {
    memo_ = options.memo ? options.memo : std::make_shared<InstanceMemo>();
    memo_shared_ = options.memo != nullptr;
    // A private memo serves this compile alone, whose code cannot change under it: a
    // declaration is its own key. Only a shared memo needs keys of the code's text.
    if (memo_shared_) decl_keys_.emplace(sources, diags.sources());
  }
}

Elaborator::~Elaborator() {
  // Every cycle runs through a closure's Env: through its bindings (the closure itself, or an
  // instance made in it) or up its parent chain (an instance's scopes lead up to the Env its
  // layer was declared in). Cutting both frees the lot once the last outside reference goes.
  for (const EnvPtr& env : closure_envs_) {
    env->values.clear();
    env->parent.reset();
  }
}

void Elaborator::Error(Kind kind, SourceRange r, std::string message) {
  ++error_calls_;
  diag::FileId prelude = sources_.programs[sources_.prelude]->file;
  if (r.valid() && r.file == prelude) {
    // Name the layers between the user's call and the error: "in Linear (prelude)".
    std::string chain;
    for (auto it = call_stack_.rbegin(); it != call_stack_.rend(); ++it) {
      chain = chain.empty() ? *it->second : *it->second + " <- " + chain;
      if (it->first.valid() && it->first.file != prelude) {
        if (diags_.HasErrorAt(it->first)) return;  // one error per call of a prelude layer
        diags_.Report(kind, it->first, std::move(message));
        diags_.AddNote(r, "inside the prelude's " + chain);
        return;
      }
    }
  }
  diags_.Report(kind, r, std::move(message));
}

bool Elaborator::Charge(int64_t n, SourceRange r) {
  steps_ += std::max<int64_t>(n, 1) - 1;
  return Step(r);
}

bool Elaborator::Step(SourceRange r) {
  if (++steps_ <= kMaxSteps) return true;
  if (!step_limit_reported_) {
    step_limit_reported_ = true;
    Error(
        Kind::kElaborationLimit, r,
        "elaboration ran more than " + std::to_string(kMaxSteps) + " steps; is a loop unbounded?");
  }
  return false;
}

void Elaborator::StartModule(const std::string& name) {
  result_.reset();
  owned_ = std::make_unique<ir::Module>();
  owned_->name = name;
  module_ = owned_.get();
  builder_.emplace(*module_);
  value_origin_.clear();
  param_names_.Clear();
  ++generation_;
}

EnvPtr Elaborator::FileEnv(int program) {
  if (file_envs_.size() < sources_.programs.size()) file_envs_.resize(sources_.programs.size());
  if (file_envs_[program]) return file_envs_[program];
  EnvPtr parent = program == sources_.prelude ? builtins_ : FileEnv(sources_.prelude);
  auto env = std::make_shared<Env>(parent, /*boundary=*/true);
  file_envs_[program] = env;  // set before imports: a cycle (already reported) stops here
  const ast::Program& prog = *sources_.programs[program];
  for (const ast::StmtPtr& s : prog.stmts) {
    if (s->kind != ast::StmtKind::kImport) continue;
    auto it = sources_.import_targets.find(&s->As<ast::ImportStmt>());
    if (it == sources_.import_targets.end() || it->second == program) continue;
    EnvPtr imported = FileEnv(it->second);
    for (size_t i = 0; i < imported->names.size(); ++i) {
      VKind k = imported->values[i].kind;
      if (k == VKind::kLayer || k == VKind::kFunction) {
        env->Bind(imported->names[i], imported->values[i], imported->ranges[i]);
      }
    }
  }
  for (const ast::StmtPtr& s : prog.stmts) {
    if (s->kind == ast::StmtKind::kLayer || s->kind == ast::StmtKind::kFn) {
      BindDecl(s->As<ast::FnStmt>(), env);
    }
  }
  // An imported file's top-level constants are what its layers read: run them now. (The main
  // file's statements run in RunEntry, where their `return` matters.)
  if (program != sources_.main && program != sources_.prelude) RunTopLevel(program, env);
  return env;
}

bool Elaborator::RunTopLevel(int program, const EnvPtr& env) {
  ++param_context_;
  bool returned = false;
  for (const ast::StmtPtr& s : sources_.programs[program]->stmts) {
    if (IsDecl(*s)) continue;
    if (Exec(*s, env) == Flow::kReturn) {
      returned = true;
      break;
    }
  }
  --param_context_;
  return returned;
}

void ForEachParamHolder(Value& v, const std::string& path, ParamHolderFn leaf) {
  switch (v.kind) {
    case VKind::kInit:
    case VKind::kInstance:
      leaf(v, path);
      break;
    case VKind::kList:
      for (size_t i = 0; i < v.list->size(); ++i) {
        ForEachParamHolder((*v.list)[i], JoinPath(path, std::to_string(i)), leaf);
      }
      break;
    default:
      break;
  }
}

void ForEachParamHolder(Instance& inst, ParamHolderFn leaf) {
  for (Env* env : {inst.params.get(), inst.body.get()}) {
    for (size_t i = 0; i < env->names.size(); ++i) {
      // Only initializers, instances and lists hold parameters: the rest (numbers, `forward`)
      // name nothing, and their paths are not built.
      VKind k = env->values[i].kind;
      if (k != VKind::kInit && k != VKind::kInstance && k != VKind::kList) continue;
      const std::string& name = env->names[i];
      // Shadowed hyper-parameters (`bias: bool` then `let bias = ...`) name nothing.
      if (env == inst.params.get() && inst.body->Find(name) >= 0) continue;
      // A name starting with `_` adds no path segment (Sequential's children are 0, 1, ...).
      ForEachParamHolder(env->values[i], JoinPath(inst.path, name[0] == '_' ? "" : name), leaf);
    }
  }
}

void Elaborator::MaterializeLeaf(Value& v, const std::string& path) {
  if (v.kind == VKind::kInit) {
    v = MakeParam(*v.init, path, v.init->range);
  } else if (!v.instance->materialized) {
    Materialize(*v.instance, path);
  } else {
    shared_seen_ = true;  // named before: its parameters lie outside this range
  }
}

void Elaborator::MaterializeValue(Value& v, const std::string& path) {
  ForEachParamHolder(v, path, [this](Value& x, const std::string& at) { MaterializeLeaf(x, at); });
}

void Elaborator::Materialize(Instance& inst, const std::string& path) {
  if (inst.ghost) {
    MaterializeGhost(inst, path);
    return;
  }
  inst.materialized = true;
  inst.path = path;
  const bool shared_before = shared_seen_;
  shared_seen_ = false;
  const MemoMark mark = Mark();
  ForEachParamHolder(inst, [this](Value& v, const std::string& at) { MaterializeLeaf(v, at); });
  EndMark(mark);
  inst.param_begin = static_cast<int64_t>(mark.params);
  inst.param_end = static_cast<int64_t>(module_->params.size());
  inst.params_clean = MemoOn() && Clean(mark) && !shared_seen_;
  // Not the model's own instance (path ""): its record would hold every parameter of the model,
  // and its key changes with each edit of the model's top-level layer, while a compile whose
  // code it covers unchanged is answered by the compile cache's keys before elaboration.
  if (inst.has_key && inst.params_clean && !path.empty()) RecordParams(inst, mark);
  shared_seen_ = shared_seen_ || shared_before;
}

bool Elaborator::BuildFromForward(const Value& fn, const std::string& scope, SourceRange r) {
  if (fn.kind != VKind::kFunction) {
    Error(Kind::kUnknownMember, r, "the model's layer has no `fn forward(...)` to run");
    return false;
  }
  const ast::FnStmt& decl = *fn.decl;
  CallArgs args;
  args.range = r;
  args.callee_range = decl.name_range;
  SymBindings syms;
  for (const ast::Param& p : decl.params) {
    std::optional<LType> t;
    if (p.type) t = ResolveType(*p.type, fn.closure);
    if (!t || t->kind != LType::kTensor || !t->has_dims) {
      if (p.default_value) continue;
      Error(Kind::kTypeMismatch, p.range,
            "the model input '" + p.name +
                "' needs a tensor type with a shape, such as Tensor[N, 3, 224, 224]");
      return false;
    }
    ir::TensorType tt = TensorTypeOf(*t, syms);
    ir::ValueId id = builder_->AddInput(p.name, tt);
    value_origin_.resize(module_->values.size());
    value_origin_[id] = p.range;
    Value v = Value::Tensor(id);
    v.gen = generation_;
    args.pos.push_back(v);
    args.pos_ranges.push_back(p.range);
  }
  if (!scope.empty()) scope_stack_.push_back(scope);
  Value out = CallFunction(fn, args);
  if (!scope.empty()) scope_stack_.pop_back();
  if (out.is_error()) return false;
  std::vector<Value> outs = out.kind == VKind::kList ? *out.list : std::vector<Value>{out};
  for (const Value& o : outs) {
    if (o.kind != VKind::kTensor) {
      Error(Kind::kTypeMismatch, decl.range,
            "a model must return a tensor (or a list of tensors), got " + Describe(o));
      return false;
    }
    builder_->AddOutput(o.tensor);
  }
  return true;
}

bool Elaborator::BuildFromValue(const Value& entry, SourceRange r) {
  switch (entry.kind) {
    case VKind::kError:
      return false;
    case VKind::kInstance: {
      Materialize(*entry.instance, "");
      Instance& inst = Real(entry.instance);
      int at = inst.body->Find("forward");
      Value fwd = at >= 0 ? inst.body->values[at] : Value::None();
      return BuildFromForward(fwd, "", r);
    }
    case VKind::kLayer: {
      if (!IsFunctionalLayer(*entry.decl)) {
        CallArgs none;
        none.range = r;
        Value inst = CallLayer(entry, none);
        return BuildFromValue(inst, r);
      }
      // A functional layer: tensor parameters with a static shape are weights, the others inputs.
      const ast::FnStmt& decl = *entry.decl;
      CallArgs args;
      args.range = r;
      SymBindings syms;
      ++param_context_;
      for (const ast::Param& p : decl.params) {
        std::optional<LType> t;
        if (p.type) t = ResolveType(*p.type, entry.closure);
        if (!t) {
          if (!p.default_value) {
            Error(Kind::kTypeMismatch, p.range,
                  "parameter '" + p.name + "' needs a type or a default to build the layer alone");
            --param_context_;
            return false;
          }
          continue;
        }
        if (t->kind != LType::kTensor) {
          if (p.default_value) continue;
          Error(Kind::kTypeMismatch, p.range,
                "hyper-parameter '" + p.name + "' needs a default to build the layer alone");
          --param_context_;
          return false;
        }
        if (!t->has_dims) {
          Error(Kind::kTypeMismatch, p.range,
                "tensor parameter '" + p.name +
                    "' needs a shape to build the layer alone, such as Tensor[N, 784]");
          --param_context_;
          return false;
        }
        ir::TensorType tt = TensorTypeOf(*t, syms);
        Value v;
        if (tt.is_static()) {
          InitSpec init;
          init.has_shape = true;
          init.shape = tt.dims;
          init.ternary = t->ternary;
          init.dtype = tt.dtype;
          init.init = tt.rank() >= 2 ? "kaiming_normal" : "zeros";
          init.range = p.range;
          v = MakeParam(init, p.name, p.range);
        } else {
          ir::ValueId id = builder_->AddInput(p.name, tt);
          value_origin_.resize(module_->values.size());
          value_origin_[id] = p.range;
          v = Value::Tensor(id);
          v.gen = generation_;
        }
        if (v.is_error()) {
          --param_context_;
          return false;
        }
        args.kw.emplace_back(p.name, v);
        args.kw_ranges.push_back(p.range);
      }
      --param_context_;
      Value out = CallLayer(entry, args);
      if (out.is_error()) return false;
      std::vector<Value> outs = out.kind == VKind::kList ? *out.list : std::vector<Value>{out};
      for (const Value& o : outs) {
        if (o.kind != VKind::kTensor) {
          Error(Kind::kTypeMismatch, decl.range,
                "layer '" + decl.name + "' must return a tensor to be built, got " + Describe(o));
          return false;
        }
        builder_->AddOutput(o.tensor);
      }
      return true;
    }
    default:
      Error(Kind::kTypeMismatch, r, "a model must be a layer, got " + Describe(entry));
      return false;
  }
}

void Elaborator::RunEntry(const std::string& name, bool keep) {
  const ast::Program& prog = *sources_.programs[sources_.main];
  file_envs_.clear();  // instances are built anew for every entry
  steps_ = 0;
  step_limit_reported_ = false;
  size_t errors_before = diags_.error_count();
  std::string file = diags_.sources().file(prog.file).name();
  StartModule(name.empty() ? Stem(file) : name);
  EnvPtr env = FileEnv(sources_.main);
  // Top-level statements run first (constants, the original's script style), then the model.
  bool script_returned = RunTopLevel(sources_.main, env);
  bool built = false;
  if (name.empty()) {
    Value out = script_returned ? return_value_ : Value::None();
    if (out.kind == VKind::kNone) {
      if (keep) {
        Error(Kind::kNoModel, {},
              file +
                  ": nothing to compile: declare `model NAME = Layer(...)` or `return` a "
                  "tensor at top level");
      }
    } else {
      std::vector<Value> outs = out.kind == VKind::kList ? *out.list : std::vector<Value>{out};
      built = true;
      for (const Value& o : outs) {
        if (o.kind == VKind::kTensor) {
          builder_->AddOutput(o.tensor);
        } else {
          built = false;
        }
      }
    }
  } else {
    // The script's tensors belong to a scratch module: start the model's own.
    StartModule(name);
    for (const ast::StmtPtr& s : prog.stmts) {
      if (s->kind != ast::StmtKind::kModel) continue;
      const auto& m = s->As<ast::ModelStmt>();
      if (m.name != name) continue;
      Value v = Eval(*m.value, env);
      built = BuildFromValue(v, m.value->range);
      break;
    }
  }
  if (keep && built && diags_.error_count() == errors_before) result_ = std::move(*owned_);
}

void Elaborator::CheckStandalone(const ast::FnStmt& decl, const EnvPtr& env) {
  // Module-style layers are checked alone when every hyper-parameter has a default and forward
  // declares its input shapes; functional layers when their tensor parameters are typed.
  bool functional = IsFunctionalLayer(decl);
  for (const ast::Param& p : decl.params) {
    if (!p.default_value && !(functional && p.type)) return;
    bool tensor =
        p.type && !p.type->is_list &&
        (p.type->name == "Tensor" || p.type->name == "tensor" || p.type->name == "TernaryTensor");
    if (tensor && !p.type->has_dims) return;  // its shape comes only from a caller
  }
  file_envs_.clear();
  steps_ = 0;
  step_limit_reported_ = false;
  StartModule(decl.name);
  EnvPtr fenv = FileEnv(sources_.main);
  RunTopLevel(sources_.main, fenv);  // the constants the layer may read
  StartModule(decl.name);            // the script's tensors stay in the scratch module
  int at = fenv->Find(decl.name);
  if (at < 0) return;
  Value layer = fenv->values[at];
  if (functional) {
    BuildFromValue(layer, decl.name_range);
    return;
  }
  CallArgs none;
  none.range = decl.name_range;
  Value inst = CallLayer(layer, none);
  if (inst.kind != VKind::kInstance) return;
  Instance& built = Real(inst.instance);
  int fwd = built.body->Find("forward");
  if (fwd < 0) return;
  const Value& f = built.body->values[fwd];
  if (f.kind != VKind::kFunction) return;
  for (const ast::Param& p : f.decl->params) {
    if (!p.type || !p.type->has_dims) return;
  }
  Materialize(*inst.instance, "");
  BuildFromForward(f, "", decl.name_range);
}

ElabResult Elaborator::Run() {
  ElabResult out;
  builtins_ = SharedBuiltins();
  const ast::Program& prog = *sources_.programs[sources_.main];
  bool has_script = false;
  for (const ast::StmtPtr& s : prog.stmts) {
    if (s->kind == ast::StmtKind::kModel) {
      out.model_names.push_back(s->As<ast::ModelStmt>().name);
    } else if (!IsDecl(*s)) {
      has_script = true;
    }
  }
  // Static name checks over all code, reached or not.
  // Visible from outside the file: its scope chain (its declarations and imports, the prelude's,
  // the built-ins).
  file_envs_.clear();
  const EnvPtr main_env = FileEnv(sources_.main);
  auto known = [&main_env](std::string_view n) {
    const uint32_t hash = NameHash(n);
    for (const Env* e = main_env.get(); e; e = e->parent.get()) {
      if (e->Find(n, hash) >= 0) return true;
    }
    return false;
  };
  base::Timer resolve_timer;
  ResolveNames(prog, known, diags_);
  out.resolve_ms = resolve_timer.ElapsedMs();

  if (options_.check_all) {
    for (const std::string& m : out.model_names) RunEntry(m, false);
    if (has_script) RunEntry("", false);
    for (const ast::StmtPtr& s : prog.stmts) {
      if (s->kind == ast::StmtKind::kLayer) CheckStandalone(s->As<ast::FnStmt>(), nullptr);
    }
    return out;
  }
  std::string entry = options_.model;
  std::string file = diags_.sources().file(prog.file).name();
  if (!entry.empty()) {
    if (std::find(out.model_names.begin(), out.model_names.end(), entry) == out.model_names.end()) {
      std::string avail;
      for (const std::string& m : out.model_names) avail += (avail.empty() ? "" : ", ") + m;
      Error(Kind::kUnknownModel, {},
            file + ": no model named '" + entry + "'" +
                (avail.empty() ? std::string(" (the file declares no models)")
                               : "; the file declares: " + avail));
      return out;
    }
  } else if (out.model_names.size() == 1) {
    entry = out.model_names[0];
  } else if (out.model_names.size() > 1) {
    std::string avail;
    for (const std::string& m : out.model_names) avail += (avail.empty() ? "" : ", ") + m;
    Error(Kind::kNoModel, {},
          file + " declares several models (" + avail + "); choose one with --model NAME");
    return out;
  } else if (!has_script) {
    // A file of layers only: a single layer is the entry, as the original compiled it.
    const ast::FnStmt* only = nullptr;
    int layers = 0;
    for (const ast::StmtPtr& s : prog.stmts) {
      if (s->kind == ast::StmtKind::kLayer) {
        only = &s->As<ast::FnStmt>();
        ++layers;
      }
    }
    if (layers == 1) {
      CheckStandalone(*only, nullptr);
      if (!diags_.has_errors() && owned_ && !owned_->outputs.empty()) result_ = std::move(*owned_);
      if (!result_ && !diags_.has_errors()) {
        Error(Kind::kNoModel, only->name_range,
              "layer '" + only->name +
                  "' cannot be built alone: give every hyper-parameter a default and "
                  "forward's inputs a shape, or declare `model NAME = " +
                  only->name + "(...)`");
      }
      out.module = std::move(result_);
      return out;
    }
    Error(Kind::kNoModel, {},
          file + ": nothing to compile: declare `model NAME = Layer(...)` (the file has " +
              std::to_string(layers) + " layers and no model)");
    return out;
  }
  if (options_.reuse && diags_.diagnostics().empty()) {
    base::Timer reuse_timer;
    std::shared_ptr<const ir::Module> m = options_.reuse(entry);
    out.reuse_ms = reuse_timer.ElapsedMs();
    if (m) {
      out.reused_module = std::move(m);
      out.reused = true;
      return out;
    }
  }
  RunEntry(entry, true);
  out.module = std::move(result_);
  out.memo = memo_stats_;
  return out;
}

ElabResult Elaborate(const SourceSet& sources, const ElabOptions& options,
                     diag::DiagEngine& diags) {
  Elaborator e(sources, options, diags);
  return e.Run();
}

}  // namespace triton::lang::check
