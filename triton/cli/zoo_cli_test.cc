// `triton zoo list|show` end to end: for every zoo model `zoo show NAME --json` succeeds and
// agrees with `triton compile --emit=summary --json`; the sizes equal those of the files
// `compile -o` + `quantize --format 2bit|base3` write; the pretrained Fashion-MNIST package is
// listed for mnist_mlp with its accuracy and commands; a pretrained directory with several
// packages and a damaged one; unknown names and usage errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_util.h"
#include "triton/driver/zoo.h"

namespace {

namespace fs = std::filesystem;

using Output = triton::testing::CliOutput;
using nlohmann::json;

const std::string kModels = std::string(TRITON_SOURCE_DIR) + "/models";

class ZooCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    dir_ = fs::temp_directory_path() / ("zoo_cli_test_" + std::to_string(::getpid()) + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    err_ = (dir_ / "stderr.txt").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // `triton args`, with TRITON_MODELS_DIR set to `models_dir` when given.
  Output Triton(const std::string& args, const std::string& models_dir = "") {
    const std::string env = models_dir.empty() ? "" : "TRITON_MODELS_DIR='" + models_dir + "' ";
    return triton::testing::RunCli(env + TRITON_BINARY, args, err_);
  }
  json ShowJson(const std::string& model, const std::string& models_dir = "") {
    Output o = Triton("zoo show " + model + " --json", models_dir);
    EXPECT_EQ(o.code, 0) << o.err;
    return json::parse(o.out, nullptr, false);
  }
  fs::path dir_;
  std::string err_;
};

class ZooCliEveryModel : public ZooCliTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(ZooCliEveryModel, AgreesWithCompileSummary) {
  const std::string model = GetParam();
  const triton::driver::ZooEntry* e = triton::driver::FindZooModel(model);
  ASSERT_NE(e, nullptr);
  json z = ShowJson(model);
  ASSERT_FALSE(z.is_discarded());
  Output c = Triton("compile " + kModels + "/" + std::string(e->file) + " --model " + model +
                    " --emit=summary --json --no-cache");
  ASSERT_EQ(c.code, 0) << c.err;
  json s = json::parse(c.out);

  EXPECT_EQ(z["name"], model);
  EXPECT_EQ(z["dataset"], std::string(e->dataset));
  EXPECT_FALSE(z["description"].get<std::string>().empty());
  EXPECT_EQ(z["parameters"], s["parameters"]);
  EXPECT_EQ(z["ternary_parameters"], s["ternary_parameters"]);
  EXPECT_EQ(z["buffer_elements"], s["buffer_elements"]);
  EXPECT_EQ(z["macs"], s["macs"]);
  EXPECT_GT(z["macs"].get<int64_t>(), 0);
  std::string dims;
  for (const json& d : z["input_shape"]) dims += ", " + std::to_string(d.get<int64_t>());
  EXPECT_EQ(s["inputs"][0]["type"], "f32[N" + dims + "]");

  const json& sz = z["sizes"];
  const uint64_t fp32 = sz["fp32_bytes"], two = sz["ternary_2bit_bytes"],
                 base3 = sz["ternary_base3_bytes"];
  const int64_t params = z["parameters"], ternary = z["ternary_parameters"],
                buffers = z["buffer_elements"];
  // FP32: every element at 4 bytes, plus the IR, metadata and directory.
  EXPECT_GE(fp32, 4 * static_cast<uint64_t>(params + buffers));
  EXPECT_LT(fp32, 4 * static_cast<uint64_t>(params + buffers) + 4 * 1024 * 1024);
  ASSERT_GT(ternary, 0) << "every zoo model has ternary layers";
  EXPECT_LT(two, fp32);
  EXPECT_LE(base3, two);
  // Each ternary weight saves 4 - 1/4 bytes (2-bit) or 4 - 1/5 (base-3), less its share of the
  // per-channel scales (8 bytes per output channel) and row padding, at most 5% of the saving
  // here (MobileNetV2's narrow layers: 3.7%); alignment padding moves a few bytes either way.
  const double t = static_cast<double>(ternary);
  EXPECT_LE(static_cast<double>(fp32 - two), 3.75 * t + 4096);
  EXPECT_GE(static_cast<double>(fp32 - two), 0.95 * 3.75 * t);
  EXPECT_LE(static_cast<double>(fp32 - base3), 3.8 * t + 4096);
  EXPECT_GE(static_cast<double>(fp32 - base3), 0.95 * 3.8 * t);
  EXPECT_DOUBLE_EQ(sz["ternary_2bit_ratio"].get<double>(),
                   static_cast<double>(fp32) / static_cast<double>(two));
  EXPECT_DOUBLE_EQ(sz["ternary_base3_ratio"].get<double>(),
                   static_cast<double>(fp32) / static_cast<double>(base3));
  EXPECT_EQ(z["ternary_quantization"], "twn per-channel");
  for (const json& p : z["pretrained"]) EXPECT_EQ(p["model"], model);

  Output text = Triton("zoo show " + model);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find(model + ": " + z["description"].get<std::string>()), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("triton compile "), std::string::npos) << text.out;
}

std::vector<std::string> ZooNames() {
  std::vector<std::string> names;
  for (const auto& e : triton::driver::ZooModels()) names.emplace_back(e.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooCliEveryModel, ::testing::ValuesIn(ZooNames()),
                         [](const auto& info) { return info.param; });

// The sizes are those of the files the documented commands write.
TEST_F(ZooCliTest, SizesEqualWrittenFiles) {
  for (const std::string model : {"mnist_mlp", "resnet20_cifar"}) {
    SCOPED_TRACE(model);
    json z = ShowJson(model);
    ASSERT_FALSE(z.is_discarded());
    const std::string src = kModels + "/" + std::string(triton::driver::FindZooModel(model)->file);
    const fs::path fp32 = dir_ / (model + ".tnn"), two = dir_ / (model + "_2bit.tnn"),
                   base3 = dir_ / (model + "_base3.tnn");
    Output o = Triton("compile " + src + " --model " + model + " --no-cache -o " + fp32.string());
    ASSERT_EQ(o.code, 0) << o.err;
    o = Triton("quantize " + fp32.string() + " -o " + two.string() + " --format 2bit");
    ASSERT_EQ(o.code, 0) << o.err;
    o = Triton("quantize " + fp32.string() + " -o " + base3.string() + " --format base3");
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(z["sizes"]["fp32_bytes"].get<uint64_t>(), fs::file_size(fp32));
    EXPECT_EQ(z["sizes"]["ternary_2bit_bytes"].get<uint64_t>(), fs::file_size(two));
    EXPECT_EQ(z["sizes"]["ternary_base3_bytes"].get<uint64_t>(), fs::file_size(base3));
  }
}

TEST_F(ZooCliTest, PretrainedMnistPackageListed) {
  const std::string file = kModels + "/pretrained/mnist_mlp_fashion_mnist_ternary.tnn";
  ASSERT_TRUE(fs::exists(file));
  Output info = Triton("info --json " + file);
  ASSERT_EQ(info.code, 0) << info.err;
  const double accuracy = json::parse(info.out)["accuracy"];

  json z = ShowJson("mnist_mlp");
  ASSERT_FALSE(z.is_discarded());
  const json* found = nullptr;
  for (const json& p : z["pretrained"]) {
    if (fs::path(p["path"].get<std::string>()).filename() == fs::path(file).filename()) found = &p;
  }
  ASSERT_NE(found, nullptr) << z.dump(2);
  const json& p = *found;
  EXPECT_DOUBLE_EQ(p["accuracy"].get<double>(), accuracy);
  EXPECT_EQ(p["dataset"], "fashion-mnist");
  EXPECT_EQ(p["file_bytes"].get<uint64_t>(), fs::file_size(file));
  EXPECT_EQ(p["quantization"], "twn per-channel 2bit");
  EXPECT_EQ(p["train_command"].get<std::string>().rfind("triton train --model mnist_mlp ", 0), 0u)
      << p.dump(2);
  EXPECT_FALSE(p["recipe"].get<std::string>().empty());
  EXPECT_EQ(p["eval_command"],
            "triton eval " + p["path"].get<std::string>() + " --data fashion-mnist");

  Output text = Triton("zoo show mnist_mlp");
  ASSERT_EQ(text.code, 0);
  const std::string pct = [&] {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f %%", 100 * accuracy);
    return std::string(b);
  }();
  EXPECT_NE(text.out.find(pct + " top-1"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(p["train_command"].get<std::string>()), std::string::npos);
  EXPECT_NE(text.out.find(p["eval_command"].get<std::string>()), std::string::npos);
}

// `zoo list` has every model in the registry's order, each row equal to `zoo show`, and the
// pretrained mnist_mlp accuracy in its text table.
TEST_F(ZooCliTest, ListMatchesShow) {
  Output o = Triton("zoo list --json");
  ASSERT_EQ(o.code, 0) << o.err;
  json l = json::parse(o.out);
  ASSERT_EQ(l["models"].size(), ZooNames().size());
  for (size_t i = 0; i < ZooNames().size(); ++i) EXPECT_EQ(l["models"][i]["name"], ZooNames()[i]);
  EXPECT_EQ(l["models"][0], ShowJson("mnist_mlp"));
  for (size_t i = 0; i < ZooNames().size(); ++i) {
    if (ZooNames()[i] == "resnet20_cifar") {
      EXPECT_EQ(l["models"][i], ShowJson("resnet20_cifar"));
    }
  }

  Output text = Triton("zoo list");
  ASSERT_EQ(text.code, 0) << text.err;
  std::string mnist_row;
  for (size_t at = 0; at < text.out.size();) {
    size_t nl = text.out.find('\n', at);
    std::string line = text.out.substr(at, nl - at);
    if (line.rfind("mnist_mlp ", 0) == 0) mnist_row = line;
    at = nl == std::string::npos ? nl : nl + 1;
  }
  const double acc = l["models"][0]["pretrained"][0]["accuracy"];
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.2f %%", 100 * acc);
  EXPECT_NE(mnist_row.find(pct), std::string::npos) << text.out;
  for (const std::string& name : ZooNames()) {
    EXPECT_NE(text.out.find("\n" + name + " "), std::string::npos) << name;
  }
}

// Several packages of one model (best accuracy first), a package of no zoo model, and a damaged
// file that is skipped with a warning, in a models directory of the test's own.
TEST_F(ZooCliTest, PretrainedDirectory) {
  const fs::path models = dir_ / "models", pre = models / "pretrained";
  fs::create_directories(pre);
  for (const auto& f : fs::directory_iterator(kModels)) {
    if (f.path().extension() == ".tri") fs::copy_file(f.path(), models / f.path().filename());
  }
  fs::copy_file(kModels + "/pretrained/mnist_mlp_fashion_mnist_ternary.tnn", pre / "b_trained.tnn");
  Output o = Triton("compile " + kModels + "/mnist_mlp.tri --no-cache -o " +
                    (pre / "a_untrained.tnn").string());
  ASSERT_EQ(o.code, 0) << o.err;
  o = Triton("compile " + kModels + "/resnet_cifar.tri --no-cache -o " +
             (pre / "c_resnet20.tnn").string());
  ASSERT_EQ(o.code, 0) << o.err;
  {  // a model that is not in the zoo
    std::ifstream in(kModels + "/mnist_mlp.tri");
    std::string src((std::istreambuf_iterator<char>(in)), {});
    const std::string decl = "model mnist_mlp = MnistMLP()";
    ASSERT_NE(src.find(decl), std::string::npos);
    src.replace(src.find(decl), decl.size(), "model toy_mlp = MnistMLP(hidden1=8)");
    std::ofstream(dir_ / "toy.tri") << src;
  }
  o = Triton("compile " + (dir_ / "toy.tri").string() + " --no-cache -o " +
             (pre / "e_toy.tnn").string());
  ASSERT_EQ(o.code, 0) << o.err;
  std::ofstream(pre / "d_broken.tnn") << "not a package";

  Output show = Triton("zoo show mnist_mlp --json", models.string());
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.err.find("d_broken.tnn"), std::string::npos) << show.err;
  json z = json::parse(show.out);
  ASSERT_EQ(z["pretrained"].size(), 2u) << z.dump(2);
  EXPECT_EQ(fs::path(z["pretrained"][0]["path"].get<std::string>()).filename(), "b_trained.tnn");
  EXPECT_EQ(fs::path(z["pretrained"][1]["path"].get<std::string>()).filename(), "a_untrained.tnn");
  EXPECT_TRUE(z["pretrained"][1]["accuracy"].is_null());
  EXPECT_EQ(z["pretrained"][1]["quantization"], "");

  json r = ShowJson("resnet20_cifar", models.string());
  ASSERT_EQ(r["pretrained"].size(), 1u);
  EXPECT_EQ(fs::path(r["pretrained"][0]["path"].get<std::string>()).filename(), "c_resnet20.tnn");

  Output text = Triton("zoo show mnist_mlp", models.string());
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("not recorded"), std::string::npos) << text.out;

  Output list = Triton("zoo list --json", models.string());
  ASSERT_EQ(list.code, 0) << list.err;
  json l = json::parse(list.out);
  ASSERT_EQ(l["other_pretrained"].size(), 1u);
  EXPECT_EQ(l["other_pretrained"][0]["model"], "toy_mlp");
  EXPECT_TRUE(l["models"][7]["pretrained"].empty());  // vgg16
}

TEST_F(ZooCliTest, UnknownModelAndUsage) {
  Output o = Triton("zoo show nosuch");
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("unknown zoo model 'nosuch'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("resnet20_cifar"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty());
  o = Triton("zoo show nosuch --json");
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(Triton("zoo").code, 2);
  EXPECT_EQ(Triton("zoo show").code, 2);
  EXPECT_EQ(Triton("zoo list --bogus").code, 2);
  // A models directory without the model's source is a user error naming the directory.
  o = Triton("zoo show mnist_mlp", dir_.string());
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("TRITON_MODELS_DIR"), std::string::npos) << o.err;
}

}  // namespace
