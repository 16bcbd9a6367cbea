#pragma once
// Internals of the tconv family shared by reference.cc, avx2.cc, avx512vnni.cc and variants.cc.
// Not part of the contract (tconv.h); nothing outside this folder includes it.
//
// ISA isolation: avx2.cc and avx512vnni.cc are compiled with ISA flags. An inline function or
// template instantiated in several files (std::vector members, Result<> moves, inline helpers of
// a shared header) is merged by the linker into one copy, which may then be the AVX-512 one and
// run on a CPU without AVX-512. So the ISA files export only leaf kernels (a tile, a row of
// codes, an absmax) with plain signatures, call no shared inline function with loops or struct
// copies, and every driver (packing, allocation, threading, Result) lives in the baseline
// variants.cc / reference.cc.
#include <cstdint>

#include "triton/kernels/tconv/tconv.h"

namespace triton::kernels::tconv::internal {

// ---- The blocked weight layout of the SIMD variants --------------------------------------------
// Output channels are cut into blocks of `block` channels (16 for zmm, 8 for ymm; the last block
// is padded with zero trits) and blocks into groups of at most `group` blocks (the micro-kernel's
// register tile over channels; the last group may hold fewer, nbg). With c4n = in_c_pad / 4,
// kpos = ky * kw + kx, the micro-kernel reads one group as the s8 panel
//   [kpos][c4][b < nbg][channel < block][kk < 4]   (s8 trits, kpos_n * c4n * nbg * block * 4 bytes)
// so the weights of one (kpos, c4) step of a whole group are nbg * block * 4 contiguous bytes and
// one vector load gives `block` channels x 4 input channels (the vpdpbusd / vpmaddubsw operand).
//
// Resident form (PackedWeights::data), 2 bits per trit: the same sequence of panel vectors, each
// vector of 4 * block s8 trits stored in `block` bytes (16 for zmm, 8 for ymm). Output byte j of a
// vector (j = channel * 4 + kk) is
//   code(j) = (src[j % block] >> (2 * (j / block))) & 3,   trit = code - 1,
// i.e. storage code = trit + 1 (00 = -1, 01 = 0, 10 = +1, 11 never written; DESIGN.md §3), and
// quarter q = j / block of the vector (a 128-bit lane of the zmm, a 64-bit lane of the ymm) sits
// in bits 2q+1..2q of the `block` source bytes. So one vector decodes as: broadcast the `block`
// bytes to every quarter (vbroadcasti32x4 / vpbroadcastq), shift each quarter right by 2q
// (vpsrlvq), AND 3, subtract 1 -- the bits a 64-bit shift drags across byte borders land above
// bit 1 and are masked off. Group g starts at byte g * group * kpos_n * c4n * block, and
// data.bytes() = RoundUp(out_c, block) * kh * kw * in_c_pad / 4. Input channels past in_c and
// output channels past out_c carry code 01 (zero trit).
//
// The tile driver decodes a group into a per-thread panel before the first tile of that group
// and runs every tile of the group on the panel (RunTiles).
struct Blocking {
  int64_t block;   // output channels per vector register
  int64_t group;   // blocks per micro-kernel tile
  int64_t tile_p;  // output pixels per micro-kernel tile
};
inline constexpr Blocking kAvx512VnniBlocking{16, 4, 6};
inline constexpr Blocking kAvx2Blocking{8, 2, 4};

// The variant names (DESIGN.md §3 naming: the tile is pixels x output channels).
inline constexpr const char* kReferenceName = "conv2d_t2_u8_f32_1x1__reference";
inline constexpr const char* kAvx2Name = "conv2d_t2_u8_f32_4x16__avx2";
inline constexpr const char* kAvx512VnniName = "conv2d_t2_u8_f32_6x64__avx512vnni";

// Packs and checks trits [out_c][in_c][kh][kw] into the 2-bit blocked layout above (an error
// Status names the first trit outside {-1, 0, 1} or a non-positive size); fills wsum.
Result<PackedWeights> PackBlocked(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                  int64_t kw, Blocking blk, const char* variant);

// Checks the sizes and trits given to a pack function and computes wsum[out_c]; shared by every
// variant's pack. Returns the error of the first bad size or trit.
Status CheckTritsAndSum(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh, int64_t kw,
                        int32_t* wsum);

// Decoders of the 2-bit vectors above: n vectors, src: n * block bytes (16-byte aligned for the
// zmm form, 8 for the ymm form), dst: n * 4 * block s8 trits (aligned to 4 * block bytes).
// Codes 11 give an unspecified trit (never packed).
using DecodeFn = void (*)(const uint8_t* src, int64_t n, int8_t* dst);
void DecodeAvx512Vnni(const uint8_t* src, int64_t n, int8_t* dst);  // block 16
void DecodeAvx2(const uint8_t* src, int64_t n, int8_t* dst);        // block 8
// The scalar form of the same formula for any block (tests, and the layout's definition).
void DecodeScalar(const uint8_t* src, int64_t n, int64_t block, int8_t* dst);

// Checks (TRITON_CHECK) that `w` was packed by `variant` for the shape `s`.
void CheckPacked(const ConvShape& s, const PackedWeights& w, const char* variant);

// ---- The tiled convolution driver (variants.cc) and its micro-kernels (ISA files) --------------
// The sizes that locate the input window of flat output pixel p = (n * OH + oh) * OW + ow: its
// top-left input position is at byte ((n * Hp + oh * stride_h) * Wp + ow * stride_w) * in_c_pad.
struct PixelWindows {
  int64_t oh, ow, hp, wp, cp, sh, sw;
};

// Everything a micro-kernel needs, set up once per call by RunTiles.
struct TileArgs {
  const uint8_t* in;    // padded u8 NHWC input
  const int32_t* wsum;  // [out_c]
  const int64_t* koff;  // [kh * kw]: (ky * dil_h * Wp + kx * dil_w) * in_c_pad
  int64_t kpos_n, c4n, out_c;
  PixelWindows win;
  const Epilogue* e;  // with out_f
  float* out_f;       // float NHWC output, or nullptr
  int32_t* out_i;     // int32 output (conv_int32), or nullptr
};

// Computes the tile of np <= tile_p pixels from p0 x nbg <= group blocks of channel group g, and
// writes it (acc - 128 * wsum to out_i, or the epilogue to out_f). `panel`: group g's weights
// decoded to the s8 panel layout above (aligned to 64 bytes).
using TileFn = void (*)(const TileArgs& a, const int8_t* panel, int64_t p0, int64_t g, int np,
                        int nbg);

// The tiles of one variant: on a decoded panel, on the 2-bit form, and the panel decoder.
struct TileKernels {
  TileFn tile, tile_packed;
  DecodeFn decode;
};
// A thread that runs at most this many tiles of a group runs tile_packed on the 2-bit form;
// more, and it decodes the group into a panel once (bench_tconv: decode/ and conv/fc_*).
inline constexpr int64_t kMaxPackedTiles = 2;

// Runs the tiles over every (channel group, pixel tile), group-major, split into contiguous
// ranges over `threads` (ParallelFor), so batch 1 keeps every thread busy and each thread sweeps
// the pixels of few groups: it decodes a group's weights into its thread-local panel before the
// group's first tile and reuses the panel, hot in cache, for the group's other tiles.
void RunTiles(Blocking blk, TileKernels k, const char* variant, const ConvShape& s,
              const PackedWeights& w, const uint8_t* in, const Epilogue* e, float* out_f,
              int32_t* out_i, int threads);

void TileAvx2(const TileArgs& a, const int8_t* panel, int64_t p0, int64_t g, int np, int nbg);
void TileAvx512Vnni(const TileArgs& a, const int8_t* panel, int64_t p0, int64_t g, int np, int nbg);
// The same tiles reading group g's 2-bit resident form (`packed`: the group's first byte in
// PackedWeights::data) and decoding each weight vector in registers: for a thread that runs
// only a few tiles of a group (linear layers at small batch), where writing and re-reading a
// panel costs more than decoding the vectors again per tile.
void TileAvx2Packed(const TileArgs& a, const int8_t* packed, int64_t p0, int64_t g, int np,
                    int nbg);
void TileAvx512VnniPacked(const TileArgs& a, const int8_t* packed, int64_t p0, int64_t g, int np,
                          int nbg);

// ---- Quantization: the driver (variants.cc) and its per-ISA leaves -----------------------------
// Max |v| over the finite values of x[0, n) (0 if none).
using AbsMaxFn = float (*)(const float* x, int64_t n);
// Codes + 128 of w pixels of c channels (x: [w][c]) into out[w][c_pad], c_pad = RoundUp(c, 4),
// the padding channels 128: q = round_half_even(clamp(x / scale, -127, 127)), NaN -> 0.
using CodesRowFn = void (*)(const float* x, int64_t w, int64_t c, float scale, uint8_t* out);

float AbsMaxReference(const float* x, int64_t n);
void CodesRowReference(const float* x, int64_t w, int64_t c, float scale, uint8_t* out);
float AbsMaxAvx2(const float* x, int64_t n);
void CodesRowAvx2(const float* x, int64_t w, int64_t c, float scale, uint8_t* out);
float AbsMaxAvx512Vnni(const float* x, int64_t n);
void CodesRowAvx512Vnni(const float* x, int64_t w, int64_t c, float scale, uint8_t* out);

// ---- The reference variant (reference.cc) ------------------------------------------------------
Result<PackedWeights> PackReference(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                    int64_t kw);
void ConvReference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, const Epilogue& e,
                   float* out, int threads);
void ConvInt32Reference(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int32_t* out,
                        int threads);

}  // namespace triton::kernels::tconv::internal
