#include "triton/train/data/cache.h"

#include <unistd.h>
#include <xxhash.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace triton::data {
namespace {

constexpr char kMagic[8] = {'T', 'R', 'D', 'A', 'T', 'A', '0', '1'};

void PutU32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string& s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
}
void PutStr(std::string& s, const std::string& v) {
  PutU32(s, static_cast<uint32_t>(v.size()));
  s += v;
}

// Bounds-checked little-endian reading; any overrun sets ok = false and returns zeros.
struct Reader {
  const std::string& s;
  size_t pos = 0;
  bool ok = true;
  uint64_t Uint(int bytes) {
    if (!ok || s.size() - pos < static_cast<size_t>(bytes)) {
      ok = false;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(s[pos + i])} << (8 * i);
    pos += bytes;
    return v;
  }
  std::string Str() {
    const uint64_t n = Uint(4);
    if (!ok || s.size() - pos < n) {
      ok = false;
      return {};
    }
    std::string v = s.substr(pos, n);
    pos += n;
    return v;
  }
};

uint64_t KeyHash(const std::string& key) { return XXH64(key.data(), key.size(), 0); }

}  // namespace

std::string DataCacheDir() {
  if (const char* d = std::getenv("TRITON_DATA_DIR"); d && *d) return d;
  if (const char* h = std::getenv("HOME"); h && *h) {
    return (std::filesystem::path(h) / ".cache" / "triton" / "data").string();
  }
  return "/tmp/triton-data";
}

Status SaveDatasetCache(const std::string& path, const std::string& key, const InMemoryDataset& d) {
  std::string head(kMagic, sizeof kMagic);
  PutU64(head, KeyHash(key));
  const ImageShape s = d.shape();
  PutU32(head, s.c);
  PutU32(head, s.h);
  PutU32(head, s.w);
  PutU64(head, static_cast<uint64_t>(d.size()));
  PutU32(head, static_cast<uint32_t>(d.classes().size()));
  for (const std::string& c : d.classes()) PutStr(head, c);
  PutStr(head, d.name());
  for (int64_t l : d.labels()) PutU32(head, static_cast<uint32_t>(l));
  XXH64_state_t* st = XXH64_createState();
  XXH64_reset(st, 0);
  XXH64_update(st, head.data(), head.size());
  XXH64_update(st, d.all_pixels().data(), d.all_pixels().size());
  std::string tail;
  PutU64(tail, XXH64_digest(st));
  XXH64_freeState(st);

  std::error_code ec;
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Error(tmp + ": cannot create the cache file");
    out.write(head.data(), static_cast<std::streamsize>(head.size()));
    out.write(reinterpret_cast<const char*>(d.all_pixels().data()),
              static_cast<std::streamsize>(d.all_pixels().size()));
    out.write(tail.data(), static_cast<std::streamsize>(tail.size()));
    if (!out.flush()) {
      std::filesystem::remove(tmp, ec);
      return Status::Error(tmp + ": write error (disk full?)");
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::Error(path + ": cannot move the cache file into place: " + ec.message());
  }
  return Status();
}

Result<InMemoryDataset> LoadDatasetCache(const std::string& path, const std::string& key) {
  // One read into a buffer of the file's size (base::ReadFile's stream copy is several times
  // slower on a 150 MiB file).
  std::string b;
  {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return Status::Error(path + ": cannot open the cache file");
    const std::streamoff size = in.tellg();
    if (size < 0) return Status::Error(path + ": cannot read the cache file");
    b.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(b.data(), size)) return Status::Error(path + ": read error");
  }
  auto fail = [&](const std::string& m) { return Status::Error(path + ": " + m); };
  if (b.size() < sizeof kMagic + 8 || std::memcmp(b.data(), kMagic, sizeof kMagic) != 0) {
    return fail("not a Triton data cache file");
  }
  Reader r{b, sizeof kMagic};
  const uint64_t sum = XXH64(b.data(), b.size() - 8, 0);
  Reader tail{b, b.size() - 8};
  if (tail.Uint(8) != sum) return fail("checksum mismatch (damaged cache file)");
  if (r.Uint(8) != KeyHash(key)) return fail("key mismatch (cache of other data)");
  ImageShape s;
  s.c = static_cast<int>(r.Uint(4));
  s.h = static_cast<int>(r.Uint(4));
  s.w = static_cast<int>(r.Uint(4));
  const uint64_t n = r.Uint(8);
  const uint64_t nc = r.Uint(4);
  if (!r.ok || s.c <= 0 || s.h <= 0 || s.w <= 0 || s.c > 4 || s.h > 65536 || s.w > 65536 ||
      nc == 0 || nc > b.size() || n > b.size()) {
    return fail("malformed header");
  }
  std::vector<std::string> classes;
  for (uint64_t i = 0; i < nc && r.ok; ++i) classes.push_back(r.Str());
  const std::string name = r.Str();
  std::vector<int64_t> labels(n);
  for (uint64_t i = 0; i < n && r.ok; ++i) {
    labels[i] = static_cast<int64_t>(r.Uint(4));
    if (static_cast<uint64_t>(labels[i]) >= nc) return fail("label out of range");
  }
  const uint64_t bytes = n * static_cast<uint64_t>(s.size());
  if (!r.ok || b.size() - 8 - r.pos != bytes) return fail("truncated or malformed");
  std::vector<uint8_t> pixels(b.begin() + r.pos, b.end() - 8);
  return InMemoryDataset(name, s, std::move(pixels), std::move(labels), std::move(classes));
}

Result<InMemoryDataset> LoadOrBuildCached(const std::string& path, const std::string& key,
                                          const std::function<Result<InMemoryDataset>()>& build,
                                          bool* hit) {
  Result<InMemoryDataset> cached = LoadDatasetCache(path, key);
  if (hit) *hit = cached.ok();
  if (cached.ok()) return cached;
  Result<InMemoryDataset> built = build();
  if (built.ok()) (void)SaveDatasetCache(path, key, built.value());
  return built;
}

}  // namespace triton::data
