#pragma once
// Ternary x int8 dense kernels: convolution (and linear, as a 1x1 convolution over [M, 1, 1, K]).
// DESIGN.md §3 "Quantized arithmetic"; ../../docs/kernels.md has the layouts and measurements.
//
// Arithmetic contract (every ISA computes exactly this; integer results bit-exact):
//   Activations: per-tensor int8 codes q in [-127, 127] with one scale a, exactly the codes of
//   the IR's quantize_int8 (a = absmax / 127, q = clamp(round_half_even(x / a), -127, 127), NaN
//   -> 0), stored offset as u8 = q + 128 so vpdpbusd / vpmaddubsw (u8 x s8) consume them.
//   Weights: trits t in {-1, 0, +1}, [out_c][in_c][kh][kw] (PyTorch layout), groups = 1.
//   Accumulator of output pixel p, channel c:  acc = sum_k q[p, k] * t[c, k]  (int32, exact:
//   |acc| <= 127 * K), computed as sum_k u8[p, k] * t[c, k] - 128 * wsum[c]. Input positions in
//   the padding carry u8 = 128 (q = 0, i.e. zero padding in the float domain).
//   Output: epilogue (common/epilogue.h) applied to float(acc) -- float(acc) is exact.
//
// Input buffer the kernels read ("padded u8 NHWC"): [batch][in_h + 2 pad_h][in_w + 2 pad_w]
// [in_c_pad] bytes, in_c_pad = RoundUp(in_c, kChannelAlign); the border and the channels past
// in_c hold 128. QuantizeToPadded writes it. Output: float NHWC [batch][out_h][out_w][out_c]
// (contiguous), or int32 for ConvInt32.
//
// No int16 saturation: the vpmaddubsw (AVX2) path adds at most 64 u8 x s8 pair sums (each
// |.| <= 255 + 255) per int16 lane before widening to int32 (DESIGN.md §3).
#include <cstdint>
#include <span>
#include <string>

#include "triton/base/cpu.h"
#include "triton/base/status.h"
#include "triton/kernels/common/buffer.h"
#include "triton/kernels/common/epilogue.h"

namespace triton::kernels::tconv {

inline constexpr int64_t kChannelAlign = 4;  // input channels are padded to a multiple of this
inline int64_t RoundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

struct ConvShape {
  int64_t batch = 1, in_h = 1, in_w = 1, in_c = 1;  // logical input (without padding), NHWC
  int64_t out_c = 1, kh = 1, kw = 1;
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dil_h = 1, dil_w = 1;
  int64_t in_c_pad() const { return RoundUp(in_c, kChannelAlign); }
  int64_t padded_h() const { return in_h + 2 * pad_h; }
  int64_t padded_w() const { return in_w + 2 * pad_w; }
  int64_t out_h() const { return (in_h + 2 * pad_h - dil_h * (kh - 1) - 1) / stride_h + 1; }
  int64_t out_w() const { return (in_w + 2 * pad_w - dil_w * (kw - 1) - 1) / stride_w + 1; }
  int64_t out_pixels() const { return batch * out_h() * out_w(); }
  int64_t padded_input_bytes() const { return batch * padded_h() * padded_w() * in_c_pad(); }
  int64_t macs() const { return out_pixels() * out_c * in_c * kh * kw; }
};

// Checks that every size is positive and the output non-empty; errors name the field.
Status ValidateShape(const ConvShape& s);

// Weights repacked at load time into the layout of one kernel variant (never a file format).
struct PackedWeights {
  int64_t out_c = 0, in_c = 0, kh = 0, kw = 0;
  std::string variant;          // the Variant::name the layout belongs to
  AlignedBuffer<int8_t> data;   // the variant's blocked layout, 2 bits per weight
  AlignedBuffer<int32_t> wsum;  // [out_c]: sum of the channel's trits (zero-point term)
};

// One implementation of the family. Kernel names follow DESIGN.md §3:
// "conv2d_t2_u8_f32_<tile>__<isa>".
struct Variant {
  const char* name;
  Isa isa;
  // Packs trits [out_c][in_c][kh][kw] (values -1, 0, 1 only; checked) for this variant.
  Result<PackedWeights> (*pack)(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                int64_t kw);
  // out: float NHWC [batch][out_h][out_w][out_c], epilogue applied. `w` packed by this variant.
  void (*conv)(const ConvShape& s, const PackedWeights& w, const uint8_t* in, const Epilogue& e,
               float* out, int threads);
  // out: the int32 accumulators acc [batch * out_h * out_w][out_c] (tests, benchmarks).
  void (*conv_int32)(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int32_t* out,
                     int threads);
};

// Every variant, best first (the avx512vnni ones, then avx2, then the reference).
std::span<const Variant> Variants();
// The first variant of Variants() whose ISA is at most `isa` (the reference always qualifies).
const Variant& Select(Isa isa);
const Variant& Reference();

// Activation quantization into the padded buffer (the layout above): computes a = absmax / 127
// over x (float NHWC [batch][h][w][c], NaN ignored; an all-zero tensor gives a = 1; at least
// FLT_MIN), writes u8 = q + 128 at the interior positions and 128 in the border and the padding
// channels, and returns a. Bit-identical to quantize_int8 of the IR for every ISA.
float QuantizeToPadded(const float* x, int64_t batch, int64_t h, int64_t w, int64_t c,
                       int64_t pad_h, int64_t pad_w, uint8_t* out, Isa isa, int threads);

}  // namespace triton::kernels::tconv
