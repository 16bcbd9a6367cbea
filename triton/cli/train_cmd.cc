// `triton train --model NAME|FILE.tri [--model-name NAME] [--data NAME[:PATH]] [--epochs N]
// [--batch N] [--lr X] [--optimizer sgd|adam|adamw] [--schedule onecycle|cosine|step|constant]
// [--method twn|...|none] [--seed N] [--threads N] [--out DIR] [--resume] [--json] ...`:
// quantization-aware training with libtorch (train/trainer.h). Progress (a bar with rate and ETA)
// goes to stderr when it is a TTY (or with --progress), one line per epoch unless --quiet; the
// summary (or --json) to stdout.
//
// Ctrl-C: the first one stops at the next batch without touching the last complete checkpoint
// (rerun with --resume to continue); a second one kills the process at once, which is safe too,
// since checkpoints are replaced by an atomic rename.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "triton/base/timer.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#if TRITON_HAVE_TRAIN
#include "triton/driver/eval.h"
#include "triton/driver/zoo.h"
#include "triton/train/trainer.h"
#endif

namespace triton::cli {

namespace {

std::string g_command_line;

// Quotes a word for a POSIX shell when it needs it.
std::string ShellQuote(const std::string& w) {
  if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_./:=,+@%") == std::string::npos) {
    return w;
  }
  std::string q = "'";
  for (char c : w) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Recipe flags left unset keep the data set's default recipe (trainer.h DefaultRecipe).
struct TrainArgs {
  std::string model, model_name, data, out = "train_out";
  int epochs = 0;
  int64_t batch = 0;
  double lr = 0, momentum = -1, weight_decay = -1, warmup = -1, label_smoothing = -1,
         grad_clip = -1;
  std::string optimizer, schedule;
  bool no_nesterov = false;
  int crop_pad = -1, cutout = -1;
  bool flip = false, no_flip = false;
  double mixup = 0, cutmix = 0, mix_prob = 1.0;
  double scale_lr = 1.0;
  std::string teacher;
  std::string init;
  double distill_alpha = 0.5, distill_temperature = 4.0;
  int bn_recal = 0;
  std::string method;
  bool per_tensor = false, clipped_ste = false;
  double threshold = -1, clip = 1.0;
  int fp_epochs = 0;
  uint64_t seed = 0;
  int threads = 0, stop_after = 0;
  std::string device = "cpu";
  bool resume = false, json = false, progress = false, quiet = false, no_export = false,
       no_export_eval = false;
};

#if TRITON_HAVE_TRAIN
std::atomic<bool> g_interrupt{false};

void OnSigint(int) {
  g_interrupt.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

std::string Duration(double s) {
  if (s < 0 || !std::isfinite(s)) return "?";
  const int64_t t = std::llround(s);
  return t >= 3600 ? fmt::format("{}h{:02}m", t / 3600, t / 60 % 60)
                   : fmt::format("{}m{:02}s", t / 60, t % 60);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "triton: error: %s\n", message.c_str());
  return message.rfind("internal error", 0) == 0 ? kInternal : kUserError;
}

int RunTrain(const TrainArgs& a) {
  train::TrainOptions o;
  o.model = a.model;
  o.model_name = a.model_name;
  o.data = a.data;
  // The recipe's defaults depend on the data set: the given one, else the zoo model's.
  std::string dataset = a.data.substr(0, a.data.find(':'));
  if (dataset.empty()) {
    if (const driver::ZooEntry* z = driver::FindZooModel(a.model)) {
      dataset = driver::DatasetNameForZoo(std::string(z->dataset));
    }
  }
  if (Result<driver::DatasetRef> r = driver::ParseDatasetRef(dataset); r.ok()) {
    dataset = r.value().name;
  }
  train::Recipe& r = o.recipe;
  r = train::DefaultRecipe(dataset);
  if (a.epochs > 0) r.epochs = a.epochs;
  if (a.batch > 0) r.batch = a.batch;
  if (a.lr > 0) r.lr = a.lr;
  if (!a.optimizer.empty()) r.optimizer = a.optimizer;
  if (a.momentum >= 0) r.momentum = a.momentum;
  if (a.no_nesterov) r.nesterov = false;
  if (a.weight_decay >= 0) r.weight_decay = a.weight_decay;
  if (!a.schedule.empty()) r.schedule = a.schedule;
  if (a.warmup >= 0) r.warmup_epochs = a.warmup;
  if (a.label_smoothing >= 0) r.label_smoothing = a.label_smoothing;
  if (a.grad_clip >= 0) r.grad_clip = a.grad_clip;
  if (a.crop_pad >= 0) r.augment.pad = a.crop_pad;
  if (a.flip) r.augment.hflip = true;
  if (a.no_flip) r.augment.hflip = false;
  if (a.cutout >= 0) r.augment.cutout = a.cutout;
  r.mixup = a.mixup;
  r.cutmix = a.cutmix;
  r.mix_prob = a.mix_prob;
  r.scale_lr = a.scale_lr;
  o.teacher = a.teacher;
  o.init = a.init;
  o.distill_alpha = a.distill_alpha;
  o.distill_temperature = a.distill_temperature;
  o.bn_recal_batches = a.bn_recal;
  o.qat.method = a.method;
  o.qat.per_channel = !a.per_tensor;
  o.qat.threshold = a.threshold;
  o.qat.clipped_ste = a.clipped_ste;
  o.qat.clip = a.clip;
  o.qat.fp_epochs = a.fp_epochs;
  o.seed = a.seed;
  o.threads = a.threads;
  o.device = a.device;
  o.out_dir = a.out;
  o.resume = a.resume;
  o.stop_after = a.stop_after;
  o.export_packages = !a.no_export;
  o.measure_packages = !a.no_export_eval;
  o.command = g_command_line;
  o.interrupt = &g_interrupt;

  const bool bar = !a.quiet && (a.progress || ::isatty(STDERR_FILENO));
  auto last_draw = std::make_shared<base::Timer>();
  if (!a.quiet) {
    o.on_message = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    o.on_epoch = [bar](const train::EpochRecord& e) {
      std::fprintf(stderr,
                   "%sepoch %d: loss %.4f, train %.2f %%, test %.2f %% (loss %.4f), lr %.4g, "
                   "%.1f s, %.0f samples/s\n",
                   bar ? "\r\033[K" : "", e.epoch, e.loss, 100 * e.train_acc, 100 * e.test_acc,
                   e.test_loss, e.lr, e.seconds, e.samples_per_s);
    };
  }
  if (bar) {
    o.on_step = [last_draw](const train::StepProgress& p) {
      if (p.step != p.steps && last_draw->ElapsedMs() < 100) return;
      last_draw->Reset();
      constexpr int kWidth = 20;
      const int filled = static_cast<int>(kWidth * p.step / std::max<int64_t>(p.steps, 1));
      std::fprintf(stderr,
                   "\r\033[Kepoch %d/%d [%s%s] %lld/%lld loss %.4f acc %.2f %% lr %.4g | %.1f "
                   "batch/s %.0f samples/s | ETA %s",
                   p.epoch, p.epochs, std::string(filled, '#').c_str(),
                   std::string(kWidth - filled, '.').c_str(), static_cast<long long>(p.step),
                   static_cast<long long>(p.steps), p.loss, 100 * p.acc, p.lr, p.batches_per_s,
                   p.samples_per_s, Duration(p.eta_s).c_str());
      std::fflush(stderr);
    };
  }

  struct sigaction sa = {}, old = {};
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  Result<train::TrainResult> res = train::Train(o);
  sigaction(SIGINT, &old, nullptr);
  if (!res.ok()) return Fail(res.status().message());
  const train::TrainResult& t = res.value();
  const int done = static_cast<int>(t.history.size());
  if (t.interrupted && done == 0) {
    std::fprintf(stderr,
                 "%sstopped in epoch 1 of %d: no epoch completed, so there is no checkpoint\n",
                 bar ? "\n" : "", r.epochs);
  } else if (t.interrupted) {
    std::fprintf(stderr,
                 "%sstopped after epoch %d of %d; %s holds it: continue with the same command "
                 "and --resume\n",
                 bar ? "\n" : "", done, r.epochs, t.checkpoint.c_str());
  }
  if (a.json) {
    nlohmann::json j = t.ToJson();
    j["model"] = a.model;
    j["recipe"] = r.ToJson();
    j["command"] = g_command_line;
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else if (!t.interrupted) {
    std::string s =
        fmt::format("trained {} for {} epochs in {}", a.model, done, Duration(t.seconds));
    if (!t.ternary_package.empty() && std::isnan(t.ternary_acc)) {
      s += fmt::format(
          "\npackages (not measured: --no-export-eval): {} and {}\n"
          "  the QAT model in libtorch (eval mode): {:.2f} %",
          t.ternary_package, t.fp32_package, 100 * t.torch_test_acc);
    } else if (!t.ternary_package.empty()) {
      s += fmt::format(
          "\ntest accuracy, measured by the runtime (triton eval):\n"
          "  ternary {:.2f} % (int8 activations), {:.2f} % (FP32 activations)   {}\n"
          "  FP32 latent weights {:.2f} %   {}\n"
          "  the QAT model in libtorch (eval mode): {:.2f} %",
          100 * t.ternary_acc, 100 * t.ternary_acc_fp32_act, t.ternary_package, 100 * t.fp32_acc,
          t.fp32_package, 100 * t.torch_test_acc);
    }
    std::fputs((s + fmt::format("\ncheckpoint {}, log {}\n", t.checkpoint, t.log_json)).c_str(),
               stdout);
  }
  if (t.interrupted && a.stop_after == 0) return kUserError;
  return kOk;
}
#endif

}  // namespace

void SetCommandLine(int argc, char** argv) {
  g_command_line.clear();
  for (int i = 0; i < argc; ++i) {
    if (i) g_command_line += ' ';
    g_command_line += ShellQuote(i == 0 ? "triton" : argv[i]);
  }
}

void AddTrain(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd =
      app.add_subcommand("train", "Quantization-aware training with libtorch (CPU or CUDA)");
  cmd->add_option("--model", a->model, "zoo model name, or a .tri file")->required();
  cmd->add_option("--model-name", a->model_name, "with a .tri file: the `model` to train");
  cmd->add_option("--data", a->data,
                  "data set: fashion-mnist, mnist, cifar10, imagefolder:PATH, each also as "
                  "NAME:PATH (default: the zoo model's)");
  cmd->add_option("--epochs", a->epochs, "epochs (recipe default: 10 MNIST-like, 30 otherwise)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--batch", a->batch, "batch size (default 128)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--lr", a->lr, "peak learning rate (default 0.1)")->check(CLI::PositiveNumber);
  cmd->add_option("--optimizer", a->optimizer, "sgd (default; Nesterov momentum), adam, adamw")
      ->check(CLI::IsMember({"sgd", "adam", "adamw"}));
  cmd->add_option("--momentum", a->momentum, "SGD momentum (default 0.9)")
      ->check(CLI::Range(0.0, 0.999));
  cmd->add_flag("--no-nesterov", a->no_nesterov, "plain momentum instead of Nesterov's");
  cmd->add_option("--wd,--weight-decay", a->weight_decay,
                  "weight decay, not on biases, batch-norm or TTQ scales (default 1e-4 MNIST-like, "
                  "5e-4 otherwise)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--schedule", a->schedule, "onecycle (default), cosine, step, constant")
      ->check(CLI::IsMember({"onecycle", "cosine", "step", "constant"}));
  cmd->add_option("--warmup", a->warmup, "warm-up epochs (onecycle: default 30 % of the run)")
      ->check(CLI::Range(0.0, 100000.0));
  cmd->add_option("--label-smoothing", a->label_smoothing, "(default 0; 0.1 on CIFAR-10)")
      ->check(CLI::Range(0.0, 0.99));
  cmd->add_option("--grad-clip", a->grad_clip, "clip the gradients' global L2 norm (0: off)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--crop-pad", a->crop_pad, "random crop with this padding (default 4 on CIFAR)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--flip", a->flip, "random horizontal flips (default on CIFAR)");
  cmd->add_flag("--no-flip", a->no_flip, "no flips");
  cmd->add_option("--cutout", a->cutout, "cutout square side (default 0: off)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--mixup", a->mixup,
                  "mixup with Beta(ALPHA, ALPHA) (default 0: off; 0.2 is usual)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--cutmix", a->cutmix,
                  "CutMix with Beta(ALPHA, ALPHA) (default 0: off; 1 is usual)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--mix-prob", a->mix_prob,
                  "with --mixup/--cutmix: the chance that a batch is mixed (default 1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--scale-lr", a->scale_lr,
                  "learning-rate multiplier for --method learned's scales Wp/Wn (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--init", a->init,
                  "start from this package's weights (e.g. model_fp32.tnn of a --method none run "
                  "of the same model and data set)");
  cmd->add_option("--teacher", a->teacher,
                  "distill from this package (e.g. an FP32 model_fp32.tnn of the same data set)");
  cmd->add_option("--distill-alpha", a->distill_alpha,
                  "with --teacher: weight of the distillation term (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--distill-temp", a->distill_temperature,
                  "with --teacher: softmax temperature (default 4)")
      ->check(CLI::Range(0.01, 100.0));
  cmd->add_option("--bn-recal", a->bn_recal,
                  "after training, recompute batch-norm statistics over N training batches with "
                  "the ternary weights (default 0: off)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--method", a->method,
                  "ternarization of every ternary layer: twn, threshold, stochastic, learned, "
                  "absmean; none = train in FP32 (baseline); default: each layer's own")
      ->check(CLI::IsMember({"twn", "threshold", "stochastic", "learned", "absmean", "none"}));
  cmd->add_flag("--per-tensor", a->per_tensor, "with --method: one scale per tensor");
  cmd->add_option("--threshold", a->threshold, "with --method: the threshold factor")
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--clipped-ste", a->clipped_ste, "zero gradient where |latent| > --clip");
  cmd->add_option("--clip", a->clip, "clipped STE bound (default 1)")->check(CLI::PositiveNumber);
  cmd->add_option("--fp-epochs", a->fp_epochs, "progressive quantization: first N epochs in FP32")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--seed", a->seed, "seed of init, data order, augmentation (default 0)");
  cmd->add_option("--threads", a->threads, "threads (default: TRITON_NUM_THREADS, else all CPUs)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--device", a->device,
                  "cpu (default), cuda or cuda:N (needs a libtorch with CUDA: docs/training.md)");
  cmd->add_option("--out", a->out, "output directory (default train_out)");
  cmd->add_flag("--resume", a->resume, "continue from the checkpoint in --out");
  cmd->add_option("--stop-after", a->stop_after,
                  "stop after N completed epochs of the planned --epochs (resume later)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--no-export", a->no_export, "do not write the .tnn packages");
  cmd->add_flag("--no-export-eval", a->no_export_eval,
                "write the packages without measuring them with the runtime (`triton eval` later)");
  cmd->add_flag("--json", a->json, "print the result as JSON on stdout");
  cmd->add_flag("--progress", a->progress, "show the progress bar even when stderr is not a TTY");
  cmd->add_flag("--quiet", a->quiet, "nothing on stderr but errors");
  cmd->callback([a, &exit_code] {
#if TRITON_HAVE_TRAIN
    exit_code = RunTrain(*a);
#else
    std::fprintf(stderr,
                 "triton: error: this triton was built without libtorch; `triton train` "
                 "needs it (apt-get install libtorch-dev, then rebuild)\n");
    exit_code = kUserError;
#endif
  });
}

}  // namespace triton::cli
