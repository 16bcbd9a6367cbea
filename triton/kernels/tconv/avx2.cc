// The AVX2 variant: vpmaddubsw (u8 activations x s8 trits -> s16 sums of 2 products) widened at
// once by vpmaddwd with ones (-> int32 sums of 4 products, the vpdpbusd step), over the blocked
// layout of internal.h with 8-channel blocks in groups of 2 (16 output channels).
//
// int16 saturation (DESIGN.md §3): every int16 lane of a vpmaddubsw result holds exactly one pair
// sum, |u8 * t + u8 * t| <= 255 + 255 = 510, and is widened to int32 by the vpmaddwd that follows
// immediately -- far below the limit of 64 pair sums per lane, so vpmaddubsw never saturates.
//
// Micro-kernel: up to kTileP = 4 output pixels (consecutive flat pixels, one input pointer each)
// x 2 blocks = 8 ymm accumulators; per (kernel position, 4 input channels) step two weight loads
// and one vpbroadcastd per pixel, from the decoded panel or the 2-bit form (Decode8; internal.h).
// The epilogue as in avx512vnni.cc (sigmoid / SiLU in the vector form of fast_math_simd_inl.h);
// channel blocks that are cut by out_c go through a scalar epilogue. The driver is RunTiles in
// variants.cc; this file holds only leaf kernels (internal.h, "ISA isolation").
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "triton/kernels/common/fast_math_simd_inl.h"
#include "triton/kernels/tconv/internal.h"

namespace triton::kernels::tconv::internal {
namespace {

constexpr int kBlock = static_cast<int>(kAvx2Blocking.block);  // channels per ymm
static_assert(kBlock == 8 && kAvx2Blocking.group == 2 && kAvx2Blocking.tile_p == 4);

inline __m256i Bcast32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// EpilogueScalar's steps, a local copy: an inline function of a shared header must not be
// compiled here with AVX2 flags (internal.h, "ISA isolation"). std::fma is vfmadd here and a
// correctly rounded fma everywhere, so the result is the same bits.
float ScalarEpilogue(const Epilogue& e, int64_t p, int64_t c, float v) {
  float y = e.mul ? std::fma(v, e.mul[c], e.add ? e.add[c] : 0.0f) : v + (e.add ? e.add[c] : 0.0f);
  if (e.residual) y = y + e.residual[p * e.residual_stride + c];
  return ApplyAct(e.act, y);
}

// Sigmoid or SiLU (fast_math.h) of the 8 stored floats at o, in place: kept out of the unrolled
// tile code (one copy of the vector form).
void SigmoidSiluInPlace(Act act, float* o) {
  const __m256 v = _mm256_loadu_ps(o);
  _mm256_storeu_ps(o, act == Act::kSilu ? FastSilu8(v) : FastSigmoid8(v));
}

// Writes the 8 accumulators `acc` (before the -128 * wsum correction) of pixel p, channels
// [c0, c0 + 8) cut at out_c.
inline void StoreBlock(const TileArgs& c, int64_t p, int64_t c0, __m256i acc) {
  const Epilogue* e = c.e;
  const int64_t out_c = c.out_c;
  const int64_t n = out_c - c0 < kBlock ? out_c - c0 : kBlock;
  if (n < kBlock) {
    alignas(32) int32_t tmp[kBlock];
    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), acc);
    for (int64_t i = 0; i < n; ++i) {
      const int32_t v = tmp[i] - 128 * c.wsum[c0 + i];
      if (c.out_i) {
        c.out_i[p * out_c + c0 + i] = v;
      } else {
        c.out_f[p * out_c + c0 + i] = ScalarEpilogue(*e, p, c0 + i, static_cast<float>(v));
      }
    }
    return;
  }
  const __m256i bias =
      _mm256_slli_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(c.wsum + c0)), 7);
  const __m256i v = _mm256_sub_epi32(acc, bias);
  if (c.out_i) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c.out_i + p * out_c + c0), v);
    return;
  }
  // The steps of EpilogueScalar, one IEEE operation each.
  const __m256 zero = _mm256_setzero_ps();
  const __m256 addv = e->add ? _mm256_loadu_ps(e->add + c0) : zero;
  __m256 y = _mm256_cvtepi32_ps(v);
  y = e->mul ? _mm256_fmadd_ps(y, _mm256_loadu_ps(e->mul + c0), addv) : _mm256_add_ps(y, addv);
  if (e->residual) y = _mm256_add_ps(y, _mm256_loadu_ps(e->residual + p * e->residual_stride + c0));
  // max_ps(zero, y) returns y on NaN and on -0.0, as std::max(y, 0.0f) (epilogue.h).
  if (e->act == Act::kRelu) y = _mm256_max_ps(zero, y);
  if (e->act == Act::kRelu6) y = _mm256_min_ps(_mm256_set1_ps(6.0f), _mm256_max_ps(zero, y));
  float* o = c.out_f + p * out_c + c0;
  _mm256_storeu_ps(o, y);
  if (e->act == Act::kSigmoid || e->act == Act::kSilu) {
    SigmoidSiluInPlace(e->act, o);
  } else if (e->act != Act::kNone && e->act != Act::kRelu && e->act != Act::kRelu6) {
    for (int i = 0; i < kBlock; ++i) o[i] = ApplyAct(e->act, o[i]);  // the scalar ApplyAct
  }
}

// internal.h, "Resident form": 8 source bytes -> one ymm of 32 trits. Quarter q (64-bit lane)
// takes bits 2q+1..2q of every source byte: broadcast, vpsrlvq by 2q, AND 3, minus 1.
inline __m256i Decode8(const uint8_t* src) {
  int64_t bits;
  std::memcpy(&bits, src, 8);
  const __m256i shifted =
      _mm256_srlv_epi64(_mm256_set1_epi64x(bits), _mm256_setr_epi64x(0, 2, 4, 6));
  return _mm256_sub_epi8(_mm256_and_si256(shifted, _mm256_set1_epi8(3)), _mm256_set1_epi8(1));
}

// Input offsets of pixels p0 .. p0 + P - 1 (one division; the rest step along the output row).
template <int P>
inline void WindowOffsets(const PixelWindows& w, int64_t p0, int64_t* off) {
  int64_t b = p0 / (w.oh * w.ow), r = p0 % (w.oh * w.ow), y = r / w.ow, x = r % w.ow;
#pragma GCC unroll 8
  for (int j = 0; j < P; ++j) {
    off[j] = ((b * w.hp + y * w.sh) * w.wp + x * w.sw) * w.cp;
    if (++x == w.ow) {
      x = 0;
      if (++y == w.oh) y = 0, ++b;
    }
  }
}

// Computes the P x NB tile at flat pixel p0 of channel group g and writes it (epilogue applied).
// `w`: the group's s8 panel, or with kPacked its 2-bit resident form, decoded here in registers.
template <int P, int NB, bool kPacked>
void Tile(const TileArgs& c, const int8_t* w, int64_t p0, int64_t g) {
  int64_t pix[P];
  WindowOffsets<P>(c.win, p0, pix);
  const uint8_t* px[P];
#pragma GCC unroll 8
  for (int j = 0; j < P; ++j) px[j] = c.in + pix[j];
  __m256i acc[P][NB];
#pragma GCC unroll 8
  for (int j = 0; j < P; ++j) {
#pragma GCC unroll 4
    for (int b = 0; b < NB; ++b) acc[j][b] = _mm256_setzero_si256();
  }
  const __m256i ones = _mm256_set1_epi16(1);
  const int8_t* wp = w;
  constexpr int kVecBytes = kPacked ? kBlock : 4 * kBlock;  // bytes per weight vector in `w`
  const int64_t c4n = c.c4n;
  for (int64_t kp = 0; kp < c.kpos_n; ++kp) {
    const int64_t off = c.koff[kp];
    const uint8_t* a[P];
#pragma GCC unroll 8
    for (int j = 0; j < P; ++j) a[j] = px[j] + off;
#pragma GCC unroll 2
    for (int64_t c4 = 0; c4 < c4n; ++c4) {
      __m256i wv[NB];
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) {
        wv[b] = kPacked ? Decode8(reinterpret_cast<const uint8_t*>(wp) + b * kVecBytes)
                        : _mm256_load_si256(reinterpret_cast<const __m256i*>(wp + b * kVecBytes));
      }
#pragma GCC unroll 8
      for (int j = 0; j < P; ++j) {
        const __m256i av = Bcast32(a[j] + 4 * c4);
#pragma GCC unroll 4
        for (int b = 0; b < NB; ++b) {
          // One pair sum per int16 lane, widened to int32 right away (see the file comment).
          const __m256i pairs = _mm256_maddubs_epi16(av, wv[b]);
          acc[j][b] = _mm256_add_epi32(acc[j][b], _mm256_madd_epi16(pairs, ones));
        }
      }
      wp += NB * kVecBytes;
    }
  }
  const int64_t c_begin = g * kAvx2Blocking.group * kBlock;
#pragma GCC unroll 8
  for (int j = 0; j < P; ++j) {
#pragma GCC unroll 4
    for (int b = 0; b < NB; ++b) StoreBlock(c, p0 + j, c_begin + b * kBlock, acc[j][b]);
  }
}

using Fn = void (*)(const TileArgs&, const int8_t*, int64_t, int64_t);

// kTiles<kPacked>[NB - 1][P - 1] = Tile<P, NB, kPacked>.
template <bool kPacked>
constexpr Fn kTiles[2][4] = {
    {&Tile<1, 1, kPacked>, &Tile<2, 1, kPacked>, &Tile<3, 1, kPacked>, &Tile<4, 1, kPacked>},
    {&Tile<1, 2, kPacked>, &Tile<2, 2, kPacked>, &Tile<3, 2, kPacked>, &Tile<4, 2, kPacked>}};

// ---- Quantization ------------------------------------------------------------------------------

// Codes + 128 of 8 floats as 8 bytes: q = round_half_even(clamp(x / scale, -127, 127)), NaN -> 0
// (IEEE division as the scalar x / scale; explicit nearest-even rounding).
inline void Codes8(__m256 x, __m256 scale, uint8_t* out) {
  __m256 v = _mm256_div_ps(x, scale);
  const __m256 nan = _mm256_cmp_ps(v, v, _CMP_UNORD_Q);
  v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-127.0f)), _mm256_set1_ps(127.0f));
  v = _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256i q = _mm256_andnot_si256(_mm256_castps_si256(nan), _mm256_cvttps_epi32(v));
  q = _mm256_add_epi32(q, _mm256_set1_epi32(128));
  // Low byte of each dword -> bytes 0..3 of each 128-bit lane, then the two lanes together.
  const __m256i pick =
      _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  q = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(q, pick),
                                  _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(q));
}

// Codes of n <= 8 floats (a tail), through an 8-float buffer.
inline void CodesTail(const float* x, int64_t n, __m256 scale, uint8_t* out) {
  alignas(32) float tmp[8] = {};
  uint8_t codes[8];
  std::memcpy(tmp, x, static_cast<size_t>(n) * sizeof(float));
  Codes8(_mm256_load_ps(tmp), scale, codes);
  std::memcpy(out, codes, static_cast<size_t>(n));
}

// Codes of x[0, n) into out[0, n).
void CodesRun(const float* x, int64_t n, __m256 scale, uint8_t* out) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) Codes8(_mm256_loadu_ps(x + i), scale, out + i);
  if (i < n) CodesTail(x + i, n - i, scale, out + i);
}

}  // namespace

void TileAvx2(const TileArgs& a, const int8_t* panel, int64_t p0, int64_t g, int np, int nbg) {
  kTiles<false>[nbg - 1][np - 1](a, panel, p0, g);
}

void TileAvx2Packed(const TileArgs& a, const int8_t* packed, int64_t p0, int64_t g, int np,
                    int nbg) {
  kTiles<true>[nbg - 1][np - 1](a, packed, p0, g);
}

void DecodeAvx2(const uint8_t* src, int64_t n, int8_t* dst) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256i d0 = Decode8(src + 8 * i), d1 = Decode8(src + 8 * i + 8);
    const __m256i d2 = Decode8(src + 8 * i + 16), d3 = Decode8(src + 8 * i + 24);
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32 * i), d0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32 * i + 32), d1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32 * i + 64), d2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32 * i + 96), d3);
  }
  for (; i < n; ++i) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst + 32 * i), Decode8(src + 8 * i));
  }
}

float AbsMaxAvx2(const float* x, int64_t n) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 inf = _mm256_set1_ps(INFINITY);
  __m256 m = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 a = _mm256_and_ps(_mm256_loadu_ps(x + i), abs_mask);
    m = _mm256_max_ps(m, _mm256_and_ps(a, _mm256_cmp_ps(a, inf, _CMP_LT_OQ)));
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, m);
  float r = 0;
  for (float v : lanes) r = r < v ? v : r;
  for (; i < n; ++i) {
    const float v = std::fabs(x[i]);
    if (v < INFINITY && r < v) r = v;  // false for NaN and infinities
  }
  return r;
}

void CodesRowAvx2(const float* x, int64_t w, int64_t c, float scale, uint8_t* out) {
  const __m256 sv = _mm256_set1_ps(scale);
  const int64_t cp = RoundUp(c, kChannelAlign);
  if (c == cp) {  // the row is one contiguous run of w * c codes
    CodesRun(x, w * c, sv, out);
    return;
  }
  for (int64_t px = 0; px < w; ++px) {
    CodesRun(x + px * c, c, sv, out + px * cp);
    std::memset(out + px * cp + c, 128, static_cast<size_t>(cp - c));
  }
}

}  // namespace triton::kernels::tconv::internal
