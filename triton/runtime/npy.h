#pragma once
// NumPy .npy files (format version 1.0/2.0/3.0): little-endian float32/float64/int8/int32/int64/
// uint8 arrays in C order are read (converted to float32); float32 is written. Errors name the
// file and the problem ("x.npy: dtype '>f4' is big-endian; only little-endian is supported").
#include <string>
#include <string_view>

#include "triton/base/status.h"
#include "triton/ir/eval.h"

namespace triton::runtime {

// `descr`, when given, receives the file's dtype as written ("<f8", "|u1"), so callers can
// refuse integer data for a float input.
Result<ir::HostTensor> ReadNpy(const std::string& path, std::string* descr = nullptr);
// Writes `t` as a float32 array (version 1.0, or 2.0 when the header needs it); trit tensors are
// written dequantized (code x scale). The file is replaced; errors start with `path`.
Status WriteNpy(const std::string& path, const ir::HostTensor& t);

// The in-memory forms of the two above (for tests and fuzzing). ParseNpy checks every length and
// offset against `bytes` before use; `file` names the source in messages.
Result<ir::HostTensor> ParseNpy(std::string_view bytes, const std::string& file,
                                std::string* descr = nullptr);
std::string SerializeNpy(const ir::HostTensor& t);

}  // namespace triton::runtime
