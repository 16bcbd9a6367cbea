#include "triton/train/data/loader.h"

#include <algorithm>
#include <numeric>

#include "triton/train/data/rng.h"

namespace triton::data {
namespace {

// Salts keep the shuffle and augmentation streams apart for the same (seed, epoch).
constexpr uint64_t kShuffleSalt = 0x53485546464C4531ull;  // "SHUFFLE1"
constexpr uint64_t kAugmentSalt = 0x4155474D454E5431ull;  // "AUGMENT1"

}  // namespace

Result<std::unique_ptr<Loader>> Loader::Create(const ImageDataset& data, LoaderOptions opts) {
  const ImageShape s = data.shape();
  auto fail = [&](const std::string& m) {
    return Status::Error("loader for " + data.name() + ": " + m);
  };
  if (opts.batch_size < 1) return fail("batch size must be at least 1");
  if (data.size() == 0) return fail("the data set is empty");
  if (opts.mean.size() != opts.stddev.size() ||
      (!opts.mean.empty() && opts.mean.size() != static_cast<size_t>(s.c))) {
    return fail("normalization needs " + std::to_string(s.c) +
                " means and standard deviations, got " + std::to_string(opts.mean.size()) +
                " and " + std::to_string(opts.stddev.size()));
  }
  for (float sd : opts.stddev) {
    if (!(sd > 0)) return fail("standard deviations must be positive");
  }
  if (opts.augment.pad < 0 || opts.augment.pad > std::max(s.h, s.w)) {
    return fail("crop padding must be in 0.." + std::to_string(std::max(s.h, s.w)));
  }
  if (opts.augment.cutout < 0 || opts.augment.cutout > std::max(s.h, s.w)) {
    return fail("cutout size must be in 0.." + std::to_string(std::max(s.h, s.w)));
  }
  if (opts.prefetch < 0 || opts.workers < 1 || opts.workers > 256) {
    return fail("prefetch must be >= 0 and workers in 1..256");
  }
  if (opts.drop_last && data.size() < opts.batch_size) {
    return fail("drop_last with " + std::to_string(data.size()) + " samples and batch size " +
                std::to_string(opts.batch_size) + " leaves no batch");
  }
  return std::unique_ptr<Loader>(new Loader(data, std::move(opts)));
}

Loader::Loader(const ImageDataset& data, LoaderOptions opts)
    : data_(data), opts_(std::move(opts)), shape_(data.shape()) {
  const int64_t n = data_.size(), b = opts_.batch_size;
  num_batches_ = opts_.drop_last ? n / b : (n + b - 1) / b;
  for (int c = 0; c < shape_.c; ++c) {
    const float m = opts_.mean.empty() ? 0.0f : opts_.mean[c];
    const float sd = opts_.stddev.empty() ? 1.0f : opts_.stddev[c];
    scale_.push_back(1.0f / (255.0f * sd));
    bias_.push_back(-m / sd);
  }
}

Loader::~Loader() { StopWorkers(); }

int64_t Loader::num_samples() const {
  return opts_.drop_last ? num_batches_ * opts_.batch_size : data_.size();
}

std::vector<int64_t> Loader::EpochOrder(int64_t epoch) const {
  std::vector<int64_t> order(data_.size());
  std::iota(order.begin(), order.end(), int64_t{0});
  if (!opts_.shuffle) return order;
  Rng rng(opts_.seed ^ kShuffleSalt, static_cast<uint64_t>(epoch));
  for (int64_t i = static_cast<int64_t>(order.size()) - 1; i > 0; --i) {
    std::swap(order[i], order[rng.Below(static_cast<uint64_t>(i) + 1)]);
  }
  return order;
}

Status Loader::BuildBatch(int64_t epoch, int64_t b, Batch* out) const {
  const int64_t first = b * opts_.batch_size;
  const int64_t count = std::min<int64_t>(opts_.batch_size, data_.size() - first);
  const int C = shape_.c, H = shape_.h, W = shape_.w;
  const int64_t plane = int64_t{H} * W, sample = shape_.size();
  out->index = b;
  out->size = count;
  out->shape = shape_;
  out->images.resize(count * sample);
  out->labels.resize(count);
  out->indices.resize(count);
  std::vector<uint8_t> px(sample);
  const Augment& a = opts_.augment;
  for (int64_t k = 0; k < count; ++k) {
    const int64_t idx = order_[first + k];
    out->indices[k] = idx;
    out->labels[k] = data_.label(idx);
    if (Status s = data_.ReadPixels(idx, px.data()); !s.ok()) return s;
    float* dst = out->images.data() + k * sample;
    if (!a.any()) {
      for (int c = 0; c < C; ++c) {
        const uint8_t* src = px.data() + c * plane;
        float* d = dst + c * plane;
        for (int64_t i = 0; i < plane; ++i) d[i] = src[i] * scale_[c] + bias_[c];
      }
      continue;
    }
    Rng rng(opts_.seed ^ kAugmentSalt, static_cast<uint64_t>(epoch),
            static_cast<uint64_t>(first + k));
    // Source pixel of output (y, x): (y + oy, sx0 + sdx * x) in the unpadded image.
    int oy = 0, ox = 0;
    if (a.pad > 0) {
      oy = static_cast<int>(rng.Below(2 * a.pad + 1)) - a.pad;
      ox = static_cast<int>(rng.Below(2 * a.pad + 1)) - a.pad;
    }
    const bool flip = a.hflip && rng.Coin();
    const int sx0 = flip ? W - 1 + ox : ox, sdx = flip ? -1 : 1;
    for (int c = 0; c < C; ++c) {
      const uint8_t* src = px.data() + c * plane;
      float* d = dst + c * plane;
      const float zero = bias_[c];  // a padding pixel (value 0) after normalization
      for (int y = 0; y < H; ++y) {
        const int sy = y + oy;
        float* row = d + int64_t{y} * W;
        if (sy < 0 || sy >= H) {
          std::fill(row, row + W, zero);
          continue;
        }
        const uint8_t* srow = src + int64_t{sy} * W;
        for (int x = 0, sx = sx0; x < W; ++x, sx += sdx) {
          row[x] = (sx >= 0 && sx < W) ? srow[sx] * scale_[c] + bias_[c] : zero;
        }
      }
    }
    if (a.cutout > 0) {
      const int cy = static_cast<int>(rng.Below(H)), cx = static_cast<int>(rng.Below(W));
      const int y0 = std::max(0, cy - a.cutout / 2), y1 = std::min(H, cy - a.cutout / 2 + a.cutout);
      const int x0 = std::max(0, cx - a.cutout / 2), x1 = std::min(W, cx - a.cutout / 2 + a.cutout);
      for (int c = 0; c < C; ++c) {
        for (int y = y0; y < y1; ++y) {
          std::fill(dst + c * plane + int64_t{y} * W + x0, dst + c * plane + int64_t{y} * W + x1,
                    0.0f);
        }
      }
    }
  }
  return Status();
}

void Loader::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  space_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

void Loader::StartEpoch(int64_t epoch) {
  StopWorkers();
  epoch_ = epoch;
  order_ = EpochOrder(epoch);
  ready_.clear();
  next_build_ = next_consume_ = 0;
  stop_ = false;
  if (opts_.prefetch == 0) return;
  const int n = static_cast<int>(std::min<int64_t>(opts_.workers, num_batches_));
  for (int i = 0; i < n; ++i) workers_.emplace_back(&Loader::Work, this);
}

void Loader::Work() {
  // Up to max(prefetch, workers) batches are built or waiting ahead of the consumer.
  const int64_t capacity = std::max(opts_.prefetch, opts_.workers);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    space_cv_.wait(lock, [&] {
      return stop_ || next_build_ >= num_batches_ || next_build_ - next_consume_ < capacity;
    });
    if (stop_ || next_build_ >= num_batches_) return;
    const int64_t b = next_build_++;
    const int64_t epoch = epoch_;
    lock.unlock();
    Batch batch;
    Status s = BuildBatch(epoch, b, &batch);
    lock.lock();
    ready_.emplace(b, std::make_pair(std::move(s), std::move(batch)));
    ready_cv_.notify_all();
  }
}

Result<bool> Loader::Next(Batch* out) {
  TRITON_CHECK_MSG(epoch_ >= 0, "Loader::Next before StartEpoch");
  if (next_consume_ >= num_batches_) return false;
  if (opts_.prefetch == 0) {
    Status s = BuildBatch(epoch_, next_consume_, out);
    if (!s.ok()) return s;
    ++next_consume_;
    return true;
  }
  std::unique_lock<std::mutex> lock(mu_);
  ready_cv_.wait(lock, [&] { return ready_.count(next_consume_) > 0; });
  auto it = ready_.find(next_consume_);
  Status s = std::move(it->second.first);
  *out = std::move(it->second.second);
  ready_.erase(it);
  ++next_consume_;
  lock.unlock();
  space_cv_.notify_all();
  if (!s.ok()) return s;
  return true;
}

}  // namespace triton::data
