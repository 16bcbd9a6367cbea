// libFuzzer entry point: arbitrary bytes through the front end (see frontend_input.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/frontend_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  triton::fuzz::RunFrontend(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
