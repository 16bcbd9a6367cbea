// data_speed: load and decode times of the real data sets and the loader's batch rate, for
// docs/data.md. Usage: data_speed [CIFAR10_JPEG_TAR_GZ] (default ../shared/data/...).
// The decoded cache goes to a temporary folder (removed at the end), not DataCacheDir().
#include <cstdio>
#include <filesystem>

#include "triton/base/timer.h"
#include "triton/train/data/cifar10_jpeg.h"
#include "triton/train/data/idx.h"
#include "triton/train/data/loader.h"

using namespace triton;
using namespace triton::data;

namespace {

void Report(const char* what, const Result<InMemoryDataset>& r, double ms) {
  if (!r.ok()) {
    std::printf("%-40s error: %s\n", what, r.status().message().c_str());
    return;
  }
  std::printf("%-40s %6lld images %9.1f ms  %8.0f images/s\n", what,
              static_cast<long long>(r.value().size()), ms, r.value().size() / (ms / 1000));
}

void LoaderRate(const InMemoryDataset& d, const ChannelStats& stats, bool augment) {
  LoaderOptions o;
  o.batch_size = 128;
  o.mean = stats.mean;
  o.stddev = stats.stddev;
  if (augment) o.augment = {.pad = 4, .hflip = true};
  auto l = Loader::Create(d, o);
  if (!l.ok()) return;
  base::Timer t;
  l.value()->StartEpoch(0);
  Batch b;
  int64_t n = 0;
  while (l.value()->Next(&b).value()) n += b.size;
  const double ms = t.ElapsedMs();
  std::printf("  loader epoch (batch 128%s): %.1f ms, %.0f images/s\n",
              augment ? ", crop+flip" : "", ms, n / (ms / 1000));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string archive = argc > 1 ? argv[1] : "../shared/data/cifar10-jpeg.tar.gz";
  base::Timer t;
  Result<InMemoryDataset> fm = LoadFashionMnist(kDefaultFashionMnistDir, Split::kTrain);
  Report("fashion-mnist train (gzip IDX)", fm, t.ElapsedMs());
  if (fm.ok()) LoaderRate(fm.value(), FashionMnistStats(), false);

  const std::string cache =
      (std::filesystem::temp_directory_path() / "triton-data-speed-cache").string();
  for (int threads : {1, 0}) {
    Cifar10JpegOptions o;
    o.disk_cache = false;
    o.threads = threads;
    t.Reset();
    Result<InMemoryDataset> r = LoadCifar10Jpeg(archive, Split::kTrain, o);
    Report(threads == 1 ? "cifar10-jpeg train, decode, 1 thread"
                        : "cifar10-jpeg train, decode, all cores",
           r, t.ElapsedMs());
  }
  Cifar10JpegOptions o;
  o.cache_dir = cache;
  t.Reset();
  Result<InMemoryDataset> first = LoadCifar10Jpeg(archive, Split::kTrain, o);
  Report("cifar10-jpeg train, decode + write cache", first, t.ElapsedMs());
  t.Reset();
  Result<InMemoryDataset> cached = LoadCifar10Jpeg(archive, Split::kTrain, o);
  Report("cifar10-jpeg train, from the disk cache", cached, t.ElapsedMs());
  if (cached.ok()) {
    LoaderRate(cached.value(), Cifar10Stats(), false);
    LoaderRate(cached.value(), Cifar10Stats(), true);
  }
  std::error_code ec;
  std::filesystem::remove_all(cache, ec);
  return 0;
}
