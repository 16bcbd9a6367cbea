// Benchmarks of the FP32 layers the ternary models keep in full precision and the Triton FP32
// engine runs: ResNet-18's stem, a 3x3 and a 1x1 convolution, a MobileNet depthwise layer and
// the classifier. Counter GFLOPS = 2 * MACs / time. Args: threads (1, 2); the Isa (depthwise
// and epilogue) is the CPU's best unless TRITON_ISA says otherwise.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "triton/kernels/fconv/fconv.h"

namespace triton::kernels::fconv {
namespace {

std::vector<float> Random(int64_t n) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

Isa BenchIsa() {
  Result<Isa> r = ActiveIsa();
  return r.ok() ? r.value() : Isa::kReference;
}

void RunConv(benchmark::State& state, ConvShape s) {
  const int threads = static_cast<int>(state.range(0));
  const std::vector<float> x = Random(s.batch * s.in_h * s.in_w * s.in_c);
  const std::vector<float> w = Random(s.out_c * (s.in_c / s.groups) * s.kh * s.kw);
  const std::vector<float> bias = Random(s.out_c);
  const PackedConv packed = PackConv(s, w.data());
  std::vector<float> out(static_cast<size_t>(s.batch * s.out_h() * s.out_w() * s.out_c));
  std::vector<float> scratch(static_cast<size_t>(ConvScratchFloats(s, threads)));
  Epilogue e;
  e.add = bias.data();
  e.act = Act::kRelu;
  const Isa isa = BenchIsa();
  for (auto _ : state) {
    Conv(s, packed, x.data(), e, out.data(), scratch.data(), isa, threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * static_cast<double>(s.macs()) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(IsaName(isa)));
}

ConvShape Make(int64_t h, int64_t c, int64_t oc, int64_t k, int64_t stride, int64_t pad,
               int64_t groups) {
  ConvShape s;
  s.in_h = s.in_w = h, s.in_c = c, s.out_c = oc, s.kh = s.kw = k;
  s.stride_h = s.stride_w = stride, s.pad_h = s.pad_w = pad, s.groups = groups;
  return s;
}

void BM_conv_stem_224x224x3_7x7s2(benchmark::State& st) {
  RunConv(st, Make(224, 3, 64, 7, 2, 3, 1));
}
void BM_conv_56x56x64_3x3(benchmark::State& st) { RunConv(st, Make(56, 64, 64, 3, 1, 1, 1)); }
void BM_conv_28x28x128_1x1_256(benchmark::State& st) {
  RunConv(st, Make(28, 128, 256, 1, 1, 0, 1));
}
void BM_conv_dw_112x112x32_3x3(benchmark::State& st) {
  RunConv(st, Make(112, 32, 32, 3, 1, 1, 32));
}

void BM_linear_512x1000(benchmark::State& state) {
  const int64_t m = state.range(0), n = 1000, k = 512;
  const int threads = static_cast<int>(state.range(1));
  const std::vector<float> x = Random(m * k), w = Random(n * k), bias = Random(n);
  const PackedLinear packed = PackLinear(n, k, w.data());
  std::vector<float> out(static_cast<size_t>(m * n));
  Epilogue e;
  e.add = bias.data();
  for (auto _ : state) {
    Linear(m, packed, x.data(), e, out.data(), threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * static_cast<double>(m * n * k) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_conv_stem_224x224x3_7x7s2)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_conv_56x56x64_3x3)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_conv_28x28x128_1x1_256)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_conv_dw_112x112x32_3x3)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_linear_512x1000)
    ->ArgNames({"batch", "threads"})
    ->ArgsProduct({{1, 32}, {1, 2}})
    ->UseRealTime();

}  // namespace
}  // namespace triton::kernels::fconv

BENCHMARK_MAIN();
