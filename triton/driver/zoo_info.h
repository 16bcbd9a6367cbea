#pragma once
// `triton zoo list|show`: what the zoo holds, measured. For one zoo model (zoo.h): its
// architecture, data set, input shape, parameters, MACs per sample, the byte sizes of its .tnn
// package as FP32, ternary 2-bit and ternary base-3, and the pretrained packages of
// <ZooModelsDir()>/pretrained whose metadata names the model.
//
// Sizes are measured, not estimated: the packages are built as `triton compile FILE --model NAME
// -o m.tnn` and `triton quantize m.tnn --format 2bit|base3` build them (InitialPackage's metadata,
// seed 0; QuantizePackage with each layer's own method) and serialized in memory by
// format::SerializePackage; the size is the byte count of that serialization, which is the size of
// the file WritePackage writes. One difference, for speed: the weights are a constant instead of
// the seeded random draw. A package's size depends on its tensors' shapes, encodings and scale
// counts and its metadata, never on the weight values, and drawing VGG-16's 138M normal numbers
// takes seconds (tests/zoo_cli_test.cc checks equality with written files).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "triton/base/status.h"

namespace triton::driver {

// A trained package found in the pretrained directory, as its metadata describes it.
struct PretrainedPackage {
  std::string path;  // as found: <PretrainedDir()>/NAME.tnn (relative to the working directory
                     // when it is below it)
  uint64_t file_bytes = 0;
  std::string model;           // meta.model_name
  std::string dataset;         // data.name ("fashion-mnist"); "" when not recorded
  double accuracy = -1;        // top-1 in [0, 1] measured by the runtime at export; < 0: unknown
  double accuracy_torch = -1;  // the QAT model in libtorch (train.accuracy_torch); < 0: unknown
  std::string quantization;    // meta.quantization ("twn per-channel 2bit"); "" = FP32
  std::string recipe;          // train.recipe
  std::string train_command;   // train.command: the exact command that produced it
  std::string train_seconds, epochs;  // as recorded; "" when not
  std::string EvalCommand() const;    // `triton eval PATH [--data NAME]`: re-measures accuracy
  nlohmann::json ToJson() const;
};

// Every readable *.tnn of `dir`, sorted by file name; unreadable ones go to `warnings` with the
// reader's message. A missing directory is no packages and no warning.
struct PretrainedScan {
  std::vector<PretrainedPackage> packages;
  std::vector<std::string> warnings;
};
PretrainedScan ScanPretrained(const std::string& dir);

struct ZooInfo {
  std::string name, description, file, dataset;  // file: the .tri path
  std::vector<int64_t> input_shape;              // without the batch dim
  int64_t parameters = 0, ternary_parameters = 0, buffer_elements = 0;
  int64_t macs = 0;                  // per sample (ir::Module::MacCount at -O2)
  std::string ternary_quantization;  // the quantized package's method: "twn per-channel"
  uint64_t fp32_bytes = 0, ternary_2bit_bytes = 0, ternary_base3_bytes = 0;  // measured
  std::vector<PretrainedPackage> pretrained;                                 // best accuracy first
  // `triton compile ... -o` and `triton quantize` commands that write the measured files.
  std::string CompileCommand() const;
  nlohmann::json ToJson() const;
};

// Compiles zoo model `name` at -O2 and measures it (see above); `pretrained` lists the packages
// from which those of this model are taken. Errors: an unknown name (the message lists the zoo),
// a model that does not compile or quantize.
Result<ZooInfo> DescribeZooModel(std::string_view name, const PretrainedScan& pretrained);
// The same with ScanPretrained(PretrainedDir()).
Result<ZooInfo> DescribeZooModel(std::string_view name);

}  // namespace triton::driver
