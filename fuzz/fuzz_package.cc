// libFuzzer entry point: arbitrary bytes through the .tnn reader (triton/format/package.h).
//
// Each input is parsed twice: as is (the checksum rejects almost every mutation), and with its
// header's file size and its checksum restamped (triton/format/package_layout.h), so that the
// fuzzer explores the structural checks behind the checksum. Properties checked:
//   - an error message starts with the file name and is one line;
//   - whatever parses is a valid package (ValidatePackage), serializes, and reads back equal.
// A crash, a sanitizer report or an allocation past -rss_limit_mb is a bug in the reader.
//
// Seeds: triton/format/testdata/*.tnn and triton/format/testdata/damaged/*.tnn, e.g.
//   build/fuzz/fuzz/fuzz_package -max_total_time=60 -max_len=65536 -rss_limit_mb=2048 \
//     fuzz/package-run triton/format/testdata triton/format/testdata/damaged
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "triton/format/package.h"
#include "triton/format/package_layout.h"
#include "triton/format/test_util.h"

namespace {

[[noreturn]] void Bug(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_package: %s: %s\n", what, detail.c_str());
  std::abort();
}

void Check(std::span<const uint8_t> bytes) {
  using namespace triton::format;
  using triton::Result;
  using triton::Status;
  const std::string file = "fuzz.tnn";
  Result<Package> r = ParsePackage(bytes, file);
  if (!r.ok()) {
    const std::string& m = r.status().message();
    if (m.rfind(file + ": ", 0) != 0) Bug("message without the file name", m);
    if (m.find('\n') != std::string::npos) Bug("multi-line message", m);
    return;
  }
  Status valid = ValidatePackage(r.value());
  if (!valid.ok()) Bug("parsed an invalid package", valid.message());
  Result<Package> again = ParsePackage(SerializePackage(r.value()), file);
  if (!again.ok()) Bug("re-serialized package does not parse", again.status().message());
  const std::string diff = testing::Difference(r.value(), again.value());
  if (!diff.empty()) Bug("round trip changed the package", diff);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Check(std::span(data, size));
  if (size >= triton::format::layout::kMinFileSize) {
    std::vector<uint8_t> stamped(data, data + size);
    triton::format::layout::StampSizeAndChecksum(stamped);
    Check(stamped);
  }
  return 0;
}
