#pragma once
// The training/evaluation loader: epoch order, batching, augmentation, normalization, and
// background preparation of the next batches.
//
// Epoch e visits a permutation of the data set (a Fisher-Yates shuffle seeded by (seed, e), or
// the identity without shuffling), cut into batches of batch_size (the last one smaller unless
// drop_last). Each sample's augmentation draws from its own stream seeded by (seed, e, position
// in the epoch), so batches do not depend on the number of workers or on timing, and a run
// resumed at epoch e sees exactly the batches of the uninterrupted run.
//
// Per sample, in this order (torchvision's RandomCrop(padding), RandomHorizontalFlip, ToTensor,
// Normalize, then Cutout):
//   1. random crop: the image padded by `pad` zero pixels on each side, an H x W window at a
//      uniform offset in [0, 2 * pad] per axis;
//   2. horizontal flip with probability 1/2;
//   3. float: v = pixel / 255, then (v - mean[c]) / stddev[c] when mean/stddev are given;
//   4. cutout (DeVries & Taylor, 2017): a cutout x cutout square centered at a uniform pixel,
//      clipped to the image, set to 0 (the mean after normalization).
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "triton/base/status.h"
#include "triton/train/data/dataset.h"

namespace triton::data {

struct Augment {
  int pad = 0;         // random crop with this padding; 0: off
  bool hflip = false;  // random horizontal flip
  int cutout = 0;      // side of the cutout square; 0: off
  bool any() const { return pad > 0 || hflip || cutout > 0; }
};

struct LoaderOptions {
  int64_t batch_size = 128;
  bool shuffle = true;
  uint64_t seed = 0;
  bool drop_last = false;
  // Per channel, in [0, 1] units (dataset.h has the usual constants). Both empty: no
  // normalization; otherwise both have shape().c entries and stddev > 0.
  std::vector<float> mean, stddev;
  Augment augment;   // training only; leave default for evaluation
  int prefetch = 4;  // batches prepared ahead of the consumer; 0: built in Next()'s thread
  int workers = 1;   // threads preparing batches (more for data sets decoded on the fly)
};

// One batch: images [size, C, H, W] contiguous float32 (as a flat [size, C*H*W] matrix for an
// MLP), labels and the data set indices of its samples.
struct Batch {
  int64_t index = 0;  // batch number within the epoch
  int64_t size = 0;
  ImageShape shape;
  std::vector<float> images;
  std::vector<int64_t> labels;
  std::vector<int64_t> indices;
};

class Loader {
 public:
  // The data set must outlive the loader. Errors: invalid options (batch size, mean/stddev
  // sizes, pad or cutout larger than the image...).
  static Result<std::unique_ptr<Loader>> Create(const ImageDataset& data, LoaderOptions opts);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  int64_t num_batches() const { return num_batches_; }
  // Samples seen per epoch (fewer than the data set with drop_last).
  int64_t num_samples() const;
  const LoaderOptions& options() const { return opts_; }

  // The order samples are visited in epoch `epoch` (all data set indices).
  std::vector<int64_t> EpochOrder(int64_t epoch) const;

  // Starts (or restarts) an epoch; workers begin preparing its first batches at once.
  void StartEpoch(int64_t epoch);
  // The next batch of the current epoch into *out: true, or false after the last one. An error
  // is a sample that cannot be read (a streamed image that fails to decode), naming its file.
  Result<bool> Next(Batch* out);

 private:
  Loader(const ImageDataset& data, LoaderOptions opts);
  Status BuildBatch(int64_t epoch, int64_t b, Batch* out) const;
  void Work();
  void StopWorkers();

  const ImageDataset& data_;
  LoaderOptions opts_;
  ImageShape shape_;
  int64_t num_batches_ = 0;
  std::vector<float> scale_, bias_;  // per channel: out = pixel * scale + bias

  // Epoch state. Workers build batch next_build_ while next_build_ - next_consume_ < capacity.
  int64_t epoch_ = -1;
  std::vector<int64_t> order_;
  std::mutex mu_;
  std::condition_variable space_cv_, ready_cv_;
  bool stop_ = false;
  int64_t next_build_ = 0, next_consume_ = 0;
  std::map<int64_t, std::pair<Status, Batch>> ready_;
  std::vector<std::thread> workers_;
};

}  // namespace triton::data
