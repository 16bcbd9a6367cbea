// Static name resolution: every name read anywhere in a file (also in code that elaboration
// never reaches) must be defined in scope and before its use. Function and layer bodies run
// later than the statements around them, so they are resolved after their enclosing block has
// bound all of its names (late binding, as `fn forward` reads members declared after it).
#include <string_view>
#include <unordered_map>

#include "triton/lang/check/elaborator.h"

namespace triton::lang::check {

namespace {

using diag::Kind;
using diag::SourceRange;

// Keys view names in the tree, which outlives the resolver.
struct Scope {
  Scope* parent = nullptr;
  std::unordered_map<std::string_view, SourceRange> names;
  // Names bound later in this scope (filled before the walk): used-before-definition detection.
  std::unordered_map<std::string_view, SourceRange> later;
};

class Resolver {
 public:
  Resolver(diag::DiagEngine& d, base::FunctionRef<bool(std::string_view)> known)
      : diags_(d), known_(known) {}

  void Program(const ast::Program& p) {
    Scope file;
    Block(p.stmts, file);
  }

 private:
  diag::DiagEngine& diags_;
  // The names visible from outside the file, asked where the file's scopes end (they are the
  // elaborator's scopes, already indexed: no table of them is built per compile).
  base::FunctionRef<bool(std::string_view)> known_;
  int depth_ = 0;

  // Every name a block binds directly (let, assignment, declarations), for `later`.
  void CollectLater(const std::vector<ast::StmtPtr>& stmts, Scope& s) {
    for (const ast::StmtPtr& st : stmts) {
      switch (st->kind) {
        case ast::StmtKind::kLet: {
          const auto& l = st->As<ast::LetStmt>();
          s.later.emplace(l.name, l.name_range);
          break;
        }
        case ast::StmtKind::kAssign: {
          const auto& a = st->As<ast::AssignStmt>();
          if (a.target->kind == ast::ExprKind::kName) {
            s.later.emplace(a.target->As<ast::NameExpr>().name, a.target->range);
          }
          break;
        }
        case ast::StmtKind::kModel: {
          const auto& m = st->As<ast::ModelStmt>();
          s.later.emplace(m.name, m.name_range);
          break;
        }
        default:
          break;
      }
    }
  }

  void Block(const std::vector<ast::StmtPtr>& stmts, Scope& s) {
    CollectLater(stmts, s);
    // Declarations are hoisted: visible in the whole block.
    for (const ast::StmtPtr& st : stmts) {
      if (st->kind != ast::StmtKind::kLayer && st->kind != ast::StmtKind::kFn) continue;
      const auto& f = st->As<ast::FnStmt>();
      auto [it, fresh] = s.names.emplace(f.name, f.name_range);
      if (!fresh) {
        diags_.Report(Kind::kRedefinition, f.name_range,
                      "'" + f.name + "' is already defined in this scope");
        diags_.AddNote(it->second, "first definition of '" + f.name + "'");
      }
    }
    std::vector<const ast::FnStmt*> deferred;
    for (const ast::StmtPtr& st : stmts) Stmt(*st, s, deferred);
    for (const ast::FnStmt* f : deferred) Function(*f, s);
  }

  void Function(const ast::FnStmt& f, Scope& outer) {
    Scope params{&outer};
    for (const ast::Param& p : f.params) {
      if (p.type) Type(*p.type, params);
      if (p.default_value) Expr(*p.default_value, params);
      auto [it, fresh] = params.names.emplace(p.name, p.name_range);
      if (!fresh) {
        diags_.Report(Kind::kRedefinition, p.name_range,
                      "parameter '" + p.name + "' is declared twice");
      }
    }
    if (f.return_type) Type(*f.return_type, params);
    Scope body{&params};
    Block(f.body->stmts, body);
  }

  void Stmt(const ast::Stmt& st, Scope& s, std::vector<const ast::FnStmt*>& deferred) {
    switch (st.kind) {
      case ast::StmtKind::kLet: {
        const auto& l = st.As<ast::LetStmt>();
        if (l.type) Type(*l.type, s);
        if (l.init) Expr(*l.init, s);
        auto [it, fresh] = s.names.emplace(l.name, l.name_range);
        if (!fresh && it->second.valid()) {
          diags_.Report(Kind::kRedefinition, l.name_range,
                        "'" + l.name + "' is already defined in this scope");
          diags_.AddNote(it->second, "first definition of '" + l.name + "'");
        }
        break;
      }
      case ast::StmtKind::kAssign: {
        const auto& a = st.As<ast::AssignStmt>();
        Expr(*a.value, s);
        if (a.target->kind == ast::ExprKind::kName) {
          const std::string& n = a.target->As<ast::NameExpr>().name;
          if (!Find(n, s)) s.names.emplace(n, a.target->range);
        } else {
          Expr(*a.target, s);
        }
        break;
      }
      case ast::StmtKind::kExpr:
        Expr(*st.As<ast::ExprStmt>().expr, s);
        break;
      case ast::StmtKind::kReturn:
        if (st.As<ast::ReturnStmt>().value) Expr(*st.As<ast::ReturnStmt>().value, s);
        break;
      case ast::StmtKind::kIf: {
        const auto& i = st.As<ast::IfStmt>();
        Expr(*i.cond, s);
        Scope t{&s};
        Block(i.then_block->stmts, t);
        if (i.else_stmt) {
          Scope e{&s};
          if (i.else_stmt->kind == ast::StmtKind::kBlock) {
            Block(i.else_stmt->As<ast::BlockStmt>().stmts, e);
          } else {
            std::vector<const ast::FnStmt*> d;
            Stmt(*i.else_stmt, s, d);
            for (const ast::FnStmt* f : d) Function(*f, s);
          }
        }
        break;
      }
      case ast::StmtKind::kFor: {
        const auto& f = st.As<ast::ForStmt>();
        Expr(*f.iter, s);
        Scope body{&s};
        body.names.emplace(f.var, f.var_range);
        Block(f.body->stmts, body);
        break;
      }
      case ast::StmtKind::kWhile: {
        const auto& w = st.As<ast::WhileStmt>();
        Expr(*w.cond, s);
        Scope body{&s};
        Block(w.body->stmts, body);
        break;
      }
      case ast::StmtKind::kBlock: {
        Scope b{&s};
        Block(st.As<ast::BlockStmt>().stmts, b);
        break;
      }
      case ast::StmtKind::kLayer:
      case ast::StmtKind::kFn:
        deferred.push_back(&st.As<ast::FnStmt>());
        break;
      case ast::StmtKind::kModel: {
        const auto& m = st.As<ast::ModelStmt>();
        Expr(*m.value, s);
        s.names.emplace(m.name, m.name_range);
        break;
      }
      case ast::StmtKind::kImport:
        break;
    }
  }

  const SourceRange* Find(const std::string& n, Scope& s) {
    for (Scope* p = &s; p; p = p->parent) {
      auto it = p->names.find(n);
      if (it != p->names.end()) return &it->second;
    }
    static const SourceRange kOutside;  // defined outside the file: no range
    return known_(n) ? &kOutside : nullptr;
  }

  void Use(const std::string& n, SourceRange r, Scope& s) {
    if (Find(n, s)) return;
    for (Scope* p = &s; p; p = p->parent) {
      auto it = p->later.find(n);
      if (it != p->later.end()) {
        diags_.Report(Kind::kUseBeforeDefinition, r, "'" + n + "' is used before its definition");
        diags_.AddNote(it->second, "'" + n + "' is defined here");
        return;
      }
    }
    diags_.Report(Kind::kUndefinedName, r, "undefined name '" + n + "'");
  }

  void Type(const ast::TypeExpr& t, Scope& s) {
    if (t.elem) Type(*t.elem, s);
    for (const ast::TypePtr& a : t.type_args) Type(*a, s);
    for (const ast::DimExpr& d : t.dims) {
      // A bare name is a symbolic dimension when nothing defines it: not an error.
      if (d.expr && d.expr->kind != ast::ExprKind::kName) Expr(*d.expr, s);
    }
  }

  void Expr(const ast::Expr& e, Scope& s) {
    if (++depth_ > 10000) {  // the parser bounds nesting; this is a second fence
      --depth_;
      return;
    }
    switch (e.kind) {
      case ast::ExprKind::kInt:
      case ast::ExprKind::kFloat:
      case ast::ExprKind::kString:
      case ast::ExprKind::kBool:
        break;
      case ast::ExprKind::kName:
        Use(e.As<ast::NameExpr>().name, e.range, s);
        break;
      case ast::ExprKind::kParen:
        Expr(*e.As<ast::ParenExpr>().inner, s);
        break;
      case ast::ExprKind::kUnary:
        Expr(*e.As<ast::UnaryExpr>().operand, s);
        break;
      case ast::ExprKind::kBinary:
        Expr(*e.As<ast::BinaryExpr>().lhs, s);
        Expr(*e.As<ast::BinaryExpr>().rhs, s);
        break;
      case ast::ExprKind::kConditional: {
        const auto& c = e.As<ast::ConditionalExpr>();
        Expr(*c.cond, s);
        Expr(*c.then_expr, s);
        Expr(*c.else_expr, s);
        break;
      }
      case ast::ExprKind::kCall: {
        const auto& c = e.As<ast::CallExpr>();
        Expr(*c.callee, s);
        for (const ast::Arg& a : c.args) Expr(*a.value, s);
        break;
      }
      case ast::ExprKind::kIndex: {
        const auto& i = e.As<ast::IndexExpr>();
        Expr(*i.base, s);
        for (const ast::ExprPtr& x : i.indices) {
          if (x) Expr(*x, s);
        }
        break;
      }
      case ast::ExprKind::kMember:
        Expr(*e.As<ast::MemberExpr>().base, s);
        break;
      case ast::ExprKind::kList:
        for (const ast::ExprPtr& x : e.As<ast::ListExpr>().elems) Expr(*x, s);
        break;
      case ast::ExprKind::kListComp: {
        const auto& c = e.As<ast::ListCompExpr>();
        Expr(*c.iter, s);
        Scope inner{&s};
        inner.names.emplace(c.var, c.var_range);
        if (c.cond) Expr(*c.cond, inner);
        Expr(*c.elem, inner);
        break;
      }
    }
    --depth_;
  }
};

}  // namespace

void ResolveNames(const ast::Program& program, base::FunctionRef<bool(std::string_view)> known,
                  diag::DiagEngine& diags) {
  Resolver(diags, known).Program(program);
}

}  // namespace triton::lang::check
