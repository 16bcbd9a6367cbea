// Statements: compile-time control flow, `let`, assignment, declarations.
#include "triton/lang/check/elab.h"

namespace triton::lang::check {

void Elaborator::BindDecl(const ast::FnStmt& s, const EnvPtr& env) {
  Value v{s.is_layer() ? VKind::kLayer : VKind::kFunction};
  v.decl = &s;
  v.closure = env;
  env->Bind(s.name, v, s.name_range);
  closure_envs_.push_back(env);
}

bool Elaborator::Truth(const Value& v, SourceRange r) {
  switch (v.kind) {
    case VKind::kBool:
      return v.b;
    case VKind::kInt:
      return v.i != 0;
    case VKind::kFloat:
      return v.f != 0.0;
    case VKind::kNone:
      return false;
    case VKind::kStr:
      return !v.str->empty();
    case VKind::kList:
      return !v.list->empty();
    case VKind::kTensor:
      Error(Kind::kDynamicControlFlow, r,
            "control flow cannot depend on a tensor's values (" + Describe(v) +
                "); conditions must be compile-time values");
      return false;
    default:
      if (!v.is_error()) {
        Error(Kind::kTypeMismatch, r, "a condition must be a bool, got " + Describe(v));
      }
      return false;
  }
}

Flow Elaborator::ExecBlock(const ast::BlockStmt& block, const EnvPtr& parent) {
  auto env = std::make_shared<Env>(parent);
  return ExecStmts(block.stmts, env);
}

Flow Elaborator::ExecStmts(const std::vector<ast::StmtPtr>& stmts, const EnvPtr& env) {
  // Nested declarations are visible in their whole block (hoisted).
  for (const ast::StmtPtr& s : stmts) {
    if (s->kind == ast::StmtKind::kLayer || s->kind == ast::StmtKind::kFn) {
      BindDecl(s->As<ast::FnStmt>(), env);
    }
  }
  for (const ast::StmtPtr& s : stmts) {
    if (!Step(s->range)) {
      return_value_ = Value::Error();
      return Flow::kReturn;
    }
    if (Exec(*s, env) == Flow::kReturn) return Flow::kReturn;
  }
  return Flow::kNormal;
}

Flow Elaborator::Exec(const ast::Stmt& s, const EnvPtr& env) {
  switch (s.kind) {
    case ast::StmtKind::kLet:
      ExecLet(s.As<ast::LetStmt>(), env);
      return Flow::kNormal;
    case ast::StmtKind::kAssign:
      ExecAssign(s.As<ast::AssignStmt>(), env);
      return Flow::kNormal;
    case ast::StmtKind::kExpr: {
      const ast::Expr& e = *s.As<ast::ExprStmt>().expr;
      Value v = Eval(e, env);
      // A computed value dropped on the floor is almost always a forgotten `let` or `return`.
      if (v.kind == VKind::kTensor || v.kind == VKind::kInt || v.kind == VKind::kFloat ||
          v.kind == VKind::kBool) {
        diags_.Report(Kind::kUnusedValue, e.range,
                      "the value of this expression (" + Describe(v) + ") is never used");
      }
      return Flow::kNormal;
    }
    case ast::StmtKind::kReturn: {
      const auto& r = s.As<ast::ReturnStmt>();
      Value v = r.value ? Eval(*r.value, env) : Value::None();
      return_value_ = v;
      last_return_range_ = r.value ? r.value->range : r.range;
      return Flow::kReturn;
    }
    case ast::StmtKind::kIf: {
      const auto& i = s.As<ast::IfStmt>();
      Value c = Eval(*i.cond, env);
      if (c.is_error()) return Flow::kNormal;
      if (Truth(c, i.cond->range)) return ExecBlock(*i.then_block, env);
      if (c.kind == VKind::kTensor) return Flow::kNormal;
      if (!i.else_stmt) return Flow::kNormal;
      if (i.else_stmt->kind == ast::StmtKind::kBlock) {
        return ExecBlock(i.else_stmt->As<ast::BlockStmt>(), env);
      }
      return Exec(*i.else_stmt, env);
    }
    case ast::StmtKind::kFor: {
      const auto& f = s.As<ast::ForStmt>();
      Value it = Eval(*f.iter, env);
      if (it.is_error()) return Flow::kNormal;
      if (it.kind != VKind::kList) {
        Error(it.kind == VKind::kTensor ? Kind::kDynamicControlFlow : Kind::kTypeMismatch,
              f.iter->range,
              "a `for` loop runs at compile time over a list or range(...), got " + Describe(it));
        return Flow::kNormal;
      }
      auto elems = it.list;  // keep alive: the body may rebind the name that held it
      for (const Value& e : *elems) {
        if (!Step(f.range)) return Flow::kNormal;
        auto body = std::make_shared<Env>(env);
        body->Bind(f.var, e, f.var_range);
        if (ExecStmts(f.body->stmts, body) == Flow::kReturn) return Flow::kReturn;
      }
      return Flow::kNormal;
    }
    case ast::StmtKind::kWhile: {
      const auto& w = s.As<ast::WhileStmt>();
      while (true) {
        Value c = Eval(*w.cond, env);
        if (c.is_error() || !Truth(c, w.cond->range)) break;
        if (!Step(w.range)) break;
        if (ExecBlock(*w.body, env) == Flow::kReturn) return Flow::kReturn;
      }
      return Flow::kNormal;
    }
    case ast::StmtKind::kBlock:
      return ExecBlock(s.As<ast::BlockStmt>(), env);
    case ast::StmtKind::kLayer:
    case ast::StmtKind::kFn:
      return Flow::kNormal;  // bound when the block started
    case ast::StmtKind::kModel:
      Error(Kind::kUnexpectedToken, s.range,
            "`model` declarations are allowed only at the top level of a file");
      return Flow::kNormal;
    case ast::StmtKind::kImport:
      Error(Kind::kUnexpectedToken, s.range, "`import` is allowed only at the top level of a file");
      return Flow::kNormal;
  }
  return Flow::kNormal;
}

void Elaborator::ExecLet(const ast::LetStmt& s, const EnvPtr& env) {
  std::optional<LType> type;
  if (s.type) {
    type = ResolveType(*s.type, env);
    if (!type) {
      env->Bind(s.name, Value::Error(), s.name_range);
      return;
    }
  }
  bool member_scope = !member_envs_.empty() && member_envs_.back() == env;
  bool top_level = false;
  for (const EnvPtr& f : file_envs_) top_level = top_level || f == env;
  Value v;
  if (s.init) {
    v = Eval(*s.init, env);
  } else if (type && type->kind == LType::kTensor) {
    // `let w: TernaryTensor<trit, [64, 3, 3, 3]>`: a parameter (static shape) or, at top level,
    // an input (a `?` or symbolic dimension).
    SymBindings none;
    ir::TensorType tt = TensorTypeOf(*type, none);
    if (!type->has_dims) {
      Error(Kind::kBadDimension, s.range,
            "'" + s.name + "' needs a shape to be declared without a value");
      v = Value::Error();
    } else if (tt.is_static() && (member_scope || top_level)) {
      v.kind = VKind::kInit;
      v.init = std::make_shared<InitSpec>();
    } else if (top_level) {
      ir::ValueId id = builder_->AddInput(s.name, tt);
      value_origin_.resize(module_->values.size());
      value_origin_[id] = s.range;
      v = Value::Tensor(id);
      v.gen = generation_;
    } else {
      Error(Kind::kBadDimension, s.range,
            member_scope
                ? "layer member '" + s.name + "' needs a static shape, got " + tt.ToLangString()
                : "'" + s.name + "' is declared as a tensor without a value");
      v = Value::Error();
    }
  } else if (type) {
    switch (type->kind) {
      case LType::kInt:
        v = Value::Int(0, type->dtype);
        break;
      case LType::kFloat:
        v = Value::Float(0.0, type->dtype);
        break;
      case LType::kBool:
        v = Value::Bool(false);
        break;
      case LType::kStr:
        v = Value::Str("");
        break;
      case LType::kList:
        v = Value::List({});
        break;
      default:
        v = Value::None();
        break;
    }
  }
  if (v.kind == VKind::kInit) {
    if (!member_scope && !top_level) {
      Error(Kind::kTypeMismatch, s.init ? s.init->range : s.range,
            "an initializer creates a parameter only in a layer body or at top level, not here");
      v = Value::Error();
    } else {
      // The declared type gives the shape, element type and ternary-ness of the parameter.
      auto init = std::make_shared<InitSpec>(*v.init);
      init->range = s.range;
      if (type) {
        if (type->kind != LType::kTensor) {
          Error(Kind::kTypeMismatch, s.type->range,
                "an initializer makes a tensor, but '" + s.name + "' is declared " +
                    type->ToString());
          env->Bind(s.name, Value::Error(), s.name_range);
          return;
        }
        SymBindings none;
        ir::TensorType tt = TensorTypeOf(*type, none);
        if (type->has_dims) {
          if (!tt.is_static()) {
            Error(Kind::kBadDimension, s.type->range,
                  "parameter '" + s.name + "' needs a static shape, got " + tt.ToLangString());
            env->Bind(s.name, Value::Error(), s.name_range);
            return;
          }
          if (init->has_shape && init->shape != tt.dims) {
            ir::TensorType given{tt.dtype, init->shape};
            Error(Kind::kShapeMismatch, s.init->range,
                  "initializer shape " + given.ToLangString() + " differs from the declared " +
                      tt.ToLangString());
            env->Bind(s.name, Value::Error(), s.name_range);
            return;
          }
          init->has_shape = true;
          init->shape = tt.dims;
        }
        init->ternary = init->ternary || type->ternary;
        init->dtype = init->ternary ? ir::DType::kTrit : tt.dtype;
        if (init->ternary && !v.init->ternary && init->init == "zeros") {
          init->init = "kaiming_normal";  // latent weights of a bare ternary declaration
        }
      } else if (init->ternary) {
        init->dtype = ir::DType::kTrit;
      }
      if (init->init.empty())
        init->init = init->has_shape && init->shape.size() >= 2 ? "kaiming_normal" : "zeros";
      v.init = init;
      if (top_level) v = MakeParam(*init, s.name, s.range);
    }
  } else if (type && s.init) {
    SymBindings syms;
    v = Coerce(v, *type, syms, s.init->range, [&] { return "'" + s.name + "'"; });
  } else if (top_level && v.kind == VKind::kList) {
    MaterializeValue(v, s.name);  // a top-level list of initializers
  }
  env->Bind(s.name, v, s.name_range);
}

void Elaborator::ExecAssign(const ast::AssignStmt& s, const EnvPtr& env) {
  if (s.target->kind != ast::ExprKind::kName) {
    Eval(*s.value, env);
    Error(Kind::kTypeMismatch, s.target->range,
          "only names can be assigned; bind a new name with `let` instead");
    return;
  }
  const std::string& name = s.target->As<ast::NameExpr>().name;
  Value v = Eval(*s.value, env);
  // Rebind the nearest binding inside the current function or layer; else declare it here.
  const uint32_t hash = NameHash(name);
  for (Env* e = env.get(); e; e = e->parent.get()) {
    int at = e->Find(name, hash);
    if (at >= 0) {
      e->values[static_cast<size_t>(at)] = std::move(v);
      return;
    }
    if (e->function_boundary) break;  // file scopes are boundaries too
  }
  if (v.kind == VKind::kInit) {
    bool top_level = false;
    for (const EnvPtr& f : file_envs_) top_level = top_level || f == env;
    if (top_level) v = MakeParam(*v.init, name, s.range);
  }
  env->Bind(name, std::move(v), s.target->range);
}

}  // namespace triton::lang::check
