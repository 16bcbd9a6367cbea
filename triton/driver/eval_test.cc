// driver::Evaluate and its data set plumbing on synthetic data (no libtorch, no real data set).
#include "triton/driver/eval.h"

#include <gtest/gtest.h>

#include <random>

#include "triton/driver/weights.h"
#include "triton/driver/zoo.h"

namespace triton::driver {
namespace {

data::InMemoryDataset RandomData(int64_t n, data::ImageShape shape, int classes) {
  std::mt19937 rng(5);
  std::vector<uint8_t> pixels(static_cast<size_t>(n * shape.size()));
  for (uint8_t& p : pixels) p = static_cast<uint8_t>(rng() % 256);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) labels[i] = i % classes;
  std::vector<std::string> names;
  for (int c = 0; c < classes; ++c) names.push_back("c" + std::to_string(c));
  return data::InMemoryDataset("random", shape, std::move(pixels), std::move(labels), names);
}

Model ZooModel(const std::string& name) {
  std::string hash;
  Result<ir::Module> m = CompileZooModel(name, 2, &hash);
  TRITON_CHECK_MSG(m.ok(), m.status().message().c_str());
  Result<Model> model = ModelFromPackage(InitialPackage(m.value(), 3, hash), name + ".tnn");
  TRITON_CHECK_MSG(model.ok(), model.status().message().c_str());
  return std::move(model).value();
}

EvalOptions Options(int64_t batch) {
  EvalOptions o;
  o.batch = batch;
  o.cpu.threads = 1;
  o.cpu.quantize_activations = false;
  return o;
}

TEST(EvalTest, CountsAndBatchIndependence) {
  Model m = ZooModel("mnist_mlp");
  data::InMemoryDataset d = RandomData(20, {1, 28, 28}, 10);
  Result<EvalResult> a = Evaluate(m, d, "fashion-mnist", Options(7));  // batches 7, 7, 6
  ASSERT_TRUE(a.ok()) << a.status().message();
  Result<EvalResult> b = Evaluate(m, d, "fashion-mnist", Options(256));
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(a.value().samples, 20);
  EXPECT_EQ(a.value().top1, b.value().top1);
  EXPECT_EQ(a.value().top5, b.value().top5);
  EXPECT_EQ(a.value().confusion, b.value().confusion);
  EXPECT_LE(a.value().top1, a.value().top5);
  int64_t total = 0, correct = 0;
  for (size_t c = 0; c < 10; ++c) {
    total += a.value().class_samples[c];
    correct += a.value().class_correct[c];
  }
  EXPECT_EQ(total, 20);
  EXPECT_DOUBLE_EQ(correct / 20.0, a.value().top1);
  EXPECT_EQ(a.value().normalization, "standard");
  EXPECT_FLOAT_EQ(a.value().stats.mean[0], 0.2860f);
  nlohmann::json j = EvalResultJson(a.value());
  EXPECT_EQ(j.at("per_class").size(), 10u);
  EXPECT_EQ(j.at("samples"), 20);
}

TEST(EvalTest, PackageNormalizationWins) {
  Model m = ZooModel("mnist_mlp");
  m.meta.extra[kMetaDataMean] = "0.5";
  m.meta.extra[kMetaDataStd] = "0.25";
  data::InMemoryDataset d = RandomData(4, {1, 28, 28}, 10);
  Result<EvalResult> r = Evaluate(m, d, "fashion-mnist", Options(4));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().normalization, "package");
  EXPECT_FLOAT_EQ(r.value().stats.stddev[0], 0.25f);
  m.meta.extra[kMetaDataStd] = "0.25,0.5";
  r = Evaluate(m, d, "fashion-mnist", Options(4));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("data.std has 2 values, the images have 1 channels"),
            std::string::npos)
      << r.status().message();
}

TEST(EvalTest, InputShapeMismatchNamesBoth) {
  Model m = ZooModel("resnet20_cifar");
  data::InMemoryDataset d = RandomData(4, {1, 28, 28}, 10);
  Result<EvalResult> r = Evaluate(m, d, "fashion-mnist", Options(4));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("f32[N, 3, 32, 32]"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("fashion-mnist has 1x28x28 images"), std::string::npos)
      << r.status().message();
}

TEST(EvalTest, DatasetNamesAndMissingData) {
  EXPECT_EQ(ParseDatasetRef("fashion_mnist").value().name, "fashion-mnist");
  Result<DatasetRef> r = ParseDatasetRef("mnist:/data/m");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().path, "/data/m");
  EXPECT_FALSE(ParseDatasetRef("imagefolder").ok());
  Result<DatasetRef> bad = ParseDatasetRef("svhn");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("known: fashion-mnist"), std::string::npos);
  auto missing = LoadDataset({"fashion-mnist", "/nonexistent/fm"}, data::Split::kTest);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/fm"), std::string::npos);
  EXPECT_NE(missing.status().message().find("apt-get install dataset-fashion-mnist"),
            std::string::npos);
}

}  // namespace
}  // namespace triton::driver
