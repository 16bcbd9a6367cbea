#pragma once
// The .tnn package (DESIGN.md §3; byte-by-byte specification in docs/format.md): little-endian,
// magic + version, typed metadata, the IR in text form, a tensor directory, tensor data aligned
// to 64 bytes (mmap-able), and an xxHash (XXH3-64) checksum. Readers validate every offset, size
// and type before use and never allocate what a header claims before checking it against the
// file size.
#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::format {

// How a tensor's data is stored on disk. In memory, ternary data is always unpacked trits.
enum class Encoding : uint8_t {
  kF32 = 0,           // little-endian IEEE float32
  kTernary2Bit = 1,   // 2-bit codes, rows padded (packing.h) + per-channel scales
  kTernaryBase3 = 2,  // base-3, 5 trits per byte, rows padded + scales
};
const char* EncodingName(Encoding e);  // "f32", "ternary-2bit", "ternary-base3"

struct TensorRecord {
  std::string name;  // dotted parameter name: "layer1.0.conv1.weight"
  std::vector<int64_t> shape;
  Encoding encoding = Encoding::kF32;
  bool trainable = true;                    // false: a buffer (batch-norm statistics)
  std::vector<float> f32;                   // kF32: num_elements values
  std::vector<int8_t> trits;                // ternary: num_elements trits in {-1, 0, 1}
  std::vector<float> scale_pos, scale_neg;  // ternary: one per dim-0 channel, or one per tensor
  int64_t num_elements() const;
  bool ternary() const { return encoding != Encoding::kF32; }
  uint64_t StoredBytes() const;  // bytes of this tensor's data on disk (payload + scales)
};

struct Metadata {
  std::string model_name;
  std::string source_hash;                   // hex hash of the .tri source (and imports)
  std::string compiler_version;              // "triton 0.1.0"
  std::string quantization;                  // e.g. "twn per-channel 2bit"; "" when FP32
  double accuracy = NAN;                     // top-1 if known
  std::map<std::string, std::string> extra;  // free-form key/value pairs
};

struct Package {
  Metadata meta;
  std::string ir_text;  // ir::Print of the model
  std::vector<TensorRecord> tensors;
  const TensorRecord* Find(const std::string& name) const;
};

// Checks what the format requires of a package before it is written: names (1..4096 bytes of
// UTF-8, no control characters, unique), shapes (rank <= 8, dims >= 0, sizes < 2^62), data sizes
// matching shapes, trits in {-1, 0, 1}, scale counts (1 or dim 0) and finite scales, metadata
// strings UTF-8 without NUL, `extra` keys valid and distinct from the named fields, accuracy
// finite or NaN. Messages name the tensor or field ("tensor 'fc.weight' has 5 trits; ...").
Status ValidatePackage(const Package& p);
// The package's bytes. Requires ValidatePackage(p).ok() (a failure is a TRITON_CHECK abort:
// callers that take packages from users validate or use WritePackage).
std::vector<uint8_t> SerializePackage(const Package& p);
// Parses bytes; `file` names the source in messages:
//   "model.tnn: tensor 'layer1.0.conv1.weight' needs 36864 bytes, file has 1024"
Result<Package> ParsePackage(std::span<const uint8_t> bytes, const std::string& file);
// Validates, then writes atomically (temporary file in the same directory, fsync, rename);
// errors start with `path`.
Status WritePackage(const std::string& path, const Package& p);
Result<Package> ReadPackage(const std::string& path);

}  // namespace triton::format
