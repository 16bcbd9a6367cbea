// `triton train` and `triton eval` end to end on a tiny Fashion-MNIST-layout folder of raw IDX
// files written here (96 training and 32 test images): exit codes, JSON fields, the metadata
// round trip (eval's accuracy equals the one train recorded), and the data set errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "tests/cli_util.h"

namespace {

namespace fs = std::filesystem;

using Output = triton::testing::CliOutput;

// Runs `args` with the triton binary; stdout captured, stderr to `err_file`.
Output Triton(const std::string& args, const std::string& err_file) {
  return triton::testing::RunCli(TRITON_BINARY, args, err_file);
}

std::string Slurp(const fs::path& p) {
  std::ifstream f(p);
  return {std::istreambuf_iterator<char>(f), {}};
}

void PutU32(std::ofstream& f, uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  f.write(b, 4);
}

// IDX images [n, 28, 28] and labels [n] (THE IDX FILE FORMAT: big-endian magic and sizes). The
// label is a function of the mean brightness of the image's top rows, so something is learnable.
void WriteIdx(const fs::path& dir, const std::string& prefix, int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::ofstream images(dir / (prefix + "-images-idx3-ubyte"), std::ios::binary);
  std::ofstream labels(dir / (prefix + "-labels-idx1-ubyte"), std::ios::binary);
  PutU32(images, 0x803);
  PutU32(images, n);
  PutU32(images, 28);
  PutU32(images, 28);
  PutU32(labels, 0x801);
  PutU32(labels, n);
  for (int i = 0; i < n; ++i) {
    const int label = static_cast<int>(rng() % 10);
    std::string img(784, '\0');
    for (int p = 0; p < 784; ++p) {
      const int base = p < 112 ? label * 25 : 0;
      img[p] = static_cast<char>(std::min(255, base + static_cast<int>(rng() % 30)));
    }
    images.write(img.data(), img.size());
    labels.put(static_cast<char>(label));
  }
}

class TrainEvalCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("train_eval_cli_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "fm");
    WriteIdx(dir_ / "fm", "train", 96, 1);
    WriteIdx(dir_ / "fm", "t10k", 32, 2);
    err_ = (dir_ / "stderr.txt").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string err_;
};

TEST_F(TrainEvalCliTest, TrainThenEval) {
  const std::string data = "fashion-mnist:" + (dir_ / "fm").string();
  const std::string out = (dir_ / "out").string();
  Output t = Triton("train --model mnist_mlp --data " + data +
                        " --epochs 2 --batch 16 --threads 1 --out " + out + " --json",
                    err_);
  ASSERT_EQ(t.code, 0) << Slurp(err_);
  nlohmann::json tj = nlohmann::json::parse(t.out);
  ASSERT_EQ(tj.at("epochs").size(), 2u);
  const double train_acc = tj.at("ternary_acc");
  EXPECT_NE(tj.at("command").get<std::string>().find("--epochs 2"), std::string::npos);

  Output e =
      Triton("eval " + out + "/model_ternary.tnn --data " + data + " --threads 1 --json", err_);
  ASSERT_EQ(e.code, 0) << Slurp(err_);
  nlohmann::json ej = nlohmann::json::parse(e.out);
  EXPECT_EQ(ej.at("samples"), 32);
  EXPECT_EQ(ej.at("dataset"), "fashion-mnist");
  EXPECT_EQ(ej.at("engine"), "ternary");
  EXPECT_EQ(ej.at("activations"), "int8");
  EXPECT_EQ(ej.at("normalization").at("source"), "package");
  EXPECT_EQ(ej.at("per_class").size(), 10u);
  EXPECT_EQ(ej.at("confusion").size(), 10u);
  EXPECT_DOUBLE_EQ(ej.at("top1").get<double>(), train_acc);
  EXPECT_DOUBLE_EQ(ej.at("recorded_accuracy").get<double>(), train_acc);
  EXPECT_GE(ej.at("top5").get<double>(), ej.at("top1").get<double>());
  EXPECT_GT(ej.at("samples_per_s").get<double>(), 0);

  // Text output; a second train into the same folder without --resume is refused (exit 1).
  Output text = Triton("eval " + out + "/model_ternary.tnn --data " + data, err_);
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("top-1"), std::string::npos);
  Output again =
      Triton("train --model mnist_mlp --data " + data + " --epochs 2 --out " + out, err_);
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(Slurp(err_).find("--resume"), std::string::npos);
  // --resume of the finished run re-exports without training.
  Output resumed =
      Triton("train --model mnist_mlp --data " + data +
                 " --epochs 2 --batch 16 --threads 1 --out " + out + " --resume --json --quiet",
             err_);
  ASSERT_EQ(resumed.code, 0) << Slurp(err_);
  EXPECT_EQ(nlohmann::json::parse(resumed.out).at("resumed_from"), 2);
}

// --no-export-eval writes both packages without measuring them; `triton eval` then measures the
// ternary one and finds no recorded accuracy in it.
TEST_F(TrainEvalCliTest, ExportWithoutEval) {
  const std::string data = "fashion-mnist:" + (dir_ / "fm").string();
  const fs::path out = dir_ / "noeval";
  Output t =
      Triton("train --model mnist_mlp --data " + data +
                 " --epochs 1 --batch 16 --threads 1 --no-export-eval --json --out " + out.string(),
             err_);
  ASSERT_EQ(t.code, 0) << Slurp(err_);
  nlohmann::json tj = nlohmann::json::parse(t.out);
  EXPECT_TRUE(tj.at("ternary_acc").is_null());
  EXPECT_TRUE(tj.at("fp32_acc").is_null());
  EXPECT_TRUE(fs::exists(out / "model_fp32.tnn"));
  ASSERT_TRUE(fs::exists(out / "model_ternary.tnn"));
  Output e = Triton(
      "eval " + (out / "model_ternary.tnn").string() + " --data " + data + " --threads 1 --json",
      err_);
  ASSERT_EQ(e.code, 0) << Slurp(err_);
  nlohmann::json ej = nlohmann::json::parse(e.out);
  EXPECT_TRUE(ej.at("recorded_accuracy").is_null()) << ej.dump();
  EXPECT_GE(ej.at("top1").get<double>(), 0.0);

  // --record writes the measurement into the package; only the measurement an export makes.
  const std::string tern = (out / "model_ternary.tnn").string();
  Output partial = Triton("eval " + tern + " --data " + data + " --limit 8 --record", err_);
  EXPECT_EQ(partial.code, 1);
  EXPECT_NE(Slurp(err_).find("--record needs"), std::string::npos) << Slurp(err_);
  Output rec = Triton("eval " + tern + " --data " + data + " --threads 1 --record --json", err_);
  ASSERT_EQ(rec.code, 0) << Slurp(err_);
  EXPECT_NE(Slurp(err_).find("recorded top-1"), std::string::npos);
  Output again = Triton("eval " + tern + " --data " + data + " --threads 1 --json", err_);
  ASSERT_EQ(again.code, 0) << Slurp(err_);
  nlohmann::json aj = nlohmann::json::parse(again.out);
  EXPECT_DOUBLE_EQ(aj.at("recorded_accuracy").get<double>(), ej.at("top1").get<double>());
}

// The mixing, distillation, init and re-calibration flags reach the trainer (trainer_test covers
// what they do): a teacher trained here, a student started from it with mixup and --bn-recal.
TEST_F(TrainEvalCliTest, MixDistillAndRecalibrationFlags) {
  const std::string data = "fashion-mnist:" + (dir_ / "fm").string();
  const std::string base = "train --model mnist_mlp --data " + data +
                           " --epochs 1 --batch 16 --threads 1 --no-export-eval --json --out ";
  Output t = Triton(base + (dir_ / "teacher").string() + " --method none", err_);
  ASSERT_EQ(t.code, 0) << Slurp(err_);
  const std::string teacher = (dir_ / "teacher" / "model_fp32.tnn").string();
  Output s = Triton(base + (dir_ / "student").string() + " --mixup 0.2 --mix-prob 0.5 --teacher " +
                        teacher + " --init " + teacher +
                        " --distill-alpha 0.3 --distill-temp 2 --bn-recal 3",
                    err_);
  ASSERT_EQ(s.code, 0) << Slurp(err_);
  nlohmann::json sj = nlohmann::json::parse(s.out);
  EXPECT_FALSE(sj.at("torch_test_acc_before_recal").is_null());
  const nlohmann::json log = nlohmann::json::parse(Slurp(dir_ / "student" / "log.json"));
  EXPECT_EQ(log.at("options").at("recipe").at("mix").at("mixup"), 0.2);
  EXPECT_EQ(log.at("options").at("distill").at("temperature"), 2.0);
  EXPECT_TRUE(log.at("options").at("init").contains("hash"));
  Output bad = Triton(base + (dir_ / "bad").string() + " --cutmix 1", err_);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(Slurp(err_).find("--cutmix needs image inputs"), std::string::npos) << Slurp(err_);
}

// A device this libtorch cannot use is a user error that names the flag (the Debian build has no
// CUDA; with a CUDA build and a GPU, `cuda` trains, and `cuda:99` names the device count).
TEST_F(TrainEvalCliTest, DeviceErrors) {
  const std::string base =
      "train --model mnist_mlp --data fashion-mnist:" + (dir_ / "fm").string() +
      " --epochs 1 --out " + (dir_ / "d").string();
  Output bad = Triton(base + " --device tpu", err_);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(Slurp(err_).find("--device 'tpu': expected cpu, cuda or cuda:N"), std::string::npos)
      << Slurp(err_);
  Output far = Triton(base + " --device cuda:99", err_);
  EXPECT_EQ(far.code, 1);
  const std::string err = Slurp(err_);
  EXPECT_NE(err.find("--device cuda:99"), std::string::npos) << err;
}

// `triton` does not load libtorch (torch_helper.h): `train` and `bench perf` run in
// `triton-torch` beside it. A `triton` without its helper still compiles, and says where the
// helper should be for `train`.
TEST_F(TrainEvalCliTest, LibtorchCommandsRunInTheHelper) {
  const triton::testing::CliOutput libs = triton::testing::RunCli(
      "LD_TRACE_LOADED_OBJECTS=1 " + std::string(TRITON_BINARY), "", (dir_ / "ldd.err").string());
  ASSERT_NE(libs.out.find("libc.so"), std::string::npos) << libs.out;  // the loader's list
  EXPECT_EQ(libs.out.find("libtorch"), std::string::npos) << libs.out;
  EXPECT_EQ(libs.out.find("libc10"), std::string::npos) << libs.out;

  fs::create_directories(dir_ / "alone");
  const fs::path alone = dir_ / "alone" / "triton";
  fs::copy_file(TRITON_BINARY, alone);
  const std::string models = std::string(TRITON_SOURCE_DIR) + "/models/";
  triton::testing::CliOutput c = triton::testing::RunCli(
      alone.string(), "compile " + models + "mnist_mlp.tri --model mnist_mlp --no-cache", err_);
  EXPECT_EQ(c.code, 0) << Slurp(err_);
  triton::testing::CliOutput t = triton::testing::RunCli(
      alone.string(), "train --model mnist_mlp --out " + (dir_ / "t").string(), err_);
  EXPECT_EQ(t.code, 1);
  const std::string err = Slurp(err_);
  EXPECT_NE(err.find((dir_ / "alone" / "triton-torch").string()), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir_ / "t"));
}

TEST_F(TrainEvalCliTest, Errors) {
  Output missing = Triton("eval x.tnn --data fashion-mnist", err_);
  EXPECT_EQ(missing.code, 1);
  Output nodata =
      Triton("train --model mnist_mlp --data fashion-mnist:" + (dir_ / "nothing").string() +
                 " --out " + (dir_ / "o").string(),
             err_);
  EXPECT_EQ(nodata.code, 1);
  const std::string err = Slurp(err_);
  EXPECT_NE(err.find((dir_ / "nothing").string()), std::string::npos) << err;
  EXPECT_NE(err.find("apt-get install dataset-fashion-mnist"), std::string::npos) << err;
  Output usage = Triton("train --model mnist_mlp --optimizer rmsprop", err_);
  EXPECT_EQ(usage.code, 2);
}

}  // namespace
