// The model zoo (models/*.tri) compiles without diagnostics, and each model's trainable
// parameters -- count, dotted names, shapes and order -- equal PyTorch's parameters() for the
// same architecture (torchvision's for the ImageNet models), as recorded in
// models/testdata/<model>.params by scripts/reference_params.py. Also pins the precision policy:
// the body is ternary, the first convolution and the classifier are FP32.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "triton/driver/compile.h"
#include "triton/ir/module.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton {
namespace {

struct ZooModel {
  const char* file;    // under models/
  const char* name;    // the `model` declaration
  int64_t parameters;  // PyTorch parameters() element count
  int image_size;      // 0: a flat input of `in_features`
  int num_classes;
  const char* first;       // the first layer's weight: FP32
  const char* classifier;  // the classifier's weight: FP32
  const char* inner;       // a body weight that must be ternary
  int channels = 3;        // image input channels
};

const ZooModel kZoo[] = {
    {"mnist_mlp.tri", "mnist_mlp", 235'146, 0, 10, "fc1.weight", "fc3.weight", "fc2.weight"},
    {"mnist_cnn.tri", "mnist_cnn", 426'234, 28, 10, "conv1.0.weight", "fc2.weight",
     "conv3.0.weight", 1},
    {"resnet.tri", "resnet18", 11'689'512, 224, 1000, "conv1.weight", "fc.weight",
     "layer1.0.conv1.weight"},
    {"resnet.tri", "resnet34", 21'797'672, 224, 1000, "conv1.weight", "fc.weight",
     "layer3.5.conv2.weight"},
    {"resnet.tri", "resnet50", 25'557'032, 224, 1000, "conv1.weight", "fc.weight",
     "layer4.0.downsample.0.weight"},
    {"resnet.tri", "resnet18_cifar", 11'173'962, 32, 10, "conv1.weight", "fc.weight",
     "layer2.0.conv1.weight"},
    {"resnet_cifar.tri", "resnet20_cifar", 272'474, 32, 10, "conv1.weight", "fc.weight",
     "layer3.2.conv2.weight"},
    {"mobilenet_v2.tri", "mobilenet_v2", 3'504'872, 224, 1000, "features.0.0.weight",
     "classifier.1.weight", "features.2.conv.0.0.weight"},
    {"vgg.tri", "vgg16", 138'357'544, 224, 1000, "features.0.weight", "classifier.6.weight",
     "classifier.0.weight"},
    {"efficientnet.tri", "efficientnet_b0", 5'288'548, 224, 1000, "features.0.0.weight",
     "classifier.1.weight", "features.2.0.block.3.0.weight"},
};

std::string ModelsDir() { return std::string(TRITON_SOURCE_DIR) + "/models/"; }

std::string DimsString(const ir::TensorType& type) {
  std::string s;
  for (size_t i = 0; i < type.dims.size(); ++i) {
    if (i > 0) s += ",";
    s += type.dims[i].ToString();
  }
  return s;
}

// `name<TAB>d0,d1,...` lines, in parameters() order.
std::vector<std::string> ReadReference(const std::string& model) {
  std::ifstream in(ModelsDir() + "testdata/" + model + ".params");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

const ir::Param* FindParam(const ir::Module& m, const std::string& name) {
  for (const ir::Param& p : m.params) {
    if (m.value(p.value).name == name) return &p;
  }
  return nullptr;
}

class ZooTest : public ::testing::TestWithParam<ZooModel> {
 protected:
  void SetUp() override {
    const ZooModel& z = GetParam();
    driver::CompileOptions options;
    options.model = z.name;
    result_ = driver::CompileFile(ModelsDir() + z.file, options);
    ASSERT_EQ(result_.read_error, "");
    ASSERT_NE(result_.diags, nullptr);
    ASSERT_TRUE(result_.diags->diagnostics().empty()) << result_.diags->RenderText();
    ASSERT_TRUE(result_.module.has_value()) << z.name << " was not elaborated";
  }
  driver::FileCompileResult result_;
};

TEST_P(ZooTest, DeclaresTheModel) {
  const auto& names = result_.model_names;
  EXPECT_NE(std::find(names.begin(), names.end(), GetParam().name), names.end());
}

TEST_P(ZooTest, ParameterCountMatchesPyTorch) {
  EXPECT_EQ(result_.module->ParameterCount(), GetParam().parameters);
}

TEST_P(ZooTest, ParameterNamesAndShapesMatchPyTorch) {
  const ir::Module& m = *result_.module;
  std::vector<std::string> ours;
  for (const ir::Param& p : m.params) {
    if (!p.trainable) continue;
    const ir::Value& v = m.value(p.value);
    ours.push_back(v.name + "\t" + DimsString(v.type));
  }
  std::vector<std::string> reference = ReadReference(GetParam().name);
  ASSERT_FALSE(reference.empty()) << "missing models/testdata/" << GetParam().name << ".params";
  EXPECT_EQ(ours.size(), reference.size());
  for (size_t i = 0; i < std::min(ours.size(), reference.size()); ++i) {
    ASSERT_EQ(ours[i], reference[i]) << "parameter #" << i << " (first difference)";
  }
}

TEST_P(ZooTest, BodyIsTernaryFirstAndLastLayersAreFp32) {
  const ZooModel& z = GetParam();
  const ir::Module& m = *result_.module;
  EXPECT_GT(m.TernaryParameterCount(), 0);
  EXPECT_LT(m.TernaryParameterCount(), m.ParameterCount());
  for (const char* name : {z.first, z.classifier}) {
    const ir::Param* p = FindParam(m, name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_FALSE(p->ternary) << name << " should stay FP32";
    EXPECT_EQ(m.type(p->value).dtype, ir::DType::kFloat32) << name;
  }
  const ir::Param* inner = FindParam(m, z.inner);
  ASSERT_NE(inner, nullptr) << z.inner;
  EXPECT_TRUE(inner->ternary) << z.inner << " should be ternary";
  EXPECT_EQ(m.type(inner->value).dtype, ir::DType::kTrit) << z.inner;
}

TEST_P(ZooTest, InputHasSymbolicBatchAndStaticShape) {
  const ZooModel& z = GetParam();
  const ir::Module& m = *result_.module;
  ASSERT_EQ(m.inputs.size(), 1u);
  ASSERT_EQ(m.outputs.size(), 1u);
  const ir::TensorType& in = m.type(m.inputs[0]);
  ASSERT_EQ(in.rank(), z.image_size > 0 ? 4u : 2u) << in.ToString();
  EXPECT_FALSE(in.dims[0].is_static()) << in.ToString();
  for (size_t i = 1; i < in.rank(); ++i) EXPECT_TRUE(in.dims[i].is_static()) << in.ToString();
  if (z.image_size > 0) {
    EXPECT_EQ(in.dims[1].size, z.channels);
    EXPECT_EQ(in.dims[2].size, z.image_size);
    EXPECT_EQ(in.dims[3].size, z.image_size);
  }
  const ir::TensorType& out = m.type(m.outputs[0]);
  ASSERT_EQ(out.rank(), 2u) << out.ToString();
  EXPECT_EQ(out.dims[0], in.dims[0]) << out.ToString();
  EXPECT_EQ(out.dims[1].size, z.num_classes) << out.ToString();
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooTest, ::testing::ValuesIn(kZoo),
                         [](const ::testing::TestParamInfo<ZooModel>& info) {
                           return std::string(info.param.name);
                         });

// Every `model` a zoo file declares is covered above.
TEST(Zoo, EveryDeclaredModelIsTested) {
  for (const char* file : {"mnist_mlp.tri", "mnist_cnn.tri", "resnet.tri", "resnet_cifar.tri",
                           "mobilenet_v2.tri", "vgg.tri", "efficientnet.tri"}) {
    driver::CompileOptions options;
    options.check_only = true;
    driver::FileCompileResult r = driver::CompileFile(ModelsDir() + file, options);
    ASSERT_EQ(r.read_error, "") << file;
    EXPECT_TRUE(r.ok()) << r.diags->RenderText();
    for (const std::string& name : r.model_names) {
      bool found = false;
      for (const ZooModel& z : kZoo) found |= (name == z.name && std::string(z.file) == file);
      EXPECT_TRUE(found) << file << " declares " << name << " which zoo_test does not check";
    }
  }
}

}  // namespace
}  // namespace triton
