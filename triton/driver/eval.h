#pragma once
// The library entry point behind `triton eval`: a package's top-1 / top-5 / per-class accuracy on a
// data set's split, run on the optimized CPU engine (driver::PrepareCpu), so the number measured is
// the number the runtime delivers. No libtorch.
//
// Data sets by name (DatasetRef): `fashion-mnist`, `mnist`, `cifar10` (the CIFAR-10 JPEG copy),
// `imagefolder:PATH` (PATH/{train,test}/<class>/*.jpg); `NAME:PATH` overrides the default location
// of any of them.
//
// Normalization: what the model was trained with, read from the package's metadata (the keys
// below, written by `triton train`'s export), else the data set's standard constants (dataset.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/driver/run.h"
#include "triton/format/package.h"
#include "triton/train/data/dataset.h"
#include "triton/train/data/idx.h"  // data::Split

namespace triton::driver {

// Metadata `extra` keys of trained packages. Accuracies are fractions in [0, 1] printed with
// "%.6f"; lists are comma-separated.
inline constexpr const char* kMetaDataName = "data.name";            // "fashion-mnist"
inline constexpr const char* kMetaDataMean = "data.mean";            // per channel, [0, 1] units
inline constexpr const char* kMetaDataStd = "data.std";              // per channel, [0, 1] units
inline constexpr const char* kMetaDataShape = "data.shape";          // "1x28x28" (C x H x W)
inline constexpr const char* kMetaTrainAccuracy = "train.accuracy";  // this package, runtime eval
inline constexpr const char* kMetaTrainAccuracyTorch = "train.accuracy_torch";  // QAT model, eval
inline constexpr const char* kMetaTrainRecipe = "train.recipe";    // one-line recipe summary
inline constexpr const char* kMetaTrainCommand = "train.command";  // the exact command line
inline constexpr const char* kMetaTrainSeconds = "train.seconds";  // training wall time
inline constexpr const char* kMetaTrainEpochs = "train.epochs";

// A data set by name and location.
struct DatasetRef {
  std::string name;  // canonical: "fashion-mnist", "mnist", "cifar10", "imagefolder"
  std::string path;  // the folder or archive; "" = DefaultDatasetPath(name)
  std::string Spec() const { return path.empty() ? name : name + ":" + path; }
};
// Parses "NAME" or "NAME:PATH" ("fashion_mnist" is accepted for "fashion-mnist"); the error lists
// the known names.
Result<DatasetRef> ParseDatasetRef(const std::string& spec);
// The registry's spelling of a zoo model's data set ("fashion_mnist") as a DatasetRef name, or "".
std::string DatasetNameForZoo(const std::string& zoo_dataset);
// fashion-mnist: /usr/share/datasets/fashion-mnist; mnist: /usr/share/datasets/mnist; cifar10:
// $TRITON_CIFAR10 if set, else the shared archive (../shared/data/cifar10-jpeg.tar.gz of the
// source tree); imagefolder: "" (a path is required).
std::string DefaultDatasetPath(const std::string& name);

// Loads one split into memory. A missing data set is an error naming the path and how to get it
// ("... install it with `apt-get install dataset-fashion-mnist`").
Result<std::unique_ptr<data::InMemoryDataset>> LoadDataset(const DatasetRef& ref,
                                                           data::Split split);

// The data set's standard normalization: the torchvision constants for fashion-mnist, mnist and
// cifar10; ImageNet's for a 3-channel image folder; none (empty) otherwise.
data::ChannelStats StandardNormalization(const std::string& name, int channels);

// The normalization recorded in `meta` (data.mean / data.std), or nullopt-like empty stats when
// absent. An unparsable value, or a channel count different from `channels`, is an error.
Result<data::ChannelStats> MetadataNormalization(const format::Metadata& meta, int channels,
                                                 const std::string& file);
std::string FormatFloats(const std::vector<float>& v);  // "0.286,0.353" (shortest round trip)

// The per-sample dims a model's first input takes for images of `shape`: the input's dims after
// the batch dim when they equal C x H x W, or [C*H*W] for a flat input (an MLP). Anything else
// is an error naming both shapes: "model 'resnet20_cifar' takes input x f32[N, 3, 32, 32], but
// data set fashion-mnist has 1x28x28 images".
Result<std::vector<int64_t>> SampleDims(const ir::Module& m, data::ImageShape shape,
                                        const std::string& dataset);

struct EvalOptions {
  data::Split split = data::Split::kTest;
  int64_t batch = 256;
  int64_t limit = 0;  // > 0: only the first `limit` samples of the split
  CpuOptions cpu;     // isa, threads, quantize_activations (int8 activations of ternary layers)
  std::function<void(int64_t done, int64_t total)> progress;  // after each batch (samples)
};

struct EvalResult {
  std::string model, file, dataset, split, engine;
  std::string normalization;  // "package" (metadata) or "standard" or "none"
  data::ChannelStats stats;
  int64_t samples = 0;
  double top1 = 0, top5 = 0;  // fractions in [0, 1]
  std::vector<std::string> classes;
  std::vector<int64_t> class_samples, class_correct;  // per label
  std::vector<std::vector<int64_t>> confusion;        // [label][predicted]
  double seconds = 0, samples_per_s = 0;              // loading + engine runs, not data loading
  std::string isa;
  int threads = 1;
  bool act_quant = true;
};

// Evaluates `model` on `d`. `dataset` names the data set in messages and selects the standard
// normalization when the package records none.
Result<EvalResult> Evaluate(const Model& model, const data::ImageDataset& d,
                            const std::string& dataset, const EvalOptions& o);
// LoadModel + LoadDataset + Evaluate.
Result<EvalResult> EvaluateFile(const std::string& path, const DatasetRef& ref,
                                const EvalOptions& o);

nlohmann::json EvalResultJson(const EvalResult& r);
std::string EvalResultText(const EvalResult& r);

}  // namespace triton::driver
