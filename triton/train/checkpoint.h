#pragma once
// Training checkpoints: everything an exact resume needs, in one file written atomically.
//
// File layout (little-endian): magic "TRCKPT01" (8 bytes), u64 payload size, u64 XXH3-64 of the
// payload, then the payload: a libtorch archive (torch::serialize::OutputArchive) holding
//   "meta"       a JSON string (the trainer's: epoch, options and their hash, history, ...),
//   "model/<i>"  the i-th tensor of the model state (names in meta["state_names"], since archive
//                keys cannot hold the dots of parameter names),
//   "optimizer"  the optimizer's own archive (libtorch's save/load: per-parameter buffers such as
//                SGD momentum or Adam moments, keyed by parameter order),
//   "rng"        the state of libtorch's default CPU generator.
// The checksum is checked before libtorch parses anything, so a truncated or damaged file is a
// clear error instead of a libtorch exception from deep inside its zip reader.
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "triton/base/status.h"

namespace triton::train {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct CheckpointData {
  nlohmann::json meta;
  NamedTensors state;
  torch::serialize::InputArchive optimizer;  // for Optimizer::load
  torch::Tensor rng;                         // for the default CPU generator's set_state
};

// Writes `path` atomically: a temporary file in the same folder, fsync, rename. An interrupted
// write leaves the previous checkpoint as it was.
Status WriteCheckpoint(const std::string& path, const nlohmann::json& meta,
                       const NamedTensors& state, const torch::optim::Optimizer& optimizer);
// Errors name the file and what is wrong: "out/checkpoint.pt: damaged: checksum ...".
Result<CheckpointData> ReadCheckpoint(const std::string& path);

// Writes `bytes` to `path` atomically (temporary file, fsync, rename); for logs too.
Status WriteFileAtomic(const std::string& path, const std::string& bytes);

}  // namespace triton::train
