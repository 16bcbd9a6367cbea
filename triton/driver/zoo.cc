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
      {"mnist_mlp", "mnist_mlp.tri", "fashion_mnist", {784}},
      {"resnet18", "resnet.tri", "imagenet", {3, 224, 224}},
      {"resnet34", "resnet.tri", "imagenet", {3, 224, 224}},
      {"resnet50", "resnet.tri", "imagenet", {3, 224, 224}},
      {"resnet18_cifar", "resnet.tri", "cifar10", {3, 32, 32}},
      {"resnet20_cifar", "resnet_cifar.tri", "cifar10", {3, 32, 32}},
      {"mobilenet_v2", "mobilenet_v2.tri", "imagenet", {3, 224, 224}},
      {"vgg16", "vgg.tri", "imagenet", {3, 224, 224}},
      {"efficientnet_b0", "efficientnet.tri", "imagenet", {3, 224, 224}},
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
  return std::move(*r.module);
}

}  // namespace triton::driver
