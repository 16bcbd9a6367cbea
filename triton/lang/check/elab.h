#pragma once
// Internal to the checker: the Elaborator class shared by elaborator.cc (entries and the model
// tree), exec.cc (statements), eval.cc (expressions), calls.cc (functions and layers), types.cc
// (declared types) and builtins.cc (built-in functions).
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "triton/base/function_ref.h"
#include "triton/diag/diagnostic.h"
#include "triton/ir/builder.h"
#include "triton/ir/value_names.h"
#include "triton/lang/check/depends.h"
#include "triton/lang/check/elaborator.h"
#include "triton/lang/check/instance_memo.h"
#include "triton/lang/check/value.h"

namespace triton::lang::check {

using EnvPtr = std::shared_ptr<Env>;
using Text = base::FunctionRef<std::string()>;  // a message part built only when needed
using diag::Kind;
using diag::SourceRange;

// A dimension of a declared type after evaluation.
struct DimSpec {
  enum Kind { kStatic, kSymbol, kUnknown } kind = kUnknown;
  int64_t size = 0;
  std::string symbol;
};

// A declared type after its names and dimension expressions are resolved.
struct LType {
  enum Kind { kAny, kBool, kInt, kFloat, kStr, kList, kTensor, kLayer } kind = kAny;
  ir::DType dtype = ir::DType::kFloat32;  // kInt/kFloat scalars and kTensor elements
  bool ternary = false;                   // TernaryTensor
  bool has_dims = false;
  std::vector<DimSpec> dims;
  std::shared_ptr<LType> elem;  // kList
  std::string ToString() const;
};

// Symbolic dimension bindings of one signature: N -> a dimension of the actual argument.
using SymBindings = std::vector<std::pair<std::string, ir::Dim>>;

// Arguments of one call, evaluated.
struct CallArgs {
  std::vector<Value> pos;
  std::vector<SourceRange> pos_ranges;
  std::vector<std::pair<std::string, Value>> kw;
  std::vector<SourceRange> kw_ranges;
  SourceRange range;  // the whole call
  SourceRange callee_range;
};

enum class Flow { kNormal, kReturn };

// A ghost instance's call (value.h, Instance::ghost): the layer class, its arguments and the
// depth of the caller, to build it for real when something looks inside.
struct Ghost {
  Value layer;
  CallArgs args;
  int depth = 0;
};

// The elaborator's state when a memo-able call starts (memo.cc): a call is recorded only if it
// reported nothing and changed nothing else but what its record replays.
struct MemoMark {
  size_t values = 0, ops = 0, consts = 0, params = 0, inputs = 0;
  size_t reports = 0;
  int64_t errors = 0;
  int anon = 0;
  int64_t steps = 0;
  int depth = 0;
  int outer_max_depth = 0;
};

class Elaborator {
 public:
  Elaborator(const SourceSet& sources, const ElabOptions& options, diag::DiagEngine& diags);
  // Breaks the reference cycles of closures (an Env binds an `fn`/`layer` value whose closure is
  // that Env, or an instance whose hyper-parameter scope leads back up to it), which would
  // otherwise leak every Env of the compilation.
  ~Elaborator();
  ElabResult Run();

  // ---- shared by the parts
  diag::DiagEngine& diags() { return diags_; }
  // Reports an error. One located inside the prelude is moved to the innermost call site in the
  // user's code (the prelude's line is useless to them), with a note naming the prelude layer.
  void Error(Kind kind, SourceRange r, std::string message);
  void Note(SourceRange r, std::string message) { diags_.AddNote(r, std::move(message)); }
  bool Step(SourceRange r);  // counts one step; false (and one diagnostic) past kMaxSteps
  // Counts `n` steps at once: the elements of a list or the bytes of a string being built, so
  // that the step limit bounds memory too (a loop may build a big list every iteration).
  bool Charge(int64_t n, SourceRange r);

  // statements (exec.cc)
  Flow ExecBlock(const ast::BlockStmt& block, const EnvPtr& parent);
  Flow ExecStmts(const std::vector<ast::StmtPtr>& stmts, const EnvPtr& env);
  Flow Exec(const ast::Stmt& s, const EnvPtr& env);
  void ExecLet(const ast::LetStmt& s, const EnvPtr& env);
  void ExecAssign(const ast::AssignStmt& s, const EnvPtr& env);
  void BindDecl(const ast::FnStmt& s, const EnvPtr& env);
  bool Truth(const Value& v, SourceRange r);  // condition value; tensors are DynamicControlFlow

  // expressions (eval.cc)
  Value Eval(const ast::Expr& e, const EnvPtr& env);
  Value Lookup(const std::string& name, SourceRange r, const EnvPtr& env);
  Value Binary(ast::BinaryOp op, Value a, Value b, SourceRange r, SourceRange opr);
  Value Unary(ast::UnaryOp op, Value a, SourceRange r);
  Value Index(const ast::IndexExpr& e, const EnvPtr& env);
  Value Member(const Value& base, const std::string& name, SourceRange r);
  std::string Describe(const Value& v);  // "int", "Tensor<float32, [N, 64]>", "layer Conv2d"

  // calls (calls.cc)
  Value EvalCall(const ast::CallExpr& e, const EnvPtr& env);
  Value Call(const Value& callee, CallArgs& args, const std::string& callee_name);
  // Binds arguments to a declaration's parameters in a new scope; false on arity errors.
  bool BindParams(const ast::FnStmt& decl, CallArgs& args, const EnvPtr& scope, SymBindings& syms);
  Value CallFunction(const Value& fn, CallArgs& args);
  Value CallLayer(const Value& layer, CallArgs& args);
  Value CallInstance(const std::shared_ptr<Instance>& inst, CallArgs& args);
  Value RunBody(const ast::FnStmt& decl, const EnvPtr& scope, const SymBindings& syms);
  bool IsFunctionalLayer(const ast::FnStmt& decl);

  // declared types (types.cc)
  std::optional<LType> ResolveType(const ast::TypeExpr& t, const EnvPtr& env);
  // Checks `v` against `t` (binding symbolic dims); returns the converted value or Error().
  // `what` names the value in an error message ("argument 'x' of layer Conv2d"); it is built only
  // when there is an error to report.
  Value Coerce(const Value& v, const LType& t, SymBindings& syms, SourceRange r, Text what);
  // The tensor type of a fully-resolved tensor LType (symbols kept as symbolic dims).
  ir::TensorType TensorTypeOf(const LType& t, const SymBindings& syms);

  // tensors (builtins.cc)
  Value EmitOp(ir::OpKind kind, const std::vector<Value>& operands, ir::Attrs attrs, SourceRange r);
  // A scalar as a rank-0 constant tensor; `like` picks the dtype of untyped literals.
  Value ScalarToTensor(const Value& v, ir::DType like);
  const ir::TensorType& TypeOf(const Value& tensor) const { return module_->type(tensor.tensor); }
  Value CallBuiltin(int id, CallArgs& args, const Value& callee);
  // The scope of the built-in functions and `none`, shared by every compile of the process.
  static EnvPtr SharedBuiltins();
  Value MakeParam(const InitSpec& init, const std::string& name, SourceRange r);

  // the model tree (elaborator.cc)
  void Materialize(Instance& inst, const std::string& path);
  void MaterializeValue(Value& v, const std::string& path);
  void MaterializeLeaf(Value& v, const std::string& path);  // an initializer or an instance

  // the instance memo (memo.cc; instance_memo.h)
  bool MemoOn() const { return memo_ != nullptr; }
  // The key of a call of `layer` (a module-style layer class) with `args`; false when the call
  // cannot be keyed (a nested declaration, an argument that is an instance, a tensor, ...).
  bool ConstructionKey(const Value& layer, const CallArgs& args, MemoKey* out);
  // The key of calling `inst`'s forward with `args`; `tensors` receives the arguments' tensors in
  // first-use order (a record's kArg refs index them).
  bool FragmentKey(const Instance& inst, const CallArgs& args, MemoKey* out,
                   std::vector<ir::ValueId>* tensors);
  bool Fingerprint(const Value& v, MemoKeyBuilder& b, std::vector<ir::ValueId>* tensors);
  bool FingerprintArgs(const CallArgs& args, MemoKeyBuilder& b, std::vector<ir::ValueId>* tensors);
  const MemoKey* DeclKeyOf(const Value& fn_or_layer);
  MemoMark Mark();
  int EndMark(const MemoMark& m);  // restores the depth high-water mark; returns the call's depth
  bool Clean(const MemoMark& m) const;  // nothing reported and no anonymous layer named
  // A ghost for a construction record, or null when its limits would be exceeded.
  Value Ghostly(const Value& layer, CallArgs& args, const MemoKey& key);
  void Realize(Instance& inst);  // builds a ghost for real (no-op for a built instance)
  Instance& Real(const std::shared_ptr<Instance>& inst) {
    if (inst->ghost) Realize(*inst);
    return *inst;
  }
  // Builds a module-style instance into `inst` (params, body): the body of CallLayer. Returns
  // the body's `return` value when it returned one (then `inst` is not an instance), else none.
  Value BuildInto(const Value& layer, CallArgs& args, Instance& inst);
  void MaterializeGhost(Instance& inst, const std::string& path);
  bool WorthRecording(const MemoKey& key) const;
  void RecordParams(const Instance& inst, const MemoMark& m);
  // Gives a built (realized) instance the parameters its materialization made before, in the
  // same order: params [*cursor, ...) of the module.
  void Adopt(Instance& inst, int64_t* cursor);
  void RecordFragment(const Instance& inst, const MemoKey& key, const MemoMark& m, int depth,
                      const std::vector<ir::ValueId>& tensors, const Value& out);
  Value ReplayFragment(const Instance& inst, const Fragment& f,
                       const std::vector<ir::ValueId>& tensors);
  const std::vector<std::string>& scope_stack() const { return scope_stack_; }

  // current state
  const SourceSet& sources_;
  ElabOptions options_;
  diag::DiagEngine& diags_;
  ir::Module* module_ = nullptr;
  std::optional<ir::Builder> builder_;
  std::vector<SourceRange> value_origin_;  // where each IR value was defined (for notes)
  ir::ValueNameSet param_names_;           // of module_->params: the duplicate check
  std::vector<std::string> scope_stack_;   // instance paths of the forward calls in progress
  Value return_value_;
  int depth_ = 0;
  int64_t steps_ = 0;
  bool step_limit_reported_ = false;
  int anon_counter_ = 0;
  // Where `let` of an initializer is allowed to create a parameter: layer bodies and top level.
  int param_context_ = 0;
  EnvPtr builtins_;
  EnvPtr prelude_;
  std::vector<EnvPtr> file_envs_;     // per program, once its declarations are bound
  std::vector<EnvPtr> closure_envs_;  // every Env an `fn`/`layer` was declared in (BindDecl)

  // elaborator.cc helpers
  EnvPtr FileEnv(int program);
  void StartModule(const std::string& name);
  bool BuildFromValue(const Value& entry, SourceRange r);
  bool BuildFromForward(const Value& fn, const std::string& scope, SourceRange r);
  void CheckStandalone(const ast::FnStmt& decl, const EnvPtr& env);
  void RunEntry(const std::string& name, bool keep);
  // Runs the non-declaration top-level statements of a program; true if one `return`ed.
  bool RunTopLevel(int program, const EnvPtr& env);

  // ResolveType's results for scalar type nodes (`int`, `float32`, `bool`, ...), which do not
  // depend on the scope. Keyed by the AST node, which outlives the elaboration.
  std::unordered_map<const ast::TypeExpr*, LType> scalar_types_;
  std::optional<ir::Module> result_;
  std::unique_ptr<ir::Module> owned_;  // the module being built
  int generation_ = 0;                 // bumped per module: tensors of another module are foreign
  std::vector<EnvPtr> member_envs_;    // layer bodies being built: their `let`s are members
  SourceRange last_return_range_;
  // the instance memo's state
  std::shared_ptr<InstanceMemo> memo_;
  bool memo_shared_ = false;  // memo_ outlives this compile (ElabOptions::memo)
  // Construction keys that produced a ghost in this compile. A private memo records parameter
  // lists and fragments only for them: no other instance could replay them.
  std::unordered_set<MemoKey, MemoKeyHash> ghost_keys_;
  std::optional<DeclarationKeys> decl_keys_;  // a shared memo's declaration keys
  std::unordered_map<const ast::FnStmt*, MemoKey> private_decl_keys_;  // a private memo's
  MemoStats memo_stats_;
  int max_depth_ = 0;         // depth high-water mark since the innermost Mark
  int64_t error_calls_ = 0;   // Error() calls (one may report nothing: a repeat)
  bool shared_seen_ = false;  // Materialize met an instance named before (shared)
  // Call sites of the layer/function calls in progress (range of the call, callee name: a
  // declaration's name in the AST, which outlives the elaboration).
  std::vector<std::pair<SourceRange, const std::string*>> call_stack_;
};

// Counts one level of call nesting for the duration of a call, keeping the high-water mark.
struct DepthGuard {
  int& depth;
  explicit DepthGuard(Elaborator& e) : depth(e.depth_) {
    if (++depth > e.max_depth_) e.max_depth_ = depth;
  }
  ~DepthGuard() { --depth; }
};

// Pushes a call site for the duration of a call.
struct CallSiteGuard {
  std::vector<std::pair<SourceRange, const std::string*>>& stack;
  CallSiteGuard(std::vector<std::pair<SourceRange, const std::string*>>& s, SourceRange r,
                const std::string* name)
      : stack(s) {
    stack.emplace_back(r, name);
  }
  ~CallSiteGuard() { stack.pop_back(); }
};

std::string JoinPath(const std::string& a, const std::string& b);

// The walk of materialization: every initializer and instance an instance's scopes hold (in
// lists too), with the path it is named by, in the order parameters are made. Materialize makes
// them; Adopt (memo.cc) gives a rebuilt instance the ones made before.
using ParamHolderFn = base::FunctionRef<void(Value&, const std::string&)>;
void ForEachParamHolder(Instance& inst, ParamHolderFn leaf);
void ForEachParamHolder(Value& v, const std::string& path, ParamHolderFn leaf);
// True for the built-ins Tensor, tensor and TernaryTensor (literal constructors: `T[2, 2](...)`).
bool IsTypeConstructor(int builtin);

}  // namespace triton::lang::check
