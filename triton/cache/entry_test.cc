// Keys and the entry format: every damaged form of an entry is detected and named.
#include "triton/cache/entry.h"

#include <gtest/gtest.h>

#include <set>

#include "triton/cache/key.h"

namespace triton::cache {
namespace {

Key KeyOf(std::string_view a, std::string_view b) {
  KeyBuilder k;
  k.Add("a", a).Add("b", b);
  return k.Finish();
}

TEST(Key, HexRoundTrip) {
  Key k{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  EXPECT_EQ(k.Hex(), "0123456789abcdeffedcba9876543210");
  Key back;
  ASSERT_TRUE(Key::FromHex(k.Hex(), &back));
  EXPECT_EQ(back, k);
  EXPECT_FALSE(Key::FromHex("0123", &back));
  EXPECT_FALSE(Key::FromHex("0123456789ABCDEFfedcba9876543210", &back));  // upper case
  EXPECT_FALSE(Key::FromHex("0123456789abcdeffedcba987654321g", &back));
}

TEST(Key, FieldsAreFramed) {
  EXPECT_EQ(KeyOf("ab", "c"), KeyOf("ab", "c"));
  EXPECT_NE(KeyOf("ab", "c"), KeyOf("a", "bc"));
  EXPECT_NE(KeyOf("", "abc"), KeyOf("abc", ""));
  KeyBuilder x, y;
  x.Add("n", int64_t{1});
  y.Add("n", int64_t{256});
  EXPECT_NE(x.Finish(), y.Finish());
}

TEST(Entry, RoundTrip) {
  Key key = KeyOf("x", "y");
  for (std::string payload : {std::string(), std::string("hello"), std::string(100000, '\0')}) {
    std::string bytes = EncodeEntry(key, payload);
    EXPECT_EQ(bytes.size(), kEntryOverhead + payload.size());
    DecodedEntry d = DecodeEntry(bytes, &key);
    ASSERT_TRUE(d.ok()) << d.message;
    EXPECT_EQ(d.payload, payload);
    EXPECT_EQ(d.key, key);
  }
}

TEST(Entry, EmptyAndForeign) {
  Key key = KeyOf("x", "y");
  EXPECT_EQ(DecodeEntry("", &key).problem, EntryProblem::kEmpty);
  EXPECT_EQ(DecodeEntry("#!/bin/sh\necho hello\n", &key).problem, EntryProblem::kForeign);
  EXPECT_EQ(DecodeEntry(std::string(4096, '\0'), &key).problem, EntryProblem::kForeign);
  DecodedEntry d = DecodeEntry("TRICACHX" + std::string(100, 'a'), &key);
  EXPECT_EQ(d.problem, EntryProblem::kForeign);
  EXPECT_EQ(d.message, "not a cache entry (bad magic)");
}

TEST(Entry, EveryTruncationIsDetected) {
  Key key = KeyOf("x", "y");
  std::string bytes = EncodeEntry(key, "payload of some length");
  for (size_t n = 1; n < bytes.size(); ++n) {
    DecodedEntry d = DecodeEntry(std::string_view(bytes).substr(0, n), &key);
    EXPECT_FALSE(d.ok()) << n;
    EXPECT_EQ(d.problem, EntryProblem::kTruncated) << n << ": " << d.message;
  }
}

TEST(Entry, EveryBitFlipIsDetected) {
  Key key = KeyOf("x", "y");
  std::string good = EncodeEntry(key, "a payload");
  std::set<EntryProblem> seen;
  for (size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      DecodedEntry d = DecodeEntry(bad, &key);
      EXPECT_FALSE(d.ok()) << "byte " << i << " bit " << bit;
      seen.insert(d.problem);
    }
  }
  // Magic, version, flags, length and checksum/key damage are each told apart.
  EXPECT_TRUE(seen.count(EntryProblem::kForeign));
  EXPECT_TRUE(seen.count(EntryProblem::kVersion));
  EXPECT_TRUE(seen.count(EntryProblem::kBadHeader));
  EXPECT_TRUE(seen.count(EntryProblem::kTruncated));
  EXPECT_TRUE(seen.count(EntryProblem::kTrailingBytes));
  EXPECT_TRUE(seen.count(EntryProblem::kChecksum));
}

TEST(Entry, TrailingBytesAndOtherKeys) {
  Key key = KeyOf("x", "y"), other = KeyOf("x", "z");
  std::string bytes = EncodeEntry(key, "p");
  EXPECT_EQ(DecodeEntry(bytes + "x", &key).problem, EntryProblem::kTrailingBytes);
  DecodedEntry d = DecodeEntry(bytes, &other);
  EXPECT_EQ(d.problem, EntryProblem::kKeyMismatch);
  EXPECT_NE(d.message.find(key.Hex()), std::string::npos);
  EXPECT_TRUE(DecodeEntry(bytes, nullptr).ok());
}

TEST(Entry, HugeLengthFieldIsTruncationNotOverflow) {
  Key key = KeyOf("x", "y");
  std::string bytes = EncodeEntry(key, "p");
  for (int i = 0; i < 8; ++i) bytes[32 + static_cast<size_t>(i)] = '\xff';
  EXPECT_EQ(DecodeEntry(bytes, &key).problem, EntryProblem::kTruncated);
}

TEST(Payload, RoundTripAndBounds) {
  PayloadWriter w;
  w.U32(7);
  w.U64(1ULL << 40);
  w.Str("text");
  w.Str("");
  PayloadReader r(w.bytes());
  EXPECT_EQ(r.U32(), 7u);
  EXPECT_EQ(r.U64(), 1ULL << 40);
  EXPECT_EQ(r.Str(), "text");
  EXPECT_EQ(r.Str(), "");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(r.U32(), 0u);
  EXPECT_FALSE(r.ok());
}

TEST(Payload, CorruptLengthsFailWithoutAllocating) {
  PayloadWriter w;
  w.U64(~0ULL);  // a string "length" of 2^64-1
  PayloadReader r(w.bytes());
  EXPECT_EQ(r.Str(), "");
  EXPECT_FALSE(r.ok());
  PayloadReader c(w.bytes());
  EXPECT_EQ(c.Count(1), 0u);
  EXPECT_FALSE(c.ok());
}

}  // namespace
}  // namespace triton::cache
