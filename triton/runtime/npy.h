#pragma once
// NumPy .npy files (format version 1.0/2.0/3.0): little-endian float32/float64/int8/int32/int64/
// uint8 arrays in C order are read (converted to float32); float32 is written. Errors name the
// file and the problem ("x.npy: dtype '>f4' is big-endian; only little-endian is supported").
#include <string>

#include "triton/base/status.h"
#include "triton/ir/eval.h"

namespace triton::runtime {

Result<ir::HostTensor> ReadNpy(const std::string& path);
Status WriteNpy(const std::string& path, const ir::HostTensor& t);

}  // namespace triton::runtime
