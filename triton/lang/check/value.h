#pragma once
// Compile-time values of the elaborator. Elaboration is an interpreter over the AST: every
// hyper-parameter expression, `if`, `for` and comprehension is evaluated; tensor expressions
// become IR ops. A Value is small and cheap to copy (heavy parts are shared_ptr).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triton/ir/module.h"
#include "triton/lang/check/instance_memo.h"
#include "triton/lang/parse/ast.h"

namespace triton::lang::check {

struct Env;
struct Instance;
struct InitSpec;
struct Ghost;

enum class VKind : uint8_t {
  kError,  // poison: an error was reported; every use is silent
  kNone,   // `none`
  kBool,
  kInt,    // dtype: trit/int8..int64; `untyped` literal constants adapt to context
  kFloat,  // dtype: float16..float64
  kStr,
  kList,
  kTensor,    // an IR value of the module being built
  kInit,      // an initializer (zeros(), kaiming_normal(), ...): becomes a parameter when bound
  kLayer,     // a layer declaration (a class: calling it builds an instance or, functional, runs)
  kInstance,  // a built layer instance
  kFunction,  // an `fn` closure
  kBuiltin,   // a built-in function
};

struct Value {
  Value() = default;
  explicit Value(VKind k) : kind(k) {}
  VKind kind = VKind::kNone;
  bool untyped = false;  // an int/float literal constant not yet given a type
  ir::DType dtype = ir::DType::kInt64;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  ir::ValueId tensor = ir::kNoValue;
  int gen = 0;  // kTensor: the module generation the id belongs to
  int builtin = -1;
  std::shared_ptr<const std::string> str;
  std::shared_ptr<std::vector<Value>> list;
  std::shared_ptr<InitSpec> init;
  std::shared_ptr<Instance> instance;
  const ast::FnStmt* decl = nullptr;  // kLayer / kFunction
  std::shared_ptr<Env> closure;       // kLayer / kFunction: the defining scope

  static Value Error() { return Value{VKind::kError}; }
  static Value None() { return Value{}; }
  static Value Bool(bool v) {
    Value r{VKind::kBool};
    r.dtype = ir::DType::kBool;
    r.b = v;
    return r;
  }
  static Value Int(int64_t v, ir::DType t = ir::DType::kInt64, bool untyped = false) {
    Value r{VKind::kInt};
    r.i = v;
    r.dtype = t;
    r.untyped = untyped;
    return r;
  }
  static Value Float(double v, ir::DType t = ir::DType::kFloat32, bool untyped = false) {
    Value r{VKind::kFloat};
    r.f = v;
    r.dtype = t;
    r.untyped = untyped;
    return r;
  }
  static Value Str(std::string s) {
    Value r{VKind::kStr};
    r.str = std::make_shared<const std::string>(std::move(s));
    return r;
  }
  static Value List(std::vector<Value> elems) {
    Value r{VKind::kList};
    r.list = std::make_shared<std::vector<Value>>(std::move(elems));
    return r;
  }
  static Value Tensor(ir::ValueId id) {
    Value r{VKind::kTensor};
    r.tensor = id;
    return r;
  }
  bool is_error() const { return kind == VKind::kError; }
  bool is_number() const { return kind == VKind::kInt || kind == VKind::kFloat; }
  double as_double() const { return kind == VKind::kInt ? static_cast<double>(i) : f; }
};

// An initializer waiting to become a parameter: `zeros([64])`, `kaiming_normal()` (shape from
// the declared type), `ternary_weights(method="twn")`, `buffer(zeros([64]))`.
struct InitSpec {
  std::string init;  // zeros | ones | normal | kaiming_normal | kaiming_uniform | ...
  ir::Attrs args;    // the initializer's keyword arguments
  bool has_shape = false;
  std::vector<ir::Dim> shape;
  ir::DType dtype = ir::DType::kFloat32;
  bool trainable = true;  // false for buffer(...)
  bool ternary = false;
  ir::QuantSpec quant;
  diag::SourceRange range;
};

// The hash Env keys its bindings by (FNV-1a, 32 bits): a lookup hashes its name once and
// compares hashes, not strings, on its way up the scope chain.
uint32_t NameHash(std::string_view name);

// A lexical scope. Bindings keep declaration order (it names parameters, as PyTorch does).
struct Env {
  std::shared_ptr<Env> parent;
  bool function_boundary = false;  // assignments do not rebind names beyond this scope
  std::vector<std::string> names;
  std::vector<Value> values;
  std::vector<diag::SourceRange> ranges;  // where each name was bound
  std::vector<uint32_t> hashes;           // NameHash of each name

  explicit Env(std::shared_ptr<Env> p, bool boundary = false)
      : parent(std::move(p)), function_boundary(boundary) {}
  // Index of `name` in this scope only, or -1; `hash` is NameHash(name).
  int Find(std::string_view name, uint32_t hash) const;
  int Find(std::string_view name) const { return Find(name, NameHash(name)); }
  void Bind(const std::string& name, Value v, diag::SourceRange where);

 private:
  // Open addressing over the bindings, built once a scope has more than a few (the prelude, the
  // built-ins, file scopes): slot -> binding index, -1 when empty; the size is a power of two.
  std::vector<int32_t> slots_;
  void Index(size_t binding);
};

// A built layer: its declaration, the scope of its hyper-parameters and the scope of its body
// (members). `path` is its dotted name in the model, set when the model's tree is named.
struct Instance {
  const ast::FnStmt* decl = nullptr;
  std::shared_ptr<Env> params;  // hyper-parameters
  std::shared_ptr<Env> body;    // members (child of params)
  std::string path;
  bool materialized = false;  // its parameters exist in the module
  // The instance memo (instance_memo.h): the construction key it was built under (`has_key`),
  // the range of Module::params its materialization holds (-1 before), and, for a ghost (a
  // construction served by the memo), the call that builds it for real: until then `params` and
  // `body` are null, so the elaborator reads them through Elaborator::Real.
  bool has_key = false;
  MemoKey key{};
  int64_t param_begin = -1, param_end = -1;
  bool params_clean = false;  // its materialization reported nothing: the range is complete
  std::shared_ptr<Ghost> ghost;
};

}  // namespace triton::lang::check
