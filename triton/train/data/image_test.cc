// JPEG decoding, resizing, image folders (on disk, in a tar.gz, streamed) and the decoded cache,
// on JPEGs the tests encode themselves.
#include "triton/train/data/image.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "triton/train/data/cache.h"
#include "triton/train/data/cifar10_jpeg.h"
#include "triton/train/data/image_folder.h"
#include "triton/train/data/test_util.h"

namespace triton::data {
namespace {

using testing::PatternImage;
using testing::TempDir;
using testing::WriteBytes;

std::vector<uint8_t> Jpeg(const Image& img, int quality = 95) {
  Result<std::vector<uint8_t>> r = EncodeJpeg(img, quality);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r.value() : std::vector<uint8_t>{};
}

int MaxDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(int{a[i]} - int{b[i]}));
  return m;
}

TEST(Jpeg, RoundTripRgbAndGray) {
  const Image rgb = PatternImage(32, 24, 3, 1);
  Result<Image> back = DecodeJpeg(Jpeg(rgb, 100), "a.jpg");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back.value().w, 32);
  EXPECT_EQ(back.value().h, 24);
  EXPECT_EQ(back.value().c, 3);
  EXPECT_LE(MaxDiff(rgb.pixels, back.value().pixels), 12);

  const Image gray = PatternImage(16, 16, 1, 2);
  Result<Image> g3 = DecodeJpeg(Jpeg(gray), "g.jpg");  // expanded to RGB
  ASSERT_TRUE(g3.ok());
  EXPECT_EQ(g3.value().c, 3);
  JpegDecodeOptions one;
  one.channels = 1;
  Result<Image> g1 = DecodeJpeg(Jpeg(gray, 100), "g.jpg", one);
  ASSERT_TRUE(g1.ok());
  EXPECT_LE(MaxDiff(gray.pixels, g1.value().pixels), 4);
}

TEST(Jpeg, DamagedDataIsAnErrorNamingTheFile) {
  const std::vector<uint8_t> good = Jpeg(PatternImage(64, 64, 3, 3));
  // Cut in the middle of the entropy-coded data (after the SOS marker FF DA).
  size_t sos = 0;
  while (sos + 1 < good.size() && !(good[sos] == 0xFF && good[sos + 1] == 0xDA)) ++sos;
  std::vector<uint8_t> truncated(good.begin(), good.begin() + (sos + good.size()) / 2);
  std::vector<uint8_t> garbage = good;
  for (size_t i = garbage.size() / 2; i < garbage.size() - 2; ++i) garbage[i] = 0xFF;
  const std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
  struct Case {
    const char* what;
    std::vector<uint8_t> bytes;
    const char* expect;
  };
  for (const Case& c : std::vector<Case>{
           {"truncated", truncated, "x.jpg: corrupt JPEG: Premature end of JPEG file"},
           {"garbage", garbage, "x.jpg: corrupt JPEG: "},
           {"png", png, "x.jpg: corrupt JPEG: Not a JPEG file: starts with 0x89 0x50"},
           {"empty", {}, "x.jpg: empty file"},
           {"header only", {0xFF, 0xD8}, "x.jpg: corrupt JPEG: "}}) {
    Result<Image> r = DecodeJpeg(c.bytes, "x.jpg");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().message().rfind(c.expect, 0), 0u)
        << c.what << ": " << r.status().message();
  }
  // Lenient decoding keeps what libjpeg recovered from a truncated file.
  JpegDecodeOptions lenient;
  lenient.strict = false;
  EXPECT_TRUE(DecodeJpeg(truncated, "x.jpg", lenient).ok());
  JpegDecodeOptions small;
  small.max_pixels = 100;
  EXPECT_NE(DecodeJpeg(good, "x.jpg", small).status().message().find("image too large"),
            std::string::npos);
}

TEST(Jpeg, DctScalingDecodesSmaller) {
  JpegDecodeOptions o;
  o.min_w = o.min_h = 20;  // 64 -> 32 (1/2) is the smallest scale still >= 20
  Result<Image> r = DecodeJpeg(Jpeg(PatternImage(64, 64, 3, 4)), "s.jpg", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().w, 32);
}

TEST(Resize, AveragesWhenShrinkingAndKeepsConstants) {
  Image flat{10, 6, 3, std::vector<uint8_t>(180, 77)};
  Image r = Resize(flat, 7, 13);
  EXPECT_EQ(r.w, 7);
  EXPECT_EQ(r.h, 13);
  for (uint8_t v : r.pixels) EXPECT_EQ(v, 77);
  // A 1-pixel checkerboard shrunk by 2 becomes uniform gray, not an aliased pattern.
  Image checker{8, 8, 1, std::vector<uint8_t>(64)};
  for (int i = 0; i < 64; ++i) checker.pixels[i] = ((i / 8 + i % 8) % 2) ? 200 : 0;
  Image half = Resize(checker, 4, 4);
  for (uint8_t v : half.pixels) EXPECT_NEAR(v, 100, 30);
  Image crop = CenterCrop(PatternImage(9, 7, 3, 5), 5, 3);
  EXPECT_EQ(crop.pixels[0], PatternImage(9, 7, 3, 5).pixels[(2 * 9 + 2) * 3]);
}

// ROOT/{cat,dog}/..: 3 cats and 2 dogs of 8x8 RGB, plus files the scan must skip.
void WriteTinyFolder(const std::string& root) {
  WriteBytes(root + "/dog/1.jpg", Jpeg(PatternImage(8, 8, 3, 10)));
  WriteBytes(root + "/dog/0.JPEG", Jpeg(PatternImage(8, 8, 3, 11)));
  WriteBytes(root + "/cat/a.jpg", Jpeg(PatternImage(8, 8, 3, 12)));
  WriteBytes(root + "/cat/sub/b.jpg", Jpeg(PatternImage(8, 8, 3, 13)));
  WriteBytes(root + "/cat/c.jpeg", Jpeg(PatternImage(8, 8, 3, 14)));
  WriteBytes(root + "/cat/notes.txt", {'x'});
  WriteBytes(root + "/cat/.hidden.jpg", {'x'});
  WriteBytes(root + "/.git/x.jpg", {'x'});
  WriteBytes(root + "/README", {'x'});
}

TEST(ImageFolder, ScanSortsClassesAndFiles) {
  TempDir dir;
  WriteTinyFolder(dir / "root");
  Result<ImageFolderIndex> r = ScanImageFolder(dir / "root");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().classes, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(r.value().labels, (std::vector<int64_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(r.value().images[0].name, dir / "root/cat/a.jpg");
  EXPECT_EQ(r.value().images[2].name, dir / "root/cat/sub/b.jpg");
  EXPECT_EQ(r.value().images[3].name, dir / "root/dog/0.JPEG");
}

TEST(ImageFolder, LoadDecodesEveryImageInParallel) {
  TempDir dir;
  WriteTinyFolder(dir / "root");
  for (int threads : {1, 3}) {
    ImageFolderOptions o;
    o.threads = threads;
    Result<InMemoryDataset> r = LoadImageFolder(dir / "root", o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r.value().size(), 5);
    EXPECT_EQ(r.value().shape(), (ImageShape{3, 8, 8}));
    // Sample 3 is dog/0.JPEG: pattern 11, stored CHW.
    const Image want = PatternImage(8, 8, 3, 11);
    std::vector<uint8_t> chw(192);
    ToChw(want, chw.data());
    const auto got = r.value().pixels(3);
    EXPECT_LE(MaxDiff(chw, std::vector<uint8_t>(got.begin(), got.end())), 16);
  }
  ImageFolderOptions resized;
  resized.resize = ResizeMode::kShortSideCenterCrop;
  resized.short_side = 6;
  resized.width = 4;
  resized.height = 5;
  Result<InMemoryDataset> r = LoadImageFolder(dir / "root", resized);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().shape(), (ImageShape{3, 5, 4}));
}

TEST(ImageFolder, ErrorsNameTheFileOrFolder) {
  TempDir dir;
  auto error = [](const Result<InMemoryDataset>& r) {
    return r.ok() ? std::string("(loaded)") : r.status().message();
  };
  EXPECT_EQ(error(LoadImageFolder(dir / "missing", {})), dir / "missing: no such directory");
  WriteBytes(dir / "file", {'x'});
  EXPECT_EQ(error(LoadImageFolder(dir / "file", {})), dir / "file: not a directory");
  std::filesystem::create_directories(dir / "empty");
  EXPECT_NE(error(LoadImageFolder(dir / "empty", {})).find("no class folders"), std::string::npos);

  WriteTinyFolder(dir / "a");
  std::filesystem::create_directories(dir / "a/emu");
  EXPECT_EQ(error(LoadImageFolder(dir / "a", {})), dir / "a/emu: class folder without JPEG images");
  std::filesystem::remove(dir / "a/emu");

  WriteBytes(dir / "a/dog/2.png", {0x89, 'P'});
  EXPECT_NE(error(LoadImageFolder(dir / "a", {})).find(dir / "a/dog/2.png: only JPEG images"),
            std::string::npos);
  std::filesystem::remove(dir / "a/dog/2.png");

  std::vector<uint8_t> bad = Jpeg(PatternImage(8, 8, 3, 1));
  bad.resize(bad.size() - 40);
  WriteBytes(dir / "a/dog/1.jpg", bad);
  EXPECT_NE(error(LoadImageFolder(dir / "a", {})).find(dir / "a/dog/1.jpg: corrupt JPEG"),
            std::string::npos);

  WriteBytes(dir / "a/dog/1.jpg", Jpeg(PatternImage(9, 8, 3, 1)));
  EXPECT_EQ(error(LoadImageFolder(dir / "a", {})),
            dir /
                "a/dog/1.jpg: image is 9x8, the data set's images are 8x8 (set a resize mode "
                "to mix sizes)");
}

TEST(ImageFolder, FromTarGzMatchesTheFolder) {
  TempDir dir;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  for (int i = 0; i < 6; ++i) {
    const std::string cls = i % 2 ? "b" : "a";
    files.push_back(
        {"set/test/" + cls + "/" + std::to_string(i) + ".jpg", Jpeg(PatternImage(8, 8, 3, i))});
    WriteBytes(dir / ("folder/" + cls + "/" + std::to_string(i) + ".jpg"), files.back().second);
  }
  files.push_back({"set/train/a/x.jpg", Jpeg(PatternImage(8, 8, 3, 9))});
  WriteBytes(dir / "set.tar.gz", testing::GzipBytes(testing::TarBytes(files)));
  Result<InMemoryDataset> t = LoadImageFolderFromTar(dir / "set.tar.gz", "set/test", {});
  ASSERT_TRUE(t.ok()) << t.status().message();
  Result<InMemoryDataset> f = LoadImageFolder(dir / "folder", {});
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(t.value().size(), 6);
  EXPECT_EQ(t.value().labels(), f.value().labels());
  EXPECT_EQ(t.value().all_pixels(), f.value().all_pixels());
  Result<InMemoryDataset> none = LoadImageFolderFromTar(dir / "set.tar.gz", "other", {});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no JPEG members under other/"), std::string::npos);
}

TEST(ImageFolder, StreamingDecodesOnDemand) {
  TempDir dir;
  WriteTinyFolder(dir / "root");
  ImageFolderOptions o;
  EXPECT_FALSE(StreamingImageFolder::Open(dir / "root", o).ok());  // needs a resize
  o.resize = ResizeMode::kExact;
  o.width = o.height = 8;
  Result<std::unique_ptr<StreamingImageFolder>> s = StreamingImageFolder::Open(dir / "root", o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Result<InMemoryDataset> m = LoadImageFolder(dir / "root", o);
  ASSERT_TRUE(m.ok());
  std::vector<uint8_t> px(192);
  ASSERT_TRUE(s.value()->ReadPixels(4, px.data()).ok());
  const auto want = m.value().pixels(4);
  EXPECT_EQ(px, std::vector<uint8_t>(want.begin(), want.end()));
  std::filesystem::remove(dir / "root/dog/1.jpg");
  Status st = s.value()->ReadPixels(4, px.data());
  EXPECT_EQ(st.message().rfind(dir / "root/dog/1.jpg: ", 0), 0u) << st.message();
}

TEST(Cache, RoundTripAndRejectsDamage) {
  TempDir dir;
  InMemoryDataset d("tiny", {1, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, {0, 1}, {"x", "y"});
  const std::string path = dir / "c/tiny.u8";
  ASSERT_TRUE(SaveDatasetCache(path, "k1", d).ok());
  Result<InMemoryDataset> back = LoadDatasetCache(path, "k1");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back.value().all_pixels(), d.all_pixels());
  EXPECT_EQ(back.value().labels(), d.labels());
  EXPECT_EQ(back.value().classes(), d.classes());
  EXPECT_EQ(back.value().name(), "tiny");
  EXPECT_NE(LoadDatasetCache(path, "k2").status().message().find("key mismatch"),
            std::string::npos);
  std::vector<uint8_t> bytes = testing::ReadBytes(path);
  bytes[bytes.size() - 10] ^= 1;
  WriteBytes(path, bytes);
  EXPECT_NE(LoadDatasetCache(path, "k1").status().message().find("checksum mismatch"),
            std::string::npos);
  bool hit = true;
  int builds = 0;
  auto build = [&]() -> Result<InMemoryDataset> {
    ++builds;
    return d;
  };
  ASSERT_TRUE(LoadOrBuildCached(path, "k1", build, &hit).ok());
  EXPECT_FALSE(hit);
  ASSERT_TRUE(LoadOrBuildCached(path, "k1", build, &hit).ok());
  EXPECT_TRUE(hit);
  EXPECT_EQ(builds, 1);
}

TEST(Cifar10Jpeg, ReadsAnArchiveAndCachesIt) {
  TempDir dir;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> files;
  const char* classes[] = {"airplane", "automobile", "bird",  "cat",  "deer",
                           "dog",      "frog",       "horse", "ship", "truck"};
  for (int i = 0; i < 20; ++i) {
    files.push_back({std::string("cifar10-jpeg/test/") + classes[i % 10] + "/000" +
                         std::to_string(i / 10) + ".jpg",
                     Jpeg(PatternImage(32, 32, 3, i))});
  }
  WriteBytes(dir / "c.tar.gz", testing::GzipBytes(testing::TarBytes(files)));
  Cifar10JpegOptions o;
  o.cache_dir = dir / "cache";
  Result<InMemoryDataset> a = LoadCifar10Jpeg(dir / "c.tar.gz", Split::kTest, o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a.value().size(), 20);
  EXPECT_TRUE(std::filesystem::exists(dir / "cache/cifar10-jpeg-test.u8"));
  Result<InMemoryDataset> b = LoadCifar10Jpeg(dir / "c.tar.gz", Split::kTest, o);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.value().all_pixels(), b.value().all_pixels());
  Result<InMemoryDataset> train = LoadCifar10Jpeg(dir / "c.tar.gz", Split::kTrain, o);
  ASSERT_FALSE(train.ok());
  EXPECT_NE(train.status().message().find("no JPEG members under cifar10-jpeg/train/"),
            std::string::npos);
}

}  // namespace
}  // namespace triton::data
