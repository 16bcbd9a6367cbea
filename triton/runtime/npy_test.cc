// NumPy .npy reading and writing: every supported dtype and format version, round trips, a clear
// error for every malformed header, robustness to truncation and corruption, and (when python3
// with numpy is installed) a file written by numpy itself.
#include "triton/runtime/npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace triton::runtime {
namespace {

using namespace std::string_literals;  // byte strings with NULs: "\x01\x00"s

// A .npy file: magic, version, header length (2 or 4 bytes), header text, data (no padding is
// required by readers; numpy pads to 64).
std::string Npy(const std::string& header, const std::string& data, int major = 1) {
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major != 1) {
    out += static_cast<char>((n >> 16) & 0xff);
    out += static_cast<char>((n >> 24) & 0xff);
  }
  return out + header + data;
}

std::string Dict(const std::string& descr, const std::string& shape, const char* order = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }\n";
}

template <typename T>
std::string Bytes(std::initializer_list<T> values) {
  std::string s;
  for (T v : values) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));  // the test machine is little-endian (x86-64, aarch64)
    s.append(b, sizeof(T));
  }
  return s;
}

std::string ParseError(const std::string& bytes) {
  Result<ir::HostTensor> r = ParseNpy(bytes, "x.npy");
  return r.ok() ? "(no error)" : r.status().message();
}

TEST(Npy, ReadsEveryDtypeAsFloat32) {
  struct Case {
    std::string descr, data;
  };
  const std::vector<float> want = {1, -2, 3, 0, 5, 100};
  const Case cases[] = {
      {"<f4", Bytes<float>({1, -2, 3, 0, 5, 100})},
      {"<f8", Bytes<double>({1, -2, 3, 0, 5, 100})},
      {"|i1", Bytes<int8_t>({1, -2, 3, 0, 5, 100})},
      {"<i1", Bytes<int8_t>({1, -2, 3, 0, 5, 100})},
      {"<i4", Bytes<int32_t>({1, -2, 3, 0, 5, 100})},
      {"<i8", Bytes<int64_t>({1, -2, 3, 0, 5, 100})},
  };
  for (const Case& c : cases) {
    for (int major : {1, 2, 3}) {
      Result<ir::HostTensor> t = ParseNpy(Npy(Dict(c.descr, "(2, 3)"), c.data, major), "x.npy");
      ASSERT_TRUE(t.ok()) << c.descr << " v" << major << ": " << t.status().message();
      EXPECT_EQ(t.value().dtype, ir::DType::kFloat32);
      EXPECT_EQ(t.value().shape, (std::vector<int64_t>{2, 3}));
      EXPECT_EQ(t.value().data, want) << c.descr;
    }
  }
  Result<ir::HostTensor> u8 = ParseNpy(Npy(Dict("|u1", "(3,)"), "\x00\x80\xff"s), "x.npy");
  ASSERT_TRUE(u8.ok()) << u8.status().message();
  EXPECT_EQ(u8.value().data, (std::vector<float>{0, 128, 255}));
}

TEST(Npy, ShapesScalarEmptyAndOddSpacing) {
  Result<ir::HostTensor> s = ParseNpy(Npy(Dict("<f4", "()"), Bytes<float>({7})), "x.npy");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s.value().shape.empty());
  EXPECT_EQ(s.value().data, std::vector<float>{7});
  Result<ir::HostTensor> e = ParseNpy(Npy(Dict("<f4", "(0, 4)"), ""), "x.npy");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e.value().shape, (std::vector<int64_t>{0, 4}));
  // Keys in another order, double quotes, no trailing comma, Python 2 longs.
  Result<ir::HostTensor> odd = ParseNpy(
      Npy("{ \"shape\" : (2L,1) ,'fortran_order':False,'descr':'<f4'}   \n", Bytes<float>({1, 2})),
      "x.npy");
  ASSERT_TRUE(odd.ok()) << odd.status().message();
  EXPECT_EQ(odd.value().shape, (std::vector<int64_t>{2, 1}));
}

TEST(Npy, RoundTripThroughAFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("npy_test_" + std::to_string(::getpid()) + ".npy"))
          .string();
  ir::HostTensor t;
  t.shape = {2, 3, 4};
  for (int i = 0; i < 24; ++i) t.data.push_back(static_cast<float>(i) * 0.25f - 3.0f);
  t.data[5] = -0.0f;
  ASSERT_TRUE(WriteNpy(path, t).ok());
  Result<ir::HostTensor> back = ReadNpy(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back.value().shape, t.shape);
  EXPECT_EQ(back.value().data, t.data);
  EXPECT_TRUE(std::signbit(back.value().data[5]));
  // The layout numpy writes: version 1.0, data aligned to 64 bytes, header ends in '\n'.
  const std::string bytes = SerializeNpy(t);
  EXPECT_EQ(bytes[6], '\x01');
  const size_t header_len = static_cast<unsigned char>(bytes[8]) |
                            static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8;
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_EQ(bytes[10 + header_len - 1], '\n');
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }";
  EXPECT_EQ(bytes.substr(10, dict.size()), dict);
  std::remove(path.c_str());
}

TEST(Npy, WritesOneDimScalarAndTritTensors) {
  ir::HostTensor v;
  v.shape = {3};
  v.data = {1, 2, 3};
  EXPECT_NE(SerializeNpy(v).find("'shape': (3,), }"), std::string::npos);
  ir::HostTensor s;
  s.data = {4};
  Result<ir::HostTensor> sb = ParseNpy(SerializeNpy(s), "s.npy");
  ASSERT_TRUE(sb.ok()) << sb.status().message();
  EXPECT_TRUE(sb.value().shape.empty());
  ir::HostTensor t;
  t.dtype = ir::DType::kTrit;
  t.shape = {2, 2};
  t.data = {1, -1, 0, 1};
  t.scale_pos = {0.5f, 2.0f};
  t.scale_neg = {0.25f, 2.0f};
  Result<ir::HostTensor> tb = ParseNpy(SerializeNpy(t), "t.npy");
  ASSERT_TRUE(tb.ok()) << tb.status().message();
  EXPECT_EQ(tb.value().data, (std::vector<float>{0.5f, -0.25f, 0.0f, 2.0f}));
}

// Version 2.0 stores a 4-byte header length, needed for headers over 64 KiB.
TEST(Npy, ReadsVersion2WithALargeHeader) {
  const std::string big =
      Npy(std::string(70000, ' ').insert(0, Dict("<f4", "(1,)")), Bytes<float>({9}), 2);
  Result<ir::HostTensor> r = ParseNpy(big, "big.npy");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().data, std::vector<float>{9});
}

TEST(Npy, MalformedFilesGiveClearErrors) {
  const std::string f4 = Bytes<float>({1, 2});
  struct Case {
    std::string bytes, error;
  };
  const Case cases[] = {
      {"", "x.npy: not a .npy file (no \\x93NUMPY magic)"},
      {"PK\x03\x04 a zip file"s, "x.npy: not a .npy file (no \\x93NUMPY magic)"},
      {"\x93NUMPY\x01"s, "x.npy: truncated .npy header (7 bytes)"},
      {"\x93NUMPY\x02\x00\x10\x00"s, "x.npy: truncated .npy header (10 bytes)"},
      {"\x93NUMPY\x04\x00\x00\x00"s,
       "x.npy: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)"},
      {"\x93NUMPY\x01\x00\xff\x00{}"s,
       "x.npy: the .npy header claims 255 bytes, but the file has 2"},
      {Npy(Dict(">f4", "(2,)"), f4),
       "x.npy: dtype '>f4' is big-endian; only little-endian is supported"},
      {Npy(Dict("<c8", "(1,)"), f4),
       "x.npy: dtype '<c8' is not supported; use float32, float64, int8, uint8, int32 or int64 "
       "('<f4', '<f8', '|i1', '|u1', '<i4', '<i8')"},
      {Npy(Dict("<f4", "(2,)", "True"), f4),
       "x.npy: the array is in Fortran order (fortran_order=True); save a C-ordered array "
       "(numpy.ascontiguousarray)"},
      {Npy(Dict("<f4", "(3,)"), f4),
       "x.npy: shape (3,) of '<f4' needs 12 data bytes, the file has 8"},
      {Npy(Dict("<f4", "(1,)"), f4),
       "x.npy: shape (1,) of '<f4' needs 4 data bytes, the file has 8"},
      {Npy(Dict("<f4", "(4294967296, 4294967296)"), f4),
       "x.npy: shape (4294967296, 4294967296) has too many elements"},
      {Npy(Dict("<f4", "(99999999999999999999,)"), f4),
       "x.npy: malformed .npy header: 'shape' must hold non-negative integers"},
      {Npy(Dict("<f4", "(-1,)"), f4),
       "x.npy: malformed .npy header: 'shape' must hold non-negative integers"},
      {Npy(Dict("<f4", "[2]"), f4),
       "x.npy: malformed .npy header: 'shape' must be a tuple such as (1, 784)"},
      {Npy(Dict("<f4", "(2 3)"), f4),
       "x.npy: malformed .npy header: expected ',' or ')' in 'shape'"},
      {Npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", f4),
       "x.npy: malformed .npy header: structured dtypes are not supported"},
      {Npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", f4),
       "x.npy: malformed .npy header: 'fortran_order' must be True or False"},
      {Npy("{'descr': '<f4', 'shape': (2,), }", f4),
       "x.npy: malformed .npy header: it must have the keys 'descr', 'fortran_order' and 'shape'"},
      {Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", f4),
       "x.npy: malformed .npy header: unexpected key 'extra'"},
      {Npy("('descr', '<f4')", f4), "x.npy: malformed .npy header: it does not start with '{'"},
      {Npy("{descr: '<f4'}", f4), "x.npy: malformed .npy header: expected a quoted key"},
      {Npy("{'descr' '<f4'}", f4), "x.npy: malformed .npy header: expected ':' after 'descr'"},
      {Npy("{'descr': '<f4", f4),
       "x.npy: malformed .npy header: 'descr' must be a string such as '<f4'"},
      {Npy("{'descr': '<f4' 'shape': (2,)}", f4),
       "x.npy: malformed .npy header: expected ',' or '}'"},
      {Npy(Dict("<f4", "(2,)") + "}", f4),
       "x.npy: malformed .npy header: text after the closing '}'"},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseError(c.bytes), c.error);
}

TEST(Npy, MissingFileNamesIt) {
  Result<ir::HostTensor> r = ReadNpy("/nonexistent/dir/x.npy");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("/nonexistent/dir/x.npy: ", 0), 0u) << r.status().message();
  ir::HostTensor t;
  t.data = {1};
  Status st = WriteNpy("/nonexistent/dir/y.npy", t);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("/nonexistent/dir/y.npy: cannot write: ", 0), 0u) << st.message();
}

// Every truncation and many random corruptions of a valid file parse or fail cleanly (run under
// ASan/UBSan in the sanitizer preset).
TEST(Npy, TruncatedAndCorruptedFilesNeverCrash) {
  ir::HostTensor t;
  t.shape = {3, 5};
  for (int i = 0; i < 15; ++i) t.data.push_back(static_cast<float>(i));
  const std::string good = SerializeNpy(t);
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ParseNpy(good.substr(0, n), "x.npy").ok()) << n;
  }
  std::mt19937_64 rng(42);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string bad = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    Result<ir::HostTensor> r = ParseNpy(bad, "x.npy");
    if (r.ok()) {
      EXPECT_EQ(static_cast<int64_t>(r.value().data.size()), r.value().num_elements());
    }
  }
}

// Optional: a file written by numpy itself (skipped without python3 + numpy).
TEST(Npy, ReadsAFileWrittenByNumpy) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  const std::string path = dir + "/npy_test_numpy_" + std::to_string(::getpid()) + ".npy";
  const std::string cmd =
      "python3 -c \"import numpy as np; np.save('" + path +
      "', (np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 5) / 4)\" 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "python3 with numpy is not available";
  Result<ir::HostTensor> r = ReadNpy(path);
  std::remove(path.c_str());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().shape, (std::vector<int64_t>{2, 3, 4}));
  for (int i = 0; i < 24; ++i) EXPECT_EQ(r.value().data[static_cast<size_t>(i)], (i - 5) / 4.0f);
  // And numpy reads what we write.
  ir::HostTensor t;
  t.shape = {2, 2};
  t.data = {1.5f, -2, 0, 4};
  ASSERT_TRUE(WriteNpy(path, t).ok());
  const std::string check = "python3 -c \"import numpy as np; a = np.load('" + path +
                            "'); assert a.dtype == np.float32 and a.shape == (2, 2) and "
                            "a.tolist() == [[1.5, -2.0], [0.0, 4.0]]\"";
  EXPECT_EQ(std::system(check.c_str()), 0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace triton::runtime
