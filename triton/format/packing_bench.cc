// Pack/unpack throughput, reference vs fast, 2-bit and base-3 (Google Benchmark).
// Throughput is reported in trits per second as bytes (one unpacked trit = one int8 byte), so
// "GB/s" reads as "billions of weights per second". Run by hand:
//   build/release/triton/format/bench_packing --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <vector>

#include "triton/format/packing.h"
#include "triton/format/test_util.h"

namespace triton::format {
namespace {

enum Kind { kReference, kFast };

template <bool kBase3, Kind kKind>
void BM_Pack(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<int8_t> trits = testing::RandomTrits(n, 1);
  std::vector<uint8_t> out(kBase3 ? PackedBase3Bytes(n) : Packed2BitBytes(n));
  for (auto _ : state) {
    if constexpr (kBase3) {
      kKind == kFast ? PackBase3(trits, out) : PackBase3Reference(trits, out);
    } else {
      kKind == kFast ? Pack2Bit(trits, out) : Pack2BitReference(trits, out);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

template <bool kBase3, Kind kKind>
void BM_Unpack(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<int8_t> trits = testing::RandomTrits(n, 1);
  std::vector<uint8_t> packed(kBase3 ? PackedBase3Bytes(n) : Packed2BitBytes(n));
  kBase3 ? PackBase3(trits, packed) : Pack2Bit(trits, packed);
  std::vector<int8_t> out(n);
  for (auto _ : state) {
    if constexpr (kKind == kFast) {
      Status s = kBase3 ? UnpackBase3(packed, n, out) : Unpack2Bit(packed, n, out);
      if (!s.ok()) state.SkipWithError(s.message().c_str());
    } else {
      kBase3 ? UnpackBase3Reference(packed, n, out) : Unpack2BitReference(packed, n, out);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

// 64 Ki trits (cache resident) and 16 Mi trits (memory bound).
#define TRITON_PACKING_BENCH(fn) BENCHMARK(fn)->Arg(1 << 16)->Arg(1 << 24)

TRITON_PACKING_BENCH((BM_Pack<false, kReference>))->Name("Pack2Bit/reference");
TRITON_PACKING_BENCH((BM_Pack<false, kFast>))->Name("Pack2Bit/fast");
TRITON_PACKING_BENCH((BM_Unpack<false, kReference>))->Name("Unpack2Bit/reference");
TRITON_PACKING_BENCH((BM_Unpack<false, kFast>))->Name("Unpack2Bit/fast");
TRITON_PACKING_BENCH((BM_Pack<true, kReference>))->Name("PackBase3/reference");
TRITON_PACKING_BENCH((BM_Pack<true, kFast>))->Name("PackBase3/fast");
TRITON_PACKING_BENCH((BM_Unpack<true, kReference>))->Name("UnpackBase3/reference");
TRITON_PACKING_BENCH((BM_Unpack<true, kFast>))->Name("UnpackBase3/fast");

}  // namespace
}  // namespace triton::format

BENCHMARK_MAIN();
