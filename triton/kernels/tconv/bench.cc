// Google Benchmark for the tconv family: ResNet-18's 3x3 convolutions (and a stride-2 3x3, a 1x1,
// a 4096 x 4096 linear layer), batch 1 and 8, at every ISA level the CPU supports, kernel threads 1
// and 2, plus QuantizeToPadded. Counters: GOPS (2 x MACs per second), MAC/cyc/core = MACs /
// (seconds x clock x threads) and %peak = MAC/cyc/core over the measured vpdpbusd zmm peak of this
// core. The nominal ceiling is 128 MAC/cycle (2 vpdpbusd zmm per cycle, Zen 5); a core that splits
// 512-bit operations in two (Zen 4) sustains one per cycle, 64 MAC/cycle, so the peak is measured,
// not assumed. The clock is measured once at start from a chain of dependent integer adds (1 cycle
// each, timed in thread CPU time); both are printed. Weight packing and input quantization happen
// outside the timed loop. Names: conv/<layer>/b<batch>/<isa>/threads:<n>. Timing: threads 1 uses
// the thread's CPU time (the kernel runs on the calling thread; robust when other processes share
// the cores), threads 2 the wall time (the rate counters follow the same time).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "triton/kernels/tconv/internal.h"
#include "triton/kernels/tconv/tconv.h"

namespace triton::kernels::tconv {
namespace {

// Seconds of CPU time of the calling thread: immune to other processes sharing the core.
double ThreadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Cycles per second of one core: the best of 5 timings of 2^27 dependent adds.
double MeasureClockHz() {
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    uint64_t x = 0;
    constexpr uint64_t kIters = uint64_t{1} << 24;  // x 8 adds
    const double t0 = ThreadSeconds();
    for (uint64_t i = 0; i < kIters; ++i) {
      asm volatile(
          "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
          "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
          : "+r"(x));
    }
    const double s = ThreadSeconds() - t0;
    benchmark::DoNotOptimize(x);
    best = std::max(best, static_cast<double>(kIters * 8) / s);
  }
  return best;
}

// Sustained vpdpbusd zmm multiply-adds per cycle of one core: the best of 5 timings of 2^22 x 24
// independent vpdpbusd (register operands only). Needs AVX-512 VNNI (the target attribute lets the
// asm name zmm16-zmm31 in a file built for baseline x86-64).
__attribute__((target("avx512f,avx512vnni"))) double MeasureVnniMacsPerCycle(double clock_hz) {
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    constexpr uint64_t kIters = uint64_t{1} << 22;
    const double t0 = ThreadSeconds();
    for (uint64_t i = 0; i < kIters; ++i) {
// vpdpbusd zmm{r} += zmm24 (u8) x zmm25 (s8); four independent ones per line.
#define TRITON_DP(r) "vpdpbusd %%zmm25, %%zmm24, %%zmm" #r "\n\t"
#define TRITON_DP4(a, b, c, d) TRITON_DP(a) TRITON_DP(b) TRITON_DP(c) TRITON_DP(d)
      asm volatile(TRITON_DP4(0, 1, 2, 3) TRITON_DP4(4, 5, 6, 7) TRITON_DP4(8, 9, 10, 11)
                       TRITON_DP4(12, 13, 14, 15) TRITON_DP4(16, 17, 18, 19)
                           TRITON_DP4(20, 21, 22, 23)
                   :
                   :
                   : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                     "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17",
                     "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23");
#undef TRITON_DP4
#undef TRITON_DP
    }
    const double s = ThreadSeconds() - t0;
    best = std::max(best, static_cast<double>(kIters * 24 * 64) / (s * clock_hz));
  }
  return best;
}

double g_clock_hz = 0;
double g_peak_macs_per_cycle = 0;  // 0: not measured (no AVX-512 VNNI)

struct Layer {
  const char* name;
  int64_t h, w, in_c, out_c, k, stride, pad;
};

constexpr Layer kLayers[] = {
    {"56x56x64", 56, 56, 64, 64, 3, 1, 1},
    {"28x28x128", 28, 28, 128, 128, 3, 1, 1},
    {"14x14x256", 14, 14, 256, 256, 3, 1, 1},
    {"7x7x512", 7, 7, 512, 512, 3, 1, 1},
    {"s2_56x56x64to128", 56, 56, 64, 128, 3, 2, 1},  // layer2.0.conv1
    {"1x1_28x28x128to256", 28, 28, 128, 256, 1, 1, 0},
    {"fc_4096to4096", 1, 1, 4096, 4096, 1, 1, 0},  // a linear layer: few pixels, weights streamed
};

ConvShape ShapeOf(const Layer& l, int64_t batch) {
  ConvShape s;
  s.batch = batch, s.in_h = l.h, s.in_w = l.w, s.in_c = l.in_c, s.out_c = l.out_c;
  s.kh = s.kw = l.k, s.stride_h = s.stride_w = l.stride, s.pad_h = s.pad_w = l.pad;
  return s;
}

void BenchConv(benchmark::State& state, ConvShape s, Isa isa, int threads) {
  const Variant& v = Select(isa);
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> trit(-1, 1);
  std::vector<int8_t> t(static_cast<size_t>(s.out_c * s.in_c * s.kh * s.kw));
  for (auto& x : t) x = static_cast<int8_t>(trit(rng));
  Result<PackedWeights> w = v.pack(t.data(), s.out_c, s.in_c, s.kh, s.kw);
  if (!w.ok()) {
    state.SkipWithError(w.status().message().c_str());
    return;
  }
  // A ReLU output quantized like the runtime does.
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(s.batch * s.in_h * s.in_w * s.in_c));
  for (auto& e : x) e = std::max(0.0f, d(rng));
  std::vector<uint8_t> in(static_cast<size_t>(s.padded_input_bytes()));
  QuantizeToPadded(x.data(), s.batch, s.in_h, s.in_w, s.in_c, s.pad_h, s.pad_w, in.data(), isa,
                   threads);
  std::vector<float> mul(static_cast<size_t>(s.out_c), 0.01f), add(static_cast<size_t>(s.out_c));
  std::vector<float> out(static_cast<size_t>(s.out_pixels() * s.out_c));
  Epilogue e;
  e.mul = mul.data(), e.add = add.data(), e.act = Act::kRelu;
  for (auto _ : state) {
    v.conv(s, w.value(), in.data(), e, out.data(), threads);
    benchmark::ClobberMemory();
  }
  const auto macs = static_cast<double>(s.macs()) * static_cast<double>(state.iterations());
  state.counters["GOPS"] = benchmark::Counter(2 * macs / 1e9, benchmark::Counter::kIsRate);
  state.counters["MAC/cyc/core"] =
      benchmark::Counter(macs / (g_clock_hz * threads), benchmark::Counter::kIsRate);
  if (g_peak_macs_per_cycle > 0) {
    state.counters["%peak"] = benchmark::Counter(
        100 * macs / (g_clock_hz * threads * g_peak_macs_per_cycle), benchmark::Counter::kIsRate);
  }
  state.SetLabel(v.name);
}

// The weight decode alone, as one thread does it per call: every channel group of the layer
// from the 2-bit form into one panel (internal.h). decode/<layer>/<isa> time over the time of
// conv/<layer>/b<n>/<isa>/threads:1 is the decode share of that call.
void BenchDecode(benchmark::State& state, ConvShape s, Isa isa) {
  using namespace internal;  // NOLINT
  const Variant& v = Select(isa);
  const Blocking blk = isa == Isa::kAvx512Vnni ? kAvx512VnniBlocking : kAvx2Blocking;
  const DecodeFn decode = isa == Isa::kAvx512Vnni ? DecodeAvx512Vnni : DecodeAvx2;
  std::vector<int8_t> t(static_cast<size_t>(s.out_c * s.in_c * s.kh * s.kw), 1);
  Result<PackedWeights> w = v.pack(t.data(), s.out_c, s.in_c, s.kh, s.kw);
  const int64_t nb = (s.out_c + blk.block - 1) / blk.block;
  const int64_t block_vecs = s.kh * s.kw * s.in_c_pad() / 4;
  AlignedBuffer<int8_t> panel(static_cast<size_t>(blk.group * block_vecs * 4 * blk.block));
  const auto* src = reinterpret_cast<const uint8_t*>(w.value().data.data());
  for (auto _ : state) {
    for (int64_t g = 0; g * blk.group < nb; ++g) {
      const int64_t n = std::min(blk.group, nb - g * blk.group) * block_vecs;
      decode(src + g * blk.group * block_vecs * blk.block, n, panel.data());
      benchmark::ClobberMemory();
    }
  }
  state.counters["GB/s out"] =
      benchmark::Counter(static_cast<double>(nb * block_vecs * 4 * blk.block) *
                             static_cast<double>(state.iterations()) / 1e9,
                         benchmark::Counter::kIsRate);
  state.SetLabel(fmt::format("resident {} B (s8: {} B)", w.value().data.bytes(),
                             nb * block_vecs * 4 * blk.block));
}

void BenchQuantize(benchmark::State& state, Isa isa, int threads) {
  const int64_t h = 56, w = 56, c = 64, pad = 1;
  std::mt19937 rng(2);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(h * w * c));
  for (auto& e : x) e = d(rng);
  std::vector<uint8_t> out(static_cast<size_t>((h + 2 * pad) * (w + 2 * pad) * c));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        QuantizeToPadded(x.data(), 1, h, w, c, pad, pad, out.data(), isa, threads));
    benchmark::ClobberMemory();
  }
  const double bytes = static_cast<double>(x.size() * sizeof(float) + out.size());
  state.counters["GB/s"] = benchmark::Counter(bytes * static_cast<double>(state.iterations()) / 1e9,
                                              benchmark::Counter::kIsRate);
}

// Threads 1 times the calling thread's CPU time, more threads the wall time (file comment).
void Timing(benchmark::internal::Benchmark* b, int threads) {
  if (threads > 1) b->UseRealTime();
}

void RegisterAll() {
  for (Isa isa : SupportedIsas()) {
    const std::string isa_name(IsaName(isa));
    if (isa != Isa::kReference) {
      for (const Layer& l : kLayers) {
        const ConvShape s = ShapeOf(l, 1);
        benchmark::RegisterBenchmark(fmt::format("decode/{}/{}", l.name, isa_name).c_str(),
                                     [s, isa](benchmark::State& st) { BenchDecode(st, s, isa); })
            ->Unit(benchmark::kMicrosecond);
      }
    }
    for (int threads : {1, 2}) {
      for (int64_t batch : {1, 8}) {
        for (const Layer& l : kLayers) {
          const ConvShape s = ShapeOf(l, batch);
          Timing(benchmark::RegisterBenchmark(
                     fmt::format("conv/{}/b{}/{}/threads:{}", l.name, batch, isa_name, threads)
                         .c_str(),
                     [s, isa, threads](benchmark::State& st) { BenchConv(st, s, isa, threads); })
                     ->Unit(benchmark::kMillisecond),
                 threads);
        }
      }
      Timing(benchmark::RegisterBenchmark(
                 fmt::format("quantize/56x56x64/{}/threads:{}", isa_name, threads).c_str(),
                 [isa, threads](benchmark::State& st) { BenchQuantize(st, isa, threads); })
                 ->Unit(benchmark::kMicrosecond),
             threads);
    }
  }
}

}  // namespace
}  // namespace triton::kernels::tconv

int main(int argc, char** argv) {
  using namespace triton::kernels::tconv;  // NOLINT
  g_clock_hz = MeasureClockHz();
  fmt::print("clock: {:.3f} GHz (dependent-add chain)\n", g_clock_hz / 1e9);
  if (triton::IsaSupported(triton::Isa::kAvx512Vnni)) {
    g_peak_macs_per_cycle = MeasureVnniMacsPerCycle(g_clock_hz);
    fmt::print(
        "vpdpbusd zmm peak: {:.1f} MAC/cycle/core measured (nominal 128; 64 where 512-bit "
        "ops are split in two)\n",
        g_peak_macs_per_cycle);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("clock_ghz", fmt::format("{:.3f}", g_clock_hz / 1e9));
  benchmark::AddCustomContext("cpu", triton::Cpu().brand);
  benchmark::AddCustomContext("peak_mac_per_cycle", fmt::format("{:.1f}", g_peak_macs_per_cycle));
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
