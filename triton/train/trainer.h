#pragma once
// The training loop behind `triton train` (DESIGN.md §3 "Training"): a model (zoo name or .tri
// file, compiled at -O1) lowered to a QatModel (qat_model.h), trained on a data set's training
// split with a recipe, evaluated on its test split every epoch, checkpointed every epoch for an
// exact resume, and exported to two packages whose accuracy the runtime measures (driver/eval.h).
//
// This header has no libtorch types, so the CLI compiles without libtorch's headers.
//
// Output directory:
//   checkpoint.pt       the last complete epoch (checkpoint.h; atomic, so Ctrl-C never damages it)
//   log.json, log.csv   per epoch: loss, train accuracy, test loss/accuracy, lr, seconds, samples/s
//   model_fp32.tnn      latent FP32 weights (QatModel::ExportFp32), evaluated in FP32
//   model_ternary.tnn   ternary 2-bit (QatModel::ExportTernary), what the runtime runs
//
// Determinism: for a fixed seed and thread count every run is identical on the CPU (seeded init,
// loader order and augmentation, libtorch's generator). A run resumed from a checkpoint continues
// bitwise identically to the uninterrupted run (the schedule depends on the planned epoch count, so
// --epochs must be the same: the checkpoint's options must match, which the resume checks).
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"
#include "triton/train/data/loader.h"

namespace triton::train {

// Everything that decides the trajectory besides the model, the data and the seed.
struct Recipe {
  int epochs = 10;
  int64_t batch = 128;
  std::string optimizer = "sgd";      // sgd | adam | adamw
  double lr = 0.1;                    // peak learning rate
  double momentum = 0.9;              // sgd
  bool nesterov = true;               // sgd
  double weight_decay = 5e-4;         // not on 1-D params (biases, batch-norm) nor TTQ scales
  std::string schedule = "onecycle";  // schedule.h: onecycle | cosine | step | constant
  double warmup_epochs = 0;           // 0 with onecycle: its 30 % default
  double label_smoothing = 0;
  double grad_clip = 0;  // > 0: clip the global L2 norm of the gradients to this
  data::Augment augment;
  // Batch mixing (mix.h): mixup / CutMix with Beta(alpha, alpha) when > 0 (both: half the mixed
  // batches each), each batch mixed with probability mix_prob.
  double mixup = 0, cutmix = 0, mix_prob = 1.0;
  // TTQ's scales Wp/Wn learn at lr x scale_lr. Their gradient sums over every weight of their
  // group (ste.h), so at a learning rate made for weights one step moves them by a large part of
  // their value; a multiplier below 1 steadies them.
  double scale_lr = 1.0;

  nlohmann::json ToJson() const;
  std::string Summary() const;  // "sgd(m=0.9,nesterov) lr 0.1 onecycle, wd 5e-4, 10 ep x 128"
};
// The defaults per data set: fashion-mnist / mnist (MLP-sized), cifar10 (crop 4 + flip, label
// smoothing 0.1), anything else like cifar10 without augmentation.
Recipe DefaultRecipe(const std::string& dataset);

// QatOptions (qat_model.h) without libtorch.
struct QatSettings {
  // "" = each ternary param's own QuantSpec; "none" = no ternarization while training (the FP32
  // baseline: latent weights trained as plain FP32; model_ternary.tnn is then a post-training
  // ternarization of them).
  std::string method;
  int fp_epochs = 0;  // progressive quantization: the first fp_epochs epochs train in FP32
  bool per_channel = true;
  double threshold = -1;
  bool clipped_ste = false;
  double clip = 1.0;
};

struct EpochRecord {
  int epoch = 0;                       // 1-based
  double loss = 0, train_acc = 0;      // mean over the epoch's batches (train mode)
  double test_loss = 0, test_acc = 0;  // eval mode, FP32 activations, ternary weights
  double lr = 0;                       // at the epoch's last step
  double seconds = 0;                  // training + evaluation of this epoch
  double samples_per_s = 0;            // training samples per second
  nlohmann::json ToJson() const;
};

struct StepProgress {
  int epoch = 0, epochs = 0;         // 1-based epoch
  int64_t step = 0, steps = 0;       // 1-based step within the epoch
  double loss = 0, acc = 0, lr = 0;  // running means over the epoch so far
  double batches_per_s = 0, samples_per_s = 0;
  double eta_s = 0;  // the rest of the run, evaluation included, at the current rate
};

struct TrainOptions {
  std::string model;       // zoo name, or a .tri file
  std::string model_name;  // with a .tri file: its `model` declaration ("" = the only one)
  std::string data;        // driver::DatasetRef spec; "" = the zoo model's data set
  Recipe recipe;
  QatSettings qat;
  uint64_t seed = 0;
  int threads = 0;  // at::set_num_threads; 0 = TRITON_NUM_THREADS, else every CPU
  // "cpu", "cuda" or "cuda:N": where the model trains (libtorch's device string). CUDA needs a
  // libtorch with CUDA (a PyTorch wheel's, docs/training.md); cuDNN autotuning and TF32 are on
  // there, and runs are not bitwise reproducible (cuDNN picks algorithms by timing). Data loading
  // and the exported packages' evaluation stay on the CPU.
  std::string device = "cpu";
  std::string out_dir = "train_out";
  // Start from the weights of this package instead of the IR's initializers (teacher.h's
  // ReadInputPackage, QatModel::Create's `init`): every param of the model by name, e.g. the
  // model_fp32.tnn of a `--method none` run (fine-tuning a trained FP32 model into a ternary
  // one, as TTQ does) or a ternary package (its codes x scales become the latent weights).
  // Batch-norm statistics come with it. Its file hash joins the options a resume checks.
  std::string init;
  // Knowledge distillation (teacher.h, mix.h): with a teacher package, the loss is
  // (1 - alpha) x the label loss + alpha x T^2 KL(teacher || student) at temperature T.
  std::string teacher;
  double distill_alpha = 0.5;
  double distill_temperature = 4.0;
  // Batch-norm re-calibration after the last epoch: every running mean and variance recomputed as
  // the plain average over this many training batches (no augmentation), with the weights as the
  // ternary package holds them; then the test split is measured again. model_fp32.tnn keeps the
  // statistics of training. 0: off. Not part of the trajectory (a resume may change it).
  int bn_recal_batches = 0;
  bool resume = false;  // continue from out_dir/checkpoint.pt when it exists
  int stop_after = 0;   // > 0: stop after this many completed epochs (as if interrupted)
  bool export_packages = true;
  // Measure the exported packages with the runtime (TrainResult::*_acc, and the accuracy in their
  // metadata). The packages are written before they are measured, so a run stopped during the
  // measurement still leaves them (without a recorded accuracy; `triton eval` measures it).
  bool measure_packages = true;
  std::string command;  // the command line, recorded in the packages' metadata
  // Tests: in-memory data sets used instead of loading `data` (which still names the data set for
  // normalization and metadata). Both or neither; they must outlive Train.
  const data::ImageDataset* train_data = nullptr;
  const data::ImageDataset* test_data = nullptr;
  // Polled between batches: when it becomes true, training stops without writing anything, so
  // the last complete checkpoint stays as it was (Ctrl-C).
  const std::atomic<bool>* interrupt = nullptr;
  std::function<void(const StepProgress&)> on_step;
  std::function<void(const EpochRecord&)> on_epoch;
  std::function<void(const std::string&)> on_message;  // one line of status (no newline)
};

struct TrainResult {
  std::vector<EpochRecord> history;  // every completed epoch, earlier runs' included
  int resumed_from = 0;              // epochs completed before this run (0: fresh)
  bool interrupted = false;          // stopped by `interrupt` or stop_after
  double seconds = 0;                // training time over all runs (without export)
  std::string checkpoint, log_json, fp32_package, ternary_package;  // paths ("" = not written)
  double torch_test_acc = NAN;  // last epoch, QatModel in eval mode (after re-calibration)
  double torch_test_acc_before_recal = NAN;  // with bn_recal_batches: before it
  double fp32_acc = NAN;                     // runtime eval of model_fp32.tnn
  double ternary_acc = NAN;                  // runtime eval of model_ternary.tnn (int8 activations)
  double ternary_acc_fp32_act = NAN;  // the same with FP32 activations (comparable to torch's)
  std::string options_hash;
  nlohmann::json ToJson() const;
};

Result<TrainResult> Train(const TrainOptions& o);

}  // namespace triton::train
