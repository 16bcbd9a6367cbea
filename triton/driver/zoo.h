#pragma once
// The model zoo's entry points (models/README.md): name -> source file, data set, input shape,
// description. Used by `triton bench perf --model NAME`, `triton zoo` (zoo_info.h) and anything
// else that names a zoo model.
//
// Models directory: $TRITON_MODELS_DIR when set, else the source tree's models/ (compiled in as
// TRITON_DEFAULT_MODELS_DIR).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/status.h"
#include "triton/ir/module.h"

namespace triton::driver {

struct ZooEntry {
  std::string_view name;             // the `model` declaration: "resnet18_cifar"
  std::string_view file;             // under the models directory: "resnet.tri"
  std::string_view dataset;          // "imagenet", "cifar10", "fashion_mnist"
  std::vector<int64_t> input_shape;  // the one input's shape without the batch dim
  std::string_view description;      // one line: architecture and which layers are ternary
};

// Every entry point, in models/README.md's order.
const std::vector<ZooEntry>& ZooModels();
// The entry called `name`, or nullptr.
const ZooEntry* FindZooModel(std::string_view name);
// "mnist_mlp, resnet18, ..." for messages.
std::string ZooModelNames();

std::string ZooModelsDir();
// The pretrained packages' directory: <ZooModelsDir()>/pretrained (models/pretrained/README.md).
std::string PretrainedDir();

// Compiles zoo model `name` at -O`opt_level` (driver::CompileFile). Errors: an unknown name (the
// message lists the known ones), an unreadable file, or the compiler's diagnostics as text.
// `source_hash` receives the source hash when given.
Result<ir::Module> CompileZooModel(std::string_view name, int opt_level = 2,
                                   std::string* source_hash = nullptr);

}  // namespace triton::driver
