// libFuzzer entry point: arbitrary bytes through the compile cache's readers of what it stored.
//
// The first byte picks the reader, the rest is its input:
//   0  ir::DecodeModule (ir/binary.h), the module inside an entry's payload;
//   1  driver::CheckCompilePayload, the whole payload (format, module, model names, warnings)
//      as a disk hit and `triton cache verify` decode it.
// Properties: an error message is one line; a module that decodes re-encodes to exactly the
// input, prints, and survives the verifier. A crash, a sanitizer report or an allocation past
// -rss_limit_mb is a bug in a reader. (The entry envelope around a payload, cache/entry.h, is
// checksummed and checked field by field.)
//
// Seeds: fuzz/cache-seeds/ (see its README.md), e.g.
//   build/fuzz/fuzz/fuzz_cache -max_total_time=60 -max_len=65536 -rss_limit_mb=2048 \
//     build/fuzz/corpus-fuzz_cache fuzz/cache-seeds   (mkdir the run folder first)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "triton/driver/cached_compile.h"
#include "triton/ir/binary.h"
#include "triton/ir/printer.h"
#include "triton/ir/verifier.h"

namespace {

[[noreturn]] void Bug(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_cache: %s: %s\n", what, detail.c_str());
  std::abort();
}

void OneLine(const std::string& message) {
  if (message.empty() || message.find('\n') != std::string::npos) {
    Bug("an error message that is not one line", message);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 2) {
    case 0: {
      triton::Result<triton::ir::Module> m = triton::ir::DecodeModule(in);
      if (!m.ok()) {
        OneLine(m.status().message());
        break;
      }
      if (triton::ir::EncodeModule(m.value()) != in) Bug("re-encoding differs", "");
      (void)triton::ir::Print(m.value());
      (void)triton::ir::Verify(m.value());
      break;
    }
    case 1: {
      const std::string why = triton::driver::CheckCompilePayload(in);
      if (!why.empty()) OneLine(why);
      break;
    }
  }
  return 0;
}
