// The loader: epoch order (reproducible permutations), batching, drop_last, normalization,
// seeded augmentation independent of the number of workers, and error propagation.
#include "triton/train/data/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace triton::data {
namespace {

// n samples of c x h x w; sample i has every pixel (i * 13 + channel * 50 + y * w + x) % 256.
InMemoryDataset Synthetic(int n, int c, int h, int w) {
  std::vector<uint8_t> px;
  std::vector<int64_t> labels;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < c; ++k) {
      for (int p = 0; p < h * w; ++p) px.push_back(static_cast<uint8_t>(i * 13 + k * 50 + p));
    }
    labels.push_back(i % 3);
  }
  return InMemoryDataset("synthetic", {c, h, w}, std::move(px), std::move(labels), {"a", "b", "c"});
}

std::vector<Batch> Epoch(Loader& l, int64_t e) {
  l.StartEpoch(e);
  std::vector<Batch> out;
  Batch b;
  while (true) {
    Result<bool> r = l.Next(&b);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok() || !r.value()) break;
    out.push_back(std::move(b));
  }
  return out;
}

std::unique_ptr<Loader> Make(const ImageDataset& d, const LoaderOptions& o) {
  Result<std::unique_ptr<Loader>> r = Loader::Create(d, o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(Loader, ShuffleIsAReproduciblePermutation) {
  const InMemoryDataset d = Synthetic(103, 1, 2, 2);
  LoaderOptions o;
  o.batch_size = 10;
  o.seed = 7;
  auto l = Make(d, o);
  EXPECT_EQ(l->num_batches(), 11);
  const std::vector<int64_t> e0 = l->EpochOrder(0);
  std::vector<int64_t> sorted = e0;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 103; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_NE(e0, l->EpochOrder(1));
  EXPECT_EQ(e0, Make(d, o)->EpochOrder(0));  // another loader, same seed
  o.seed = 8;
  EXPECT_NE(e0, Make(d, o)->EpochOrder(0));
  // The batches follow the order, the last one partial.
  std::vector<Batch> bs = Epoch(*l, 0);
  ASSERT_EQ(bs.size(), 11u);
  EXPECT_EQ(bs.back().size, 3);
  std::vector<int64_t> seen;
  for (const Batch& b : bs) seen.insert(seen.end(), b.indices.begin(), b.indices.end());
  EXPECT_EQ(seen, e0);
  for (const Batch& b : bs) {
    for (int64_t k = 0; k < b.size; ++k) EXPECT_EQ(b.labels[k], b.indices[k] % 3);
  }
}

TEST(Loader, NoShuffleAndDropLast) {
  const InMemoryDataset d = Synthetic(25, 1, 1, 1);
  LoaderOptions o;
  o.batch_size = 10;
  o.shuffle = false;
  o.drop_last = true;
  auto l = Make(d, o);
  EXPECT_EQ(l->num_batches(), 2);
  EXPECT_EQ(l->num_samples(), 20);
  std::vector<Batch> bs = Epoch(*l, 3);
  ASSERT_EQ(bs.size(), 2u);
  EXPECT_EQ(bs[1].indices.front(), 10);
  EXPECT_EQ(bs[1].indices.back(), 19);
  o.batch_size = 30;
  EXPECT_FALSE(Loader::Create(d, o).ok());
}

TEST(Loader, NormalizationIsPerChannel) {
  const InMemoryDataset d = Synthetic(4, 3, 2, 3);
  LoaderOptions o;
  o.batch_size = 4;
  o.shuffle = false;
  o.mean = {0.5f, 0.25f, 0.0f};
  o.stddev = {0.5f, 2.0f, 1.0f};
  auto l = Make(d, o);
  const Batch b = Epoch(*l, 0).at(0);
  ASSERT_EQ(b.images.size(), 4u * 18);
  for (int i = 0; i < 4; ++i) {
    for (int c = 0; c < 3; ++c) {
      for (int p = 0; p < 6; ++p) {
        const float v = d.pixels(i)[c * 6 + p] / 255.0f;
        EXPECT_NEAR(b.images[i * 18 + c * 6 + p], (v - o.mean[c]) / o.stddev[c], 1e-6);
      }
    }
  }
  o.mean = {0.5f};
  EXPECT_FALSE(Loader::Create(d, o).ok());
  o.mean = {0, 0, 0};
  o.stddev = {1, 0, 1};
  EXPECT_FALSE(Loader::Create(d, o).ok());
}

TEST(Loader, AugmentationIsSeededAndIndependentOfWorkers) {
  const InMemoryDataset d = Synthetic(50, 3, 8, 8);
  LoaderOptions o;
  o.batch_size = 8;
  o.seed = 3;
  o.augment = {.pad = 2, .hflip = true, .cutout = 3};
  o.mean = {0.4f, 0.4f, 0.4f};
  o.stddev = {0.2f, 0.2f, 0.2f};
  std::vector<std::vector<Batch>> runs;
  for (auto [workers, prefetch] : {std::pair{1, 0}, {1, 2}, {3, 5}}) {
    o.workers = workers;
    o.prefetch = prefetch;
    auto l = Make(d, o);
    runs.push_back(Epoch(*l, 2));
  }
  for (const auto& run : runs) {
    ASSERT_EQ(run.size(), runs[0].size());
    for (size_t b = 0; b < run.size(); ++b) {
      EXPECT_EQ(run[b].images, runs[0][b].images);
      EXPECT_EQ(run[b].images.size(), static_cast<size_t>(run[b].size) * 3 * 8 * 8);
    }
  }
  // A different epoch augments differently; the unaugmented epoch differs from both.
  auto l = Make(d, o);
  EXPECT_NE(Epoch(*l, 3)[0].images, runs[0][0].images);
}

TEST(Loader, CropAndFlipMoveThePixels) {
  // One 1 x 3 x 4 image, pixels 0..11 (row-major); pad 1 gives offsets in -1..1 per axis.
  std::vector<uint8_t> px(12);
  for (int i = 0; i < 12; ++i) px[i] = static_cast<uint8_t>(i + 1);
  InMemoryDataset d("one", {1, 3, 4}, px, {0}, {"x"});
  LoaderOptions o;
  o.batch_size = 1;
  o.augment = {.pad = 1, .hflip = true};
  std::set<std::vector<float>> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    o.seed = seed;
    auto l = Make(d, o);
    const Batch b = Epoch(*l, 0).at(0);
    ASSERT_EQ(b.images.size(), 12u);
    // Every output is a window of the zero-padded image, maybe mirrored.
    bool matched = false;
    for (int oy = -1; oy <= 1 && !matched; ++oy) {
      for (int ox = -1; ox <= 1 && !matched; ++ox) {
        for (bool flip : {false, true}) {
          std::vector<float> want(12);
          for (int y = 0; y < 3; ++y) {
            for (int x = 0; x < 4; ++x) {
              const int sy = y + oy, sx = (flip ? 3 - x : x) + ox;
              want[y * 4 + x] =
                  (sy >= 0 && sy < 3 && sx >= 0 && sx < 4) ? px[sy * 4 + sx] / 255.0f : 0.0f;
            }
          }
          bool same = true;
          for (int i = 0; i < 12; ++i) same = same && std::abs(want[i] - b.images[i]) < 1e-6f;
          matched = matched || same;
        }
      }
    }
    EXPECT_TRUE(matched) << "seed " << seed;
    seen.insert(b.images);
  }
  EXPECT_EQ(seen.size(), 18u);  // 9 offsets x 2 flips, all reached
}

// A data set whose sample 5 cannot be read.
class Failing final : public ImageDataset {
 public:
  int64_t size() const override { return 10; }
  ImageShape shape() const override { return {1, 1, 1}; }
  const std::vector<std::string>& classes() const override { return classes_; }
  int64_t label(int64_t) const override { return 0; }
  Status ReadPixels(int64_t i, uint8_t* out) const override {
    if (i == 5) return Status::Error("img5.jpg: corrupt JPEG: bad");
    *out = 1;
    return Status();
  }
  std::string name() const override { return "failing"; }

 private:
  std::vector<std::string> classes_{"x"};
};

TEST(Loader, ReadErrorsReachTheConsumer) {
  Failing d;
  LoaderOptions o;
  o.batch_size = 4;
  o.shuffle = false;
  o.workers = 2;
  auto l = Make(d, o);
  l->StartEpoch(0);
  Batch b;
  EXPECT_TRUE(l->Next(&b).value());
  Result<bool> r = l->Next(&b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "img5.jpg: corrupt JPEG: bad");
  // Restarting mid-epoch (and destroying a loader with batches in flight) is clean.
  l->StartEpoch(1);
  EXPECT_TRUE(l->Next(&b).value());
}

}  // namespace
}  // namespace triton::data
