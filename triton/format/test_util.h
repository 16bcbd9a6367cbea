#pragma once
// Test support for triton/format (tests and the fuzzer; no GoogleTest dependency): sample
// packages, package comparison, random trits, and an independent walker over the directory of a
// valid file that tells where each field lives (to damage it precisely).
#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "triton/format/bytes.h"
#include "triton/format/package.h"
#include "triton/format/package_layout.h"

namespace triton::format::testing {

inline std::vector<int8_t> RandomTrits(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int8_t> t(n);
  for (int8_t& v : t) v = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
  return t;
}

inline TensorRecord F32Tensor(std::string name, std::vector<int64_t> shape,
                              std::vector<float> values, bool trainable = true) {
  TensorRecord t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.encoding = Encoding::kF32;
  t.trainable = trainable;
  t.f32 = std::move(values);
  return t;
}

inline TensorRecord TernaryTensor(std::string name, std::vector<int64_t> shape, Encoding e,
                                  std::vector<int8_t> trits, std::vector<float> pos,
                                  std::vector<float> neg) {
  TensorRecord t;
  t.name = std::move(name);
  t.shape = std::move(shape);
  t.encoding = e;
  t.trits = std::move(trits);
  t.scale_pos = std::move(pos);
  t.scale_neg = std::move(neg);
  return t;
}

// The package of testdata/tiny.hex and docs/format.md §12: one tensor of each encoding. Two names
// and a metadata key have equal lengths so that damaged_cases.cc can make duplicates in place.
inline Package TinyPackage() {
  Package p;
  p.meta.model_name = "tiny";
  p.meta.source_hash = "0123abcd";
  p.meta.compiler_version = "triton 0.1.0";
  p.meta.quantization = "twn per-channel 2bit";
  p.meta.accuracy = 0.875;
  p.meta.extra = {{"model_kind", "mlp"}};
  p.ir_text = "module tiny {\n}\n";
  p.tensors.push_back(TernaryTensor("fc1.weight", {2, 5}, Encoding::kTernary2Bit,
                                    {1, 0, -1, 1, 1, 0, -1, -1, 0, 1}, {0.5f, 0.25f},
                                    {0.5f, 0.75f}));
  p.tensors.push_back(F32Tensor("fc1.bias", {2}, {1.0f, -2.0f}));
  p.tensors.push_back(TernaryTensor("fc2.weight", {1, 7}, Encoding::kTernaryBase3,
                                    {-1, 0, 1, 0, 1, 1, -1}, {2.0f}, {1.5f}));
  return p;
}

// A larger package exercising every feature: all encodings, per-channel and per-tensor scales,
// padded rows, buffers, empty tensors, rank 0 and 4, extra metadata.
inline Package RichPackage() {
  Package p = TinyPackage();
  p.meta.extra = {{"dataset", "fashion-mnist"},
                  {"epochs", "12"},
                  {"note", "caf\xc3\xa9"},
                  {"model_kind", "mlp"}};
  p.ir_text = "module rich {\n  input %x: f32[N, 784]\n  return %x\n}\n";
  p.tensors.push_back(TernaryTensor("conv.weight", {4, 3, 3, 3}, Encoding::kTernary2Bit,
                                    RandomTrits(108, 1), {1, 2, 3, 4}, {4, 3, 2, 1}));
  p.tensors.push_back(TernaryTensor("conv2.weight", {3, 2, 2, 3}, Encoding::kTernaryBase3,
                                    RandomTrits(36, 2), {0.1f, 0.2f, 0.3f}, {0.3f, 0.2f, 0.1f}));
  p.tensors.push_back(F32Tensor("bn.running_mean", {4}, {0.5f, -0.5f, 1e-3f, 7}, false));
  p.tensors.push_back(F32Tensor("empty", {0, 3}, {}));
  p.tensors.push_back(TernaryTensor("empty.ternary", {0, 5}, Encoding::kTernary2Bit, {}, {}, {}));
  p.tensors.push_back(F32Tensor("scalar", {}, {3.25f}));
  p.tensors.push_back(
      TernaryTensor("vec", {9}, Encoding::kTernaryBase3, RandomTrits(9, 3), {1.0f}, {1.0f}));
  return p;
}

// "" when a and b hold the same package (floats compared bit for bit), else the first
// difference.
inline std::string Difference(const Package& a, const Package& b) {
  auto same_f = [](const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() &&
           (x.empty() || std::memcmp(x.data(), y.data(), 4 * x.size()) == 0);
  };
  const Metadata& m = a.meta;
  const Metadata& n = b.meta;
  if (m.model_name != n.model_name) return "model_name";
  if (m.source_hash != n.source_hash) return "source_hash";
  if (m.compiler_version != n.compiler_version) return "compiler_version";
  if (m.quantization != n.quantization) return "quantization";
  if (std::bit_cast<uint64_t>(m.accuracy) != std::bit_cast<uint64_t>(n.accuracy) &&
      !(std::isnan(m.accuracy) && std::isnan(n.accuracy))) {
    return "accuracy";
  }
  if (m.extra != n.extra) return "extra";
  if (a.ir_text != b.ir_text) return "ir_text";
  if (a.tensors.size() != b.tensors.size()) return "tensor count";
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const TensorRecord& s = a.tensors[i];
    const TensorRecord& t = b.tensors[i];
    const std::string who = "tensor " + std::to_string(i) + " '" + s.name + "' ";
    if (s.name != t.name) return who + "name";
    if (s.shape != t.shape) return who + "shape";
    if (s.encoding != t.encoding) return who + "encoding";
    if (s.trainable != t.trainable) return who + "trainable";
    if (!same_f(s.f32, t.f32)) return who + "f32";
    if (s.trits != t.trits) return who + "trits";
    if (!same_f(s.scale_pos, t.scale_pos)) return who + "scale_pos";
    if (!same_f(s.scale_neg, t.scale_neg)) return who + "scale_neg";
  }
  return "";
}

// Where the fields of one directory entry are in the file (absolute byte offsets).
struct EntryAt {
  size_t name_len = 0, name = 0, encoding = 0, flags = 0, rank = 0, reserved = 0, dims = 0;
  size_t data_offset = 0, data_bytes = 0, scale_offset = 0, scale_count = 0;
  size_t end = 0;  // one past the entry
};

// Walks the directory of a valid package (written independently of the reader, from the spec).
inline std::vector<EntryAt> WalkDirectory(const std::vector<uint8_t>& f) {
  namespace L = layout;
  const size_t count = internal::GetU32(&f[L::kOffTensorCount]);
  size_t at = internal::GetU64(&f[L::kOffDirOffset]);
  std::vector<EntryAt> out;
  for (size_t i = 0; i < count; ++i) {
    EntryAt e;
    e.name_len = at;
    e.name = at + 4;
    at = e.name + internal::GetU32(&f[e.name_len]);
    e.encoding = at;
    e.flags = at + 1;
    e.rank = at + 2;
    e.reserved = at + 3;
    e.dims = at + 4;
    at = e.dims + 8 * f[e.rank];
    e.data_offset = at;
    e.data_bytes = at + 8;
    e.scale_offset = at + 16;
    e.scale_count = at + 24;
    e.end = at + 32;
    at = e.end;
    out.push_back(e);
  }
  return out;
}

inline uint64_t U64At(const std::vector<uint8_t>& f, size_t at) { return internal::GetU64(&f[at]); }
inline void SetLE(std::vector<uint8_t>& f, size_t at, uint64_t v, size_t n) {
  internal::PutLE(&f[at], v, n);
}

}  // namespace triton::format::testing
