// Trit packing: the code tables of DESIGN.md §3, reference vs fast on every length 0..1000 and
// on large tensors, validation of codes and padding, sizes (2 and 1.6 bits per weight), rows.
#include "triton/format/packing.h"

#include <gtest/gtest.h>

#include <vector>

#include "triton/format/test_util.h"

namespace triton::format {
namespace {

using testing::RandomTrits;

std::vector<uint8_t> Pack(const std::vector<int8_t>& t, bool base3, bool fast) {
  std::vector<uint8_t> out(base3 ? PackedBase3Bytes(t.size()) : Packed2BitBytes(t.size()));
  if (base3) {
    fast ? PackBase3(t, out) : PackBase3Reference(t, out);
  } else {
    fast ? Pack2Bit(t, out) : Pack2BitReference(t, out);
  }
  return out;
}

// Unpacks with the validating fast path; "" on success, else the message.
std::string Unpack(const std::vector<uint8_t>& in, size_t n, bool base3, std::vector<int8_t>* out) {
  out->assign(n, 42);
  Status s = base3 ? UnpackBase3(in, n, *out) : Unpack2Bit(in, n, *out);
  return s.ok() ? "" : s.message();
}

std::vector<int8_t> UnpackReference(const std::vector<uint8_t>& in, size_t n, bool base3) {
  std::vector<int8_t> out(n, 42);
  base3 ? UnpackBase3Reference(in, n, out) : Unpack2BitReference(in, n, out);
  return out;
}

TEST(Packing, CodeTable2Bit) {
  // trit i in bits 2i+1..2i: -1 -> 00, 0 -> 01, +1 -> 10.
  EXPECT_EQ(Pack({-1, -1, -1, -1}, false, false), std::vector<uint8_t>{0x00});
  EXPECT_EQ(Pack({0, 0, 0, 0}, false, false), std::vector<uint8_t>{0x55});
  EXPECT_EQ(Pack({1, 1, 1, 1}, false, false), std::vector<uint8_t>{0xAA});
  // The worked example of docs/format.md §8: [-1, 0, +1, 0] -> 01 10 01 00 = 0x64.
  EXPECT_EQ(Pack({-1, 0, 1, 0}, false, false), std::vector<uint8_t>{0x64});
  EXPECT_EQ(Pack({-1, 0, 1, 0}, false, true), std::vector<uint8_t>{0x64});
  // Padding: one trit +1, then three 0-trits (01): 01 01 01 10 = 0x56.
  EXPECT_EQ(Pack({1}, false, false), std::vector<uint8_t>{0x56});
  EXPECT_EQ(Pack({1}, false, true), std::vector<uint8_t>{0x56});
}

TEST(Packing, CodeTableBase3) {
  // byte = sum (trit_i + 1) * 3^i: [-1, 0, 1, 0, 1] -> 0 + 3 + 18 + 27 + 162 = 210.
  EXPECT_EQ(Pack({-1, 0, 1, 0, 1}, true, false), std::vector<uint8_t>{210});
  EXPECT_EQ(Pack({-1, 0, 1, 0, 1}, true, true), std::vector<uint8_t>{210});
  EXPECT_EQ(Pack({-1, -1, -1, -1, -1}, true, false), std::vector<uint8_t>{0});
  EXPECT_EQ(Pack({1, 1, 1, 1, 1}, true, false), std::vector<uint8_t>{242});
  EXPECT_EQ(Pack({0, 0, 0, 0, 0}, true, false), std::vector<uint8_t>{121});
  // Padding with 0-trits: [+1] -> 2 + 3 + 9 + 27 + 81 = 122.
  EXPECT_EQ(Pack({1}, true, false), std::vector<uint8_t>{122});
  EXPECT_EQ(Pack({1}, true, true), std::vector<uint8_t>{122});
}

TEST(Packing, BitsPerWeight) {
  for (size_t n : {20u, 1000u, 1000000u}) {
    EXPECT_EQ(Packed2BitBytes(n) * 8.0 / n, 2.0) << n;
    EXPECT_EQ(PackedBase3Bytes(n) * 8.0 / n, 1.6) << n;
  }
  EXPECT_EQ(Packed2BitBytes(0), 0u);
  EXPECT_EQ(Packed2BitBytes(1), 1u);
  EXPECT_EQ(Packed2BitBytes(5), 2u);
  EXPECT_EQ(PackedBase3Bytes(0), 0u);
  EXPECT_EQ(PackedBase3Bytes(6), 2u);
  // Rows are padded separately: 3 rows of 9 trits = 3 * 3 bytes (2-bit), 3 * 2 (base-3).
  EXPECT_EQ(PackedRowsBytes(3, 9, false), 9u);
  EXPECT_EQ(PackedRowsBytes(3, 9, true), 6u);
  EXPECT_EQ(PackedRowsBytes(64, 576, false), 64u * 144);  // a 64x64x3x3 conv: 2 bits/weight
  EXPECT_EQ(PackedRowsBytes(64, 576, true), 64u * 116);   // 1.61 bits/weight with row padding
  EXPECT_EQ(PackedRowsBytes(0, 100, false), 0u);
  EXPECT_EQ(PackedRowsBytes(100, 0, true), 0u);
}

// Reference and fast agree on every length 0..1000 (every tail and block boundary), and both
// unpackers restore the input.
TEST(Packing, ReferenceEqualsFastEveryLength) {
  for (bool base3 : {false, true}) {
    for (size_t n = 0; n <= 1000; ++n) {
      const std::vector<int8_t> t = RandomTrits(n, 1000 * n + base3);
      const std::vector<uint8_t> ref = Pack(t, base3, false);
      ASSERT_EQ(Pack(t, base3, true), ref) << "n=" << n << " base3=" << base3;
      std::vector<int8_t> back;
      ASSERT_EQ(Unpack(ref, n, base3, &back), "") << n;
      ASSERT_EQ(back, t) << "n=" << n << " base3=" << base3;
      ASSERT_EQ(UnpackReference(ref, n, base3), t) << "n=" << n << " base3=" << base3;
    }
  }
}

// Skewed distributions (all one value, mostly zeros) hit every table entry pattern too.
TEST(Packing, ReferenceEqualsFastSkewed) {
  for (bool base3 : {false, true}) {
    for (int8_t v : {-1, 0, 1}) {
      std::vector<int8_t> t(999, v);
      for (size_t i = 0; i < t.size(); i += 7) t[i] = static_cast<int8_t>((v + 2) % 3 - 1);
      ASSERT_EQ(Pack(t, base3, true), Pack(t, base3, false));
      std::vector<int8_t> back;
      ASSERT_EQ(Unpack(Pack(t, base3, true), t.size(), base3, &back), "");
      ASSERT_EQ(back, t);
    }
  }
}

TEST(Packing, LargeRandomTensors) {
  for (bool base3 : {false, true}) {
    for (size_t n : {size_t{10'000'000}, size_t{10'000'003}}) {
      const std::vector<int8_t> t = RandomTrits(n, n + base3);
      const std::vector<uint8_t> fast = Pack(t, base3, true);
      ASSERT_EQ(fast, Pack(t, base3, false)) << n;
      std::vector<int8_t> back;
      ASSERT_EQ(Unpack(fast, n, base3, &back), "");
      ASSERT_EQ(back, t);
      ASSERT_EQ(UnpackReference(fast, n, base3), t);
    }
  }
}

// Every byte value: valid ones decode like the reference, invalid ones are rejected.
TEST(Packing, EveryByteValue) {
  for (unsigned b = 0; b < 256; ++b) {
    const std::vector<uint8_t> in{static_cast<uint8_t>(b)};
    std::vector<int8_t> out;
    const bool valid2 = (b & (b >> 1) & 0x55) == 0;
    EXPECT_EQ(Unpack(in, 4, false, &out).empty(), valid2) << b;
    if (valid2) {
      EXPECT_EQ(out, UnpackReference(in, 4, false)) << b;
      EXPECT_EQ(Pack(out, false, true), in);
    }
    EXPECT_EQ(Unpack(in, 5, true, &out).empty(), b <= 242) << b;
    if (b <= 242) {
      EXPECT_EQ(out, UnpackReference(in, 5, true)) << b;
      EXPECT_EQ(Pack(out, true, true), in);
    }
  }
}

// An invalid code anywhere (in the word-at-a-time blocks and in the tails) is found, and the
// message names its byte and trit.
TEST(Packing, InvalidCodeNamesByteOffset) {
  const size_t n = 203;  // 50 full bytes + a 3-trit tail (2-bit); 40 + 3 (base-3)
  for (bool base3 : {false, true}) {
    const std::vector<int8_t> t = RandomTrits(n, 7);
    const std::vector<uint8_t> good = Pack(t, base3, true);
    for (size_t byte = 0; byte < good.size(); ++byte) {
      for (unsigned field = 0; field < (base3 ? 1u : 4u); ++field) {
        std::vector<uint8_t> bad = good;
        if (base3) {
          bad[byte] = static_cast<uint8_t>(243 + byte % 13);
        } else {
          bad[byte] |= static_cast<uint8_t>(3u << (2 * field));
        }
        std::vector<int8_t> out;
        const std::string msg = Unpack(bad, n, base3, &out);
        const std::string expect = base3
                                       ? "invalid base-3 byte " + std::to_string(bad[byte]) +
                                             " at byte " + std::to_string(byte) + " (trit " +
                                             std::to_string(5 * byte) + "); the largest code is 242"
                                       : "invalid 2-bit code 11 at byte " + std::to_string(byte) +
                                             " (trit " + std::to_string(4 * byte + field) + ")";
        // A 2-bit byte may hold an earlier code 11 only if the field is the first bad one; the
        // good data has none, so the reported trit is exactly `field`.
        ASSERT_EQ(msg, expect) << "byte " << byte << " field " << field;
      }
    }
  }
}

TEST(Packing, PaddingMustBeZeroTrits) {
  // 2-bit, 5 trits: byte 1 holds trit 4 and three padding trits (fields 1..3).
  std::vector<uint8_t> p = Pack({1, 1, 1, 1, 1}, false, true);
  ASSERT_EQ(p[1], 0x56);
  std::vector<int8_t> out;
  p[1] = 0x52;  // field 1 = 00: a -1 padding trit
  EXPECT_EQ(Unpack(p, 5, false, &out), "padding trit at byte 1 (trit 5) is -1, must be 0");
  p[1] = 0x96;  // field 3 = 10: a +1 padding trit
  EXPECT_EQ(Unpack(p, 5, false, &out), "padding trit at byte 1 (trit 7) is 1, must be 0");
  p[1] = 0xD6;  // field 3 = 11: invalid code beats padding
  EXPECT_EQ(Unpack(p, 5, false, &out), "invalid 2-bit code 11 at byte 1 (trit 7)");

  // base-3, 7 trits: byte 1 holds trits 5, 6 and padding digits 2..4 (weights 9, 27, 81).
  std::vector<uint8_t> q = Pack({0, 0, 0, 0, 0, 1, -1}, true, true);
  ASSERT_EQ(q[1], 2 + 0 + 9 + 27 + 81);
  q[1] -= 9;  // digit 2 -> 0: a -1 padding trit
  EXPECT_EQ(Unpack(q, 7, true, &out), "padding trit at byte 1 (trit 7) is -1, must be 0");
  q[1] += 9 + 81;  // digit 4 -> 2: +1
  EXPECT_EQ(Unpack(q, 7, true, &out), "padding trit at byte 1 (trit 9) is 1, must be 0");
}

TEST(Packing, RowsArePaddedSeparately) {
  for (bool base3 : {false, true}) {
    for (size_t cols : {0u, 1u, 3u, 4u, 5u, 9u, 17u, 64u, 100u}) {
      const size_t rows = 7;
      const std::vector<int8_t> t = RandomTrits(rows * cols, cols);
      std::vector<uint8_t> packed(PackedRowsBytes(rows, cols, base3));
      PackRows(t, rows, cols, base3, packed);
      const size_t per_row = rows ? packed.size() / rows : 0;
      for (size_t r = 0; r < rows; ++r) {
        const std::vector<int8_t> row(t.begin() + r * cols, t.begin() + (r + 1) * cols);
        const std::vector<uint8_t> alone = Pack(row, base3, false);
        ASSERT_EQ(
            std::vector<uint8_t>(packed.begin() + r * per_row, packed.begin() + (r + 1) * per_row),
            alone)
            << "row " << r << " cols " << cols;
      }
      std::vector<int8_t> back(rows * cols);
      ASSERT_TRUE(UnpackRows(packed, rows, cols, base3, back).ok());
      EXPECT_EQ(back, t);
    }
  }
}

TEST(Packing, UnpackRowsNamesRowAndWholeBufferOffset) {
  const std::vector<int8_t> t = RandomTrits(3 * 9, 5);
  std::vector<uint8_t> packed(PackedRowsBytes(3, 9, false));  // 3 bytes per row
  PackRows(t, 3, 9, false, packed);
  std::vector<int8_t> out(27);
  std::vector<uint8_t> bad = packed;
  bad[7] |= 0x0C;  // row 2, its byte 1, field 1: trit 5 of the row
  EXPECT_EQ(UnpackRows(bad, 3, 9, false, out).message(),
            "invalid 2-bit code 11 at byte 7 (row 2, trit 5)");
  bad = packed;
  bad[5] = 0x01 | 0x00;  // row 1's last byte: trit 8, then padding field 1 = 00 (-1)
  EXPECT_EQ(UnpackRows(bad, 3, 9, false, out).message(),
            "padding trit at byte 5 (row 1, trit 9) is -1, must be 0");
}

// Zero rows or zero columns: nothing to pack and no per-row arithmetic (fuzz_package found a
// division by zero for rows = 0 and a 2^62-iteration loop for cols = 0).
TEST(Packing, EmptyRowsAndColumns) {
  for (bool base3 : {false, true}) {
    for (auto [rows, cols] :
         {std::pair<size_t, size_t>{0, 5}, {5, 0}, {0, 0}, {size_t{1} << 62, 0}}) {
      EXPECT_EQ(PackedRowsBytes(rows, cols, base3), 0u);
      PackRows({}, rows, cols, base3, {});
      EXPECT_TRUE(UnpackRows({}, rows, cols, base3, {}).ok());
    }
  }
}

}  // namespace
}  // namespace triton::format
