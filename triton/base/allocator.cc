#include "triton/base/allocator.h"

#include <dlfcn.h>

#include <string>

namespace triton::base {

std::string AllocatorName() {
  // mi_version() returns the version as major * 100 + minor * 10 + patch (mimalloc.h).
  using VersionFn = int (*)();
  auto fn = reinterpret_cast<VersionFn>(::dlsym(RTLD_DEFAULT, "mi_version"));
  if (fn == nullptr) return "glibc malloc";
  const int v = fn();
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." +
         std::to_string(v % 10);
}

}  // namespace triton::base
