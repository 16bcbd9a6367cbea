// The AVX-512 VNNI variant: vpdpbusd zmm (u8 activations x s8 trits -> int32, 4 products per
// lane, no intermediate narrowing) over the blocked layout of internal.h with 16-channel blocks in
// groups of 4 (64 output channels).
//
// Micro-kernel: a tile of up to kTileP = 6 output pixels (consecutive flat pixels n*OH*OW +
// oh*OW + ow, so a tile may cross output rows and images; each pixel has its own input pointer) x
// up to 4 channel blocks = 24 zmm accumulators. Per (kernel position, 4 input channels) step it
// loads the group's 4 weight vectors (256 contiguous bytes) and broadcasts 4 activation bytes per
// pixel (vpbroadcastd from the padded NHWC input), so each weight vector feeds 6 vpdpbusd and each
// broadcast 4. The epilogue runs in registers on the finished accumulators (sigmoid and SiLU,
// the vector forms of fast_math_simd_inl.h, as a pass over the stored tile rows). The weights come
// from the group's s8 panel (decoded once per group and thread by RunTiles) or, for a thread
// running at most kMaxPackedTiles tiles of the group, straight from the 2-bit resident form,
// each vector decoded in registers (Decode16: 1 broadcast load + 3 ALU ops).
//
// The driver (work split over channel groups x pixel tiles, threads) is RunTiles in variants.cc;
// this file holds only leaf kernels (internal.h, "ISA isolation").
//
// Measured on the project VM (AMD family 25 model 17, i.e. Zen 4: 512-bit operations split in two,
// one vpdpbusd zmm per cycle = 64 MAC/cycle, not Zen 5's 128): 91-96 % of that peak on
// ResNet-18's 3x3 layers at batch 1, one thread (bench_tconv).

// GCC 12 flags the deliberately undefined pass-through operand of unmasked AVX-512 intrinsics
// (_mm512_undefined_*) as uninitialized, a known false positive (GCC PR 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "triton/kernels/common/fast_math_simd_inl.h"
#include "triton/kernels/tconv/internal.h"

namespace triton::kernels::tconv::internal {
namespace {

constexpr int kBlock = static_cast<int>(kAvx512VnniBlocking.block);   // channels per zmm
constexpr int kGroup = static_cast<int>(kAvx512VnniBlocking.group);   // blocks per tile
constexpr int kTileP = static_cast<int>(kAvx512VnniBlocking.tile_p);  // pixels per tile
static_assert(kBlock == 16);

inline __m512i Bcast32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

inline __mmask16 TailMask(int64_t n) {
  return n >= kBlock ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1);
}

// internal.h, "Resident form": 16 source bytes -> one zmm of 64 trits. Quarter q (128-bit lane)
// takes bits 2q+1..2q of every source byte: broadcast, vpsrlvq by 2q, AND 3, minus 1.
inline __m512i Decode16(const uint8_t* src) {
  const __m512i v = _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(src)));
  const __m512i shifted = _mm512_srlv_epi64(v, _mm512_setr_epi64(0, 0, 2, 2, 4, 4, 6, 6));
  return _mm512_sub_epi8(_mm512_and_si512(shifted, _mm512_set1_epi8(3)), _mm512_set1_epi8(1));
}

// Sigmoid or SiLU (fast_math.h) in place on o[0, n): a pass over a stored tile row, kept out of
// the unrolled tile code (one copy of the vector form instead of P x NB).
void SigmoidSiluInPlace(Act act, float* o, int64_t n) {
  for (int64_t i = 0; i < n; i += kBlock) {
    const __mmask16 m = TailMask(n - i);
    const __m512 v = _mm512_maskz_loadu_ps(m, o + i);
    _mm512_mask_storeu_ps(o + i, m, act == Act::kSilu ? FastSilu16(v) : FastSigmoid16(v));
  }
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

  __m512i acc[P][NB];
#pragma GCC unroll 8
  for (int j = 0; j < P; ++j) {
#pragma GCC unroll 4
    for (int b = 0; b < NB; ++b) acc[j][b] = _mm512_setzero_si512();
  }
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
      __m512i wv[NB];
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) {
        wv[b] = kPacked ? Decode16(reinterpret_cast<const uint8_t*>(wp) + b * kVecBytes)
                        : _mm512_load_si512(wp + b * kVecBytes);
      }
#pragma GCC unroll 8
      for (int j = 0; j < P; ++j) {
        const __m512i av = Bcast32(a[j] + 4 * c4);
#pragma GCC unroll 4
        for (int b = 0; b < NB; ++b) acc[j][b] = _mm512_dpbusd_epi32(acc[j][b], av, wv[b]);
      }
      wp += NB * kVecBytes;
    }
  }

  // Epilogue: acc - 128 * wsum is the exact int32 result of the contract.
  const int64_t out_c = c.out_c, c_begin = g * kGroup * kBlock;
  __mmask16 mask[NB];
  __m512i bias[NB];
#pragma GCC unroll 4
  for (int b = 0; b < NB; ++b) {
    const int64_t c0 = c_begin + b * kBlock;
    mask[b] = TailMask(out_c - c0);
    bias[b] = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(mask[b], c.wsum + c0), 7);
  }
  if (c.out_i != nullptr) {
#pragma GCC unroll 8
    for (int j = 0; j < P; ++j) {
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) {
        _mm512_mask_storeu_epi32(c.out_i + (p0 + j) * out_c + c_begin + b * kBlock, mask[b],
                                 _mm512_sub_epi32(acc[j][b], bias[b]));
      }
    }
    return;
  }
  const Epilogue& e = *c.e;
  const __m512 zero = _mm512_setzero_ps(), six = _mm512_set1_ps(6.0f);
#pragma GCC unroll 4
  for (int b = 0; b < NB; ++b) {
    const int64_t c0 = c_begin + b * kBlock;
    const __m512 mulv = e.mul ? _mm512_maskz_loadu_ps(mask[b], e.mul + c0) : zero;
    const __m512 addv = e.add ? _mm512_maskz_loadu_ps(mask[b], e.add + c0) : zero;
#pragma GCC unroll 8
    for (int j = 0; j < P; ++j) {
      const int64_t p = p0 + j;
      const __m512 v = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[j][b], bias[b]));
      // The steps of EpilogueScalar, one IEEE operation each.
      __m512 y = e.mul ? _mm512_fmadd_ps(v, mulv, addv) : _mm512_add_ps(v, addv);
      if (e.residual) {
        y = _mm512_add_ps(y,
                          _mm512_maskz_loadu_ps(mask[b], e.residual + p * e.residual_stride + c0));
      }
      // max_ps(zero, y) returns y on NaN and on -0.0, as std::max(y, 0.0f) (epilogue.h).
      if (e.act == Act::kRelu) y = _mm512_max_ps(zero, y);
      if (e.act == Act::kRelu6) y = _mm512_min_ps(six, _mm512_max_ps(zero, y));
      _mm512_mask_storeu_ps(c.out_f + p * out_c + c0, mask[b], y);
    }
  }
  const int64_t c_end = out_c < c_begin + NB * kBlock ? out_c : c_begin + NB * kBlock;
  if (e.act == Act::kSigmoid || e.act == Act::kSilu) {
    for (int j = 0; j < P; ++j) {
      SigmoidSiluInPlace(e.act, c.out_f + (p0 + j) * out_c + c_begin, c_end - c_begin);
    }
  } else if (e.act != Act::kNone && e.act != Act::kRelu && e.act != Act::kRelu6) {
    for (int j = 0; j < P; ++j) {  // the other activations: the scalar ApplyAct
      float* o = c.out_f + (p0 + j) * out_c;
      for (int64_t ch = c_begin; ch < c_end; ++ch) o[ch] = ApplyAct(e.act, o[ch]);
    }
  }
}

using Fn = void (*)(const TileArgs&, const int8_t*, int64_t, int64_t);

// kTiles<kPacked>[NB - 1][P - 1] = Tile<P, NB, kPacked>.
static_assert(kGroup == 4 && kTileP == 6);
template <bool kPacked>
constexpr Fn kTiles[kGroup][kTileP] = {
    {&Tile<1, 1, kPacked>, &Tile<2, 1, kPacked>, &Tile<3, 1, kPacked>, &Tile<4, 1, kPacked>,
     &Tile<5, 1, kPacked>, &Tile<6, 1, kPacked>},
    {&Tile<1, 2, kPacked>, &Tile<2, 2, kPacked>, &Tile<3, 2, kPacked>, &Tile<4, 2, kPacked>,
     &Tile<5, 2, kPacked>, &Tile<6, 2, kPacked>},
    {&Tile<1, 3, kPacked>, &Tile<2, 3, kPacked>, &Tile<3, 3, kPacked>, &Tile<4, 3, kPacked>,
     &Tile<5, 3, kPacked>, &Tile<6, 3, kPacked>},
    {&Tile<1, 4, kPacked>, &Tile<2, 4, kPacked>, &Tile<3, 4, kPacked>, &Tile<4, 4, kPacked>,
     &Tile<5, 4, kPacked>, &Tile<6, 4, kPacked>}};

// ---- Quantization ------------------------------------------------------------------------------

// Codes + 128 of 16 floats: q = round_half_even(clamp(x / scale, -127, 127)), NaN -> 0. The
// division is IEEE (as the scalar x / scale); the rounding is explicit nearest-even.
inline __m512i Codes(__m512 x, __m512 scale) {
  __m512 v = _mm512_div_ps(x, scale);
  const __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
  v = _mm512_min_ps(_mm512_max_ps(v, _mm512_set1_ps(-127.0f)), _mm512_set1_ps(127.0f));
  __m512i q = _mm512_cvt_roundps_epi32(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  q = _mm512_maskz_mov_epi32(static_cast<__mmask16>(~nan), q);
  return _mm512_add_epi32(q, _mm512_set1_epi32(128));
}

}  // namespace

float AbsMaxAvx512Vnni(const float* x, int64_t n) {
  const __m512 abs_mask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
  const __m512 inf = _mm512_set1_ps(INFINITY);
  __m512 m0 = _mm512_setzero_ps(), m1 = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 a0 = _mm512_and_ps(_mm512_loadu_ps(x + i), abs_mask);
    const __m512 a1 = _mm512_and_ps(_mm512_loadu_ps(x + i + 16), abs_mask);
    m0 = _mm512_mask_max_ps(m0, _mm512_cmp_ps_mask(a0, inf, _CMP_LT_OQ), m0, a0);
    m1 = _mm512_mask_max_ps(m1, _mm512_cmp_ps_mask(a1, inf, _CMP_LT_OQ), m1, a1);
  }
  for (; i < n; i += 16) {
    const __mmask16 k = TailMask(n - i);
    const __m512 a = _mm512_and_ps(_mm512_maskz_loadu_ps(k, x + i), abs_mask);
    m0 = _mm512_mask_max_ps(m0, _mm512_cmp_ps_mask(a, inf, _CMP_LT_OQ), m0, a);
  }
  return _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
}

void TileAvx512Vnni(const TileArgs& a, const int8_t* panel, int64_t p0, int64_t g, int np,
                    int nbg) {
  kTiles<false>[nbg - 1][np - 1](a, panel, p0, g);
}

void TileAvx512VnniPacked(const TileArgs& a, const int8_t* packed, int64_t p0, int64_t g, int np,
                          int nbg) {
  kTiles<true>[nbg - 1][np - 1](a, packed, p0, g);
}

void DecodeAvx512Vnni(const uint8_t* src, int64_t n, int8_t* dst) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m512i d0 = Decode16(src + 16 * i), d1 = Decode16(src + 16 * i + 16);
    const __m512i d2 = Decode16(src + 16 * i + 32), d3 = Decode16(src + 16 * i + 48);
    _mm512_store_si512(dst + 64 * i, d0);
    _mm512_store_si512(dst + 64 * i + 64, d1);
    _mm512_store_si512(dst + 64 * i + 128, d2);
    _mm512_store_si512(dst + 64 * i + 192, d3);
  }
  for (; i < n; ++i) _mm512_store_si512(dst + 64 * i, Decode16(src + 16 * i));
}

void CodesRowAvx512Vnni(const float* x, int64_t w, int64_t c, float scale, uint8_t* out) {
  const __m512 sv = _mm512_set1_ps(scale);
  const int64_t cp = RoundUp(c, kChannelAlign);
  if (c == cp) {  // the row is one contiguous run of w * c codes
    const int64_t len = w * c;
    for (int64_t i = 0; i < len; i += 16) {
      const __mmask16 k = TailMask(len - i);
      _mm512_mask_cvtepi32_storeu_epi8(out + i, k, Codes(_mm512_maskz_loadu_ps(k, x + i), sv));
    }
    return;
  }
  for (int64_t px = 0; px < w; ++px) {
    uint8_t* o = out + px * cp;
    std::memset(o + c, 128, static_cast<size_t>(cp - c));
    for (int64_t i = 0; i < c; i += 16) {
      const __mmask16 k = TailMask(c - i);
      _mm512_mask_cvtepi32_storeu_epi8(o + i, k,
                                       Codes(_mm512_maskz_loadu_ps(k, x + px * c + i), sv));
    }
  }
}

}  // namespace triton::kernels::tconv::internal
