#pragma once
// Decoded images (interleaved HWC uint8), JPEG decoding/encoding through libjpeg-turbo's libjpeg
// API (Debian's libjpeg62-turbo-dev; its TurboJPEG API is a separate package), and the resizing
// used by the ImageFolder reader.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "triton/base/status.h"

namespace triton::data {

// Pixels interleaved: row y, column x, channel k at (y * w + x) * c + k. c is 1 (gray) or 3 (RGB).
struct Image {
  int w = 0, h = 0, c = 0;
  std::vector<uint8_t> pixels;
};

struct JpegDecodeOptions {
  int channels = 3;  // 3: RGB (gray JPEGs are expanded); 1: luminance only
  // Images larger than this many pixels are rejected before any pixel memory is allocated.
  int64_t max_pixels = int64_t{1} << 28;
  // libjpeg reports damaged data (truncated file, bad entropy data) as warnings and fills the
  // rest of the image with gray; strict turns every such warning into an error.
  bool strict = true;
  // When > 0: decode at the smallest of libjpeg's DCT scales 1/8, 1/4, 1/2, 1 whose result is
  // still at least min_w x min_h (a large speed-up when an image will be shrunk anyway).
  int min_w = 0, min_h = 0;
};

// Decodes a JPEG. Errors start with "FILE: " and carry libjpeg's own message ("FILE: corrupt
// JPEG: Not a JPEG file: starts with 0x89 0x50"). Never exits, never prints.
Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const std::string& file,
                         const JpegDecodeOptions& opts = {});

// Encodes an image (c = 1 or 3) as a baseline JPEG of the given quality (1..100).
Result<std::vector<uint8_t>> EncodeJpeg(const Image& img, int quality = 95);

// Resamples to w x h with a triangle (bilinear) filter whose support widens with the shrink
// factor, so downscaling averages instead of aliasing (what PIL's BILINEAR does).
Image Resize(const Image& img, int w, int h);
// The central w x h window (w <= img.w, h <= img.h).
Image CenterCrop(const Image& img, int w, int h);
// Writes the image channel-major (CHW) to out[0 .. c*h*w).
void ToChw(const Image& img, uint8_t* out);

}  // namespace triton::data
