#include "triton/base/cpu.h"

#include <cpuid.h>
#include <sched.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace triton {
namespace {

struct Regs {
  unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs CpuId(unsigned leaf, unsigned sub) {
  Regs r;
  __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
  return r;
}

uint64_t XGetBv() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

bool Bit(unsigned v, int i) { return ((v >> i) & 1u) != 0; }

CpuFeatures Detect() {
  CpuFeatures f;
  const unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf < 7) return f;
  const Regs l1 = CpuId(1, 0);
  const bool osxsave = Bit(l1.c, 27);
  const uint64_t xcr0 = osxsave ? XGetBv() : 0;
  const bool ymm_state = (xcr0 & 0x6) == 0x6;                 // SSE + AVX state
  const bool zmm_state = ymm_state && (xcr0 & 0xE0) == 0xE0;  // opmask + ZMM hi256 + hi16
  const Regs l7 = CpuId(7, 0);
  const Regs l7_1 = CpuId(7, 1);
  f.fma = ymm_state && Bit(l1.c, 12);
  f.avx2 = ymm_state && Bit(l7.b, 5);
  f.avx512f = zmm_state && Bit(l7.b, 16);
  f.avx512dq = zmm_state && Bit(l7.b, 17);
  f.avx512bw = zmm_state && Bit(l7.b, 30);
  f.avx512vl = zmm_state && Bit(l7.b, 31);
  f.avx512vnni = zmm_state && Bit(l7.c, 11);
  f.avx_vnni = ymm_state && Bit(l7_1.a, 4);
  if (__get_cpuid_max(0x80000000, nullptr) >= 0x80000004) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      const Regs r = CpuId(0x80000002 + i, 0);
      std::memcpy(brand + 16 * i, &r, 16);
    }
    f.brand = brand;
    while (!f.brand.empty() && f.brand.back() == ' ') f.brand.pop_back();
    while (!f.brand.empty() && f.brand.front() == ' ') f.brand.erase(f.brand.begin());
  }
  return f;
}

}  // namespace

const CpuFeatures& Cpu() {
  static const CpuFeatures features = Detect();
  return features;
}

bool IsaSupported(Isa isa) {
  const CpuFeatures& f = Cpu();
  switch (isa) {
    case Isa::kReference:
      return true;
    case Isa::kAvx2:
      return f.avx2 && f.fma;
    case Isa::kAvx512Vnni:
      return f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq && f.avx512vnni;
  }
  return false;
}

Isa BestIsa() {
  if (IsaSupported(Isa::kAvx512Vnni)) return Isa::kAvx512Vnni;
  if (IsaSupported(Isa::kAvx2)) return Isa::kAvx2;
  return Isa::kReference;
}

std::vector<Isa> SupportedIsas() {
  std::vector<Isa> out;
  for (Isa i : {Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni}) {
    if (IsaSupported(i)) out.push_back(i);
  }
  return out;
}

std::string_view IsaName(Isa isa) {
  switch (isa) {
    case Isa::kReference:
      return "reference";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512Vnni:
      return "avx512vnni";
  }
  return "?";
}

Result<Isa> ParseIsa(std::string_view name) {
  for (Isa i : {Isa::kReference, Isa::kAvx2, Isa::kAvx512Vnni}) {
    if (name == IsaName(i)) return i;
  }
  return Status::Error("unknown ISA level '" + std::string(name) +
                       "' (expected reference, avx2 or avx512vnni)");
}

Result<Isa> ActiveIsa() {
  const char* env = std::getenv("TRITON_ISA");
  if (env == nullptr || *env == '\0') return BestIsa();
  Result<Isa> isa = ParseIsa(env);
  if (!isa.ok()) return Status::Error("TRITON_ISA: " + isa.status().message());
  if (!IsaSupported(isa.value())) {
    return Status::Error(
        "TRITON_ISA=" + std::string(env) +
        ": this CPU does not support it (best: " + std::string(IsaName(BestIsa())) + ")");
  }
  return isa;
}

Result<int> DefaultThreads() {
  const char* env = std::getenv("TRITON_NUM_THREADS");
  if (env != nullptr && *env != '\0') {
    int n = 0;
    const char* end = env + std::strlen(env);
    const auto [p, ec] = std::from_chars(env, end, n);
    if (ec != std::errc() || p != end || n < 1 || n > 4096) {
      return Status::Error("TRITON_NUM_THREADS must be a positive integer, got '" +
                           std::string(env) + "'");
    }
    return n;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

}  // namespace triton
