// Operator spellings and the AST dump (parser.h): one node per line, children indented by two
// spaces, closing parentheses at the end of the last child's line, `@line:col` of each node's
// first byte. Grouping nodes with no source position of their own (`dims`, `returns`) have no
// `@`. Names and literal values follow the node kind: `(let x @1:1 ...)`, `(int 42 @1:9)`.
#include "triton/lang/parse/ast.h"

#include <charconv>
#include <string>

#include "triton/base/text.h"
#include "triton/lang/parse/parser.h"

namespace triton::lang {

namespace ast {

const char* UnaryOpSpelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNeg:
      return "-";
    case UnaryOp::kPos:
      return "+";
    case UnaryOp::kNot:
      return "not";
  }
  return "?";
}

const char* BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kMatMul:
      return "@";
    case BinaryOp::kPow:
      return "**";
  }
  return "?";
}

}  // namespace ast

namespace {

using namespace ast;  // NOLINT: the dumper names every node type

using base::AppendQuoted;

class Dumper {
 public:
  explicit Dumper(const diag::SourceManager& sm) : sm_(sm) {}

  std::string Run(const Program& p) {
    out_ = "(program";
    for (const StmtPtr& s : p.stmts) DumpStmt(*s, 1);
    out_ += ")\n";
    return std::move(out_);
  }

 private:
  // Starts a node on a new line: `(head @line:col`.
  void Open(int indent, std::string_view head, SourceRange r) {
    out_ += '\n';
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += '(';
    out_ += head;
    if (r.valid() && static_cast<size_t>(r.file) < sm_.size()) {
      diag::LineCol lc = sm_.file(r.file).Resolve(r.begin);
      out_ += " @";
      out_ += std::to_string(lc.line);
      out_ += ':';
      out_ += std::to_string(lc.column);
    }
  }
  void OpenGroup(int indent, std::string_view head) { Open(indent, head, SourceRange{}); }
  void Close() { out_ += ')'; }
  void Leaf(int indent, std::string_view head, SourceRange r) {
    Open(indent, head, r);
    Close();
  }

  void DumpExpr(const Expr& e, int in) {
    switch (e.kind) {
      case ExprKind::kInt:
        return Leaf(in, "int " + std::to_string(e.As<IntExpr>().value), e.range);
      case ExprKind::kFloat: {
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, e.As<FloatExpr>().value);
        return Leaf(in, "float " + std::string(buf, res.ptr), e.range);
      }
      case ExprKind::kString: {
        std::string head = "string ";
        AppendQuoted(head, e.As<StringExpr>().value);
        return Leaf(in, head, e.range);
      }
      case ExprKind::kBool:
        return Leaf(in, e.As<BoolExpr>().value ? "bool true" : "bool false", e.range);
      case ExprKind::kName:
        return Leaf(in, "name " + e.As<NameExpr>().name, e.range);
      case ExprKind::kUnary: {
        const auto& u = e.As<UnaryExpr>();
        Open(in, std::string("unary ") + UnaryOpSpelling(u.op), e.range);
        DumpExpr(*u.operand, in + 1);
        return Close();
      }
      case ExprKind::kBinary: {
        const auto& b = e.As<BinaryExpr>();
        Open(in, std::string("binary ") + BinaryOpSpelling(b.op), e.range);
        DumpExpr(*b.lhs, in + 1);
        DumpExpr(*b.rhs, in + 1);
        return Close();
      }
      case ExprKind::kConditional: {
        const auto& c = e.As<ConditionalExpr>();
        Open(in, "cond", e.range);
        DumpExpr(*c.then_expr, in + 1);
        DumpExpr(*c.cond, in + 1);
        DumpExpr(*c.else_expr, in + 1);
        return Close();
      }
      case ExprKind::kCall: {
        const auto& c = e.As<CallExpr>();
        Open(in, "call", e.range);
        DumpExpr(*c.callee, in + 1);
        for (const Arg& a : c.args) {
          if (a.name.empty()) {
            DumpExpr(*a.value, in + 1);
          } else {
            Open(in + 1, "kwarg " + a.name, a.range);
            DumpExpr(*a.value, in + 2);
            Close();
          }
        }
        return Close();
      }
      case ExprKind::kIndex: {
        const auto& x = e.As<IndexExpr>();
        Open(in, "index", e.range);
        DumpExpr(*x.base, in + 1);
        for (size_t i = 0; i < x.indices.size(); ++i) {
          if (x.indices[i]) {
            DumpExpr(*x.indices[i], in + 1);
          } else {
            Leaf(in + 1, "?", i < x.index_ranges.size() ? x.index_ranges[i] : SourceRange{});
          }
        }
        return Close();
      }
      case ExprKind::kMember: {
        const auto& m = e.As<MemberExpr>();
        Open(in, "member " + m.member, e.range);
        DumpExpr(*m.base, in + 1);
        return Close();
      }
      case ExprKind::kList: {
        Open(in, "list", e.range);
        for (const ExprPtr& x : e.As<ListExpr>().elems) DumpExpr(*x, in + 1);
        return Close();
      }
      case ExprKind::kListComp: {
        const auto& c = e.As<ListCompExpr>();
        Open(in, "listcomp " + c.var, e.range);
        DumpExpr(*c.elem, in + 1);
        DumpExpr(*c.iter, in + 1);
        if (c.cond) DumpExpr(*c.cond, in + 1);
        return Close();
      }
      case ExprKind::kParen:
        Open(in, "paren", e.range);
        DumpExpr(*e.As<ParenExpr>().inner, in + 1);
        return Close();
    }
  }

  void DumpType(const TypeExpr& t, int in) {
    if (t.is_list) {
      Open(in, "listtype", t.range);
      if (t.elem) DumpType(*t.elem, in + 1);
      return Close();
    }
    Open(in, "type " + t.name, t.range);
    for (const TypePtr& a : t.type_args) DumpType(*a, in + 1);
    if (t.has_dims) {
      OpenGroup(in + 1, "dims");
      for (const DimExpr& d : t.dims) {
        if (d.expr) {
          DumpExpr(*d.expr, in + 2);
        } else {
          Leaf(in + 2, "?", d.range);
        }
      }
      Close();
    }
    Close();
  }

  void DumpBlock(const BlockStmt& b, int in) {
    Open(in, "block", b.range);
    for (const StmtPtr& s : b.stmts) DumpStmt(*s, in + 1);
    Close();
  }

  void DumpStmt(const Stmt& s, int in) {
    switch (s.kind) {
      case StmtKind::kLet: {
        const auto& l = s.As<LetStmt>();
        Open(in, "let " + l.name, s.range);
        if (l.type) DumpType(*l.type, in + 1);
        if (l.init) DumpExpr(*l.init, in + 1);
        return Close();
      }
      case StmtKind::kAssign: {
        const auto& a = s.As<AssignStmt>();
        Open(in, "assign", s.range);
        DumpExpr(*a.target, in + 1);
        DumpExpr(*a.value, in + 1);
        return Close();
      }
      case StmtKind::kExpr:
        Open(in, "expr", s.range);
        DumpExpr(*s.As<ExprStmt>().expr, in + 1);
        return Close();
      case StmtKind::kReturn: {
        Open(in, "return", s.range);
        if (const ExprPtr& v = s.As<ReturnStmt>().value) DumpExpr(*v, in + 1);
        return Close();
      }
      case StmtKind::kIf: {
        const auto& i = s.As<IfStmt>();
        Open(in, "if", s.range);
        DumpExpr(*i.cond, in + 1);
        DumpBlock(*i.then_block, in + 1);
        if (i.else_stmt) DumpStmt(*i.else_stmt, in + 1);
        return Close();
      }
      case StmtKind::kFor: {
        const auto& f = s.As<ForStmt>();
        Open(in, "for " + f.var, s.range);
        DumpExpr(*f.iter, in + 1);
        DumpBlock(*f.body, in + 1);
        return Close();
      }
      case StmtKind::kWhile: {
        const auto& w = s.As<WhileStmt>();
        Open(in, "while", s.range);
        DumpExpr(*w.cond, in + 1);
        DumpBlock(*w.body, in + 1);
        return Close();
      }
      case StmtKind::kBlock:
        return DumpBlock(s.As<BlockStmt>(), in);
      case StmtKind::kLayer:
      case StmtKind::kFn: {
        const auto& f = s.As<FnStmt>();
        Open(in, (f.is_layer() ? "layer " : "fn ") + f.name, s.range);
        for (const Param& p : f.params) {
          Open(in + 1, "param " + p.name, p.range);
          if (p.type) DumpType(*p.type, in + 2);
          if (p.default_value) DumpExpr(*p.default_value, in + 2);
          Close();
        }
        if (f.return_type) {
          OpenGroup(in + 1, "returns");
          DumpType(*f.return_type, in + 2);
          Close();
        }
        DumpBlock(*f.body, in + 1);
        return Close();
      }
      case StmtKind::kModel: {
        const auto& m = s.As<ModelStmt>();
        Open(in, "model " + m.name, s.range);
        DumpExpr(*m.value, in + 1);
        return Close();
      }
      case StmtKind::kImport: {
        std::string head = "import ";
        AppendQuoted(head, s.As<ImportStmt>().path);
        return Leaf(in, head, s.range);
      }
    }
  }

  const diag::SourceManager& sm_;
  std::string out_;
};

}  // namespace

std::string DumpAst(const ast::Program& program, const diag::SourceManager& sm) {
  return Dumper(sm).Run(program);
}

}  // namespace triton::lang
