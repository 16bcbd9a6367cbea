// .tnn round trips (every encoding, rank 0..8, empty tensors, metadata, large IR), layout
// properties (alignment, sizes), atomic writing, writer-side validation, and the reader's
// version policy.
#include "triton/format/package.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "triton/format/package_layout.h"
#include "triton/format/packing.h"
#include "triton/format/test_util.h"

namespace triton::format {
namespace {

namespace fs = std::filesystem;
using testing::Difference;
using testing::F32Tensor;
using testing::RandomTrits;
using testing::TernaryTensor;

Package RoundTrip(const Package& p) {
  const std::vector<uint8_t> bytes = SerializePackage(p);
  Result<Package> back = ParsePackage(bytes, "rt.tnn");
  EXPECT_TRUE(back.ok()) << back.status().message();
  if (!back.ok()) return Package{};
  EXPECT_EQ(Difference(p, back.value()), "");
  // Serializing what was read reproduces the bytes: the writer is deterministic.
  EXPECT_EQ(SerializePackage(back.value()), bytes);
  return std::move(back).value();
}

std::string ParseError(const std::vector<uint8_t>& bytes, const std::string& file = "model.tnn") {
  Result<Package> r = ParsePackage(bytes, file);
  return r.ok() ? "(parsed)" : r.status().message();
}

std::vector<float> Iota(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = 0.5f * static_cast<float>(i) - 3.0f;
  return v;
}

TEST(Package, EmptyPackage) {
  Package p;
  RoundTrip(p);
  const std::vector<uint8_t> bytes = SerializePackage(p);
  // Header, the four named string keys with empty values, trailer; no data region.
  EXPECT_EQ(internal::GetU64(&bytes[layout::kOffDataOffset]), 0u);
  EXPECT_EQ(internal::GetU64(&bytes[layout::kOffIrOffset]), 0u);
  EXPECT_EQ(internal::GetU64(&bytes[layout::kOffDirOffset]), 0u);
}

TEST(Package, TinyAndRich) {
  RoundTrip(testing::TinyPackage());
  RoundTrip(testing::RichPackage());
}

TEST(Package, F32Tensors) {
  Package p;
  p.tensors.push_back(F32Tensor("a", {3, 4}, Iota(12)));
  p.tensors.push_back(F32Tensor("b", {1000}, Iota(1000)));
  p.tensors.push_back(F32Tensor("nan_inf", {3}, {NAN, INFINITY, -0.0f}));  // any value is data
  p.tensors.push_back(F32Tensor("buffer", {2}, {1, 2}, /*trainable=*/false));
  const Package back = RoundTrip(p);
  EXPECT_FALSE(back.Find("buffer")->trainable);
  EXPECT_TRUE(back.Find("a")->trainable);
  EXPECT_EQ(back.Find("missing"), nullptr);
}

TEST(Package, TernaryEveryEncodingAndScaleMode) {
  for (Encoding e : {Encoding::kTernary2Bit, Encoding::kTernaryBase3}) {
    Package p;
    for (int64_t cols : {1, 3, 4, 5, 7, 64, 577}) {
      const int64_t rows = 6;
      p.tensors.push_back(TernaryTensor("per_channel." + std::to_string(cols), {rows, cols}, e,
                                        RandomTrits(rows * cols, cols), Iota(rows), Iota(rows)));
      p.tensors.push_back(TernaryTensor("per_tensor." + std::to_string(cols), {rows, cols}, e,
                                        RandomTrits(rows * cols, cols + 1), {0.5f}, {0.25f}));
    }
    RoundTrip(p);
  }
}

TEST(Package, EveryRank) {
  for (Encoding e : {Encoding::kF32, Encoding::kTernary2Bit, Encoding::kTernaryBase3}) {
    Package p;
    std::vector<int64_t> shape;
    for (size_t rank = 0; rank <= 8; ++rank) {
      size_t n = 1;
      for (int64_t d : shape) n *= static_cast<size_t>(d);
      const std::string name = "rank" + std::to_string(rank);
      if (e == Encoding::kF32) {
        p.tensors.push_back(F32Tensor(name, shape, Iota(n)));
      } else {
        p.tensors.push_back(TernaryTensor(name, shape, e, RandomTrits(n, rank), {1.0f}, {2.0f}));
      }
      shape.push_back(rank % 2 == 0 ? 2 : 3);
    }
    RoundTrip(p);
  }
}

TEST(Package, EmptyTensors) {
  Package p;
  p.tensors.push_back(F32Tensor("f0", {0}, {}));
  p.tensors.push_back(F32Tensor("f1", {3, 0, 2}, {}));
  p.tensors.push_back(TernaryTensor("t0", {0, 4}, Encoding::kTernary2Bit, {}, {}, {}));
  p.tensors.push_back(TernaryTensor("t1", {0, 4}, Encoding::kTernaryBase3, {}, {1}, {1}));
  p.tensors.push_back(TernaryTensor("t2", {2, 0}, Encoding::kTernary2Bit, {}, {1, 2}, {3, 4}));
  p.tensors.push_back(TernaryTensor("t3", {0}, Encoding::kTernaryBase3, {}, {}, {}));
  RoundTrip(p);
  // Only the scales of t1 and t2 occupy the data region; empty payloads have offset 0.
  const std::vector<uint8_t> bytes = SerializePackage(p);
  for (const testing::EntryAt& e : testing::WalkDirectory(bytes)) {
    EXPECT_EQ(testing::U64At(bytes, e.data_bytes), 0u);
    EXPECT_EQ(testing::U64At(bytes, e.data_offset), 0u);
  }
}

TEST(Package, Metadata) {
  Package p;
  p.meta.model_name = "resnet18 \xe2\x80\x94 cifar10";  // UTF-8
  p.meta.source_hash = std::string(64, 'f');
  p.meta.compiler_version = "triton 0.1.0";
  p.meta.quantization = "ttq per-channel base3";
  p.meta.accuracy = 91.25;
  p.meta.extra = {{"a", ""}, {"key with spaces", "x\ny\tz"}, {"z", std::string(10000, 'z')}};
  RoundTrip(p);
  p.meta.accuracy = NAN;  // unknown: no entry at all
  const Package back = RoundTrip(p);
  EXPECT_TRUE(std::isnan(back.meta.accuracy));
  EXPECT_LT(SerializePackage(p).size(), SerializePackage(RoundTrip(Package{})).size() + 11000);
}

TEST(Package, LargeIrText) {
  Package p;
  p.ir_text.reserve(1 << 20);
  while (p.ir_text.size() < (1 << 20)) p.ir_text += "  %7 = matmul(%4, %fc2.weight) : f32[N, 10]\n";
  p.tensors.push_back(F32Tensor("w", {2}, {1, 2}));
  RoundTrip(p);
}

// Data is mmap-able: every payload starts on a 64-byte boundary, scales on 4; sizes are exactly
// what StoredBytes says (2 bits per weight + row padding + 8 bytes per scale pair).
TEST(Package, AlignmentAndStoredBytes) {
  const Package p = testing::RichPackage();
  const std::vector<uint8_t> bytes = SerializePackage(p);
  const auto entries = testing::WalkDirectory(bytes);
  ASSERT_EQ(entries.size(), p.tensors.size());
  EXPECT_EQ(internal::GetU64(&bytes[layout::kOffDataOffset]) % 64, 0u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const TensorRecord& t = p.tensors[i];
    EXPECT_EQ(testing::U64At(bytes, entries[i].data_offset) % 64, 0u) << t.name;
    EXPECT_EQ(testing::U64At(bytes, entries[i].scale_offset) % 4, 0u) << t.name;
    const uint64_t scales = 8 * testing::U64At(bytes, entries[i].scale_count);
    EXPECT_EQ(testing::U64At(bytes, entries[i].data_bytes) + scales, t.StoredBytes()) << t.name;
  }
  const TensorRecord* conv = p.Find("conv.weight");  // [4, 3, 3, 3]: 4 rows of 27 -> 7 bytes
  EXPECT_EQ(conv->StoredBytes(), 4u * 7 + 4 * 8);
  EXPECT_EQ(conv->num_elements(), 108);
  EXPECT_EQ(p.Find("scalar")->num_elements(), 1);
}

// A 256x256x3x3 ternary conv stored in 2-bit is 16x smaller than FP32, base-3 about 20x.
TEST(Package, CompressionRatio) {
  const int64_t n = 256 * 256 * 9;
  Package f, t2, t3;
  f.tensors.push_back(F32Tensor("w", {256, 256, 3, 3}, std::vector<float>(n, 1.0f)));
  t2.tensors.push_back(TernaryTensor("w", {256, 256, 3, 3}, Encoding::kTernary2Bit,
                                     RandomTrits(n, 1), Iota(256), Iota(256)));
  t3.tensors.push_back(TernaryTensor("w", {256, 256, 3, 3}, Encoding::kTernaryBase3,
                                     RandomTrits(n, 1), Iota(256), Iota(256)));
  const double sf = SerializePackage(f).size();
  EXPECT_GT(sf / SerializePackage(t2).size(), 15.5);
  EXPECT_GT(sf / SerializePackage(t3).size(), 19.5);
}

TEST(Package, WriteAndReadFileAtomically) {
  const fs::path dir = fs::temp_directory_path() / ("tnn_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "model.tnn").string();
  const Package p = testing::RichPackage();
  ASSERT_TRUE(WritePackage(path, p).ok());
  Package q = testing::TinyPackage();
  ASSERT_TRUE(WritePackage(path, q).ok());  // replaces the old file
  Result<Package> back = ReadPackage(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Difference(q, back.value()), "");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";

  // Errors name the path.
  const std::string missing_dir = (dir / "no" / "such" / "model.tnn").string();
  Status s = WritePackage(missing_dir, p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(missing_dir + ": ", 0), 0u) << s.message();
  Result<Package> r = ReadPackage((dir / "absent.tnn").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind((dir / "absent.tnn").string() + ": ", 0), 0u);
  q.tensors[0].trits[0] = 5;
  s = WritePackage(path, q);
  EXPECT_EQ(s.message(), path + ": tensor 'fc1.weight' trit 0 is 5; trits are -1, 0 or 1");
  std::ofstream(dir / "junk.tnn") << "hello";
  r = ReadPackage((dir / "junk.tnn").string());
  EXPECT_EQ(r.status().message(), (dir / "junk.tnn").string() +
                                      ": file is 5 bytes, too small to be a .tnn package (at "
                                      "least 136)");
  fs::remove_all(dir);
}

// Outputs that are not plain files: a FIFO (as /dev/null or /dev/stdout would be) is written in
// place, never replaced by a regular file; a symbolic link is followed and stays a link; a
// directory is an error that names it.
TEST(Package, WritesThroughFifosAndSymlinks) {
  const fs::path dir = fs::temp_directory_path() / ("tnn_special_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const Package p = testing::TinyPackage();
  const std::vector<uint8_t> want = SerializePackage(p);

  const std::string fifo = (dir / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The read end is opened first and without blocking, so the package (smaller than a pipe's
  // 64 KiB buffer) goes into the pipe and a writer that replaced the FIFO cannot hang the test.
  ASSERT_LT(want.size(), 65536u);
  const int rfd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(rfd, 0);
  const Status s = WritePackage(fifo, p);
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(rfd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(rfd);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(fs::is_fifo(fifo)) << "the FIFO was replaced";
  EXPECT_EQ(got, std::string(want.begin(), want.end()));

  const fs::path real = dir / "real.tnn";
  std::ofstream(real) << "old";
  const fs::path link = dir / "link.tnn";
  fs::create_symlink(real, link);
  ASSERT_TRUE(WritePackage(link.string(), p).ok());
  EXPECT_TRUE(fs::is_symlink(link)) << "the link was replaced by a file";
  Result<Package> back = ReadPackage(real.string());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Difference(p, back.value()), "");

  const Status d = WritePackage(dir.string(), p);
  EXPECT_EQ(d.message(), dir.string() + ": is a directory");
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.exists();
  EXPECT_EQ(entries, 3u) << "a temporary file was left behind";
  fs::remove_all(dir);
}

TEST(Package, ValidateRejectsBadPackages) {
  auto error = [](const Package& p) {
    Status s = ValidatePackage(p);
    return s.ok() ? std::string("(ok)") : s.message();
  };
  Package p;
  p.tensors.push_back(F32Tensor("w", {2, 3}, Iota(5)));
  EXPECT_EQ(error(p), "tensor 'w' has 5 f32 values; shape [2, 3] has 6 elements");
  p.tensors[0] = F32Tensor("w", {2, -3}, {});
  EXPECT_EQ(error(p), "tensor 'w' has dimension 1 = -3 (dims must be >= 0)");
  p.tensors[0] = F32Tensor("w", std::vector<int64_t>(9, 1), {1});
  EXPECT_EQ(error(p), "tensor 'w' has rank 9 (the limit is 8)");
  p.tensors[0] = F32Tensor("w", {int64_t{1} << 40, int64_t{1} << 40}, {});
  EXPECT_EQ(error(p),
            "tensor 'w' has shape [1099511627776, 1099511627776] with more than 2^62 elements");
  p.tensors[0] = F32Tensor("", {1}, {1});
  EXPECT_EQ(error(p), "tensor #0 name is empty");
  p.tensors[0] = F32Tensor("bad\xff", {1}, {1});
  EXPECT_EQ(error(p), "tensor #0 name is not valid UTF-8");
  p.tensors[0] = F32Tensor("a\nb", {1}, {1});
  EXPECT_EQ(error(p), "tensor #0 name contains a control character");
  p.tensors[0] = F32Tensor("w", {1}, {1});
  p.tensors.push_back(F32Tensor("w", {1}, {1}));
  EXPECT_EQ(error(p), "tensor 'w' appears twice");
  p.tensors.pop_back();
  p.tensors.push_back(
      TernaryTensor("t", {3, 2}, Encoding::kTernary2Bit, RandomTrits(6, 1), {1, 2}, {1, 2}));
  EXPECT_EQ(error(p), "tensor 't' has 2 scales; expected 1 or 3 (dim 0)");
  p.tensors[1].scale_pos = {1, 2, 3};
  EXPECT_EQ(error(p), "tensor 't' has 3 scale_pos and 2 scale_neg values");
  p.tensors[1].scale_neg = {1, NAN, 3};
  EXPECT_EQ(error(p), "tensor 't' scale_neg[1] is nan; scales must be finite");
  p.tensors[1].scale_neg = {1, 2, 3};
  EXPECT_EQ(error(p), "(ok)");
  p.tensors[1].f32 = {1};
  EXPECT_EQ(error(p), "tensor 't' is ternary-2bit but has f32 values");
  p.tensors[1].f32.clear();
  p.meta.extra["accuracy"] = "high";
  EXPECT_EQ(error(p), "metadata extra key 'accuracy' is reserved for a named field");
  p.meta.extra.clear();
  p.meta.quantization = std::string("a\0b", 3);
  EXPECT_EQ(error(p), "metadata quantization contains a NUL byte");
  p.meta.quantization.clear();
  p.meta.accuracy = INFINITY;
  EXPECT_EQ(error(p), "metadata accuracy is inf; it must be finite (or NaN: unknown)");
  p.meta.accuracy = NAN;
  p.ir_text = "\xc0\x80";  // overlong NUL
  EXPECT_EQ(error(p), "IR text is not valid UTF-8");
}

TEST(Package, UnknownMetadataKeysAreKept) {
  // A newer writer may add typed keys; this reader keeps them as text in `extra`.
  Package p;
  p.meta.extra = {{"later", "x"}};
  std::vector<uint8_t> bytes = SerializePackage(p);
  // Rebuild the metadata section (the only section: no IR, no tensors) with the last entry,
  // the string 'later', replaced by an i64 'later' and an f64 'lr2'.
  const size_t meta_off = internal::GetU64(&bytes[layout::kOffMetaOffset]);
  const size_t meta_size = internal::GetU64(&bytes[layout::kOffMetaSize]);
  std::vector<uint8_t> section(bytes.begin() + meta_off, bytes.begin() + meta_off + meta_size);
  const size_t last = section.size() - (1 + 4 + 5 + 4 + 1);
  section.resize(last);
  internal::ByteWriter w(&section);
  w.U8(layout::kMetaI64);
  w.U32(5);
  w.Bytes(std::string_view("later"));
  w.I64(-42);
  w.U8(layout::kMetaF64);
  w.U32(3);
  w.Bytes(std::string_view("lr2"));
  w.F64(0.125);
  std::vector<uint8_t> f(bytes.begin(), bytes.begin() + meta_off);
  f.insert(f.end(), section.begin(), section.end());
  f.resize(f.size() + layout::kTrailerSize);
  testing::SetLE(f, layout::kOffMetaSize, section.size(), 8);
  testing::SetLE(f, layout::kOffMetaCount, internal::GetU32(&bytes[layout::kOffMetaCount]) + 1, 4);
  layout::StampSizeAndChecksum(f);
  Result<Package> r = ParsePackage(f, "x.tnn");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().meta.extra.at("later"), "-42");
  EXPECT_EQ(r.value().meta.extra.at("lr2"), "0.125");
}

TEST(Package, VersionPolicy) {
  std::vector<uint8_t> bytes = SerializePackage(testing::TinyPackage());
  std::vector<uint8_t> f = bytes;
  testing::SetLE(f, layout::kOffMinor, 3, 2);  // a newer minor: readable
  f[layout::kOffReserved + 5] = 7;             // ... and its reserved bytes are its own
  layout::StampSizeAndChecksum(f);
  EXPECT_EQ(ParseError(f), "(parsed)");
  f = bytes;
  testing::SetLE(f, layout::kOffMajor, 2, 2);
  testing::SetLE(f, layout::kOffMinor, 1, 2);
  EXPECT_EQ(ParseError(f),
            "model.tnn: package format version 2.1 is newer than this reader (1.0); upgrade "
            "triton");
  testing::SetLE(f, layout::kOffMajor, 0, 2);
  EXPECT_EQ(ParseError(f),
            "model.tnn: package format version 0.1 is not supported (this reader reads 1.x)");
  f = bytes;
  f[layout::kOffReserved + 5] = 7;
  layout::StampSizeAndChecksum(f);
  EXPECT_EQ(ParseError(f),
            "model.tnn: header byte 101 is 0x07; bytes 96..127 are reserved and "
            "must be 0");
}

// The message of the issue, reproduced: a directory entry whose byte count disagrees with the
// shape.
TEST(Package, WrongDataSizeMessage) {
  Package p;
  const int64_t n = 128 * 128 * 9;
  p.tensors.push_back(TernaryTensor("layer1.0.conv1.weight", {128, 128, 3, 3},
                                    Encoding::kTernary2Bit, RandomTrits(n, 3), Iota(128),
                                    Iota(128)));
  std::vector<uint8_t> f = SerializePackage(p);
  const auto entries = testing::WalkDirectory(f);
  EXPECT_EQ(testing::U64At(f, entries[0].data_bytes), 36864u);
  testing::SetLE(f, entries[0].data_bytes, 1024, 8);
  layout::StampSizeAndChecksum(f);
  EXPECT_EQ(ParseError(f),
            "model.tnn: tensor 'layer1.0.conv1.weight' needs 36864 bytes, file has "
            "1024");
}

// Long names are cut to 80 bytes (on a character boundary) in messages.
TEST(Package, LongNamesAreShortenedInMessages) {
  Package p;
  const std::string name = std::string(79, 'a') + "\xc3\xa9" + std::string(200, 'b');
  p.tensors.push_back(F32Tensor(name, {2}, {1, 2}));
  std::vector<uint8_t> f = SerializePackage(p);
  testing::SetLE(f, testing::WalkDirectory(f)[0].data_bytes, 4, 8);
  layout::StampSizeAndChecksum(f);
  EXPECT_EQ(ParseError(f),
            "model.tnn: tensor '" + std::string(79, 'a') + "...' needs 8 bytes, file has 4");
  RoundTrip(p);  // the name itself is stored whole
}

// Empty tensors with a huge dimension cost nothing: packing and unpacking do not walk 2^62
// empty rows (found by fuzz_package as a timeout).
TEST(Package, HugeEmptyShapesAreCheap) {
  Package p;
  for (Encoding e : {Encoding::kTernary2Bit, Encoding::kTernaryBase3}) {
    p.tensors.push_back(
        TernaryTensor(std::string("t") + EncodingName(e), {int64_t{1} << 62, 0}, e, {}, {1}, {1}));
  }
  p.tensors.push_back(F32Tensor("f", {0, int64_t{1} << 62}, {}));
  RoundTrip(p);
  EXPECT_TRUE(UnpackRows({}, size_t{1} << 62, 0, false, {}).ok());
}

}  // namespace
}  // namespace triton::format
