// The real data sets, when installed: Fashion-MNIST from Debian's dataset-fashion-mnist and
// CIFAR-10 (JPEG) from ../shared/data. Skipped (with the reason) when absent.
#include <gtest/gtest.h>

#include <filesystem>

#include "triton/base/timer.h"
#include "triton/train/data/cifar10_jpeg.h"
#include "triton/train/data/idx.h"

namespace triton::data {
namespace {

TEST(RealData, FashionMnistTestSplit) {
  if (!std::filesystem::exists(kDefaultFashionMnistDir)) {
    GTEST_SKIP() << kDefaultFashionMnistDir
                 << " not found: install Debian's dataset-fashion-mnist (scripts/setup.sh)";
  }
  base::Timer t;
  Result<InMemoryDataset> r = LoadFashionMnist(kDefaultFashionMnistDir, Split::kTest);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const InMemoryDataset& d = r.value();
  EXPECT_EQ(d.size(), 10000);
  EXPECT_EQ(d.shape(), (ImageShape{1, 28, 28}));
  EXPECT_EQ(d.ClassHistogram(), std::vector<int64_t>(10, 1000));
  std::printf("fashion-mnist t10k: %lld images in %.1f ms\n", static_cast<long long>(d.size()),
              t.ElapsedMs());
}

TEST(RealData, Cifar10JpegTestSplit) {
  const std::string archive = std::string(TRITON_SHARED_DATA) + "/cifar10-jpeg.tar.gz";
  if (!std::filesystem::exists(archive)) GTEST_SKIP() << archive << " not found";
  // Decoded from the archive every time (no disk cache): this measures the real path.
  Cifar10JpegOptions o;
  o.disk_cache = false;
  base::Timer t;
  Result<InMemoryDataset> r = LoadCifar10Jpeg(archive, Split::kTest, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const InMemoryDataset& d = r.value();
  EXPECT_EQ(d.size(), 10000);
  EXPECT_EQ(d.shape(), (ImageShape{3, 32, 32}));
  EXPECT_EQ(d.ClassHistogram(), std::vector<int64_t>(10, 1000));
  EXPECT_EQ(d.classes().front(), "airplane");
  EXPECT_EQ(d.classes().back(), "truck");
  std::printf("cifar10-jpeg test: %lld images in %.1f ms\n", static_cast<long long>(d.size()),
              t.ElapsedMs());
}

}  // namespace
}  // namespace triton::data
