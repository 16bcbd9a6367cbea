#include "triton/train/data/image_folder.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "triton/base/file.h"
#include "triton/train/data/gzip.h"
#include "triton/train/data/tar.h"

namespace triton::data {
namespace fs = std::filesystem;
namespace {

enum class FileKind { kJpeg, kOtherImage, kOther };

FileKind Classify(const std::string& filename) {
  const size_t dot = filename.rfind('.');
  if (dot == std::string::npos) return FileKind::kOther;
  std::string ext = filename.substr(dot + 1);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe") return FileKind::kJpeg;
  static const char* const kImages[] = {"png", "bmp", "gif", "webp", "tif", "tiff", "ppm", "pgm"};
  for (const char* e : kImages) {
    if (ext == e) return FileKind::kOtherImage;
  }
  return FileKind::kOther;
}

Status UnsupportedImage(const std::string& path) {
  return Status::Error(path +
                       ": only JPEG images are supported (convert it to JPEG or move it "
                       "out of the data set folder)");
}

Status CheckOptions(const ImageFolderOptions& o) {
  if (o.channels != 1 && o.channels != 3) {
    return Status::Error("image folder options: channels must be 1 or 3, not " +
                         std::to_string(o.channels));
  }
  if (o.resize == ResizeMode::kNone) return Status();
  if (o.width <= 0 || o.height <= 0 || o.width > 65536 || o.height > 65536) {
    return Status::Error("image folder options: resize needs a width and height in 1..65536");
  }
  if (o.resize == ResizeMode::kShortSideCenterCrop &&
      (o.short_side < std::max(o.width, o.height) || o.short_side > 65536)) {
    return Status::Error("image folder options: short_side " + std::to_string(o.short_side) +
                         " must be at least the crop size " + std::to_string(o.width) + "x" +
                         std::to_string(o.height));
  }
  return Status();
}

std::span<const uint8_t> AsBytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Result<ImageFolderIndex> ScanImageFolder(const std::string& root) {
  std::error_code ec;
  const fs::file_status st = fs::status(root, ec);
  if (!fs::exists(st)) return Status::Error(root + ": no such directory");
  if (!fs::is_directory(st)) return Status::Error(root + ": not a directory");
  ImageFolderIndex index;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (it->is_directory(ec)) index.classes.push_back(name);
  }
  if (ec) return Status::Error(root + ": cannot list: " + ec.message());
  if (index.classes.empty()) {
    return Status::Error(root + ": no class folders (expected ROOT/<class>/<image>.jpg)");
  }
  std::sort(index.classes.begin(), index.classes.end());
  for (size_t c = 0; c < index.classes.size(); ++c) {
    const fs::path dir = fs::path(root) / index.classes[c];
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
    for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec)) continue;
      switch (Classify(name)) {
        case FileKind::kJpeg:
          files.push_back(it->path().string());
          break;
        case FileKind::kOtherImage:
          return UnsupportedImage(it->path().string());
        case FileKind::kOther:
          break;
      }
    }
    if (ec) return Status::Error(dir.string() + ": cannot list: " + ec.message());
    if (files.empty()) return Status::Error(dir.string() + ": class folder without JPEG images");
    std::sort(files.begin(), files.end());
    for (std::string& f : files) {
      index.images.push_back({std::move(f), {}, false});
      index.labels.push_back(static_cast<int64_t>(c));
    }
  }
  return index;
}

Result<ImageFolderIndex> IndexTarFolder(std::span<const uint8_t> archive,
                                        const std::string& archive_name,
                                        const std::string& prefix) {
  Result<std::vector<TarMember>> members = ParseTar(archive, archive_name);
  if (!members.ok()) return members.status();
  const std::string start = prefix.empty() ? "" : prefix + "/";
  // class -> (member path, member) sorted by path
  std::map<std::string, std::map<std::string, const TarMember*>> by_class;
  for (const TarMember& m : members.value()) {
    if (m.name.rfind(start, 0) != 0) continue;
    const std::string rest = m.name.substr(start.size());
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) continue;  // a file beside the class folders
    const std::string file = rest.substr(rest.rfind('/') + 1);
    if (rest[0] == '.' || file.empty() || file[0] == '.' || rest.find("/.") != std::string::npos) {
      continue;
    }
    switch (Classify(file)) {
      case FileKind::kJpeg:
        by_class[rest.substr(0, slash)][m.name] = &m;
        break;
      case FileKind::kOtherImage:
        return UnsupportedImage(archive_name + ":" + m.name);
      case FileKind::kOther:
        break;
    }
  }
  if (by_class.empty()) {
    return Status::Error(archive_name + ": no JPEG members under " + start + "<class>/ (expected " +
                         start + "<class>/<image>.jpg)");
  }
  ImageFolderIndex index;
  for (const auto& [cls, files] : by_class) {
    for (const auto& [path, m] : files) {
      index.images.push_back(
          {archive_name + ":" + path, archive.subspan(m->offset, m->size), true});
      index.labels.push_back(static_cast<int64_t>(index.classes.size()));
    }
    index.classes.push_back(cls);
  }
  return index;
}

Status DecodeToChw(std::span<const uint8_t> bytes, const std::string& name,
                   const ImageFolderOptions& opts, ImageShape& shape, std::vector<uint8_t>& out) {
  JpegDecodeOptions jo;
  jo.channels = opts.channels;
  jo.strict = opts.strict;
  if (opts.resize == ResizeMode::kExact) {
    jo.min_w = opts.width;
    jo.min_h = opts.height;
  } else if (opts.resize == ResizeMode::kShortSideCenterCrop) {
    jo.min_w = jo.min_h = opts.short_side;
  }
  Result<Image> decoded = DecodeJpeg(bytes, name, jo);
  if (!decoded.ok()) return decoded.status();
  Image img = std::move(decoded).value();
  switch (opts.resize) {
    case ResizeMode::kNone:
      if (shape.c == 0) {
        shape = {img.c, img.h, img.w};
      } else if (img.w != shape.w || img.h != shape.h) {
        return Status::Error(name + ": image is " + std::to_string(img.w) + "x" +
                             std::to_string(img.h) + ", the data set's images are " +
                             std::to_string(shape.w) + "x" + std::to_string(shape.h) +
                             " (set a resize mode to mix sizes)");
      }
      break;
    case ResizeMode::kExact:
      img = Resize(img, opts.width, opts.height);
      break;
    case ResizeMode::kShortSideCenterCrop: {
      const double scale = static_cast<double>(opts.short_side) / std::min(img.w, img.h);
      const int w = img.w <= img.h
                        ? opts.short_side
                        : std::max(opts.width, static_cast<int>(std::lround(img.w * scale)));
      const int h = img.h < img.w
                        ? opts.short_side
                        : std::max(opts.height, static_cast<int>(std::lround(img.h * scale)));
      img = CenterCrop(Resize(img, w, h), opts.width, opts.height);
      break;
    }
  }
  if (opts.resize != ResizeMode::kNone) shape = {img.c, opts.height, opts.width};
  out.resize(shape.size());
  ToChw(img, out.data());
  return Status();
}

Result<InMemoryDataset> DecodeImageFolder(const ImageFolderIndex& index,
                                          const ImageFolderOptions& opts, const std::string& name) {
  if (Status s = CheckOptions(opts); !s.ok()) return s;
  const int64_t n = static_cast<int64_t>(index.images.size());
  if (n == 0) return Status::Error(name + ": no images");

  // Reads (when on disk) and decodes sample i into `out`.
  auto decode_one = [&](int64_t i, ImageShape& shape, std::vector<uint8_t>& out) -> Status {
    const ImageSource& src = index.images[i];
    if (src.in_memory) return DecodeToChw(src.bytes, src.name, opts, shape, out);
    Result<std::string> file = base::ReadFile(src.name);
    if (!file.ok()) return file.status();
    return DecodeToChw(AsBytes(file.value()), src.name, opts, shape, out);
  };

  // The first image fixes the shape (the only way to know it when the mode is kNone).
  ImageShape shape;
  std::vector<uint8_t> first;
  if (Status s = decode_one(0, shape, first); !s.ok()) return s;
  std::vector<uint8_t> pixels(static_cast<size_t>(n) * shape.size());
  std::copy(first.begin(), first.end(), pixels.begin());

  int threads =
      opts.threads > 0 ? opts.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, n / 64)));
  constexpr int64_t kChunk = 64;
  std::atomic<int64_t> next{1};
  std::atomic<bool> failed{false};
  std::mutex mu;
  int64_t error_at = n;  // the lowest failing index wins, so the message is deterministic
  Status error;
  auto work = [&] {
    std::vector<uint8_t> buf;
    while (!failed.load(std::memory_order_relaxed)) {
      const int64_t begin = next.fetch_add(kChunk);
      if (begin >= n) return;
      for (int64_t i = begin; i < std::min(n, begin + kChunk); ++i) {
        ImageShape s = shape;
        Status st = decode_one(i, s, buf);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (i < error_at) {
            error_at = i;
            error = st;
          }
          failed = true;
          return;
        }
        std::copy(buf.begin(), buf.end(), pixels.begin() + i * shape.size());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failed) return error;
  return InMemoryDataset(name, shape, std::move(pixels), index.labels, index.classes);
}

Result<InMemoryDataset> LoadImageFolder(const std::string& root, const ImageFolderOptions& opts) {
  if (Status s = CheckOptions(opts); !s.ok()) return s;
  Result<ImageFolderIndex> index = ScanImageFolder(root);
  if (!index.ok()) return index.status();
  return DecodeImageFolder(index.value(), opts, root);
}

Result<InMemoryDataset> LoadImageFolderFromTar(const std::string& archive_path,
                                               const std::string& prefix,
                                               const ImageFolderOptions& opts) {
  if (Status s = CheckOptions(opts); !s.ok()) return s;
  Result<std::vector<uint8_t>> archive = ReadMaybeGzip(archive_path, size_t{64} << 30);
  if (!archive.ok()) return archive.status();
  Result<ImageFolderIndex> index = IndexTarFolder(archive.value(), archive_path, prefix);
  if (!index.ok()) return index.status();
  return DecodeImageFolder(index.value(), opts, archive_path + ":" + prefix);
}

Result<std::unique_ptr<StreamingImageFolder>> StreamingImageFolder::Open(
    const std::string& root, const ImageFolderOptions& opts) {
  if (Status s = CheckOptions(opts); !s.ok()) return s;
  if (opts.resize == ResizeMode::kNone) {
    return Status::Error(root +
                         ": a streamed image folder needs a resize mode (kExact or "
                         "kShortSideCenterCrop) so that every sample has one shape");
  }
  Result<ImageFolderIndex> index = ScanImageFolder(root);
  if (!index.ok()) return index.status();
  std::unique_ptr<StreamingImageFolder> d(new StreamingImageFolder());
  d->root_ = root;
  d->index_ = std::move(index).value();
  d->opts_ = opts;
  d->shape_ = {opts.channels, opts.height, opts.width};
  return d;
}

Status StreamingImageFolder::ReadPixels(int64_t i, uint8_t* out) const {
  const std::string& path = index_.images[i].name;
  Result<std::string> file = base::ReadFile(path);
  if (!file.ok()) return file.status();
  ImageShape s = shape_;
  std::vector<uint8_t> buf;
  if (Status st = DecodeToChw(AsBytes(file.value()), path, opts_, s, buf); !st.ok()) return st;
  std::copy(buf.begin(), buf.end(), out);
  return Status();
}

}  // namespace triton::data
