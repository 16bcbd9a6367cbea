#include "triton/train/data/cifar10_jpeg.h"

#include <filesystem>

#include "triton/train/data/cache.h"
#include "triton/train/data/image_folder.h"

namespace triton::data {
namespace fs = std::filesystem;

Result<InMemoryDataset> LoadCifar10Jpeg(const std::string& path, Split split,
                                        const Cifar10JpegOptions& opts) {
  const std::string split_name = split == Split::kTrain ? "train" : "test";
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) {
    return Status::Error(path + ": no such file (CIFAR-10 JPEG archive or folder)");
  }
  ImageFolderOptions io;
  io.threads = opts.threads;
  std::function<Result<InMemoryDataset>()> build;
  if (fs::is_directory(st)) {
    fs::path root = fs::path(path) / split_name;
    if (!fs::is_directory(root, ec)) root = fs::path(path) / "cifar10-jpeg" / split_name;
    if (!fs::is_directory(root, ec)) {
      return Status::Error(path + ": neither " + split_name + "/ nor cifar10-jpeg/" + split_name +
                           "/ is a folder here");
    }
    build = [root, io] { return LoadImageFolder(root.string(), io); };
  } else {
    build = [path, split_name, io] {
      return LoadImageFolderFromTar(path, "cifar10-jpeg/" + split_name, io);
    };
  }
  auto check = [&](Result<InMemoryDataset> r) -> Result<InMemoryDataset> {
    if (!r.ok()) return r;
    const InMemoryDataset& d = r.value();
    if (d.shape() != ImageShape{3, 32, 32} || d.classes().size() != 10) {
      return Status::Error(path + ": not CIFAR-10: " + std::to_string(d.classes().size()) +
                           " classes of " + std::to_string(d.shape().w) + "x" +
                           std::to_string(d.shape().h) + " images (expected 10 of 32x32)");
    }
    return r;
  };
  // Folders are decoded every time: their modification time does not follow the files' contents,
  // so no cheap key would notice an edited image.
  if (!opts.disk_cache || fs::is_directory(st)) return check(build());
  // The key changes whenever the source does (path, size, time) or the decoder's output would.
  const fs::path canonical = fs::weakly_canonical(path, ec);
  const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
  const uintmax_t size = fs::file_size(path, ec);
  const std::string key = "cifar10-jpeg v1|" + canonical.string() + "|" + std::to_string(size) +
                          "|" + std::to_string(mtime) + "|" + split_name;
  const std::string dir = opts.cache_dir.empty() ? DataCacheDir() : opts.cache_dir;
  const std::string cache = (fs::path(dir) / ("cifar10-jpeg-" + split_name + ".u8")).string();
  return check(LoadOrBuildCached(cache, key, build));
}

}  // namespace triton::data
