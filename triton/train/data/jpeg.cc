// JPEG through the libjpeg API. libjpeg reports fatal errors by calling error_exit, whose
// default prints and calls exit(); ours formats the message and longjmps back to the setjmp in
// Decode/Encode below. Only C frames (libjpeg's) lie between the two, and the functions holding
// the setjmp keep their C++ objects outside (passed by pointer), so no destructor is skipped.
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include "triton/train/data/image.h"

namespace triton::data {
namespace {

// Progressive JPEGs may hold any number of scans, each a full pass over the coefficients: a
// small file can then cost minutes. libjpeg-turbo's TurboJPEG API caps scans at 500 for the same
// reason (TJFLAG_LIMITSCANS); real encoders emit about 10.
constexpr int kMaxScans = 500;

struct ErrorMgr {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  int warnings;
  char first_warning[JMSG_LENGTH_MAX];
};

[[noreturn]] void ErrorExit(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  std::longjmp(e->jump, 1);
}

// level -1: a warning (damaged data); >= 0: trace messages, ignored.
void EmitMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
  if (e->warnings++ == 0) (*cinfo->err->format_message)(cinfo, e->first_warning);
}

void OutputMessage(j_common_ptr) {}  // never print

void ProgressMonitor(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxScans) {
    auto* e = reinterpret_cast<ErrorMgr*>(cinfo->err);
    std::snprintf(e->message, sizeof e->message, "more than %d progressive scans", kMaxScans);
    std::longjmp(e->jump, 1);
  }
}

void InitErrors(ErrorMgr* err) {
  jpeg_std_error(&err->pub);
  err->pub.error_exit = ErrorExit;
  err->pub.emit_message = EmitMessage;
  err->pub.output_message = OutputMessage;
  err->message[0] = '\0';
  err->first_warning[0] = '\0';
  err->warnings = 0;
}

struct DecodeState {
  const JpegDecodeOptions* opts;
  Image* out;
  const char* problem;  // a non-libjpeg error (size limit), else nullptr
};

// Returns false with err->message or state->problem set. See the file comment for setjmp rules.
bool Decode(const uint8_t* data, unsigned long size, ErrorMgr* err, DecodeState* state) {
  jpeg_decompress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);  // jpeg_destroy_* is safe on a zeroed struct
  jpeg_progress_mgr progress;
  cinfo.err = &err->pub;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  progress.progress_monitor = ProgressMonitor;
  cinfo.progress = &progress;
  jpeg_mem_src(&cinfo, data, size);
  jpeg_read_header(&cinfo, TRUE);
  const JpegDecodeOptions& o = *state->opts;
  if (static_cast<int64_t>(cinfo.image_width) * cinfo.image_height > o.max_pixels) {
    state->problem = "image too large";
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = o.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  if (o.min_w > 0 || o.min_h > 0) {
    unsigned denom = 8;
    while (denom > 1 && ((cinfo.image_width + denom - 1) / denom < unsigned(o.min_w) ||
                         (cinfo.image_height + denom - 1) / denom < unsigned(o.min_h))) {
      denom /= 2;
    }
    cinfo.scale_num = 1;
    cinfo.scale_denom = denom;
  }
  jpeg_start_decompress(&cinfo);
  Image& img = *state->out;
  img.w = static_cast<int>(cinfo.output_width);
  img.h = static_cast<int>(cinfo.output_height);
  img.c = cinfo.output_components;
  img.pixels.resize(static_cast<size_t>(img.w) * img.h * img.c);
  const size_t stride = static_cast<size_t>(img.w) * img.c;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = img.pixels.data() + cinfo.output_scanline * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

struct EncodeState {
  const Image* img;
  int quality;
  unsigned char* buffer;  // malloc'd by libjpeg's memory destination; freed by the caller
  unsigned long size;
};

bool Encode(ErrorMgr* err, EncodeState* state) {
  jpeg_compress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = &err->pub;
  if (setjmp(err->jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &state->buffer, &state->size);
  const Image& img = *state->img;
  cinfo.image_width = img.w;
  cinfo.image_height = img.h;
  cinfo.input_components = img.c;
  cinfo.in_color_space = img.c == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, state->quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = static_cast<size_t>(img.w) * img.c;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(img.pixels.data()) + cinfo.next_scanline * stride;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const std::string& file,
                         const JpegDecodeOptions& opts) {
  if (opts.channels != 1 && opts.channels != 3) {
    return Status::Error(file + ": JPEG decoding to " + std::to_string(opts.channels) +
                         " channels is not supported (1 or 3)");
  }
  if (bytes.empty()) return Status::Error(file + ": empty file, not a JPEG");
  ErrorMgr err;
  InitErrors(&err);
  Image img;
  DecodeState state{&opts, &img, nullptr};
  if (!Decode(bytes.data(), bytes.size(), &err, &state)) {
    if (state.problem) {
      return Status::Error(file + ": " + state.problem + " (more than " +
                           std::to_string(opts.max_pixels) + " pixels)");
    }
    return Status::Error(file + ": corrupt JPEG: " + err.message);
  }
  if (opts.strict && err.warnings > 0) {
    return Status::Error(file + ": corrupt JPEG: " + err.first_warning);
  }
  return img;
}

Result<std::vector<uint8_t>> EncodeJpeg(const Image& img, int quality) {
  if ((img.c != 1 && img.c != 3) || img.w <= 0 || img.h <= 0 || img.w > 65500 || img.h > 65500 ||
      img.pixels.size() != static_cast<size_t>(img.w) * img.h * img.c) {
    return Status::Error("EncodeJpeg: invalid image " + std::to_string(img.w) + "x" +
                         std::to_string(img.h) + "x" + std::to_string(img.c));
  }
  ErrorMgr err;
  InitErrors(&err);
  EncodeState state{&img, quality, nullptr, 0};
  const bool ok = Encode(&err, &state);
  std::vector<uint8_t> out;
  if (ok) out.assign(state.buffer, state.buffer + state.size);
  std::free(state.buffer);
  if (!ok) return Status::Error(std::string("EncodeJpeg: ") + err.message);
  return out;
}

}  // namespace triton::data
