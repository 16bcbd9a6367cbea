#pragma once
// The abstract syntax tree. Every node carries the source range it was parsed from. Nodes are
// owned by unique_ptr in a tree; the tree is immutable after parsing. Downcast with As<T>() after
// checking kind (no RTTI needed).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "triton/diag/source.h"

namespace triton::lang::ast {

using diag::SourceRange;

// ---------------------------------------------------------------- expressions
enum class ExprKind : uint8_t {
  kInt,
  kFloat,
  kString,
  kBool,
  kName,
  kUnary,
  kBinary,
  kConditional,
  kCall,
  kIndex,
  kMember,
  kList,
  kListComp,
  kParen,
};

enum class UnaryOp : uint8_t { kNeg, kPos, kNot };
enum class BinaryOp : uint8_t {
  kOr,
  kAnd,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kMatMul,
  kPow,
};
const char* UnaryOpSpelling(UnaryOp op);    // "-", "+", "not"
const char* BinaryOpSpelling(BinaryOp op);  // "or", "and", "==", ..., "@", "**"

struct Expr {
  ExprKind kind;
  SourceRange range;
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
};
using ExprPtr = std::unique_ptr<Expr>;

struct IntExpr : Expr {
  int64_t value;
  IntExpr(SourceRange r, int64_t v) : Expr(ExprKind::kInt, r), value(v) {}
};
struct FloatExpr : Expr {
  double value;
  FloatExpr(SourceRange r, double v) : Expr(ExprKind::kFloat, r), value(v) {}
};
struct StringExpr : Expr {
  std::string value;
  StringExpr(SourceRange r, std::string v) : Expr(ExprKind::kString, r), value(std::move(v)) {}
};
struct BoolExpr : Expr {
  bool value;
  BoolExpr(SourceRange r, bool v) : Expr(ExprKind::kBool, r), value(v) {}
};
struct NameExpr : Expr {
  std::string name;
  NameExpr(SourceRange r, std::string n) : Expr(ExprKind::kName, r), name(std::move(n)) {}
};
struct UnaryExpr : Expr {
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(SourceRange r, UnaryOp o, ExprPtr e)
      : Expr(ExprKind::kUnary, r), op(o), operand(std::move(e)) {}
};
struct BinaryExpr : Expr {
  BinaryOp op;
  SourceRange op_range;  // the operator token, for diagnostics
  ExprPtr lhs, rhs;
  BinaryExpr(SourceRange r, BinaryOp o, SourceRange orng, ExprPtr a, ExprPtr b)
      : Expr(ExprKind::kBinary, r), op(o), op_range(orng), lhs(std::move(a)), rhs(std::move(b)) {}
};
// `then_expr if cond else else_expr`
struct ConditionalExpr : Expr {
  ExprPtr then_expr, cond, else_expr;
  ConditionalExpr(SourceRange r, ExprPtr t, ExprPtr c, ExprPtr e)
      : Expr(ExprKind::kConditional, r),
        then_expr(std::move(t)),
        cond(std::move(c)),
        else_expr(std::move(e)) {}
};
struct Arg {
  SourceRange range;
  std::string name;  // empty for a positional argument
  ExprPtr value;
};
struct CallExpr : Expr {
  ExprPtr callee;
  std::vector<Arg> args;
  CallExpr(SourceRange r, ExprPtr c, std::vector<Arg> a)
      : Expr(ExprKind::kCall, r), callee(std::move(c)), args(std::move(a)) {}
};
// `base[i, j]`. An index may be `?` (an unknown dimension, as in `TernaryTensor[?, 4]`): that
// element is a nullptr with `unknown_ranges` holding where it was.
struct IndexExpr : Expr {
  ExprPtr base;
  std::vector<ExprPtr> indices;  // nullptr = `?`
  std::vector<SourceRange> index_ranges;
  IndexExpr(SourceRange r, ExprPtr b, std::vector<ExprPtr> i, std::vector<SourceRange> ir)
      : Expr(ExprKind::kIndex, r),
        base(std::move(b)),
        indices(std::move(i)),
        index_ranges(std::move(ir)) {}
};
struct MemberExpr : Expr {
  ExprPtr base;
  std::string member;
  SourceRange member_range;
  MemberExpr(SourceRange r, ExprPtr b, std::string m, SourceRange mr)
      : Expr(ExprKind::kMember, r), base(std::move(b)), member(std::move(m)), member_range(mr) {}
};
struct ListExpr : Expr {
  std::vector<ExprPtr> elems;
  ListExpr(SourceRange r, std::vector<ExprPtr> e) : Expr(ExprKind::kList, r), elems(std::move(e)) {}
};
// `[elem for var in iter if cond]` (cond optional)
struct ListCompExpr : Expr {
  ExprPtr elem;
  std::string var;
  SourceRange var_range;
  ExprPtr iter;
  ExprPtr cond;  // may be null
  ListCompExpr(SourceRange r, ExprPtr e, std::string v, SourceRange vr, ExprPtr it, ExprPtr c)
      : Expr(ExprKind::kListComp, r),
        elem(std::move(e)),
        var(std::move(v)),
        var_range(vr),
        iter(std::move(it)),
        cond(std::move(c)) {}
};
// `( inner )`, kept so ranges and the AST dump show the source faithfully.
struct ParenExpr : Expr {
  ExprPtr inner;
  ParenExpr(SourceRange r, ExprPtr i) : Expr(ExprKind::kParen, r), inner(std::move(i)) {}
};

// ---------------------------------------------------------------- types
// A dimension inside a type: `?` (unknown), or an expression: an integer, a compile-time
// expression of hyper-parameters, or a bare name that is not a known value (a symbolic dim).
struct DimExpr {
  SourceRange range;
  ExprPtr expr;  // nullptr = `?`
};

struct TypeExpr;
using TypePtr = std::unique_ptr<TypeExpr>;
// `int`, `trit`, `Tensor`, `Tensor<float32, [N, 784]>`, `Tensor[N, 3]`,
// `TernaryTensor<trit, [4, 2]>`, `tensor<float32, [1, 4]>`, and list types `[int]`.
struct TypeExpr {
  SourceRange range;
  bool is_list = false;  // `[elem]`
  TypePtr elem;          // for lists
  std::string name;      // for named types
  SourceRange name_range;
  std::vector<TypePtr> type_args;  // `<float32, ...>` type arguments (not the dims)
  bool has_dims = false;           // a `[dims]` part was written (in <> or after the name)
  std::vector<DimExpr> dims;
};

// ---------------------------------------------------------------- statements
enum class StmtKind : uint8_t {
  kLet,
  kAssign,
  kExpr,
  kReturn,
  kIf,
  kFor,
  kWhile,
  kBlock,
  kLayer,
  kFn,
  kModel,
  kImport,
};

struct Stmt {
  StmtKind kind;
  SourceRange range;
  explicit Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Stmt() = default;
  template <typename T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
};
using StmtPtr = std::unique_ptr<Stmt>;

struct BlockStmt : Stmt {
  std::vector<StmtPtr> stmts;
  BlockStmt(SourceRange r, std::vector<StmtPtr> s)
      : Stmt(StmtKind::kBlock, r), stmts(std::move(s)) {}
};
using BlockPtr = std::unique_ptr<BlockStmt>;

// `let name [: type] [= init]`
struct LetStmt : Stmt {
  std::string name;
  SourceRange name_range;
  TypePtr type;  // may be null
  ExprPtr init;  // may be null
  LetStmt(SourceRange r, std::string n, SourceRange nr, TypePtr t, ExprPtr i)
      : Stmt(StmtKind::kLet, r),
        name(std::move(n)),
        name_range(nr),
        type(std::move(t)),
        init(std::move(i)) {}
};
// `target = value`; target is a NameExpr (binds or rebinds), or a MemberExpr/IndexExpr.
struct AssignStmt : Stmt {
  ExprPtr target, value;
  AssignStmt(SourceRange r, ExprPtr t, ExprPtr v)
      : Stmt(StmtKind::kAssign, r), target(std::move(t)), value(std::move(v)) {}
};
struct ExprStmt : Stmt {
  ExprPtr expr;
  ExprStmt(SourceRange r, ExprPtr e) : Stmt(StmtKind::kExpr, r), expr(std::move(e)) {}
};
struct ReturnStmt : Stmt {
  ExprPtr value;  // may be null
  ReturnStmt(SourceRange r, ExprPtr v) : Stmt(StmtKind::kReturn, r), value(std::move(v)) {}
};
// `if cond { } else if cond { } else { }`: an else-if is an IfStmt inside else_block.
struct IfStmt : Stmt {
  ExprPtr cond;
  BlockPtr then_block;
  StmtPtr else_stmt;  // null, a BlockStmt, or an IfStmt
  IfStmt(SourceRange r, ExprPtr c, BlockPtr t, StmtPtr e)
      : Stmt(StmtKind::kIf, r),
        cond(std::move(c)),
        then_block(std::move(t)),
        else_stmt(std::move(e)) {}
};
struct ForStmt : Stmt {
  std::string var;
  SourceRange var_range;
  ExprPtr iter;
  BlockPtr body;
  ForStmt(SourceRange r, std::string v, SourceRange vr, ExprPtr i, BlockPtr b)
      : Stmt(StmtKind::kFor, r),
        var(std::move(v)),
        var_range(vr),
        iter(std::move(i)),
        body(std::move(b)) {}
};
struct WhileStmt : Stmt {
  ExprPtr cond;
  BlockPtr body;
  WhileStmt(SourceRange r, ExprPtr c, BlockPtr b)
      : Stmt(StmtKind::kWhile, r), cond(std::move(c)), body(std::move(b)) {}
};

struct Param {
  SourceRange range;
  std::string name;
  SourceRange name_range;
  TypePtr type;           // may be null (untyped hyper-parameter)
  ExprPtr default_value;  // may be null
};

// `fn name(params) [-> type] { body }` and `layer Name(params) [-> type] { body }` share a shape.
struct FnStmt : Stmt {
  std::string name;
  SourceRange name_range;
  std::vector<Param> params;
  TypePtr return_type;  // may be null
  BlockPtr body;
  FnStmt(StmtKind k, SourceRange r, std::string n, SourceRange nr, std::vector<Param> p, TypePtr rt,
         BlockPtr b)
      : Stmt(k, r),
        name(std::move(n)),
        name_range(nr),
        params(std::move(p)),
        return_type(std::move(rt)),
        body(std::move(b)) {}
  bool is_layer() const { return kind == StmtKind::kLayer; }
};
// `model name = expr`
struct ModelStmt : Stmt {
  std::string name;
  SourceRange name_range;
  ExprPtr value;
  ModelStmt(SourceRange r, std::string n, SourceRange nr, ExprPtr v)
      : Stmt(StmtKind::kModel, r), name(std::move(n)), name_range(nr), value(std::move(v)) {}
};
// `import "path.tri"`
struct ImportStmt : Stmt {
  std::string path;
  ImportStmt(SourceRange r, std::string p) : Stmt(StmtKind::kImport, r), path(std::move(p)) {}
};

// One parsed file: its top-level statements in source order.
struct Program {
  diag::FileId file = diag::kNoFile;
  std::vector<StmtPtr> stmts;
};

}  // namespace triton::lang::ast
