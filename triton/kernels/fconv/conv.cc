// Convolution entry points: shape checks, weight packing, and the two execution paths
// (a direct depthwise kernel per ISA; im2col + OpenBLAS sgemm for everything else).
//
// GEMM path. Output pixels (p = (n * out_h + oy) * out_w + ox, all images together) are cut into
// chunks of `rows` pixels; each worker thread owns a contiguous run of chunks and a private
// scratch slice of rows * kg floats. Per chunk and group it writes the im2col patches (row =
// output pixel, columns (ky, kx, ic) as in the packed weights, zeros where the window leaves the
// input), runs a single-threaded sgemm [rows x kg] . [kg x ocg] into the group's output columns,
// and then applies the epilogue to the chunk while it is still in cache. A 1x1, stride-1,
// unpadded convolution needs no patches: the NHWC input itself is the [pixels x in_c] matrix.
// Chunks hold about 256 KiB of patches (at least 128 rows, so the weight packing that OpenBLAS
// repeats per call stays under 1 % of the work) and are balanced across threads.
#include <algorithm>
#include <cstring>
#include <string>

#include "triton/kernels/common/parallel.h"
#include "triton/kernels/fconv/blas.h"
#include "triton/kernels/fconv/internal.h"

namespace triton::kernels::fconv {
namespace {

bool IsDirect1x1(const ConvShape& s) {
  return s.kh == 1 && s.kw == 1 && s.stride_h == 1 && s.stride_w == 1 && s.pad_h == 0 &&
         s.pad_w == 0;
}

int64_t KPerGroup(const ConvShape& s) { return s.kh * s.kw * (s.in_c / s.groups); }

// Pixels per chunk for `threads` workers over m output pixels (see the file comment).
int64_t ChunkRows(const ConvShape& s, int threads) {
  const int64_t m = s.batch * s.out_h() * s.out_w();
  const int64_t t = std::max(1, threads);
  const int64_t target = std::clamp<int64_t>(65536 / KPerGroup(s), 128, 1024);
  const int64_t per_thread = (m + t - 1) / t;
  const int64_t chunks = (per_thread + target - 1) / target;
  return std::max<int64_t>(1, (per_thread + chunks - 1) / chunks);
}

// Writes the im2col rows of output pixels [p0, p1) for group g into `a` (row stride kg).
void Im2col(const ConvShape& s, const float* in, int64_t g, int64_t p0, int64_t p1, float* a) {
  const int64_t oh = s.out_h(), ow = s.out_w(), icg = s.in_c / s.groups, kg = KPerGroup(s);
  const int64_t c = s.in_c;
  // With one group and no horizontal dilation the kw taps of a kernel row are one contiguous run
  // of kw * in_c floats in NHWC; copy it as one piece (clipped at the borders).
  const bool runs = s.groups == 1 && s.dil_w == 1;
  int64_t n = p0 / (oh * ow), oy = (p0 / ow) % oh, ox = p0 % ow;
  for (int64_t p = p0; p < p1; ++p) {
    float* row = a + (p - p0) * kg;
    const float* img = in + n * s.in_h * s.in_w * c;
    const int64_t ix0 = ox * s.stride_w - s.pad_w;
    for (int64_t ky = 0; ky < s.kh; ++ky) {
      float* dst = row + ky * s.kw * icg;
      const int64_t iy = oy * s.stride_h - s.pad_h + ky * s.dil_h;
      if (iy < 0 || iy >= s.in_h) {
        std::memset(dst, 0, sizeof(float) * s.kw * icg);
        continue;
      }
      const float* src_row = img + iy * s.in_w * c + g * icg;
      if (runs) {
        const int64_t lo = std::clamp<int64_t>(-ix0, 0, s.kw);           // taps left of 0
        const int64_t hi = std::clamp<int64_t>(s.in_w - ix0, lo, s.kw);  // first tap past w
        if (lo > 0) std::memset(dst, 0, sizeof(float) * lo * c);
        if (hi > lo)
          std::memcpy(dst + lo * c, src_row + (ix0 + lo) * c, sizeof(float) * (hi - lo) * c);
        if (hi < s.kw) std::memset(dst + hi * c, 0, sizeof(float) * (s.kw - hi) * c);
        continue;
      }
      for (int64_t kx = 0; kx < s.kw; ++kx) {
        const int64_t ix = ix0 + kx * s.dil_w;
        if (ix < 0 || ix >= s.in_w) {
          std::memset(dst + kx * icg, 0, sizeof(float) * icg);
        } else {
          std::memcpy(dst + kx * icg, src_row + ix * c, sizeof(float) * icg);
        }
      }
    }
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) oy = 0, ++n;
    }
  }
}

void GemmConv(const ConvShape& s, const PackedConv& w, const float* in, const Epilogue& e,
              float* out, float* scratch, Isa isa, int threads) {
  internal::UseBlasSingleThreaded();
  const int64_t m = s.batch * s.out_h() * s.out_w();
  const int64_t icg = s.in_c / s.groups, ocg = s.out_c / s.groups, kg = KPerGroup(s);
  const bool direct = IsDirect1x1(s);
  const int64_t rows = ChunkRows(s, threads);
  const int64_t chunks = (m + rows - 1) / rows;
  const int64_t workers = std::clamp<int64_t>(threads, 1, chunks);
  ParallelFor(workers, static_cast<int>(workers), [&](int64_t w0, int64_t w1) {
    for (int64_t worker = w0; worker < w1; ++worker) {
      float* a = direct ? nullptr : scratch + worker * rows * kg;
      for (int64_t ch = chunks * worker / workers; ch < chunks * (worker + 1) / workers; ++ch) {
        const int64_t p0 = ch * rows, p1 = std::min(m, p0 + rows);
        for (int64_t g = 0; g < s.groups; ++g) {
          const float* wg = w.data.data() + g * kg * ocg;
          float* og = out + p0 * s.out_c + g * ocg;
          if (direct) {
            blas::Sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(p1 - p0),
                        static_cast<int>(ocg), static_cast<int>(kg), 1.0f,
                        in + p0 * s.in_c + g * icg, static_cast<int>(s.in_c), wg,
                        static_cast<int>(ocg), 0.0f, og, static_cast<int>(s.out_c));
          } else {
            Im2col(s, in, g, p0, p1, a);
            blas::Sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(p1 - p0),
                        static_cast<int>(ocg), static_cast<int>(kg), 1.0f, a, static_cast<int>(kg),
                        wg, static_cast<int>(ocg), 0.0f, og, static_cast<int>(s.out_c));
          }
        }
        if (!internal::IsIdentity(e)) {
          internal::EpilogueBlock(isa, e, out + p0 * s.out_c, s.out_c, p0, p1 - p0, 0, s.out_c);
        }
      }
    }
  });
}

}  // namespace

Status ValidateShape(const ConvShape& s) {
  const std::pair<const char*, int64_t> positive[] = {
      {"batch", s.batch},       {"in_h", s.in_h},   {"in_w", s.in_w},   {"in_c", s.in_c},
      {"out_c", s.out_c},       {"kh", s.kh},       {"kw", s.kw},       {"stride_h", s.stride_h},
      {"stride_w", s.stride_w}, {"dil_h", s.dil_h}, {"dil_w", s.dil_w}, {"groups", s.groups}};
  for (const auto& [name, v] : positive) {
    if (v <= 0)
      return Status::Error(std::string("fconv: ") + name + " must be positive, got " +
                           std::to_string(v));
  }
  if (s.pad_h < 0 || s.pad_w < 0) {
    return Status::Error("fconv: padding must be non-negative, got pad_h " +
                         std::to_string(s.pad_h) + ", pad_w " + std::to_string(s.pad_w));
  }
  if (s.in_c % s.groups != 0 || s.out_c % s.groups != 0) {
    return Status::Error("fconv: in_c " + std::to_string(s.in_c) + " and out_c " +
                         std::to_string(s.out_c) + " must be divisible by groups " +
                         std::to_string(s.groups));
  }
  if (s.out_h() <= 0 || s.out_w() <= 0) {
    return Status::Error("fconv: empty output " + std::to_string(s.out_h()) + "x" +
                         std::to_string(s.out_w()) + " (in_h/in_w too small for the kernel)");
  }
  // BLAS takes int sizes.
  const int64_t m = s.batch * s.out_h() * s.out_w();
  if (m > INT32_MAX || KPerGroup(s) > INT32_MAX) {
    return Status::Error("fconv: output pixels " + std::to_string(m) + " exceed the int range");
  }
  return Status();
}

PackedConv PackConv(const ConvShape& s, const float* w) {
  PackedConv p;
  p.shape = s;
  const int64_t icg = s.in_c / s.groups, ocg = s.out_c / s.groups, taps = s.kh * s.kw;
  p.data.Reset(static_cast<size_t>(s.out_c * icg * taps));
  if (s.depthwise()) {  // [tap][c]
    for (int64_t c = 0; c < s.out_c; ++c) {
      for (int64_t t = 0; t < taps; ++t) p.data[t * s.out_c + c] = w[c * taps + t];
    }
    return p;
  }
  const int64_t kg = KPerGroup(s);
  for (int64_t g = 0; g < s.groups; ++g) {
    float* dst = p.data.data() + g * kg * ocg;
    for (int64_t oc = 0; oc < ocg; ++oc) {
      for (int64_t ic = 0; ic < icg; ++ic) {
        for (int64_t t = 0; t < taps; ++t) {
          dst[(t * icg + ic) * ocg + oc] = w[((g * ocg + oc) * icg + ic) * taps + t];
        }
      }
    }
  }
  return p;
}

int64_t ConvScratchFloats(const ConvShape& s, int threads) {
  if (s.depthwise() || IsDirect1x1(s)) return 0;
  const int64_t m = s.batch * s.out_h() * s.out_w();
  const int64_t rows = ChunkRows(s, threads);
  const int64_t workers = std::clamp<int64_t>(threads, 1, (m + rows - 1) / rows);
  return workers * rows * KPerGroup(s);
}

void Conv(const ConvShape& s, const PackedConv& w, const float* in, const Epilogue& e, float* out,
          float* scratch, Isa isa, int threads) {
  TRITON_CHECK(w.shape.in_c == s.in_c && w.shape.out_c == s.out_c && w.shape.kh == s.kh &&
               w.shape.kw == s.kw && w.shape.groups == s.groups);
  if (!s.depthwise()) {
    GemmConv(s, w, in, e, out, scratch, isa, threads);
    return;
  }
  auto rows_fn = internal::DepthwiseRowsReference;
  if (isa == Isa::kAvx2) rows_fn = internal::DepthwiseRowsAvx2;
  if (isa == Isa::kAvx512Vnni) rows_fn = internal::DepthwiseRowsAvx512;
  ParallelFor(s.batch * s.out_h(), threads,
              [&](int64_t r0, int64_t r1) { rows_fn(s, w.data.data(), in, e, out, r0, r1); });
}

}  // namespace triton::kernels::fconv
