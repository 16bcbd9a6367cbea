// The variant table (best first), dispatch, shape checks, and the ISA-independent parts of
// packing and quantization.
#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <vector>

#include "triton/base/check.h"
#include "triton/kernels/common/parallel.h"
#include "triton/kernels/tconv/internal.h"
#include "triton/kernels/tconv/tconv.h"

namespace triton::kernels::tconv {
namespace internal {

Status CheckTritsAndSum(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh, int64_t kw,
                        int32_t* wsum) {
  const std::pair<const char*, int64_t> sizes[] = {
      {"out_c", out_c}, {"in_c", in_c}, {"kh", kh}, {"kw", kw}};
  for (const auto& [name, v] : sizes) {
    if (v <= 0)
      return Status::Error(fmt::format("tconv pack: {} is {}; must be positive", name, v));
  }
  const int64_t k = in_c * kh * kw;
  for (int64_t o = 0; o < out_c; ++o) {
    int32_t sum = 0;
    for (int64_t i = 0; i < k; ++i) {
      const int8_t t = trits[o * k + i];
      if (t < -1 || t > 1) {
        const int64_t ic = i / (kh * kw), y = i / kw % kh, x = i % kw;
        return Status::Error(fmt::format(
            "tconv pack: trit [{}][{}][{}][{}] (out_c, in_c, ky, kx) is {}; must be -1, 0 or 1", o,
            ic, y, x, t));
      }
      sum += t;
    }
    wsum[o] = sum;
  }
  return Status();
}

Result<PackedWeights> PackBlocked(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                  int64_t kw, Blocking blk, const char* variant) {
  PackedWeights p;
  p.wsum.Reset(static_cast<size_t>(std::max<int64_t>(out_c, 1)));
  if (Status st = CheckTritsAndSum(trits, out_c, in_c, kh, kw, p.wsum.data()); !st.ok()) {
    return st;
  }
  p.out_c = out_c, p.in_c = in_c, p.kh = kh, p.kw = kw;
  p.variant = variant;
  const int64_t c4n = RoundUp(in_c, kChannelAlign) / 4, kpos_n = kh * kw;
  const int64_t nb = (out_c + blk.block - 1) / blk.block;
  const int64_t vec = blk.block * 4;        // trits per panel vector
  const int64_t block_vecs = kpos_n * c4n;  // panel vectors per block
  p.data.Reset(static_cast<size_t>(nb * block_vecs * blk.block));
  std::memset(p.data.data(), 0x55, p.data.bytes());  // code 01 (trit 0) everywhere
  auto* d = reinterpret_cast<uint8_t*>(p.data.data());
  for (int64_t o = 0; o < out_c; ++o) {
    const int64_t b = o / blk.block, g = b / blk.group, bg = b % blk.group;
    const int64_t nbg = std::min(blk.group, nb - g * blk.group);
    uint8_t* base = d + g * blk.group * block_vecs * blk.block;
    for (int64_t ic = 0; ic < in_c; ++ic) {
      for (int64_t y = 0; y < kh; ++y) {
        for (int64_t x = 0; x < kw; ++x) {
          const int64_t kpos = y * kw + x, c4 = ic / 4;
          // Index in the group's s8 panel, then its vector and byte j in the vector (internal.h).
          const int64_t idx = ((kpos * c4n + c4) * nbg + bg) * vec + (o % blk.block) * 4 + ic % 4;
          const int64_t v = idx / vec, j = idx % vec, shift = 2 * (j / blk.block);
          const auto code = static_cast<unsigned>(trits[((o * in_c + ic) * kh + y) * kw + x] + 1);
          uint8_t& byte = base[v * blk.block + j % blk.block];
          byte = static_cast<uint8_t>((byte & ~(3u << shift)) | code << shift);
        }
      }
    }
  }
  return p;
}

void DecodeScalar(const uint8_t* src, int64_t n, int64_t block, int8_t* dst) {
  for (int64_t v = 0; v < n; ++v) {
    for (int64_t j = 0; j < 4 * block; ++j) {
      const int code = (src[v * block + j % block] >> (2 * (j / block))) & 3;
      dst[v * 4 * block + j] = static_cast<int8_t>(code - 1);
    }
  }
}

void CheckPacked(const ConvShape& s, const PackedWeights& w, const char* variant) {
  TRITON_CHECK_MSG(w.variant == variant, "weights packed for another tconv variant");
  TRITON_CHECK(w.out_c == s.out_c && w.in_c == s.in_c && w.kh == s.kh && w.kw == s.kw);
  TRITON_CHECK(ValidateShape(s).ok());
}

void RunTiles(Blocking blk, TileKernels k, const char* variant, const ConvShape& s,
              const PackedWeights& w, const uint8_t* in, const Epilogue* e, float* out_f,
              int32_t* out_i, int threads) {
  CheckPacked(s, w, variant);
  std::vector<int64_t> koff(static_cast<size_t>(s.kh * s.kw));
  for (int64_t y = 0; y < s.kh; ++y) {
    for (int64_t x = 0; x < s.kw; ++x) {
      koff[static_cast<size_t>(y * s.kw + x)] =
          (y * s.dil_h * s.padded_w() + x * s.dil_w) * s.in_c_pad();
    }
  }
  TileArgs a{};
  a.in = in, a.wsum = w.wsum.data(), a.koff = koff.data();
  a.kpos_n = s.kh * s.kw, a.c4n = s.in_c_pad() / 4, a.out_c = s.out_c;
  a.win = {s.out_h(), s.out_w(), s.padded_h(), s.padded_w(), s.in_c_pad(), s.stride_h, s.stride_w};
  a.e = e, a.out_f = out_f, a.out_i = out_i;
  const int64_t nb = (s.out_c + blk.block - 1) / blk.block;
  const int64_t groups = (nb + blk.group - 1) / blk.group;
  const int64_t block_vecs = a.kpos_n * a.c4n;  // panel vectors per channel block
  const auto* packed = reinterpret_cast<const uint8_t*>(w.data.data());
  const int64_t pixels = s.out_pixels(), tiles = (pixels + blk.tile_p - 1) / blk.tile_p;
  // Work item i = (group i / tiles, pixel tile i % tiles); each thread takes one contiguous range,
  // so it decodes at most ceil(groups / threads) + 1 groups per call.
  ParallelFor(groups * tiles, threads, [&](int64_t begin, int64_t end) {
    // The decoded s8 panel of one group, per thread; it only grows (at most one group's panel,
    // 4 * block bytes per vector), so steady-state calls allocate nothing.
    thread_local AlignedBuffer<int8_t> panel;
    int64_t decoded = -1;  // the group now in `panel`
    for (int64_t i = begin; i < end; ++i) {
      const int64_t g = i / tiles, p0 = i % tiles * blk.tile_p;
      const auto nbg = static_cast<int>(std::min(blk.group, nb - g * blk.group));
      const auto np = static_cast<int>(std::min(blk.tile_p, pixels - p0));
      const uint8_t* src = packed + g * blk.group * block_vecs * blk.block;
      // The tiles of group g in this thread's range.
      const int64_t mine = std::min(end, (g + 1) * tiles) - std::max(begin, g * tiles);
      if (mine <= kMaxPackedTiles) {
        k.tile_packed(a, reinterpret_cast<const int8_t*>(src), p0, g, np, nbg);
        continue;
      }
      if (g != decoded) {
        const int64_t n = block_vecs * nbg;
        if (panel.size() < static_cast<size_t>(n * 4 * blk.block)) {
          panel.Reset(static_cast<size_t>(block_vecs * blk.group * 4 * blk.block));
        }
        k.decode(src, n, panel.data());
        decoded = g;
      }
      k.tile(a, panel.data(), p0, g, np, nbg);
    }
  });
}

}  // namespace internal

namespace {

using namespace internal;  // NOLINT: the entry points of this family

constexpr TileKernels kAvx512VnniKernels{TileAvx512Vnni, TileAvx512VnniPacked, DecodeAvx512Vnni};
constexpr TileKernels kAvx2Kernels{TileAvx2, TileAvx2Packed, DecodeAvx2};

Result<PackedWeights> PackAvx512Vnni(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                                     int64_t kw) {
  return PackBlocked(trits, out_c, in_c, kh, kw, kAvx512VnniBlocking, kAvx512VnniName);
}
void ConvAvx512Vnni(const ConvShape& s, const PackedWeights& w, const uint8_t* in,
                    const Epilogue& e, float* out, int threads) {
  RunTiles(kAvx512VnniBlocking, kAvx512VnniKernels, kAvx512VnniName, s, w, in, &e, out, nullptr,
           threads);
}
void ConvInt32Avx512Vnni(const ConvShape& s, const PackedWeights& w, const uint8_t* in,
                         int32_t* out, int threads) {
  RunTiles(kAvx512VnniBlocking, kAvx512VnniKernels, kAvx512VnniName, s, w, in, nullptr, nullptr,
           out, threads);
}

Result<PackedWeights> PackAvx2(const int8_t* trits, int64_t out_c, int64_t in_c, int64_t kh,
                               int64_t kw) {
  return PackBlocked(trits, out_c, in_c, kh, kw, kAvx2Blocking, kAvx2Name);
}
void ConvAvx2(const ConvShape& s, const PackedWeights& w, const uint8_t* in, const Epilogue& e,
              float* out, int threads) {
  RunTiles(kAvx2Blocking, kAvx2Kernels, kAvx2Name, s, w, in, &e, out, nullptr, threads);
}
void ConvInt32Avx2(const ConvShape& s, const PackedWeights& w, const uint8_t* in, int32_t* out,
                   int threads) {
  RunTiles(kAvx2Blocking, kAvx2Kernels, kAvx2Name, s, w, in, nullptr, nullptr, out, threads);
}

// QuantizeToPadded around one ISA's leaves, in two parallel passes: the absmax per input row,
// then every padded row (border rows and columns 128, interior rows through `row`).
float QuantizePadded(const float* x, int64_t batch, int64_t h, int64_t w, int64_t c, int64_t pad_h,
                     int64_t pad_w, uint8_t* out, int threads, AbsMaxFn absmax, CodesRowFn row) {
  const int64_t rows = batch * h, cp = RoundUp(c, kChannelAlign);
  std::vector<float> row_max(static_cast<size_t>(rows), 0.0f);
  ParallelFor(rows, threads, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r)
      row_max[static_cast<size_t>(r)] = absmax(x + r * w * c, w * c);
  });
  float m = 0;
  for (float v : row_max) m = std::max(m, v);
  // quantize_int8's scale: absmax / 127, 1 for an all-zero tensor, at least FLT_MIN.
  const float scale = m == 0 ? 1.0f : std::max(m / 127.0f, FLT_MIN);
  const int64_t wp = w + 2 * pad_w, hp = h + 2 * pad_h, row_bytes = wp * cp;
  ParallelFor(batch * hp, threads, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      uint8_t* o = out + r * row_bytes;
      const int64_t n = r / hp, y = r % hp - pad_h;
      if (y < 0 || y >= h) {
        std::memset(o, 128, static_cast<size_t>(row_bytes));
        continue;
      }
      std::memset(o, 128, static_cast<size_t>(pad_w * cp));
      std::memset(o + (pad_w + w) * cp, 128, static_cast<size_t>(pad_w * cp));
      row(x + (n * h + y) * w * c, w, c, scale, o + pad_w * cp);
    }
  });
  return scale;
}

constexpr Variant kVariants[] = {
    {kAvx512VnniName, Isa::kAvx512Vnni, PackAvx512Vnni, ConvAvx512Vnni, ConvInt32Avx512Vnni},
    {kAvx2Name, Isa::kAvx2, PackAvx2, ConvAvx2, ConvInt32Avx2},
    {kReferenceName, Isa::kReference, PackReference, ConvReference, ConvInt32Reference},
};

}  // namespace

std::span<const Variant> Variants() { return kVariants; }

const Variant& Select(Isa isa) {
  for (const Variant& v : kVariants) {
    if (static_cast<int>(v.isa) <= static_cast<int>(isa)) return v;
  }
  return Reference();
}

const Variant& Reference() { return kVariants[std::size(kVariants) - 1]; }

Status ValidateShape(const ConvShape& s) {
  const std::pair<const char*, int64_t> positive[] = {
      {"batch", s.batch},       {"in_h", s.in_h},   {"in_w", s.in_w},  {"in_c", s.in_c},
      {"out_c", s.out_c},       {"kh", s.kh},       {"kw", s.kw},      {"stride_h", s.stride_h},
      {"stride_w", s.stride_w}, {"dil_h", s.dil_h}, {"dil_w", s.dil_w}};
  for (const auto& [name, v] : positive) {
    if (v <= 0) return Status::Error(fmt::format("tconv: {} is {}; must be positive", name, v));
  }
  if (s.pad_h < 0 || s.pad_w < 0) {
    return Status::Error(
        fmt::format("tconv: padding ({}, {}) must not be negative", s.pad_h, s.pad_w));
  }
  if (s.padded_h() < s.dil_h * (s.kh - 1) + 1 || s.padded_w() < s.dil_w * (s.kw - 1) + 1) {
    return Status::Error(fmt::format(
        "tconv: the {}x{} kernel (dilation {}x{}) does not fit the padded {}x{} input; the "
        "output would be empty",
        s.kh, s.kw, s.dil_h, s.dil_w, s.padded_h(), s.padded_w()));
  }
  return Status();
}

float QuantizeToPadded(const float* x, int64_t batch, int64_t h, int64_t w, int64_t c,
                       int64_t pad_h, int64_t pad_w, uint8_t* out, Isa isa, int threads) {
  TRITON_CHECK(batch > 0 && h > 0 && w > 0 && c > 0 && pad_h >= 0 && pad_w >= 0);
  switch (isa) {
    case Isa::kAvx512Vnni:
      return QuantizePadded(x, batch, h, w, c, pad_h, pad_w, out, threads, AbsMaxAvx512Vnni,
                            CodesRowAvx512Vnni);
    case Isa::kAvx2:
      return QuantizePadded(x, batch, h, w, c, pad_h, pad_w, out, threads, AbsMaxAvx2,
                            CodesRowAvx2);
    case Isa::kReference:
      break;
  }
  return QuantizePadded(x, batch, h, w, c, pad_h, pad_w, out, threads, AbsMaxReference,
                        CodesRowReference);
}

}  // namespace triton::kernels::tconv
