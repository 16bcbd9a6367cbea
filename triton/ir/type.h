#pragma once
// Tensor types: an element type and a list of dimensions. A dimension is static (size >= 0),
// symbolic (a name such as N: equal names are equal sizes within one signature), or unknown (`?`).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/ir/dtype.h"

namespace triton::ir {

struct Dim {
  int64_t size = -1;   // >= 0: static
  std::string symbol;  // non-empty when symbolic (size == -1)
  static Dim Static(int64_t n) { return Dim{n, {}}; }
  static Dim Symbol(std::string s) { return Dim{-1, std::move(s)}; }
  static Dim Unknown() { return Dim{-1, {}}; }
  bool is_static() const { return size >= 0; }
  bool is_symbolic() const { return size < 0 && !symbol.empty(); }
  bool is_unknown() const { return size < 0 && symbol.empty(); }
  bool operator==(const Dim& o) const { return size == o.size && symbol == o.symbol; }
  std::string ToString() const;  // "64", "N", "?"
};

struct TensorType {
  DType dtype = DType::kFloat32;
  std::vector<Dim> dims;
  size_t rank() const { return dims.size(); }
  bool is_static() const;        // every dim static
  int64_t num_elements() const;  // product of dims; -1 unless static
  bool operator==(const TensorType& o) const { return dtype == o.dtype && dims == o.dims; }
  // IR text form: `f32[N, 3, 224, 224]`, `trit[64, 3, 3, 3]`, `i8[]` (a scalar).
  std::string ToString() const;
  // Language form for diagnostics: `Tensor<float32, [N, 512]>`, `TernaryTensor<trit, [256, 10]>`.
  std::string ToLangString() const;
};

// Short IR spellings used by the text form: f16 bf16 f32 f64 i8 i16 i32 i64 trit bool.
const char* DTypeShortName(DType t);
// Inverse of DTypeShortName (the IR text form's spellings only), or nullopt.
std::optional<DType> ParseDTypeShortName(std::string_view name);

// Scratch for gathering operand types before a type rule runs (ir::InferType takes a span):
// slots are reused from call to call, and assigning a type into a slot keeps the slot's
// dimension storage, so gathering costs no allocation once the slots have grown.
class TypeSlots {
 public:
  TensorType& operator[](size_t i) {
    if (i >= slots_.size()) slots_.resize(i + 1);
    return slots_[i];
  }
  std::span<const TensorType> first(size_t n) const { return {slots_.data(), n}; }

 private:
  std::vector<TensorType> slots_;
};

}  // namespace triton::ir
