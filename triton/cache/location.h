#pragma once
// Where the compile cache lives: --cache-dir, else $TRITON_CACHE_DIR, else
// $XDG_CACHE_HOME/triton, else $HOME/.cache/triton. Empty variables count as unset, and a
// relative $XDG_CACHE_HOME is ignored (the XDG base directory spec requires absolute paths).
#include <functional>
#include <string>

namespace triton::cache {

struct CacheLocation {
  std::string dir;     // "" when nothing names a directory (no flag, no variable, no $HOME)
  std::string source;  // "--cache-dir", "$TRITON_CACHE_DIR", "$XDG_CACHE_HOME", "$HOME"
};

using EnvLookup = std::function<const char*(const char*)>;

// `env` defaults to std::getenv; tests pass their own.
CacheLocation ResolveCacheDir(const std::string& flag, const EnvLookup& env = {});

}  // namespace triton::cache
