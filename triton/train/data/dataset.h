#pragma once
// Image data sets for training and evaluation: the common interface every reader produces.
//
// A data set is N samples of one fixed shape C x H x W (channels, height, width), each an image of
// uint8 pixels stored channel-major (CHW: all of channel 0 row by row, then channel 1, ...), plus
// an int64 label in [0, classes().size()). Flat data (an MLP's input) is the same buffer read as
// C*H*W values. Consumers get float32 through Sample()/the Loader: pixel / 255, so [0, 1], as
// torchvision's ToTensor does.
//
// Readers: idx.h (MNIST, Fashion-MNIST), cifar.h (CIFAR-10/100 binary), image_folder.h (folders
// of JPEGs, ImageNet layout; also read straight from a .tar.gz), cifar10_jpeg.h (the shared
// CIFAR-10 JPEG archive with its decoded cache).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::data {

struct ImageShape {
  int c = 0, h = 0, w = 0;
  int64_t size() const { return int64_t{c} * h * w; }
  bool operator==(const ImageShape&) const = default;
};

// One sample as float32: image in CHW order, values in [0, 1].
struct Sample {
  std::vector<float> image;
  int64_t label = 0;
};

// The interface the Loader reads. Implementations must allow concurrent const calls (the loader
// reads from worker threads).
class ImageDataset {
 public:
  virtual ~ImageDataset() = default;
  virtual int64_t size() const = 0;
  virtual ImageShape shape() const = 0;
  virtual const std::vector<std::string>& classes() const = 0;
  virtual int64_t label(int64_t i) const = 0;
  // Writes sample i's shape().size() pixels (CHW, uint8) to `out`. An error names the file the
  // sample comes from (streamed data sets decode here; in-memory ones never fail).
  virtual Status ReadPixels(int64_t i, uint8_t* out) const = 0;
  // A description for messages and logs ("fashion-mnist t10k (/usr/share/...)").
  virtual std::string name() const = 0;

  // Sample i as float32 in [0, 1] with its label.
  Result<Sample> Get(int64_t i) const;
};

// A data set held in memory as one contiguous uint8 tensor [N, C, H, W] (the decoded form every
// reader produces; 50,000 CIFAR images are 150 MiB).
class InMemoryDataset final : public ImageDataset {
 public:
  InMemoryDataset() = default;
  // pixels.size() must be labels.size() * shape.size() and every label < classes.size()
  // (internal invariants: readers validate their input before building one).
  InMemoryDataset(std::string name, ImageShape shape, std::vector<uint8_t> pixels,
                  std::vector<int64_t> labels, std::vector<std::string> classes);

  int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
  ImageShape shape() const override { return shape_; }
  const std::vector<std::string>& classes() const override { return classes_; }
  int64_t label(int64_t i) const override { return labels_[i]; }
  Status ReadPixels(int64_t i, uint8_t* out) const override;
  std::string name() const override { return name_; }

  std::span<const uint8_t> pixels(int64_t i) const {
    return {pixels_.data() + i * shape_.size(), static_cast<size_t>(shape_.size())};
  }
  const std::vector<uint8_t>& all_pixels() const { return pixels_; }
  const std::vector<int64_t>& labels() const { return labels_; }
  // Number of samples per class (size classes().size()).
  std::vector<int64_t> ClassHistogram() const;

 private:
  std::string name_;
  ImageShape shape_;
  std::vector<uint8_t> pixels_;
  std::vector<int64_t> labels_;
  std::vector<std::string> classes_;
};

// Per-channel mean and standard deviation of pixel / 255 over the whole data set (for
// normalization constants of a new data set).
struct ChannelStats {
  std::vector<float> mean, stddev;
};
Result<ChannelStats> ComputeChannelStats(const ImageDataset& d);

// Known normalization constants (torchvision conventions, values in [0, 1] units).
ChannelStats FashionMnistStats();  // mean 0.2860, std 0.3530
ChannelStats MnistStats();         // mean 0.1307, std 0.3081
ChannelStats Cifar10Stats();       // mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616)
ChannelStats ImageNetStats();      // mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)

}  // namespace triton::data
