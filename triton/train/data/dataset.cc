#include "triton/train/data/dataset.h"

#include <cmath>
#include <cstring>

namespace triton::data {

Result<Sample> ImageDataset::Get(int64_t i) const {
  if (i < 0 || i >= size()) {
    return Status::Error(name() + ": sample " + std::to_string(i) + " out of range [0, " +
                         std::to_string(size()) + ")");
  }
  std::vector<uint8_t> px(shape().size());
  Status s = ReadPixels(i, px.data());
  if (!s.ok()) return s;
  Sample out;
  out.image.resize(px.size());
  for (size_t k = 0; k < px.size(); ++k) out.image[k] = px[k] * (1.0f / 255.0f);
  out.label = label(i);
  return out;
}

InMemoryDataset::InMemoryDataset(std::string name, ImageShape shape, std::vector<uint8_t> pixels,
                                 std::vector<int64_t> labels, std::vector<std::string> classes)
    : name_(std::move(name)),
      shape_(shape),
      pixels_(std::move(pixels)),
      labels_(std::move(labels)),
      classes_(std::move(classes)) {
  TRITON_CHECK(static_cast<int64_t>(pixels_.size()) == size() * shape_.size());
  for (int64_t l : labels_) {
    TRITON_CHECK(l >= 0 && l < static_cast<int64_t>(classes_.size()));
  }
}

Status InMemoryDataset::ReadPixels(int64_t i, uint8_t* out) const {
  std::memcpy(out, pixels_.data() + i * shape_.size(), shape_.size());
  return Status();
}

std::vector<int64_t> InMemoryDataset::ClassHistogram() const {
  std::vector<int64_t> h(classes_.size(), 0);
  for (int64_t l : labels_) ++h[l];
  return h;
}

Result<ChannelStats> ComputeChannelStats(const ImageDataset& d) {
  const ImageShape s = d.shape();
  const int64_t plane = int64_t{s.h} * s.w;
  std::vector<double> sum(s.c, 0.0), sq(s.c, 0.0);
  std::vector<uint8_t> px(s.size());
  for (int64_t i = 0; i < d.size(); ++i) {
    Status st = d.ReadPixels(i, px.data());
    if (!st.ok()) return st;
    for (int c = 0; c < s.c; ++c) {
      // Integer sums per image are exact; doubles across images keep the error tiny.
      uint64_t a = 0, b = 0;
      for (int64_t k = 0; k < plane; ++k) {
        const uint64_t v = px[c * plane + k];
        a += v;
        b += v * v;
      }
      sum[c] += static_cast<double>(a);
      sq[c] += static_cast<double>(b);
    }
  }
  ChannelStats out;
  const double n = static_cast<double>(d.size()) * static_cast<double>(plane);
  for (int c = 0; c < s.c; ++c) {
    const double mean = n > 0 ? sum[c] / n / 255.0 : 0.0;
    const double var = n > 0 ? sq[c] / n / (255.0 * 255.0) - mean * mean : 0.0;
    out.mean.push_back(static_cast<float>(mean));
    out.stddev.push_back(static_cast<float>(var > 0 ? std::sqrt(var) : 0.0));
  }
  return out;
}

ChannelStats FashionMnistStats() { return {{0.2860f}, {0.3530f}}; }
ChannelStats MnistStats() { return {{0.1307f}, {0.3081f}}; }
ChannelStats Cifar10Stats() { return {{0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}}; }
ChannelStats ImageNetStats() { return {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}}; }

}  // namespace triton::data
