// The zoo registry (zoo.h). Keep in step with models/README.md and tests/zoo_test.cc.
#include "triton/driver/zoo.h"

#include <cstdlib>
#include <filesystem>

#include "triton/driver/compile.h"

#ifndef TRITON_DEFAULT_MODELS_DIR
#define TRITON_DEFAULT_MODELS_DIR "models"
#endif

namespace triton::driver {

const std::vector<ZooEntry>& ZooModels() {
  static const std::vector<ZooEntry> kModels = {
      {"mnist_mlp",
       "mnist_mlp.tri",
       "fashion_mnist",
       {784},
       "784-256-128-10 MLP; ternary hidden layer fc2, FP32 input layer fc1 and classifier fc3"},
      {"mnist_cnn",
       "mnist_cnn.tri",
       "fashion_mnist",
       {1, 28, 28},
       "small CNN: 3x3 conv 16-32-64 with batch norm, 2x2 max-pools, 3136-128-10 classifier; "
       "ternary conv2, conv3 and fc1, FP32 first conv and classifier"},
      {"resnet18",
       "resnet.tri",
       "imagenet",
       {3, 224, 224},
       "ResNet-18 (torchvision), BasicBlock [2,2,2,2], 7x7 stem + max-pool; ternary residual "
       "stages (projections included), FP32 stem and classifier"},
      {"resnet34",
       "resnet.tri",
       "imagenet",
       {3, 224, 224},
       "ResNet-34 (torchvision), BasicBlock [3,4,6,3], 7x7 stem + max-pool; ternary residual "
       "stages (projections included), FP32 stem and classifier"},
      {"resnet50",
       "resnet.tri",
       "imagenet",
       {3, 224, 224},
       "ResNet-50 v1.5 (torchvision), Bottleneck [3,4,6,3], 7x7 stem + max-pool; ternary "
       "residual stages (projections included), FP32 stem and classifier"},
      {"resnet18_cifar",
       "resnet.tri",
       "cifar10",
       {3, 32, 32},
       "ResNet-18, BasicBlock [2,2,2,2], CIFAR stem (3x3 stride 1, no max-pool), 10 classes; "
       "ternary residual stages, FP32 stem and classifier"},
      {"resnet20_cifar",
       "resnet_cifar.tri",
       "cifar10",
       {3, 32, 32},
       "ResNet-20 (He et al. 2016 4.2), 3 stages x 3 BasicBlocks of 16/32/64 channels, "
       "projection shortcuts; ternary residual stages, FP32 stem and classifier"},
      {"mobilenet_v2",
       "mobilenet_v2.tri",
       "imagenet",
       {3, 224, 224},
       "MobileNetV2 (torchvision), 17 inverted residual blocks; ternary 1x1 expansion, "
       "projection and last convolutions, FP32 stem, depthwise convolutions and classifier"},
      {"vgg16",
       "vgg.tri",
       "imagenet",
       {3, 224, 224},
       "VGG-16 (configuration D, torchvision, no batch norm), 13 3x3 convolutions + 3 fully "
       "connected; ternary convolutions 2-13 and 4096-wide layers, FP32 first conv and classifier"},
      {"efficientnet_b0",
       "efficientnet.tri",
       "imagenet",
       {3, 224, 224},
       "EfficientNet-B0 (torchvision), 16 MBConv blocks with squeeze-and-excitation, SiLU; "
       "ternary 1x1 expansion, projection and last convolutions, FP32 stem, depthwise and SE "
       "convolutions and classifier"},
  };
  return kModels;
}

const ZooEntry* FindZooModel(std::string_view name) {
  for (const ZooEntry& e : ZooModels()) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string ZooModelNames() {
  std::string s;
  for (const ZooEntry& e : ZooModels()) {
    if (!s.empty()) s += ", ";
    s += e.name;
  }
  return s;
}

std::string ZooModelsDir() {
  const char* env = std::getenv("TRITON_MODELS_DIR");
  return env && *env ? std::string(env) : std::string(TRITON_DEFAULT_MODELS_DIR);
}

std::string PretrainedDir() {
  return (std::filesystem::path(ZooModelsDir()) / "pretrained").string();
}

Result<ir::Module> CompileZooModel(std::string_view name, int opt_level, std::string* source_hash) {
  const ZooEntry* e = FindZooModel(name);
  if (!e) {
    return Status::Error("unknown zoo model '" + std::string(name) +
                         "'; known models: " + ZooModelNames());
  }
  const std::string path = (std::filesystem::path(ZooModelsDir()) / e->file).string();
  CompileOptions o;
  o.model = std::string(e->name);
  o.opt_level = opt_level;
  FileCompileResult r = CompileFile(path, o);
  if (!r.read_error.empty()) {
    return Status::Error(r.read_error + " (the zoo's models directory is " + ZooModelsDir() +
                         "; set TRITON_MODELS_DIR to another)");
  }
  if (!r.ok() || !r.module) {
    return Status::Error("compiling " + path + " --model " + o.model + ":\n" +
                         r.diags->RenderText(false));
  }
  if (!r.verify_errors.empty()) {
    return Status::Error("internal error: the IR of " + o.model +
                         " fails verification: " + r.verify_errors.front());
  }
  if (source_hash) *source_hash = r.source_hash;
  return r.module.Take();
}

}  // namespace triton::driver
