#pragma once
// Test helpers shared by the parser's unit tests: Parsed (lex + parse one source, keep it all
// alive), the compact S-expression form Sx of trees (no positions), and diagnostics as
// "line:col Kind message" strings.
#include <gtest/gtest.h>

#include <charconv>
#include <string>
#include <vector>

#include "triton/lang/lex/lexer.h"
#include "triton/lang/parse/parser.h"

namespace triton::lang::testing_util {

using namespace ast;  // NOLINT: tests name every node type

inline std::string Sx(const Expr& e);
inline std::string Sx(const TypeExpr& t);
inline std::string Sx(const Stmt& s);

inline std::string Sx(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kInt:
      return std::to_string(e.As<IntExpr>().value);
    case ExprKind::kFloat: {
      char buf[64];
      auto r = std::to_chars(buf, buf + 64, e.As<FloatExpr>().value);
      return std::string(buf, r.ptr) + "f";
    }
    case ExprKind::kString:
      return "\"" + e.As<StringExpr>().value + "\"";
    case ExprKind::kBool:
      return e.As<BoolExpr>().value ? "true" : "false";
    case ExprKind::kName:
      return e.As<NameExpr>().name;
    case ExprKind::kUnary: {
      const auto& u = e.As<UnaryExpr>();
      return std::string("(") + UnaryOpSpelling(u.op) + " " + Sx(*u.operand) + ")";
    }
    case ExprKind::kBinary: {
      const auto& b = e.As<BinaryExpr>();
      return std::string("(") + BinaryOpSpelling(b.op) + " " + Sx(*b.lhs) + " " + Sx(*b.rhs) + ")";
    }
    case ExprKind::kConditional: {
      const auto& c = e.As<ConditionalExpr>();
      return "(if " + Sx(*c.cond) + " " + Sx(*c.then_expr) + " " + Sx(*c.else_expr) + ")";
    }
    case ExprKind::kCall: {
      const auto& c = e.As<CallExpr>();
      std::string out = "(call " + Sx(*c.callee);
      for (const Arg& a : c.args) out += " " + (a.name.empty() ? "" : a.name + "=") + Sx(*a.value);
      return out + ")";
    }
    case ExprKind::kIndex: {
      const auto& x = e.As<IndexExpr>();
      std::string out = "(index " + Sx(*x.base);
      for (const ExprPtr& i : x.indices) out += " " + (i ? Sx(*i) : "?");
      return out + ")";
    }
    case ExprKind::kMember: {
      const auto& m = e.As<MemberExpr>();
      return "(. " + Sx(*m.base) + " " + m.member + ")";
    }
    case ExprKind::kList: {
      std::string out = "[";
      for (const ExprPtr& x : e.As<ListExpr>().elems) out += (out.size() > 1 ? " " : "") + Sx(*x);
      return out + "]";
    }
    case ExprKind::kListComp: {
      const auto& c = e.As<ListCompExpr>();
      return "(listcomp " + Sx(*c.elem) + " " + c.var + " " + Sx(*c.iter) +
             (c.cond ? " " + Sx(*c.cond) : "") + ")";
    }
    case ExprKind::kParen:
      return "(paren " + Sx(*e.As<ParenExpr>().inner) + ")";
  }
  return "?";
}

inline std::string Sx(const TypeExpr& t) {
  if (t.is_list) return "[" + Sx(*t.elem) + "]";
  std::string out = t.name;
  if (!t.type_args.empty()) {
    out += "<";
    for (size_t i = 0; i < t.type_args.size(); ++i) out += (i ? "," : "") + Sx(*t.type_args[i]);
    out += ">";
  }
  if (t.has_dims) {
    out += "[";
    for (size_t i = 0; i < t.dims.size(); ++i) {
      out += (i ? "," : "") + (t.dims[i].expr ? Sx(*t.dims[i].expr) : "?");
    }
    out += "]";
  }
  return out;
}

inline std::string Block(const BlockStmt& b) {
  std::string out = "{";
  for (const StmtPtr& s : b.stmts) out += (out.size() > 1 ? "; " : "") + Sx(*s);
  return out + "}";
}

inline std::string Sx(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kLet: {
      const auto& l = s.As<LetStmt>();
      return "(let " + l.name + (l.type ? " : " + Sx(*l.type) : "") +
             (l.init ? " = " + Sx(*l.init) : "") + ")";
    }
    case StmtKind::kAssign: {
      const auto& a = s.As<AssignStmt>();
      return "(= " + Sx(*a.target) + " " + Sx(*a.value) + ")";
    }
    case StmtKind::kExpr:
      return Sx(*s.As<ExprStmt>().expr);
    case StmtKind::kReturn: {
      const auto& r = s.As<ReturnStmt>();
      return r.value ? "(return " + Sx(*r.value) + ")" : "(return)";
    }
    case StmtKind::kIf: {
      const auto& i = s.As<IfStmt>();
      return "(if " + Sx(*i.cond) + " " + Block(*i.then_block) +
             (i.else_stmt ? " else " + Sx(*i.else_stmt) : "") + ")";
    }
    case StmtKind::kFor: {
      const auto& f = s.As<ForStmt>();
      return "(for " + f.var + " " + Sx(*f.iter) + " " + Block(*f.body) + ")";
    }
    case StmtKind::kWhile: {
      const auto& w = s.As<WhileStmt>();
      return "(while " + Sx(*w.cond) + " " + Block(*w.body) + ")";
    }
    case StmtKind::kBlock:
      return Block(s.As<BlockStmt>());
    case StmtKind::kLayer:
    case StmtKind::kFn: {
      const auto& f = s.As<FnStmt>();
      std::string out = std::string(f.is_layer() ? "(layer " : "(fn ") + f.name + "(";
      for (size_t i = 0; i < f.params.size(); ++i) {
        const Param& p = f.params[i];
        out += (i ? ", " : "") + p.name + (p.type ? ": " + Sx(*p.type) : "") +
               (p.default_value ? " = " + Sx(*p.default_value) : "");
      }
      out += ")";
      if (f.return_type) out += " -> " + Sx(*f.return_type);
      return out + " " + Block(*f.body) + ")";
    }
    case StmtKind::kModel: {
      const auto& m = s.As<ModelStmt>();
      return "(model " + m.name + " " + Sx(*m.value) + ")";
    }
    case StmtKind::kImport:
      return "(import \"" + s.As<ImportStmt>().path + "\")";
  }
  return "?";
}

// Lexes and parses one source; keeps everything alive for inspection.
struct Parsed {
  explicit Parsed(std::string src) : diags(sm) {
    file = sm.Add("t.tri", std::move(src));
    tokens = Lex(sm, file, diags);
    program = Parse(tokens, file, diags);
  }
  std::string Sx() const {
    std::string out;
    for (const StmtPtr& s : program.stmts) out += (out.empty() ? "" : "; ") + testing_util::Sx(*s);
    return out;
  }
  std::vector<std::string> Diags() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : diags.diagnostics()) {
      diag::LineCol lc = sm.file(file).Resolve(d.range.begin);
      out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
                    diag::KindName(d.kind) + " " + d.message);
    }
    return out;
  }
  std::string Where(SourceRange r) const {
    diag::LineCol b = sm.file(file).Resolve(r.begin), e = sm.file(file).Resolve(r.end);
    return std::to_string(b.line) + ":" + std::to_string(b.column) + "-" + std::to_string(e.line) +
           ":" + std::to_string(e.column);
  }
  diag::SourceManager sm;
  diag::DiagEngine diags;
  diag::FileId file;
  std::vector<Token> tokens;
  Program program;
};

// The compact form of a program that must parse without diagnostics.
inline std::string Ok(std::string src) {
  Parsed p(std::move(src));
  EXPECT_TRUE(p.Diags().empty()) << p.Diags()[0];
  return p.Sx();
}
// The diagnostics of a source that must fail.
inline std::vector<std::string> Errs(std::string src) { return Parsed(std::move(src)).Diags(); }
inline std::vector<std::string> One(std::string d) { return {std::move(d)}; }

// E("a") is "(= x a)" minus the "(= x " prefix and the closing paren.
inline std::string Expr1(std::string src) {
  std::string s = Ok("x = " + src);
  EXPECT_EQ(s.rfind("(= x ", 0), 0u) << s;
  return s.substr(5, s.size() - 6);
}

}  // namespace triton::lang::testing_util
