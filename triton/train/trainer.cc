#include "triton/train/trainer.h"

#include <fmt/format.h>
#include <torch/torch.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "triton/base/cpu.h"
#include "triton/base/timer.h"
#include "triton/driver/compile.h"
#include "triton/driver/eval.h"
#include "triton/driver/run.h"
#include "triton/driver/weights.h"
#include "triton/driver/zoo.h"
#include "triton/train/checkpoint.h"
#include "triton/train/mix.h"
#include "triton/train/qat_model.h"
#include "triton/train/schedule.h"
#include "triton/train/teacher.h"

namespace triton::train {

namespace fs = std::filesystem;

nlohmann::json Recipe::ToJson() const {
  nlohmann::json j = {
      {"epochs", epochs},
      {"batch", batch},
      {"optimizer", optimizer},
      {"lr", lr},
      {"momentum", momentum},
      {"nesterov", nesterov},
      {"weight_decay", weight_decay},
      {"schedule", schedule},
      {"warmup_epochs", warmup_epochs},
      {"label_smoothing", label_smoothing},
      {"grad_clip", grad_clip},
      {"augment", {{"pad", augment.pad}, {"hflip", augment.hflip}, {"cutout", augment.cutout}}}};
  // Only when on, so that checkpoints made before mixing existed still resume (their options
  // must equal these).
  if (mixup > 0 || cutmix > 0)
    j["mix"] = {{"mixup", mixup}, {"cutmix", cutmix}, {"prob", mix_prob}};
  if (scale_lr != 1.0) j["scale_lr"] = scale_lr;  // likewise only when set
  return j;
}

std::string Recipe::Summary() const {
  std::string opt = optimizer;
  if (optimizer == "sgd") {
    opt += fmt::format("(momentum {}{})", momentum, nesterov && momentum > 0 ? ", nesterov" : "");
  }
  std::string s = fmt::format("{} lr {} {}", opt, lr, schedule);
  if (warmup_epochs > 0) s += fmt::format(" (warm-up {} epochs)", warmup_epochs);
  s += fmt::format(", weight decay {}", weight_decay);
  if (label_smoothing > 0) s += fmt::format(", label smoothing {}", label_smoothing);
  if (grad_clip > 0) s += fmt::format(", grad clip {}", grad_clip);
  if (augment.pad > 0) s += fmt::format(", crop pad {}", augment.pad);
  if (augment.hflip) s += ", flip";
  if (augment.cutout > 0) s += fmt::format(", cutout {}", augment.cutout);
  if (mixup > 0) s += fmt::format(", mixup {}", mixup);
  if (cutmix > 0) s += fmt::format(", cutmix {}", cutmix);
  if ((mixup > 0 || cutmix > 0) && mix_prob < 1) s += fmt::format(" (p {})", mix_prob);
  return s + fmt::format(", {} epochs x batch {}", epochs, batch);
}

Recipe DefaultRecipe(const std::string& dataset) {
  Recipe r;
  if (dataset == "fashion-mnist" || dataset == "mnist") {
    r.epochs = 10;
    r.batch = 128;
    r.lr = 0.1;
    r.weight_decay = 1e-4;
    return r;
  }
  r.epochs = 30;
  r.batch = 128;
  r.lr = 0.1;
  r.weight_decay = 5e-4;
  r.label_smoothing = 0.1;
  if (dataset == "cifar10") r.augment = {.pad = 4, .hflip = true};
  return r;
}

nlohmann::json EpochRecord::ToJson() const {
  return {{"epoch", epoch},         {"loss", loss},
          {"train_acc", train_acc}, {"test_loss", test_loss},
          {"test_acc", test_acc},   {"lr", lr},
          {"seconds", seconds},     {"samples_per_s", samples_per_s}};
}

nlohmann::json TrainResult::ToJson() const {
  nlohmann::json h = nlohmann::json::array();
  for (const EpochRecord& e : history) h.push_back(e.ToJson());
  auto num = [](double x) { return std::isnan(x) ? nlohmann::json() : nlohmann::json(x); };
  return {{"epochs", h},
          {"resumed_from", resumed_from},
          {"interrupted", interrupted},
          {"seconds", seconds},
          {"checkpoint", checkpoint},
          {"log", log_json},
          {"fp32_package", fp32_package},
          {"ternary_package", ternary_package},
          {"torch_test_acc", num(torch_test_acc)},
          {"torch_test_acc_before_recal", num(torch_test_acc_before_recal)},
          {"fp32_acc", num(fp32_acc)},
          {"ternary_acc", num(ternary_acc)},
          {"ternary_acc_fp32_act", num(ternary_acc_fp32_act)},
          {"options_hash", options_hash}};
}

namespace {

constexpr const char* kCompilerVersion = "triton 0.1.0";

struct LoadedModule {
  ir::Module module;
  std::string source_hash;
};

// A zoo name, or a .tri file compiled at -O1 (language ops only, so batch-norm can train).
Result<LoadedModule> LoadModule(const TrainOptions& o) {
  const bool is_file = o.model.ends_with(".tri") || fs::exists(o.model);
  if (!is_file) {
    std::string hash;
    Result<ir::Module> m = driver::CompileZooModel(o.model, 1, &hash);
    if (!m.ok()) return m.status();
    return LoadedModule{std::move(m).value(), hash};
  }
  driver::CompileOptions co;
  co.model = o.model_name;
  co.opt_level = 1;
  driver::FileCompileResult r = driver::CompileFile(o.model, co);
  if (!r.read_error.empty()) return Status::Error(r.read_error);
  if (!r.ok() || !r.module) {
    return Status::Error(fmt::format("compiling {}{}:\n{}", o.model,
                                     o.model_name.empty() ? "" : " --model-name " + o.model_name,
                                     r.diags->RenderText(false)));
  }
  if (!r.verify_errors.empty()) {
    return Status::Error("internal error: the IR fails verification: " + r.verify_errors.front());
  }
  return LoadedModule{r.module.Take(), r.source_hash};
}

// Lists where two option objects differ ("recipe.epochs: 2 in the checkpoint, 4 now").
void DiffJson(const nlohmann::json& a, const nlohmann::json& b, const std::string& prefix,
              std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
      if (!b.contains(it.key())) {
        out.push_back(fmt::format("{}: {} in the checkpoint, absent now", key, it.value().dump()));
      } else {
        DiffJson(it.value(), b.at(it.key()), key, out);
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (!a.contains(it.key())) {
        out.push_back(fmt::format("{}{}: absent in the checkpoint, {} now",
                                  prefix.empty() ? "" : prefix + ".", it.key(), it.value().dump()));
      }
    }
    return;
  }
  if (a != b)
    out.push_back(fmt::format("{}: {} in the checkpoint, {} now", prefix, a.dump(), b.dump()));
}

// Training loss and accuracy accumulated over an epoch.
struct Running {
  double loss_sum = 0;
  double correct = 0;  // fractional under batch mixing (MixedCorrect)
  int64_t samples = 0, batches = 0;
  double loss() const { return batches ? loss_sum / static_cast<double>(batches) : 0; }
  double acc() const { return samples ? static_cast<double>(correct) / samples : 0; }
};

torch::Tensor InputTensor(data::Batch& b, const std::vector<int64_t>& dims) {
  std::vector<int64_t> shape{b.size};
  shape.insert(shape.end(), dims.begin(), dims.end());
  return torch::from_blob(b.images.data(), shape, torch::kFloat32);
}

torch::Tensor LabelTensor(data::Batch& b) {
  return torch::from_blob(b.labels.data(), {b.size}, torch::kInt64);
}

// `lr_mult` receives each parameter group's learning-rate multiplier, in group order (the
// schedule sets group i to lr x lr_mult[i]).
std::unique_ptr<torch::optim::Optimizer> MakeOptimizer(const Recipe& r, QatModel& model,
                                                       std::vector<double>* lr_mult) {
  std::vector<torch::Tensor> decay, no_decay, scales;
  for (auto& [name, t] : model.NamedParameters()) {
    // Biases and batch-norm affine params are 1-D; TTQ scales (".wp", ".wn") are learned
    // magnitudes that weight decay would pull towards zero. They get a group of their own only
    // with scale_lr != 1, so that the groups, and so the optimizer state in checkpoints made
    // before scale_lr existed, stay as they were.
    const bool scale = name.ends_with(".wp") || name.ends_with(".wn");
    (scale && r.scale_lr != 1.0 ? scales : t.dim() >= 2 && !scale ? decay : no_decay).push_back(t);
  }
  lr_mult->clear();
  auto groups = [&](auto make) {
    std::vector<torch::optim::OptimizerParamGroup> g;
    if (!decay.empty()) g.emplace_back(decay, make(r.weight_decay)), lr_mult->push_back(1.0);
    if (!no_decay.empty()) g.emplace_back(no_decay, make(0.0)), lr_mult->push_back(1.0);
    if (!scales.empty()) g.emplace_back(scales, make(0.0)), lr_mult->push_back(r.scale_lr);
    return g;
  };
  if (r.optimizer == "adam" || r.optimizer == "adamw") {
    // adam: L2 penalty added to the gradient; adamw: decoupled decay (Loshchilov & Hutter).
    if (r.optimizer == "adam") {
      auto make = [&](double wd) {
        return std::make_unique<torch::optim::AdamOptions>(
            torch::optim::AdamOptions(r.lr).weight_decay(wd));
      };
      return std::make_unique<torch::optim::Adam>(groups(make), torch::optim::AdamOptions(r.lr));
    }
    auto make = [&](double wd) {
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(r.lr).weight_decay(wd));
    };
    return std::make_unique<torch::optim::AdamW>(groups(make), torch::optim::AdamWOptions(r.lr));
  }
  const bool nesterov = r.nesterov && r.momentum > 0;
  auto make = [&](double wd) {
    return std::make_unique<torch::optim::SGDOptions>(
        torch::optim::SGDOptions(r.lr).momentum(r.momentum).nesterov(nesterov).weight_decay(wd));
  };
  return std::make_unique<torch::optim::SGD>(groups(make), torch::optim::SGDOptions(r.lr));
}

Status ValidateRecipe(const Recipe& r) {
  if (r.epochs < 1) return Status::Error("--epochs must be >= 1");
  if (r.batch < 1) return Status::Error("--batch must be >= 1");
  if (r.optimizer != "sgd" && r.optimizer != "adam" && r.optimizer != "adamw") {
    return Status::Error("unknown optimizer '" + r.optimizer + "'; known: sgd, adam, adamw");
  }
  if (r.weight_decay < 0 || r.momentum < 0 || r.momentum >= 1 || r.label_smoothing < 0 ||
      r.label_smoothing >= 1 || r.warmup_epochs < 0 || r.warmup_epochs > r.epochs ||
      r.grad_clip < 0 || r.mixup < 0 || r.cutmix < 0 || r.mix_prob < 0 || r.mix_prob > 1 ||
      !(r.scale_lr > 0)) {
    return Status::Error(
        "recipe out of range: need weight decay >= 0, momentum in [0, 1), label smoothing in "
        "[0, 1), warm-up epochs in [0, epochs], grad clip >= 0, mixup and cutmix alphas >= 0, "
        "mix probability in [0, 1], scale learning-rate multiplier > 0");
  }
  return Status();
}

// Accuracy and mean loss of `model` (eval mode: running batch-norm statistics, deterministic
// quantization, FP32 activations) on `loader`'s epoch 0.
Result<std::pair<double, double>> EvalTorch(QatModel& model, data::Loader& loader,
                                            const std::vector<int64_t>& dims,
                                            const std::atomic<bool>* interrupt) {
  torch::NoGradGuard no_grad;
  Running run;
  loader.StartEpoch(0);
  data::Batch b;
  while (true) {
    if (interrupt && interrupt->load()) break;
    Result<bool> more = loader.Next(&b);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    torch::Tensor logits = model.Forward({InputTensor(b, dims)}, false);
    torch::Tensor y = LabelTensor(b).to(model.device());
    run.loss_sum += torch::nn::functional::cross_entropy(logits, y).item<double>();
    run.correct += static_cast<double>(logits.argmax(1).eq(y).sum().item<int64_t>());
    run.samples += b.size;
    ++run.batches;
  }
  return std::pair{run.loss(), run.acc()};
}

// The --device string as a torch::Device that this libtorch can use.
Result<torch::Device> ParseDevice(const std::string& spec) {
  std::optional<torch::Device> d;
  try {
    d.emplace(spec);
  } catch (const c10::Error&) {
  }
  if (!d || (!d->is_cpu() && !d->is_cuda())) {
    return Status::Error(fmt::format("--device '{}': expected cpu, cuda or cuda:N", spec));
  }
  if (d->is_cuda()) {
    if (!torch::cuda::is_available()) {
      return Status::Error(fmt::format(
          "--device {}: no CUDA device is usable (this libtorch was built without CUDA, or no "
          "GPU is visible); see docs/training.md for a build against a PyTorch wheel's libtorch",
          spec));
    }
    const auto n = static_cast<int>(torch::cuda::device_count());
    if (d->has_index() && d->index() >= n) {
      return Status::Error(fmt::format("--device {}: only {} CUDA device(s)", spec, n));
    }
  }
  return *d;
}

// `s` with every byte that is not part of valid UTF-8, and every control character, replaced by
// '?': package metadata must be UTF-8 without control characters (format::ValidatePackage), and
// a command line may hold anything.
std::string MetadataSafe(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size() && !(n == 1 && (c < 0x20 || c == 0x7f));
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok) {
      out.append(s, i, n);
      i += n;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string CsvLog(const std::vector<EpochRecord>& h) {
  std::string s = "epoch,loss,train_acc,test_loss,test_acc,lr,seconds,samples_per_s\n";
  for (const EpochRecord& e : h) {
    s += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6g},{:.3f},{:.1f}\n", e.epoch, e.loss,
                     e.train_acc, e.test_loss, e.test_acc, e.lr, e.seconds, e.samples_per_s);
  }
  return s;
}

// The run's state shared by the steps below.
struct Run {
  explicit Run(const TrainOptions& opts) : o(opts) {}
  const TrainOptions& o;
  LoadedModule mod;
  driver::DatasetRef ref;
  std::unique_ptr<data::InMemoryDataset> owned_train, owned_test;
  const data::ImageDataset* train = nullptr;
  const data::ImageDataset* test = nullptr;
  std::vector<int64_t> dims;
  data::ChannelStats stats;
  nlohmann::json options;
  std::string hash;
  std::unique_ptr<QatModel> model;
  Teacher teacher;            // model == nullptr without --teacher
  int64_t recal_batches = 0;  // batches the re-calibration averaged (Recalibrate)
  std::unique_ptr<torch::optim::Optimizer> opt;
  std::vector<double> lr_mult;  // per parameter group (MakeOptimizer)
  TrainResult result;

  void Say(const std::string& line) const {
    if (o.on_message) o.on_message(line);
  }
  Status Setup();
  Status Resume();
  Status Loop();
  Status Recalibrate();
  Status Export();
  // Normalized batches of `batch` without augmentation (evaluation, re-calibration).
  data::LoaderOptions PlainLoader(int64_t batch, bool shuffle) const {
    data::LoaderOptions lo;
    lo.batch_size = batch;
    lo.shuffle = shuffle;
    lo.seed = o.seed;
    lo.mean = stats.mean;
    lo.stddev = stats.stddev;
    return lo;
  }
};

Status Run::Setup() {
  Status st = ValidateRecipe(o.recipe);
  if (!st.ok()) return st;
  Result<LoadedModule> m = LoadModule(o);
  if (!m.ok()) return m.status();
  mod = std::move(m).value();
  std::string spec = o.data;
  if (spec.empty()) {
    const driver::ZooEntry* z = driver::FindZooModel(mod.module.name);
    spec = z ? driver::DatasetNameForZoo(std::string(z->dataset)) : "";
    if (spec.empty()) {
      return Status::Error(
          fmt::format("model '{}': give the data set with --data", mod.module.name));
    }
  }
  Result<driver::DatasetRef> r = driver::ParseDatasetRef(spec);
  if (!r.ok()) return r.status();
  ref = r.value();
  if (o.train_data && o.test_data) {
    train = o.train_data;
    test = o.test_data;
  } else {
    Say(fmt::format("loading {} ...", ref.Spec()));
    auto tr = driver::LoadDataset(ref, data::Split::kTrain);
    if (!tr.ok()) return tr.status();
    auto te = driver::LoadDataset(ref, data::Split::kTest);
    if (!te.ok()) return te.status();
    owned_train = std::move(tr).value();
    owned_test = std::move(te).value();
    train = owned_train.get();
    test = owned_test.get();
  }
  if (!(train->shape() == test->shape())) {
    return Status::Error(
        fmt::format("data set {}: train and test images differ in shape", ref.name));
  }
  Result<std::vector<int64_t>> d = driver::SampleDims(mod.module, train->shape(), ref.name);
  if (!d.ok()) return d.status();
  dims = d.value();
  if (o.recipe.cutmix > 0 && dims.size() != 3) {
    return Status::Error(fmt::format(
        "--cutmix needs image inputs (C x H x W); model '{}' takes flat vectors of {} values",
        mod.module.name, dims.empty() ? 0 : dims.front()));
  }
  stats = driver::StandardNormalization(ref.name, train->shape().c);

  const QatSettings& q = o.qat;
  if (o.distill_alpha < 0 || o.distill_alpha > 1 || !(o.distill_temperature > 0)) {
    return Status::Error("distillation: need alpha in [0, 1] and a temperature > 0");
  }
  if (o.bn_recal_batches < 0) return Status::Error("--bn-recal must be >= 0");
  Result<torch::Device> dev = ParseDevice(o.device);
  if (!dev.ok()) return dev.status();
  if (!o.teacher.empty()) {
    Result<Teacher> t =
        LoadTeacher(o.teacher, mod.module, ref.name, train->shape(), dims, dev.value());
    if (!t.ok()) return t.status();
    teacher = std::move(t).value();
  }
  options = {{"model", mod.module.name},
             {"source_hash", mod.source_hash},
             {"data", ref.name},
             {"recipe", o.recipe.ToJson()},
             {"qat",
              {{"method", q.method},
               {"fp_epochs", q.fp_epochs},
               {"per_channel", q.per_channel},
               {"threshold", q.threshold},
               {"clipped_ste", q.clipped_ste},
               {"clip", q.clip}}},
             {"seed", o.seed},
             {"normalization", {{"mean", stats.mean}, {"std", stats.stddev}}}};
  std::optional<InputPackage> init;
  if (!o.init.empty()) {
    Result<InputPackage> in = ReadInputPackage("--init", o.init, ref.name);
    if (!in.ok()) return in.status();
    init = std::move(in).value();
    options["init"] = {{"hash", init->content_hash}};  // only with --init, as "distill" below
  }
  if (teacher.model) {  // only with a teacher: older checkpoints resume (see Recipe::ToJson)
    options["distill"] = {{"teacher_hash", teacher.content_hash},
                          {"alpha", o.distill_alpha},
                          {"temperature", o.distill_temperature}};
  }
  const std::string dump = options.dump();
  hash = fmt::format("{:016x}", XXH3_64bits(dump.data(), dump.size()));
  result.options_hash = hash;

  int threads = o.threads;
  if (threads <= 0) {
    Result<int> t = DefaultThreads();
    if (!t.ok()) return t.status();
    threads = t.value();
  }
  at::set_num_threads(threads);
  torch::manual_seed(o.seed);  // seeds the CUDA generators too
  if (dev.value().is_cuda()) {
    // Speed over bitwise reproducibility on the GPU (TrainOptions::device).
    at::globalContext().setBenchmarkCuDNN(true);
    at::globalContext().setAllowTF32CuDNN(true);
    at::globalContext().setAllowTF32CuBLAS(true);
  }

  QatOptions qo;
  qo.method = q.method == "none" ? "" : q.method;
  qo.per_channel = q.per_channel;
  qo.threshold = q.threshold;
  qo.clipped_ste = q.clipped_ste;
  qo.clip = q.clip;
  qo.seed = o.seed;
  qo.device = dev.value();
  Result<std::unique_ptr<QatModel>> qm =
      init ? QatModel::Create(mod.module, init->package, qo)
           : QatModel::Create(mod.module,
                              driver::InitialPackage(mod.module, o.seed, mod.source_hash), qo);
  if (!qm.ok()) {
    if (!init) return qm.status();
    return Status::Error(fmt::format("--init {}: {}", o.init, qm.status().message()));
  }
  model = std::move(qm).value();
  opt = MakeOptimizer(o.recipe, *model, &lr_mult);

  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return Status::Error(fmt::format("{}: cannot create: {}", o.out_dir, ec.message()));
  result.checkpoint = (fs::path(o.out_dir) / "checkpoint.pt").string();
  result.log_json = (fs::path(o.out_dir) / "log.json").string();
  return Status();
}

Status Run::Resume() {
  if (!fs::exists(result.checkpoint)) {
    if (o.resume) Say(fmt::format("no checkpoint in {}: starting from scratch", o.out_dir));
    return Status();
  }
  if (!o.resume) {
    return Status::Error(fmt::format(
        "{} exists: pass --resume to continue that run, or choose another --out directory",
        result.checkpoint));
  }
  Result<CheckpointData> c = ReadCheckpoint(result.checkpoint);
  if (!c.ok()) return c.status();
  CheckpointData& d = c.value();
  std::vector<std::string> diffs;
  DiffJson(d.meta.value("options", nlohmann::json::object()), options, "", diffs);
  if (!diffs.empty()) {
    std::string list;
    for (const std::string& s : diffs) list += "\n  " + s;
    return Status::Error(fmt::format(
        "{}: the checkpoint was made with other options (hash {} vs {}); resume with the same "
        "options, or choose another --out directory:{}",
        result.checkpoint, d.meta.value("options_hash", ""), hash, list));
  }
  Status st = model->LoadState(d.state);
  if (!st.ok()) return Status::Error(result.checkpoint + ": " + st.message());
  try {
    opt->load(d.optimizer);
    at::Generator gen = at::detail::getDefaultCPUGenerator();  // shares the global one
    gen.set_state(d.rng);
  } catch (const c10::Error& e) {
    return Status::Error(fmt::format("{}: damaged checkpoint: cannot restore the optimizer: {}",
                                     result.checkpoint, e.what_without_backtrace()));
  }
  for (const nlohmann::json& e : d.meta.at("history")) {
    EpochRecord r;
    r.epoch = e.at("epoch");
    r.loss = e.at("loss");
    r.train_acc = e.at("train_acc");
    r.test_loss = e.at("test_loss");
    r.test_acc = e.at("test_acc");
    r.lr = e.at("lr");
    r.seconds = e.at("seconds");
    r.samples_per_s = e.at("samples_per_s");
    result.history.push_back(r);
  }
  result.resumed_from = d.meta.at("epoch");
  result.seconds = d.meta.at("seconds");
  Say(fmt::format("resumed from {} (epoch {} of {})", result.checkpoint, result.resumed_from,
                  o.recipe.epochs));
  return Status();
}

Status Run::Loop() {
  const Recipe& rc = o.recipe;
  data::LoaderOptions lo = PlainLoader(rc.batch, true);
  lo.augment = rc.augment;
  auto train_loader = data::Loader::Create(*train, lo);
  if (!train_loader.ok()) return train_loader.status();
  auto test_loader = data::Loader::Create(*test, PlainLoader(512, false));
  if (!test_loader.ok()) return test_loader.status();
  data::Loader& tl = *train_loader.value();

  const int64_t steps = tl.num_batches();
  Schedule sched;
  sched.kind = rc.schedule;
  sched.lr = rc.lr;
  sched.total_steps = steps * rc.epochs;
  sched.warmup_steps = static_cast<int64_t>(std::llround(rc.warmup_epochs * steps));
  Status st = ValidateSchedule(sched);
  if (!st.ok()) return st;

  std::vector<torch::Tensor> params;
  for (auto& [name, t] : model->NamedParameters()) params.push_back(t);
  const int stop = o.stop_after > 0 ? std::min(o.stop_after, rc.epochs) : rc.epochs;
  const MixOptions mix_opts{
      .mixup_alpha = rc.mixup, .cutmix_alpha = rc.cutmix, .prob = rc.mix_prob};
  double last_eval_s = 0;
  for (int epoch = result.resumed_from; epoch < stop; ++epoch) {
    base::Timer epoch_timer;
    Running run;
    double lr = 0;
    model->set_quantize(o.qat.method != "none" && epoch >= o.qat.fp_epochs);
    tl.StartEpoch(epoch);
    data::Batch b;
    for (int64_t step = 0;; ++step) {
      if (o.interrupt && o.interrupt->load()) {
        result.interrupted = true;
        return Status();
      }
      Result<bool> more = tl.Next(&b);
      if (!more.ok()) return more.status();
      if (!more.value()) break;
      lr = LearningRate(sched, epoch * steps + step);
      for (size_t i = 0; i < opt->param_groups().size(); ++i) {
        opt->param_groups()[i].options().set_lr(lr * lr_mult[i]);
      }
      torch::Tensor y = LabelTensor(b).to(model->device());
      torch::Tensor x = InputTensor(b, dims);
      // Mixed on the model's device; x stays a view of the batch when nothing is mixed.
      const MixedBatch mix =
          MixBatch(mix_opts.enabled() ? x.to(model->device()) : x, mix_opts, o.seed, epoch, step);
      torch::Tensor logits = model->Forward({mix.images}, true);
      torch::Tensor loss = MixedCrossEntropy(logits, y, mix, rc.label_smoothing);
      if (teacher.model) {
        const torch::Tensor soft = teacher.model->Forward({mix.images}, false);
        loss = loss * (1.0 - o.distill_alpha) +
               DistillationLoss(logits, soft, o.distill_temperature) * o.distill_alpha;
      }
      opt->zero_grad();
      loss.backward();
      if (rc.grad_clip > 0) torch::nn::utils::clip_grad_norm_(params, rc.grad_clip);
      opt->step();
      run.loss_sum += loss.item<double>();
      run.correct += MixedCorrect(logits, y, mix);
      run.samples += b.size;
      ++run.batches;
      if (o.on_step) {
        const double s = epoch_timer.ElapsedMs() / 1000.0;
        StepProgress p;
        p.epoch = epoch + 1;
        p.epochs = rc.epochs;
        p.step = step + 1;
        p.steps = steps;
        p.loss = run.loss();
        p.acc = run.acc();
        p.lr = lr;
        p.batches_per_s = s > 0 ? static_cast<double>(run.batches) / s : 0;
        p.samples_per_s = s > 0 ? static_cast<double>(run.samples) / s : 0;
        const int64_t left = (static_cast<int64_t>(stop) - epoch) * steps - (step + 1);
        p.eta_s = (p.batches_per_s > 0 ? static_cast<double>(left) / p.batches_per_s : 0) +
                  (stop - epoch) * last_eval_s;
        o.on_step(p);
      }
    }
    const double train_s = epoch_timer.ElapsedMs() / 1000.0;
    base::Timer eval_timer;
    auto ev = EvalTorch(*model, *test_loader.value(), dims, o.interrupt);
    if (!ev.ok()) return ev.status();
    if (o.interrupt && o.interrupt->load()) {
      result.interrupted = true;
      return Status();
    }
    last_eval_s = eval_timer.ElapsedMs() / 1000.0;
    EpochRecord rec;
    rec.epoch = epoch + 1;
    rec.loss = run.loss();
    rec.train_acc = run.acc();
    rec.test_loss = ev.value().first;
    rec.test_acc = ev.value().second;
    rec.lr = lr;
    rec.seconds = epoch_timer.ElapsedMs() / 1000.0;
    rec.samples_per_s = train_s > 0 ? static_cast<double>(run.samples) / train_s : 0;
    result.history.push_back(rec);
    result.seconds += rec.seconds;

    nlohmann::json hist = nlohmann::json::array();
    for (const EpochRecord& e : result.history) hist.push_back(e.ToJson());
    nlohmann::json meta = {{"epoch", epoch + 1},  {"epochs", rc.epochs},
                           {"options", options},  {"options_hash", hash},
                           {"history", hist},     {"seconds", result.seconds},
                           {"command", o.command}};
    st = WriteCheckpoint(result.checkpoint, meta, model->NamedState(), *opt);
    if (!st.ok()) return st;
    nlohmann::json log = {
        {"options", options}, {"options_hash", hash}, {"command", o.command}, {"epochs", hist}};
    st = WriteFileAtomic(result.log_json, log.dump(2) + "\n");
    if (st.ok()) {
      st = WriteFileAtomic((fs::path(o.out_dir) / "log.csv").string(), CsvLog(result.history));
    }
    if (!st.ok()) return st;
    if (o.on_epoch) o.on_epoch(rec);
  }
  if (stop < rc.epochs) result.interrupted = true;
  return Status();
}

Status Run::Recalibrate() {
  auto loader = data::Loader::Create(*train, PlainLoader(o.recipe.batch, true));
  if (!loader.ok()) return loader.status();
  auto test_loader = data::Loader::Create(*test, PlainLoader(512, false));
  if (!test_loader.ok()) return test_loader.status();
  const int64_t n = std::min<int64_t>(o.bn_recal_batches, loader.value()->num_batches());
  Say(fmt::format("re-calibrating batch norm over {} training batches ...", n));
  model->set_quantize(true);  // the weights the ternary package holds
  model->ResetBatchNormStats();
  model->set_batch_norm_cumulative(true);
  loader.value()->StartEpoch(o.recipe.epochs);  // an order no training epoch used
  data::Batch b;
  recal_batches = 0;
  for (int64_t i = 0; i < n; ++i) {
    Result<bool> more = loader.value()->Next(&b);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    // Training mode updates the statistics; the output and its graph are dropped at once.
    (void)model->Forward({InputTensor(b, dims)}, true);
    ++recal_batches;
  }
  model->set_batch_norm_cumulative(false);
  // Like the export's measurement, this runs to the end even after a Ctrl-C: a partial pass
  // would record a wrong accuracy.
  auto ev = EvalTorch(*model, *test_loader.value(), dims, nullptr);
  if (!ev.ok()) return ev.status();
  result.torch_test_acc_before_recal = result.torch_test_acc;
  result.torch_test_acc = ev.value().second;
  Say(fmt::format("batch norm re-calibrated: libtorch test accuracy {:.2f} % (before: {:.2f} %)",
                  100 * result.torch_test_acc, 100 * result.torch_test_acc_before_recal));
  return Status();
}

Status Run::Export() {
  if (result.history.empty()) return Status();
  result.torch_test_acc = result.history.back().test_acc;
  const data::ImageShape s = train->shape();
  const std::string method = o.qat.method.empty() ? "as declared" : o.qat.method;
  auto fill = [&](format::Package& p) {
    p.meta.model_name = mod.module.name;
    p.meta.source_hash = mod.source_hash;
    p.meta.compiler_version = kCompilerVersion;
    auto& x = p.meta.extra;
    x[driver::kMetaDataName] = ref.name;
    x[driver::kMetaDataShape] = fmt::format("{}x{}x{}", s.c, s.h, s.w);
    if (!stats.mean.empty()) {
      x[driver::kMetaDataMean] = driver::FormatFloats(stats.mean);
      x[driver::kMetaDataStd] = driver::FormatFloats(stats.stddev);
    }
    x[driver::kMetaTrainRecipe] = o.recipe.Summary() + fmt::format(", seed {}", o.seed);
    x[driver::kMetaTrainCommand] = MetadataSafe(o.command);
    x[driver::kMetaTrainSeconds] = fmt::format("{:.1f}", result.seconds);
    x[driver::kMetaTrainEpochs] = std::to_string(result.history.size());
    x["train.options_hash"] = hash;
    x["train.device"] = o.device;
    if (teacher.model) x["train.teacher"] = MetadataSafe(o.teacher);
    if (!o.init.empty()) x["train.init"] = MetadataSafe(o.init);
  };
  Result<driver::CpuOptions> cpu = driver::DefaultCpuOptions();
  if (!cpu.ok()) return cpu.status();
  if (o.threads > 0) cpu.value().threads = o.threads;
  // Measures `p` with the runtime (driver/eval.h) as `triton eval` will.
  auto measure = [&](const format::Package& p, const std::string& path, bool act_quant,
                     double* acc) -> Status {
    Result<driver::Model> m = driver::ModelFromPackage(p, path);
    if (!m.ok()) return m.status();
    driver::EvalOptions eo;
    eo.cpu = cpu.value();
    eo.cpu.quantize_activations = act_quant;
    Result<driver::EvalResult> r = driver::Evaluate(m.value(), *test, ref.name, eo);
    if (!r.ok()) return r.status();
    *acc = r.value().top1;
    return Status();
  };

  Say(o.measure_packages ? "exporting and evaluating the packages with the runtime ..."
                         : "exporting the packages ...");
  result.fp32_package = (fs::path(o.out_dir) / "model_fp32.tnn").string();
  result.ternary_package = (fs::path(o.out_dir) / "model_ternary.tnn").string();
  format::Package fp32 = model->ExportFp32(mod.source_hash);
  fill(fp32);
  fp32.meta.quantization = "";
  fp32.meta.extra["train.weights"] = "latent fp32 (the ternary layers unquantized)";
  if (o.bn_recal_batches > 0) {  // after the FP32 export, which keeps training's statistics
    Status st = Recalibrate();
    if (!st.ok()) return st;
  }
  format::Package tern = model->ExportTernary(mod.source_hash, /*base3=*/false);
  fill(tern);  // meta.quantization: ExportTernary's ("twn per-channel 2bit")
  tern.meta.extra["train.weights"] = o.qat.method == "none"
                                         ? "ternarized after FP32 training (no QAT)"
                                         : "quantization-aware trained (" + method + ")";
  tern.meta.extra[driver::kMetaTrainAccuracyTorch] = fmt::format("{:.6f}", result.torch_test_acc);
  if (o.bn_recal_batches > 0) {
    tern.meta.extra["train.bn_recalibration"] = fmt::format("{} batches", recal_batches);
  }
  // Written first without the runtime's accuracy, so that a long measurement that is stopped
  // (Ctrl-C, a time limit) does not lose the trained weights; rewritten with it below.
  Status st = format::WritePackage(result.fp32_package, fp32);
  if (st.ok()) st = format::WritePackage(result.ternary_package, tern);
  if (!st.ok() || !o.measure_packages) return st;

  st = measure(fp32, result.fp32_package, true, &result.fp32_acc);
  if (!st.ok()) return st;
  fp32.meta.accuracy = result.fp32_acc;
  fp32.meta.extra[driver::kMetaTrainAccuracy] = fmt::format("{:.6f}", result.fp32_acc);
  st = format::WritePackage(result.fp32_package, fp32);
  if (!st.ok()) return st;
  st = measure(tern, result.ternary_package, true, &result.ternary_acc);
  if (st.ok()) st = measure(tern, result.ternary_package, false, &result.ternary_acc_fp32_act);
  if (!st.ok()) return st;
  tern.meta.accuracy = result.ternary_acc;
  tern.meta.extra[driver::kMetaTrainAccuracy] = fmt::format("{:.6f}", result.ternary_acc);
  return format::WritePackage(result.ternary_package, tern);
}

}  // namespace

Result<TrainResult> Train(const TrainOptions& o) {
  Run run(o);
  try {
    Status st = run.Setup();
    if (st.ok()) st = run.Resume();
    if (st.ok()) st = run.Loop();
    if (st.ok() && !run.result.interrupted && o.export_packages) st = run.Export();
    if (!st.ok()) return st;
  } catch (const c10::Error& e) {
    return Status::Error(fmt::format("internal error: libtorch: {}", e.what_without_backtrace()));
  }
  return std::move(run.result);
}

}  // namespace triton::train
