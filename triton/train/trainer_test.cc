// The training loop on a tiny synthetic data set (mnist_mlp, 1 thread): it learns, resumes
// bitwise, rejects damaged checkpoints and changed options, and exports packages whose runtime
// accuracy matches the libtorch evaluation. Also the learning-rate schedules.
#include "triton/train/trainer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "triton/driver/eval.h"
#include "triton/format/package.h"
#include "triton/train/checkpoint.h"
#include "triton/train/schedule.h"

namespace triton::train {
namespace {

namespace fs = std::filesystem;

// `n` random 1x28x28 images labelled by a fixed random linear rule. The images are low-rank (each
// 0.5 plus a random mix of 10 fixed random +-1 patterns, plus noise) and the label is argmax over
// 10 classes of a fixed random linear function of the mix -- linear in the pixels too -- so a small
// MLP learns it from a few hundred samples. `seed` picks the images; patterns and rule are the same
// for every seed.
data::InMemoryDataset LinearRuleData(int64_t n, uint64_t seed) {
  constexpr int kPixels = 784, kRank = 10, kClasses = 10;
  std::mt19937_64 rule_rng(1234), rng(seed);
  std::uniform_real_distribution<double> uniform;
  std::normal_distribution<double> normal;
  std::vector<double> patterns(kRank * kPixels), w(kClasses * kRank);
  for (double& x : patterns) x = uniform(rule_rng) < 0.5 ? -1 : 1;  // ~orthogonal
  for (double& x : w) x = normal(rule_rng);
  for (int c = 0; c < kClasses; ++c) w[c * kRank + c] += 4;  // a dominant term per class
  std::vector<uint8_t> pixels(static_cast<size_t>(n) * kPixels);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) {
    double mix[kRank];
    for (double& m : mix) m = uniform(rng);
    for (int p = 0; p < kPixels; ++p) {
      double v = 0.45 + 0.1 * uniform(rng);
      for (int k = 0; k < kRank; ++k) v += 0.12 * (mix[k] - 0.5) * patterns[k * kPixels + p];
      pixels[i * kPixels + p] = static_cast<uint8_t>(std::clamp(v, 0.0, 1.0) * 255);
    }
    double best = -1e300;
    for (int c = 0; c < kClasses; ++c) {
      double s = 0;
      for (int k = 0; k < kRank; ++k) s += w[c * kRank + k] * (mix[k] - 0.5);
      if (s > best) best = s, labels[i] = c;
    }
  }
  std::vector<std::string> classes;
  for (int c = 0; c < kClasses; ++c) classes.push_back(std::to_string(c));
  return data::InMemoryDataset(fmt::format("synthetic-{}", seed), {1, 28, 28}, std::move(pixels),
                               std::move(labels), classes);
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("trainer_test_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TrainOptions Options(const std::string& out, int epochs) {
    TrainOptions o;
    o.model = "mnist_mlp";
    o.data = "mnist";
    o.recipe = DefaultRecipe("mnist");
    o.recipe.epochs = epochs;
    o.recipe.batch = 16;
    o.recipe.lr = 0.02;
    o.seed = 7;
    o.threads = 1;
    o.out_dir = (dir_ / out).string();
    o.train_data = &train_;
    o.test_data = &test_;
    o.export_packages = false;
    return o;
  }

  // An FP32 run (`--method none`) that writes its packages without measuring them: a teacher or
  // an --init package for the runs after it.
  TrainOptions Fp32Run(const std::string& out, int epochs) {
    TrainOptions o = Options(out, epochs);
    o.qat.method = "none";
    o.export_packages = true;
    o.measure_packages = false;
    return o;
  }

  // `tweak` changes both runs' options (another model, batch mixing, ...).
  void ResumeMatchesStraightRun(const std::string& optimizer,
                                const std::function<void(TrainOptions&)>& tweak = {});

  fs::path dir_;
  data::InMemoryDataset train_ = LinearRuleData(256, 1);
  data::InMemoryDataset test_ = LinearRuleData(128, 2);
};

TEST_F(TrainerTest, LearnsAndExportsWhatTheRuntimeMeasures) {
  TrainOptions o = Options("run", 3);
  o.export_packages = true;
  o.command = "triton train --model mnist_mlp --data mnist";
  Result<TrainResult> r = Train(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TrainResult& t = r.value();
  ASSERT_EQ(t.history.size(), 3u);
  EXPECT_FALSE(t.interrupted);
  EXPECT_LT(t.history[2].loss, t.history[0].loss);
  EXPECT_GT(t.history[2].train_acc, 0.3);  // chance: 0.1
  EXPECT_GT(t.history[2].test_acc, 0.25);
  // The runtime on the ternary package with FP32 activations computes what libtorch's eval-mode
  // forward computes (up to float summation order: at most one sample of 128 may flip).
  EXPECT_NEAR(t.ternary_acc_fp32_act, t.torch_test_acc, 1.5 / 128);
  EXPECT_NEAR(t.ternary_acc, t.torch_test_acc, 4.5 / 128);  // int8 activations

  Result<format::Package> p = format::ReadPackage(t.ternary_package);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto& x = p.value().meta.extra;
  EXPECT_EQ(x.at(driver::kMetaDataName), "mnist");
  EXPECT_EQ(x.at(driver::kMetaDataShape), "1x28x28");
  EXPECT_EQ(x.at(driver::kMetaDataMean), "0.1307");
  EXPECT_EQ(x.at(driver::kMetaTrainCommand), o.command);
  EXPECT_EQ(x.at(driver::kMetaTrainEpochs), "3");
  EXPECT_NE(x.at(driver::kMetaTrainRecipe).find("sgd"), std::string::npos);
  EXPECT_DOUBLE_EQ(p.value().meta.accuracy, t.ternary_acc);
  EXPECT_NE(p.value().meta.quantization.find("2bit"), std::string::npos);
  bool has_ternary = false;
  for (const auto& tensor : p.value().tensors) has_ternary |= tensor.ternary();
  EXPECT_TRUE(has_ternary);
  EXPECT_TRUE(fs::exists(dir_ / "run" / "model_fp32.tnn"));
  EXPECT_TRUE(fs::exists(dir_ / "run" / "log.csv"));
  std::ifstream log(t.log_json);
  nlohmann::json j = nlohmann::json::parse(log);
  EXPECT_EQ(j.at("epochs").size(), 3u);
  EXPECT_EQ(j.at("epochs")[1].at("epoch"), 2);
}

// Train 2 of 4 planned epochs, stop, resume to 4: bitwise the state and metrics of a straight
// 4-epoch run (1 thread).
TEST_F(TrainerTest, ResumeIsBitwiseExact) {
  for (const char* optimizer : {"sgd", "adamw"}) {
    SCOPED_TRACE(optimizer);
    ResumeMatchesStraightRun(optimizer);
  }
}

void TrainerTest::ResumeMatchesStraightRun(const std::string& optimizer,
                                           const std::function<void(TrainOptions&)>& tweak) {
  fs::remove_all(dir_ / "resumed");
  fs::remove_all(dir_ / "straight");
  TrainOptions a = Options("resumed", 4);
  a.recipe.optimizer = optimizer;
  if (tweak) tweak(a);
  a.stop_after = 2;
  Result<TrainResult> first = Train(a);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first.value().interrupted);
  EXPECT_EQ(first.value().history.size(), 2u);
  a.stop_after = 0;
  a.resume = true;
  Result<TrainResult> second = Train(a);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second.value().resumed_from, 2);

  TrainOptions b = Options("straight", 4);
  b.recipe.optimizer = optimizer;
  if (tweak) tweak(b);
  Result<TrainResult> straight = Train(b);
  ASSERT_TRUE(straight.ok()) << straight.status().message();
  ASSERT_EQ(second.value().history.size(), 4u);
  for (size_t e = 0; e < 4; ++e) {
    EXPECT_EQ(second.value().history[e].loss, straight.value().history[e].loss) << e;
    EXPECT_EQ(second.value().history[e].test_acc, straight.value().history[e].test_acc) << e;
    EXPECT_EQ(second.value().history[e].test_loss, straight.value().history[e].test_loss) << e;
  }
  Result<CheckpointData> x = ReadCheckpoint(second.value().checkpoint);
  Result<CheckpointData> y = ReadCheckpoint(straight.value().checkpoint);
  ASSERT_TRUE(x.ok() && y.ok());
  ASSERT_EQ(x.value().state.size(), y.value().state.size());
  for (size_t i = 0; i < x.value().state.size(); ++i) {
    EXPECT_EQ(x.value().state[i].first, y.value().state[i].first);
    EXPECT_TRUE(torch::equal(x.value().state[i].second, y.value().state[i].second))
        << x.value().state[i].first;
  }
  EXPECT_EQ(x.value().meta.at("epoch"), 4);
}

// Mixup and CutMix draw from (seed, epoch, step): a resumed run mixes as the straight one does.
TEST_F(TrainerTest, ResumeIsBitwiseExactWithBatchMixing) {
  ResumeMatchesStraightRun("sgd", [](TrainOptions& o) {
    o.model = "mnist_cnn";
    o.recipe.mixup = 0.2;
    o.recipe.cutmix = 1.0;
    o.recipe.mix_prob = 0.8;
  });
}

TEST_F(TrainerTest, CutMixNeedsImageInputs) {
  TrainOptions o = Options("run", 1);
  o.recipe.cutmix = 1.0;  // mnist_mlp takes flat vectors
  Result<TrainResult> r = Train(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--cutmix needs image inputs"), std::string::npos)
      << r.status().message();
}

// An FP32 teacher trained here teaches a ternary student; the packages name it, the options hash
// covers it, and teachers that do not fit are clear errors naming the file.
TEST_F(TrainerTest, DistillsFromATeacherPackage) {
  TrainOptions t = Fp32Run("teacher", 2);
  t.model = "mnist_cnn";
  Result<TrainResult> tr = Train(t);
  ASSERT_TRUE(tr.ok()) << tr.status().message();
  const std::string teacher = tr.value().fp32_package;

  TrainOptions s = Options("student", 2);
  s.model = "mnist_cnn";
  s.teacher = teacher;
  s.distill_alpha = 0.7;
  s.export_packages = true;
  s.measure_packages = false;
  Result<TrainResult> sr = Train(s);
  ASSERT_TRUE(sr.ok()) << sr.status().message();
  EXPECT_GT(sr.value().history.back().train_acc, 0.2);
  Result<format::Package> p = format::ReadPackage(sr.value().ternary_package);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p.value().meta.extra.at("train.teacher"), teacher);
  std::ifstream log(sr.value().log_json);
  const nlohmann::json j = nlohmann::json::parse(log);
  EXPECT_EQ(j.at("options").at("distill").at("alpha"), 0.7);

  // alpha 0 is the plain label loss: the same trajectory as no teacher at all.
  TrainOptions zero = Options("alpha0", 1), plain = Options("plain", 1);
  zero.model = plain.model = "mnist_cnn";
  zero.teacher = teacher;
  zero.distill_alpha = 0;
  Result<TrainResult> z = Train(zero), n = Train(plain);
  ASSERT_TRUE(z.ok() && n.ok());
  EXPECT_EQ(z.value().history[0].loss, n.value().history[0].loss);

  TrainOptions bad = Options("bad", 1);  // mnist_mlp takes [N, 784], the teacher [N, 1, 28, 28]
  bad.teacher = teacher;
  Result<TrainResult> b = Train(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("--teacher " + teacher + ": its input is"), std::string::npos)
      << b.status().message();
  bad.teacher = (dir_ / "missing.tnn").string();
  b = Train(bad);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("missing.tnn: cannot open"), std::string::npos);
  // A teacher of another data set: the inputs would be normalized otherwise.
  format::Package other = format::ReadPackage(teacher).value();
  other.meta.extra[driver::kMetaDataName] = "fashion-mnist";
  const std::string other_path = (dir_ / "other.tnn").string();
  ASSERT_TRUE(format::WritePackage(other_path, other).ok());
  TrainOptions o2 = s;
  o2.out_dir = (dir_ / "o2").string();
  o2.teacher = other_path;
  b = Train(o2);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("trained on fashion-mnist, this run trains on mnist"),
            std::string::npos)
      << b.status().message();
}

// --init: a run starts from a package's weights. With a learning rate too small to move them, the
// first epoch measures what the FP32 run ended at, where a run from the IR's initializers is near
// chance; the options hash covers the file; a package that does not fit is a clear error.
TEST_F(TrainerTest, StartsFromAnInitPackage) {
  TrainOptions fp = Fp32Run("fp32", 5);
  Result<TrainResult> f = Train(fp);
  ASSERT_TRUE(f.ok()) << f.status().message();
  const std::string init = f.value().fp32_package;
  const double trained = f.value().history.back().test_acc;
  ASSERT_GT(trained, 0.4);  // chance is 0.1

  auto frozen = [&](const std::string& out) {
    TrainOptions o = Options(out, 1);
    o.qat.method = "none";
    o.recipe.lr = 1e-9;
    o.recipe.schedule = "constant";
    o.recipe.weight_decay = 0;
    return o;
  };
  TrainOptions from = frozen("from"), scratch = frozen("scratch");
  from.init = init;
  from.export_packages = true;
  from.measure_packages = false;
  Result<TrainResult> a = Train(from), b = Train(scratch);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_NEAR(a.value().history[0].test_acc, trained, 0.01);
  EXPECT_LT(b.value().history[0].test_acc, trained - 0.2);
  EXPECT_NE(a.value().options_hash, b.value().options_hash);
  Result<format::Package> p = format::ReadPackage(a.value().fp32_package);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p.value().meta.extra.at("train.init"), init);

  // A ternary run from the same package resumes exactly like its straight run would: the
  // checkpoint, not the package, holds the weights after the first epoch.
  TrainOptions t = Options("ternary", 2);
  t.init = init;
  t.stop_after = 1;
  ASSERT_TRUE(Train(t).ok());
  t.stop_after = 0;
  t.resume = true;
  Result<TrainResult> resumed = Train(t);
  TrainOptions straight = Options("straight", 2);
  straight.init = init;
  Result<TrainResult> s = Train(straight);
  ASSERT_TRUE(resumed.ok() && s.ok());
  EXPECT_EQ(resumed.value().history.back().loss, s.value().history.back().loss);

  // Errors: a missing file, another data set, a tensor the model needs and the package lacks.
  TrainOptions bad = Options("bad", 1);
  bad.init = (dir_ / "missing.tnn").string();
  Result<TrainResult> r = Train(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--init " + bad.init + ": cannot open"), std::string::npos)
      << r.status().message();
  format::Package other = format::ReadPackage(init).value();
  other.meta.extra[driver::kMetaDataName] = "fashion-mnist";
  bad.init = (dir_ / "other.tnn").string();
  ASSERT_TRUE(format::WritePackage(bad.init, other).ok());
  r = Train(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("trained on fashion-mnist, this run trains on mnist"),
            std::string::npos)
      << r.status().message();
  format::Package lacking = format::ReadPackage(init).value();
  const std::string dropped = lacking.tensors.back().name;
  lacking.tensors.pop_back();
  bad.init = (dir_ / "lacking.tnn").string();
  ASSERT_TRUE(format::WritePackage(bad.init, lacking).ok());
  r = Train(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--init " + bad.init + ": "), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find(dropped), std::string::npos) << r.status().message();
}

// --scale-lr multiplies the learning rate of TTQ's scales Wp/Wn alone. Near zero, the exported
// scales keep their initial values (those of a run whose whole learning rate is near zero) while
// the weights train; at 1 the scales move. A multiplier <= 0 is a recipe error.
TEST_F(TrainerTest, ScaleLearningRateMovesOnlyTheTtqScales) {
  auto run = [&](const std::string& out, double lr, double scale_lr) {
    TrainOptions o = Options(out, 1);
    o.qat.method = "learned";
    o.recipe.lr = lr;
    o.recipe.scale_lr = scale_lr;
    o.export_packages = true;
    o.measure_packages = false;
    Result<TrainResult> r = Train(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : TrainResult{};
  };
  const TrainResult frozen = run("frozen", 1e-9, 1.0), fixed = run("fixed", 0.02, 1e-12),
                    free = run("free", 0.02, 1.0);
  ASSERT_FALSE(frozen.ternary_package.empty() || fixed.ternary_package.empty() ||
               free.ternary_package.empty());
  EXPECT_NE(fixed.options_hash, free.options_hash);
  EXPECT_NE(fixed.history.back().loss, frozen.history.back().loss);  // the weights trained
  auto scales = [](const std::string& path) {
    format::Package p = format::ReadPackage(path).value();
    std::vector<float> s;
    for (const format::TensorRecord& t : p.tensors) {
      s.insert(s.end(), t.scale_pos.begin(), t.scale_pos.end());
      s.insert(s.end(), t.scale_neg.begin(), t.scale_neg.end());
    }
    return s;
  };
  const std::vector<float> init = scales(frozen.ternary_package),
                           kept = scales(fixed.ternary_package),
                           moved = scales(free.ternary_package);
  ASSERT_FALSE(init.empty());
  ASSERT_EQ(init.size(), kept.size());
  ASSERT_EQ(init.size(), moved.size());
  double kept_change = 0, moved_change = 0;
  for (size_t i = 0; i < init.size(); ++i) {
    if (init[i] == 0) continue;  // a side without codes exports 0
    kept_change = std::max(kept_change, std::fabs(kept[i] / init[i] - 1.0));
    moved_change = std::max(moved_change, std::fabs(moved[i] / init[i] - 1.0));
  }
  EXPECT_LT(kept_change, 1e-5);
  EXPECT_GT(moved_change, 1e-2);

  TrainOptions bad = Options("bad", 1);
  bad.recipe.scale_lr = 0;
  Result<TrainResult> r = Train(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("scale learning-rate multiplier > 0"), std::string::npos)
      << r.status().message();
}

// Batch-norm re-calibration: the ternary package gets the new statistics (the runtime still
// agrees with libtorch's accuracy measured after it), the FP32 package keeps training's.
TEST_F(TrainerTest, BatchNormRecalibrationReachesTheTernaryPackage) {
  TrainOptions o = Options("run", 2);
  o.model = "mnist_cnn";
  o.export_packages = true;
  o.bn_recal_batches = 8;
  Result<TrainResult> r = Train(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TrainResult& t = r.value();
  EXPECT_FALSE(std::isnan(t.torch_test_acc_before_recal));
  EXPECT_NEAR(t.ternary_acc_fp32_act, t.torch_test_acc, 1.5 / 128);
  format::Package tern = format::ReadPackage(t.ternary_package).value();
  format::Package fp32 = format::ReadPackage(t.fp32_package).value();
  EXPECT_EQ(tern.meta.extra.at("train.bn_recalibration"), "8 batches");
  int compared = 0;
  for (const auto& a : tern.tensors) {
    if (!a.name.ends_with("running_mean")) continue;
    for (const auto& b : fp32.tensors) {
      if (b.name == a.name) {
        EXPECT_NE(a.f32, b.f32) << a.name;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 3);  // conv1, conv2, conv3
}

TEST_F(TrainerTest, DamagedCheckpointAndChangedOptionsAreClearErrors) {
  TrainOptions o = Options("run", 2);
  o.stop_after = 1;
  Result<TrainResult> r = Train(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::string ckpt = r.value().checkpoint;

  // A checkpoint is there: without --resume the run refuses to overwrite it.
  o.stop_after = 0;
  Result<TrainResult> again = Train(o);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("--resume"), std::string::npos);

  // Other options than the checkpoint's: the differences are listed.
  o.resume = true;
  TrainOptions changed = o;
  changed.recipe.lr = 0.01;
  Result<TrainResult> c = Train(changed);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("recipe.lr: 0.02 in the checkpoint, 0.01 now"),
            std::string::npos)
      << c.status().message();

  // One flipped byte, then a truncated file.
  std::string bytes;
  {
    std::ifstream f(ckpt, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x40;
  std::ofstream(ckpt, std::ios::binary) << flipped;
  Result<TrainResult> d = Train(o);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find(ckpt + ": damaged checkpoint: checksum mismatch"),
            std::string::npos)
      << d.status().message();
  std::ofstream(ckpt, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 3);
  Result<CheckpointData> t = ReadCheckpoint(ckpt);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("the header declares"), std::string::npos)
      << t.status().message();
  std::ofstream(ckpt, std::ios::binary | std::ios::trunc) << "hello";
  t = ReadCheckpoint(ckpt);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("not a Triton checkpoint"), std::string::npos);

  // The intact checkpoint resumes.
  std::ofstream(ckpt, std::ios::binary | std::ios::trunc) << bytes;
  Result<TrainResult> ok = Train(o);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok.value().history.size(), 2u);
}

TEST_F(TrainerTest, InterruptLeavesTheLastCheckpoint) {
  TrainOptions o = Options("run", 3);
  std::atomic<bool> stop{false};
  o.interrupt = &stop;
  o.on_epoch = [&](const EpochRecord& e) {
    if (e.epoch == 1) stop = true;
  };
  Result<TrainResult> r = Train(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r.value().interrupted);
  Result<CheckpointData> c = ReadCheckpoint(r.value().checkpoint);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().meta.at("epoch"), 1);
  for (const auto& e : fs::directory_iterator(dir_ / "run")) {
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(ScheduleTest, Shapes) {
  Schedule s{.kind = "onecycle", .lr = 1.0, .total_steps = 100};
  ASSERT_TRUE(ValidateSchedule(s).ok());
  EXPECT_NEAR(LearningRate(s, 0), 1.0 / 25, 1e-12);
  EXPECT_NEAR(LearningRate(s, 29), 1.0, 1e-12);  // PyTorch: peak at pct_start * total - 1
  EXPECT_NEAR(LearningRate(s, 99), 1.0 / 25 / 1e4, 1e-12);
  EXPECT_GT(LearningRate(s, 20), LearningRate(s, 10));
  EXPECT_GT(LearningRate(s, 50), LearningRate(s, 80));

  s = {.kind = "cosine", .lr = 2.0, .total_steps = 110, .warmup_steps = 10};
  EXPECT_NEAR(LearningRate(s, 0), 0.2, 1e-12);
  EXPECT_NEAR(LearningRate(s, 9), 2.0, 1e-12);
  EXPECT_NEAR(LearningRate(s, 10), 2.0, 1e-12);
  EXPECT_NEAR(LearningRate(s, 60), 1.0, 1e-12);

  s = {.kind = "step", .lr = 1.0, .total_steps = 100};
  EXPECT_EQ(LearningRate(s, 49), 1.0);
  EXPECT_NEAR(LearningRate(s, 50), 0.1, 1e-12);
  EXPECT_NEAR(LearningRate(s, 75), 0.01, 1e-12);

  s.kind = "exponential";
  EXPECT_NE(ValidateSchedule(s).message().find("known: onecycle"), std::string::npos);
}

}  // namespace
}  // namespace triton::train
