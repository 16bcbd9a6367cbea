// Damaged packages (damaged_cases.h). "Restamped" damage rewrites the header's file size and the
// checksum afterwards, so that the structural checks, not the checksum, must catch it.
#include "triton/format/damaged_cases.h"

#include <cstring>
#include <functional>
#include <string_view>

#include "triton/format/bytes.h"
#include "triton/format/package_layout.h"
#include "triton/format/test_util.h"

namespace triton::format::testing {
namespace {

namespace L = layout;
using Bytes = std::vector<uint8_t>;

void StampChecksumOnly(Bytes& f) {
  const size_t body = f.size() - L::kTrailerSize;
  internal::PutLE(&f[body], L::Checksum(std::span(f).first(body)), 8);
}

// Where the metadata entries of a valid package are (absolute offsets).
struct MetaAt {
  size_t type, key_len, key, value;
  std::string key_text;
};
std::vector<MetaAt> WalkMetadata(const Bytes& f) {
  std::vector<MetaAt> out;
  size_t at = internal::GetU64(&f[L::kOffMetaOffset]);
  const size_t count = internal::GetU32(&f[L::kOffMetaCount]);
  for (size_t i = 0; i < count; ++i) {
    MetaAt m;
    m.type = at;
    m.key_len = at + 1;
    m.key = at + 5;
    const size_t klen = internal::GetU32(&f[m.key_len]);
    m.key_text.assign(f.begin() + m.key, f.begin() + m.key + klen);
    m.value = m.key + klen;
    at = m.value + (f[m.type] == L::kMetaString ? 4 + internal::GetU32(&f[m.value]) : 8);
    out.push_back(m);
  }
  return out;
}

class Maker {
 public:
  explicit Maker(const Bytes& valid)
      : v_(valid), dir_(WalkDirectory(valid)), meta_(WalkMetadata(valid)) {}

  // Damage applied to a copy; restamped unless `raw`.
  void Add(const std::string& name, const std::function<void(Bytes&)>& damage, bool raw = false,
           bool must_fail = true) {
    Bytes f = v_;
    damage(f);
    if (!raw && f.size() >= L::kMinFileSize) L::StampSizeAndChecksum(f);
    out_.push_back({name, std::move(f), must_fail});
  }
  void Set(const std::string& name, size_t at, uint64_t value, size_t n) {
    Add(name, [=](Bytes& f) { internal::PutLE(&f[at], value, n); });
  }

  const Bytes& v_;
  const std::vector<EntryAt> dir_;
  const std::vector<MetaAt> meta_;
  std::vector<DamagedCase> out_;

  uint64_t U64(size_t at) const { return internal::GetU64(&v_[at]); }
  const MetaAt* Meta(std::string_view key) const {
    for (const MetaAt& m : meta_) {
      if (m.key_text == key) return &m;
    }
    return nullptr;
  }
};

// Header, sections and counts.
void HeaderCases(Maker& m) {
  const size_t n = m.v_.size();
  m.Add(
      "empty", [](Bytes& f) { f.clear(); }, true);
  m.Add(
      "short_7_bytes", [](Bytes& f) { f.resize(7); }, true);
  m.Add(
      "magic_png", [](Bytes& f) { std::memcpy(f.data(), "\x89PNG\r\n\x1a\n", 8); }, true);
  m.Add(
      "magic_lowercase", [](Bytes& f) { std::memcpy(f.data(), "tritonnn", 8); }, true);
  m.Set("version_major_2", L::kOffMajor, 2, 2);
  m.Set("version_major_0", L::kOffMajor, 0, 2);
  m.Set("version_major_65535", L::kOffMajor, 65535, 2);
  m.Set("header_flags_1", L::kOffFlags, 1, 4);
  m.Set("header_reserved_nonzero", L::kOffReserved + 31, 0x80, 1);
  for (auto [name, value] : {std::pair{"file_size_plus_1", uint64_t{n + 1}},
                             {"file_size_minus_1", uint64_t{n - 1}},
                             {"file_size_huge", ~uint64_t{0}}}) {
    m.Add(
        name,
        [v = value](Bytes& f) {
          internal::PutLE(&f[L::kOffFileSize], v, 8);
          StampChecksumOnly(f);
        },
        true);
  }
  m.Add(
      "checksum_flipped", [](Bytes& f) { f.back() ^= 1; }, true);
  m.Add(
      "trailing_garbage", [](Bytes& f) { f.resize(f.size() + 8, 0); }, true);
  m.Add(
      "truncated_in_header", [](Bytes& f) { f.resize(100); }, true);

  const uint64_t meta_off = m.U64(L::kOffMetaOffset);
  const uint64_t dir_off = m.U64(L::kOffDirOffset);
  const uint64_t data_off = m.U64(L::kOffDataOffset);
  m.Set("meta_offset_in_header", L::kOffMetaOffset, 64, 8);
  m.Set("meta_size_huge", L::kOffMetaSize, ~uint64_t{0}, 8);
  m.Set("meta_offset_huge", L::kOffMetaOffset, ~uint64_t{0} - 7, 8);
  m.Set("ir_size_past_end", L::kOffIrSize, n, 8);
  m.Set("ir_empty_with_offset", L::kOffIrSize, 0, 8);
  m.Set("dir_overlaps_meta", L::kOffDirOffset, meta_off, 8);
  m.Set("data_overlaps_dir", L::kOffDataOffset, dir_off & ~uint64_t{63}, 8);
  m.Set("data_offset_unaligned", L::kOffDataOffset, data_off + 8, 8);
  m.Set("meta_count_huge", L::kOffMetaCount, 0xFFFFFFFF, 4);
  m.Set("tensor_count_huge", L::kOffTensorCount, 0xFFFFFFFF, 4);
  m.Set("tensor_count_plus_1", L::kOffTensorCount, m.dir_.size() + 1, 4);
  m.Set("tensor_count_minus_1", L::kOffTensorCount, m.dir_.size() - 1, 4);
  m.Set("meta_count_minus_1", L::kOffMetaCount, m.meta_.size() - 1, 4);
}

// Metadata entries and IR text.
void MetadataCases(Maker& m) {
  const MetaAt& first = m.meta_.front();
  m.Set("meta0_type_0", first.type, 0, 1);
  m.Set("meta0_type_9", first.type, 9, 1);
  m.Set("meta0_key_length_huge", first.key_len, 0xFFFFFFFF, 4);
  m.Set("meta0_value_length_huge", first.value, 0xFFFFFFF0, 4);
  m.Set("meta0_key_bad_utf8", first.key, 0xFF, 1);
  m.Set("meta0_value_bad_utf8", first.value + 4, 0xC3, 1);
  m.Set("meta0_value_nul", first.value + 4, 0, 1);
  if (const MetaAt* mn = m.Meta("model_name"); mn && internal::GetU32(&m.v_[mn->value]) == 4) {
    m.Set("meta_model_name_as_f64", mn->type, L::kMetaF64, 1);  // 4 + 4 bytes read as one f64
  }
  if (const MetaAt* acc = m.Meta("accuracy")) {
    m.Set("meta_accuracy_nan", acc->value, 0x7FF8000000000000ull, 8);
    m.Set("meta_accuracy_as_i64", acc->type, L::kMetaI64, 1);
  }
  if (const MetaAt* kind = m.Meta("model_kind")) {
    m.Add("meta_duplicate_key",
          [at = kind->key](Bytes& f) { std::memcpy(&f[at], "model_name", 10); });
  }
  const uint64_t ir_off = m.U64(L::kOffIrOffset);
  if (m.U64(L::kOffIrSize) > 1) {
    m.Set("ir_nul", ir_off + 1, 0, 1);
    m.Set("ir_bad_utf8", ir_off, 0xC0, 1);
  }
}

// Directory entries, data ranges and the data itself.
void DirectoryCases(Maker& m) {
  const EntryAt& e = m.dir_.front();
  m.Set("dir0_name_length_huge", e.name_len, 0xFFFFFFFF, 4);
  m.Set("dir0_name_length_0", e.name_len, 0, 4);
  m.Set("dir0_name_bad_utf8", e.name, 0xFE, 1);
  m.Set("dir0_name_control_char", e.name, 0x01, 1);
  m.Set("dir0_encoding_3", e.encoding, 3, 1);
  m.Set("dir0_encoding_255", e.encoding, 255, 1);
  m.Set("dir0_flags_2", e.flags, 2, 1);
  m.Set("dir0_reserved_1", e.reserved, 1, 1);
  m.Set("dir0_rank_9", e.rank, 9, 1);
  m.Set("dir0_rank_255", e.rank, 255, 1);
  m.Set("dir0_dim_negative", e.dims, static_cast<uint64_t>(-1), 8);
  m.Set("dir0_dim_2_to_62", e.dims, uint64_t{1} << 62, 8);
  m.Set("dir0_dim_max", e.dims, uint64_t{INT64_MAX}, 8);
  m.Add("dir0_dims_overflow", [&e](Bytes& f) {
    internal::PutLE(&f[e.dims], uint64_t{1} << 40, 8);
    internal::PutLE(&f[e.dims + 8], uint64_t{1} << 40, 8);
  });
  const uint64_t data0 = m.U64(e.data_offset);
  m.Set("dir0_data_bytes_minus_1", e.data_bytes, m.U64(e.data_bytes) - 1, 8);
  m.Set("dir0_data_bytes_huge", e.data_bytes, ~uint64_t{0}, 8);
  m.Set("dir0_data_offset_unaligned", e.data_offset, data0 + 1, 8);
  m.Set("dir0_data_offset_huge", e.data_offset, ~uint64_t{63}, 8);
  m.Set("dir0_data_offset_0", e.data_offset, 0, 8);
  m.Set("dir0_data_offset_in_header", e.data_offset, 64, 8);
  m.Set("dir0_scale_count_3", e.scale_count, 3, 8);
  m.Set("dir0_scale_count_huge", e.scale_count, uint64_t{1} << 63, 8);
  m.Set("dir0_scale_offset_unaligned", e.scale_offset, m.U64(e.scale_offset) + 2, 8);
  m.Set("dir0_scales_overlap_data", e.scale_offset, data0, 8);
  m.Set("dir0_scale_offset_past_end", e.scale_offset, m.v_.size(), 8);
  if (m.dir_.size() >= 3) {
    const EntryAt& e1 = m.dir_[1];  // fc1.bias, f32
    const EntryAt& e2 = m.dir_[2];
    m.Set("dir1_data_overlaps_dir0", e1.data_offset, data0, 8);
    m.Set("dir1_f32_with_scales", e1.scale_count, 1, 8);
    m.Set("dir1_empty_with_offset", e1.dims, 0, 8);  // shape [0]: 0 bytes needed, 8 claimed
    // fc2.weight -> fc1.weight: same length, a duplicate name.
    m.Add("dir2_duplicate_name", [at = e2.name](Bytes& f) { f[at + 2] = '1'; });
    m.Set("base3_invalid_byte", m.U64(e2.data_offset), 250, 1);
    m.Set("base3_bad_padding", m.U64(e2.data_offset) + 1, 0, 1);  // trits 5, 6, pad = -1
  }
  m.Add("trit_invalid_code", [data0](Bytes& f) { f[data0] |= 0x03; });
  m.Set("trit_bad_padding", data0 + 1, 0x02, 1);  // row 0, byte 1: trit 4 then padding 00
  m.Set("scale_pos_nan", m.U64(e.scale_offset), 0x7FC00000, 4);
  m.Set("scale_neg_inf", m.U64(e.scale_offset) + 4 * m.U64(e.scale_count), 0x7F800000, 4);
  m.Add(
      "bitflip_in_data_raw", [data0](Bytes& f) { f[data0] ^= 0x10; }, true);
  m.Add(
      "bitflip_in_count_raw", [](Bytes& f) { f[L::kOffTensorCount] ^= 0x01; }, true);
  for (const auto& [name, at] : {std::pair{"truncated_in_meta", L::kOffMetaOffset},
                                 {"truncated_in_dir", L::kOffDirOffset},
                                 {"truncated_in_data", L::kOffDataOffset}}) {
    const uint64_t cut = m.U64(at) + m.U64(at + 8) / 2;
    m.Add(
        name, [cut](Bytes& f) { f.resize(cut); }, true);
    m.Add(std::string(name) + "_restamped", [cut](Bytes& f) { f.resize(cut); });
  }
}

// Every offset a section or tensor range starts or ends at, +-1: truncation points.
std::vector<size_t> Boundaries(const Maker& m) {
  std::vector<size_t> b{0, 8, 12, 16, L::kHeaderSize, m.v_.size() - L::kTrailerSize};
  for (size_t at : {L::kOffMetaOffset, L::kOffIrOffset, L::kOffDirOffset, L::kOffDataOffset}) {
    b.push_back(m.U64(at));
    b.push_back(m.U64(at) + m.U64(at + 8));
  }
  for (const EntryAt& e : m.dir_) {
    for (size_t x : {e.name_len, e.encoding, e.dims, e.data_offset, e.end}) b.push_back(x);
    b.push_back(m.U64(e.data_offset));
    b.push_back(m.U64(e.data_offset) + m.U64(e.data_bytes));
    b.push_back(m.U64(e.scale_offset));
  }
  std::vector<size_t> out;
  for (size_t x : b) {
    for (size_t y : {x - 1, x, x + 1}) {
      if (y < m.v_.size()) out.push_back(y);  // x - 1 wraps for 0: dropped here
    }
  }
  return out;
}

}  // namespace

std::vector<DamagedCase> CorpusCases(const std::vector<uint8_t>& valid) {
  Maker m(valid);
  HeaderCases(m);
  MetadataCases(m);
  DirectoryCases(m);
  return std::move(m.out_);
}

std::vector<DamagedCase> DamagedCases(const std::vector<uint8_t>& valid, Coverage coverage) {
  std::vector<DamagedCase> out = CorpusCases(valid);
  Maker m(valid);
  const bool all = coverage == Coverage::kExhaustive;
  std::vector<size_t> cuts = Boundaries(m);
  for (size_t i = 0; i < valid.size(); i += all ? 1 : 7) cuts.push_back(i);
  for (size_t cut : cuts) {
    m.Add(
        "truncate_" + std::to_string(cut), [cut](Bytes& f) { f.resize(cut); }, true);
    m.Add("truncate_restamped_" + std::to_string(cut), [cut](Bytes& f) { f.resize(cut); });
  }
  for (size_t bit = 0; bit < 8 * valid.size(); bit += all ? 1 : 13) {
    auto flip = [bit](Bytes& f) { f[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8)); };
    m.Add("flip_" + std::to_string(bit), flip, true);
    // Restamped, a flip in data or a string may leave a valid package.
    m.Add("flip_restamped_" + std::to_string(bit), flip, false, false);
  }
  // Hostile values in every 8-byte field of the header and the directory (restamped). Some are
  // harmless (a field set to its own value), so these only must not crash.
  std::vector<size_t> fields;
  for (size_t at = L::kOffFileSize; at < L::kOffReserved; at += 8) fields.push_back(at);
  for (const EntryAt& e : m.dir_) {
    for (size_t at = e.dims; at < e.end; at += 8) fields.push_back(at);
  }
  const uint64_t n = valid.size();
  for (size_t at : fields) {
    for (uint64_t v :
         {uint64_t{0}, uint64_t{1}, uint64_t{63}, uint64_t{64}, n - 8, n, n + 64, uint64_t{1} << 32,
          uint64_t{1} << 62, uint64_t{1} << 63, ~uint64_t{0}, ~uint64_t{0} - 63}) {
      m.Add(
          "field_" + std::to_string(at) + "_" + std::to_string(v),
          [at, v](Bytes& f) { internal::PutLE(&f[at], v, 8); }, false, false);
    }
  }
  out.insert(out.end(), std::make_move_iterator(m.out_.begin()),
             std::make_move_iterator(m.out_.end()));
  return out;
}

}  // namespace triton::format::testing
