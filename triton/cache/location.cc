#include "triton/cache/location.h"

#include <cstdlib>

namespace triton::cache {

CacheLocation ResolveCacheDir(const std::string& flag, const EnvLookup& env) {
  auto get = [&env](const char* name) -> std::string {
    const char* v = env ? env(name) : std::getenv(name);
    return v ? std::string(v) : std::string();
  };
  if (!flag.empty()) return {flag, "--cache-dir"};
  if (std::string v = get("TRITON_CACHE_DIR"); !v.empty()) return {v, "$TRITON_CACHE_DIR"};
  if (std::string v = get("XDG_CACHE_HOME"); !v.empty() && v[0] == '/') {
    return {v + "/triton", "$XDG_CACHE_HOME"};
  }
  if (std::string v = get("HOME"); !v.empty()) return {v + "/.cache/triton", "$HOME"};
  return {};
}

}  // namespace triton::cache
