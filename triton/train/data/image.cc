#include "triton/train/data/image.h"

#include <algorithm>
#include <cmath>

#include "triton/base/check.h"

namespace triton::data {
namespace {

// Taps of one output coordinate: input indices [first, first + weights.size()).
struct Taps {
  int first = 0;
  std::vector<float> weights;
};

// Triangle filter from `in` samples to `out` samples; pixel centers at i + 0.5. When shrinking,
// the filter is stretched by the shrink factor so every input pixel contributes.
std::vector<Taps> MakeTaps(int in, int out) {
  const double scale = static_cast<double>(in) / out;
  const double radius = std::max(scale, 1.0);
  std::vector<Taps> taps(out);
  for (int i = 0; i < out; ++i) {
    const double center = (i + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(std::floor(center - radius)));
    const int hi = std::min(in - 1, static_cast<int>(std::ceil(center + radius)));
    Taps& t = taps[i];
    t.first = lo;
    double sum = 0;
    for (int j = lo; j <= hi; ++j) {
      const double w = std::max(0.0, 1.0 - std::abs((j + 0.5 - center) / radius));
      t.weights.push_back(static_cast<float>(w));
      sum += w;
    }
    if (sum <= 0) {  // cannot happen for in >= 1, out >= 1; keep the nearest pixel regardless
      t.first = std::clamp(static_cast<int>(center), 0, in - 1);
      t.weights.assign(1, 1.0f);
      sum = 1;
    }
    for (float& w : t.weights) w = static_cast<float>(w / sum);
  }
  return taps;
}

}  // namespace

Image Resize(const Image& img, int w, int h) {
  TRITON_CHECK(w > 0 && h > 0 && img.w > 0 && img.h > 0);
  if (w == img.w && h == img.h) return img;
  const int c = img.c;
  const std::vector<Taps> tx = MakeTaps(img.w, w), ty = MakeTaps(img.h, h);
  // Horizontal pass into floats [img.h][w][c], then vertical into bytes.
  std::vector<float> mid(static_cast<size_t>(img.h) * w * c);
  for (int y = 0; y < img.h; ++y) {
    const uint8_t* row = img.pixels.data() + static_cast<size_t>(y) * img.w * c;
    float* o = mid.data() + static_cast<size_t>(y) * w * c;
    for (int x = 0; x < w; ++x) {
      const Taps& t = tx[x];
      for (int k = 0; k < c; ++k) {
        float acc = 0;
        for (size_t j = 0; j < t.weights.size(); ++j)
          acc += t.weights[j] * row[(t.first + j) * c + k];
        o[x * c + k] = acc;
      }
    }
  }
  Image out{w, h, c, std::vector<uint8_t>(static_cast<size_t>(w) * h * c)};
  const size_t stride = static_cast<size_t>(w) * c;
  for (int y = 0; y < h; ++y) {
    const Taps& t = ty[y];
    uint8_t* o = out.pixels.data() + y * stride;
    for (size_t i = 0; i < stride; ++i) {
      float acc = 0;
      for (size_t j = 0; j < t.weights.size(); ++j)
        acc += t.weights[j] * mid[(t.first + j) * stride + i];
      o[i] = static_cast<uint8_t>(std::clamp(std::lround(acc), 0L, 255L));
    }
  }
  return out;
}

Image CenterCrop(const Image& img, int w, int h) {
  TRITON_CHECK(w > 0 && h > 0 && w <= img.w && h <= img.h);
  const int x0 = (img.w - w) / 2, y0 = (img.h - h) / 2;
  Image out{w, h, img.c, std::vector<uint8_t>(static_cast<size_t>(w) * h * img.c)};
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = img.pixels.data() + (static_cast<size_t>(y0 + y) * img.w + x0) * img.c;
    std::copy(src, src + static_cast<size_t>(w) * img.c,
              out.pixels.data() + static_cast<size_t>(y) * w * img.c);
  }
  return out;
}

void ToChw(const Image& img, uint8_t* out) {
  const size_t plane = static_cast<size_t>(img.w) * img.h;
  for (size_t p = 0; p < plane; ++p) {
    for (int k = 0; k < img.c; ++k) out[k * plane + p] = img.pixels[p * img.c + k];
  }
}

}  // namespace triton::data
