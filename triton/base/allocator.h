#pragma once
// Which malloc the process runs with. The `triton` executable (and the compile benchmarks) link
// mimalloc when the build found it (CMake option TRITON_MIMALLOC): compiling allocates many
// small objects, and mimalloc makes a whole compile about a fifth faster than glibc's malloc
// (docs/benchmarks/compilation_speed.md). Linked as a shared library, mimalloc replaces malloc,
// free and operator new for the whole process, so the answer is read at run time: it is true of
// this process, not of how a library was compiled.
#include <string>

namespace triton::base {

// "mimalloc 2.0.9" when mimalloc's symbols are in the process, else "glibc malloc".
std::string AllocatorName();

}  // namespace triton::base
