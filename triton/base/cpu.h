#pragma once
// CPU features and the ISA level the kernels run at (DESIGN.md §3). Features are read once
// (CPUID + XGETBV: the OS must have enabled the register state, not just the CPU support it).
// TRITON_ISA=reference|avx2|avx512vnni forces a level so one machine can test every path;
// TRITON_NUM_THREADS sets the default thread count of the kernels.
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/status.h"

namespace triton {

// Ordered: a higher level implies every lower one (a kernel of level L runs on any CPU at >= L).
enum class Isa : int { kReference = 0, kAvx2 = 1, kAvx512Vnni = 2 };

struct CpuFeatures {
  bool avx2 = false, fma = false;  // + OS-enabled YMM state
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false;
  bool avx512vnni = false;  // + OS-enabled ZMM/opmask state
  bool avx_vnni = false;    // VEX-encoded vpdpbusd (ymm)
  std::string brand;        // "AMD EPYC 9R45 ..." (CPUID brand string)
};

// Read once per process (thread-safe).
const CpuFeatures& Cpu();

// The best level the CPU supports: avx512vnni needs avx512f+bw+vl+dq+vnni, avx2 needs avx2+fma.
Isa BestIsa();
bool IsaSupported(Isa isa);
// Every level the CPU supports, lowest first (always starts with kReference).
std::vector<Isa> SupportedIsas();

std::string_view IsaName(Isa isa);  // "reference", "avx2", "avx512vnni"
// Parses a level name; the error lists the valid names.
Result<Isa> ParseIsa(std::string_view name);

// The level to run at: TRITON_ISA if set (an unknown name, or a level this CPU lacks, is an
// error that names the variable and the CPU's best level), else BestIsa().
Result<Isa> ActiveIsa();

// Threads for the kernels: TRITON_NUM_THREADS if set (a positive integer; anything else is an
// error naming the variable), else the number of CPUs this process may run on.
Result<int> DefaultThreads();

}  // namespace triton
