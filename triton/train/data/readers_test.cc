// IDX, CIFAR binary, gzip and tar readers on tiny files written by the tests: round trips and
// every damaged variant failing with the file name in the message.
#include <gtest/gtest.h>

#include "triton/train/data/cifar.h"
#include "triton/train/data/gzip.h"
#include "triton/train/data/idx.h"
#include "triton/train/data/tar.h"
#include "triton/train/data/test_util.h"

namespace triton::data {
namespace {

using testing::GzipBytes;
using testing::IdxBytes;
using testing::TempDir;
using testing::WriteBytes;

constexpr int kN = 5, kRows = 3, kCols = 4;

std::vector<uint8_t> Pixels(int n) {
  std::vector<uint8_t> p(n);
  for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 7 + 3);
  return p;
}

// Writes a tiny MNIST-layout test split into dir (gzip or raw).
void WriteTinyMnist(const TempDir& dir, bool gz) {
  std::vector<uint8_t> images = IdxBytes(0x803, {kN, kRows, kCols}, Pixels(kN * kRows * kCols));
  std::vector<uint8_t> labels = IdxBytes(0x801, {kN}, {3, 1, 4, 1, 5});
  const std::string ext = gz ? ".gz" : "";
  WriteBytes(dir / ("t10k-images-idx3-ubyte" + ext), gz ? GzipBytes(images) : images);
  WriteBytes(dir / ("t10k-labels-idx1-ubyte" + ext), gz ? GzipBytes(labels) : labels);
}

std::string Error(const Result<InMemoryDataset>& r) {
  return r.ok() ? "(loaded)" : r.status().message();
}

TEST(Idx, RoundTripRawAndGzip) {
  for (bool gz : {false, true}) {
    TempDir dir;
    WriteTinyMnist(dir, gz);
    Result<InMemoryDataset> r = LoadFashionMnist(dir.path(), Split::kTest);
    ASSERT_TRUE(r.ok()) << r.status().message();
    const InMemoryDataset& d = r.value();
    EXPECT_EQ(d.size(), kN);
    EXPECT_EQ(d.shape(), (ImageShape{1, kRows, kCols}));
    EXPECT_EQ(d.labels(), (std::vector<int64_t>{3, 1, 4, 1, 5}));
    EXPECT_EQ(d.all_pixels(), Pixels(kN * kRows * kCols));
    EXPECT_EQ(d.classes()[0], "T-shirt/top");
    EXPECT_EQ(d.ClassHistogram()[1], 2);
    Result<Sample> s = d.Get(1);
    ASSERT_TRUE(s.ok());
    EXPECT_FLOAT_EQ(s.value().image[0], Pixels(kN * kRows * kCols)[kRows * kCols] / 255.0f);
    EXPECT_EQ(s.value().label, 1);
  }
}

TEST(Idx, MissingFilesAndFolders) {
  TempDir dir;
  EXPECT_NE(Error(LoadMnist(dir / "nope", Split::kTest)).find("nope: no such directory"),
            std::string::npos);
  std::string m = Error(LoadMnist(dir.path(), Split::kTrain));
  EXPECT_NE(m.find(dir.path() + ": no IDX file train-images-idx3-ubyte"), std::string::npos) << m;
}

TEST(Idx, DamagedFilesNameTheFileAndTheProblem) {
  const std::vector<uint8_t> good_images =
      IdxBytes(0x803, {kN, kRows, kCols}, Pixels(kN * kRows * kCols));
  const std::vector<uint8_t> good_labels = IdxBytes(0x801, {kN}, {0, 1, 2, 3, 4});
  struct Case {
    const char* what;
    std::vector<uint8_t> images, labels;
    const char* file;  // which file the message must name
    const char* expect;
  };
  std::vector<uint8_t> truncated = good_images;
  truncated.resize(truncated.size() - 7);
  std::vector<uint8_t> trailing = good_images;
  trailing.push_back(0);
  std::vector<uint8_t> bad_gzip = GzipBytes(good_images);
  bad_gzip.resize(bad_gzip.size() / 2);
  std::vector<uint8_t> corrupt_gzip = GzipBytes(good_images);
  for (size_t i = 12; i < corrupt_gzip.size() - 8; ++i) corrupt_gzip[i] ^= 0x5A;
  const std::vector<Case> cases = {
      {"truncated", truncated, good_labels, "images", "truncated: the header declares 60 bytes"},
      {"trailing", trailing, good_labels, "images", "1 trailing bytes"},
      {"labels as images", good_labels, good_labels, "images",
       "wrong magic 0x00000801: expected 0x00000803"},
      {"images as labels", good_images, good_images, "labels",
       "wrong magic 0x00000803: expected 0x00000801"},
      {"float type", IdxBytes(0xD03, {kN, kRows, kCols}, {}), good_labels, "images",
       "element type 0x0D is not supported"},
      {"not idx", {'P', 'K', 3, 4, 0, 0}, good_labels, "images", "not an IDX file"},
      {"tiny", {0, 0}, good_labels, "images", "shorter than the 4-byte magic"},
      {"short header", {0, 0, 8, 3, 0, 0, 0, 1}, good_labels, "images", "truncated header"},
      {"count mismatch", good_images, IdxBytes(0x801, {4}, {0, 1, 2, 3}), "labels",
       "4 labels, but"},
      {"label range", good_images, IdxBytes(0x801, {kN}, {0, 1, 2, 10, 4}), "labels",
       "label 10 of sample 3 is out of range (10 classes)"},
      {"truncated gzip", bad_gzip, good_labels, "images", "truncated gzip stream"},
      {"corrupt gzip", corrupt_gzip, good_labels, "images", "corrupt gzip stream"},
      {"empty", {}, good_labels, "images", "not an IDX file: 0 bytes"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    WriteBytes(dir / "t10k-images-idx3-ubyte", c.images);
    WriteBytes(dir / "t10k-labels-idx1-ubyte", c.labels);
    const std::string m = Error(LoadMnist(dir.path(), Split::kTest));
    const std::string file =
        dir / (std::string("t10k-") + c.file + (c.file[0] == 'i' ? "-idx3-ubyte" : "-idx1-ubyte"));
    EXPECT_EQ(m.rfind(file + ": ", 0), 0u) << c.what << ": " << m;
    EXPECT_NE(m.find(c.expect), std::string::npos) << c.what << ": " << m;
  }
}

TEST(Idx, HugeDimensionsAreRejectedWithoutAllocating) {
  const std::vector<uint8_t> b = IdxBytes(0x803, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {});
  Result<IdxArray> r = ParseIdx(b, "big.idx");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("big.idx: dimensions declare more than"), std::string::npos);
}

TEST(Gzip, LimitStopsDecompressionBombs) {
  const std::vector<uint8_t> zeros(1 << 20, 0);
  Result<std::vector<uint8_t>> r = Gunzip(GzipBytes(zeros), "bomb.gz", 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bomb.gz: decompressed data exceeds the limit of 1000"),
            std::string::npos);
  Result<std::vector<uint8_t>> ok = Gunzip(GzipBytes(zeros), "z.gz", 1 << 20);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok.value(), zeros);
}

std::vector<uint8_t> CifarRecords(int n, int record, int label_mod) {
  std::vector<uint8_t> b;
  for (int i = 0; i < n; ++i) {
    if (record == 3074) b.push_back(static_cast<uint8_t>(i % 20));  // coarse label
    b.push_back(static_cast<uint8_t>(i % label_mod));
    for (int p = 0; p < 3072; ++p) b.push_back(static_cast<uint8_t>(i + p));
  }
  return b;
}

TEST(Cifar, Cifar10RoundTripAndMetaNames) {
  TempDir dir;
  WriteBytes(dir / "test_batch.bin", CifarRecords(12, 3073, 10));
  Result<InMemoryDataset> r = LoadCifar10Binary(dir.path(), Split::kTest);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().size(), 12);
  EXPECT_EQ(r.value().shape(), (ImageShape{3, 32, 32}));
  EXPECT_EQ(r.value().label(11), 1);
  EXPECT_EQ(r.value().pixels(2)[1024], static_cast<uint8_t>(2 + 1024));  // green plane
  EXPECT_EQ(r.value().classes(), Cifar10Classes());

  WriteBytes(dir / "batches.meta.txt", {'a', '\n', 'b', '\n'});
  EXPECT_NE(Error(LoadCifar10Binary(dir.path(), Split::kTest))
                .find("batches.meta.txt: 2 class names, expected 10"),
            std::string::npos);
}

TEST(Cifar, Cifar100FineAndCoarse) {
  TempDir dir;
  WriteBytes(dir / "train.bin", CifarRecords(30, 3074, 100));
  Result<InMemoryDataset> fine = LoadCifar100Binary(dir.path(), Split::kTrain);
  ASSERT_TRUE(fine.ok()) << fine.status().message();
  EXPECT_EQ(fine.value().classes().size(), 100u);
  EXPECT_EQ(fine.value().label(25), 25);
  Result<InMemoryDataset> coarse = LoadCifar100Binary(dir.path(), Split::kTrain, true);
  ASSERT_TRUE(coarse.ok());
  EXPECT_EQ(coarse.value().label(25), 5);
}

TEST(Cifar, DamagedFiles) {
  TempDir dir;
  std::vector<uint8_t> b = CifarRecords(3, 3073, 10);
  b.pop_back();
  WriteBytes(dir / "test_batch.bin", b);
  std::string m = Error(LoadCifar10Binary(dir.path(), Split::kTest));
  EXPECT_NE(m.find(dir / "test_batch.bin: truncated or not a CIFAR binary file: 9218 bytes"),
            std::string::npos)
      << m;
  // A CIFAR-100 file read as CIFAR-10 (labels up to 99) is caught by the label range.
  WriteBytes(dir / "test_batch.bin", CifarRecords(11, 3073, 100));
  m = Error(LoadCifar10Binary(dir.path(), Split::kTest));
  EXPECT_NE(m.find("test_batch.bin: record 10 has label 10, out of range"), std::string::npos) << m;
  WriteBytes(dir / "test_batch.bin", {});
  EXPECT_NE(Error(LoadCifar10Binary(dir.path(), Split::kTest)).find("empty file"),
            std::string::npos);
  m = Error(LoadCifar10Binary(dir.path(), Split::kTrain));
  EXPECT_NE(m.find(dir / "data_batch_1.bin: No such file"), std::string::npos) << m;
  EXPECT_NE(Error(LoadCifar10Binary(dir / "x", Split::kTest)).find("no such directory"),
            std::string::npos);
}

TEST(Tar, MembersAndDamage) {
  const std::vector<uint8_t> tar =
      testing::TarBytes({{"./a/b.txt", {'h', 'i'}}, {"c", std::vector<uint8_t>(600, 7)}});
  Result<std::vector<TarMember>> r = ParseTar(tar, "x.tar");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_EQ(r.value()[0].name, "a/b.txt");
  EXPECT_EQ(r.value()[0].size, 2u);
  EXPECT_EQ(tar[r.value()[0].offset], 'h');
  EXPECT_EQ(r.value()[1].size, 600u);

  std::vector<uint8_t> bad = tar;
  bad[512 * 2 + 3] ^= 1;  // second header
  std::string m = ParseTar(bad, "x.tar").status().message();
  EXPECT_EQ(m, "x.tar: tar header at offset 1024: bad checksum (not a tar archive, or damaged)");
  std::vector<uint8_t> cut(tar.begin(), tar.begin() + 1024 + 512 + 100);
  m = ParseTar(cut, "x.tar").status().message();
  EXPECT_NE(m.find("member of 600 bytes runs past the end"), std::string::npos) << m;
}

}  // namespace
}  // namespace triton::data
