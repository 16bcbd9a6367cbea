#include "triton/cache/maintenance.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "triton/base/file.h"

namespace triton::cache {

namespace {

namespace fs = std::filesystem;

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsFanout(const std::string& name) { return name.size() == 2 && IsHex(name); }

// A valid key file name for fan-out folder `sub`: "<32 hex>.tce" starting with `sub`.
bool IsEntryName(const std::string& name, const std::string& sub, Key* key) {
  std::string_view suffix = kEntrySuffix;
  if (name.size() != 32 + suffix.size() || !name.ends_with(suffix)) return false;
  if (name.compare(0, 2, sub) != 0) return false;
  return Key::FromHex(std::string_view(name).substr(0, 32), key);
}

bool LooksLikeEntry(const std::string& name) { return name.ends_with(kEntrySuffix); }

bool Remove(const CacheFile& f, RemoveReport& r) {
  if (::unlink(f.path.c_str()) == 0 || errno == ENOENT) {
    r.bytes += f.bytes;
    return true;
  }
  r.errors.push_back("cannot remove " + f.path + ": " + std::strerror(errno));
  return false;
}

void RemoveEmptyFanouts(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (IsFanout(e.path().filename().string())) ::rmdir(e.path().c_str());  // fails unless empty
  }
}

}  // namespace

Inventory TakeInventory(const std::string& dir) {
  Inventory inv;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return inv;
  inv.exists = true;
  std::error_code ec;
  for (const auto& sub : fs::directory_iterator(dir, ec)) {
    std::string subname = sub.path().filename().string();
    if (!IsFanout(subname) || !sub.is_directory(ec)) continue;
    std::error_code ec2;
    for (const auto& e : fs::directory_iterator(sub.path(), ec2)) {
      std::string name = e.path().filename().string();
      bool temp = name.starts_with(kTempPrefix);
      if (!temp && !LooksLikeEntry(name)) continue;
      struct stat fst {};
      if (::lstat(e.path().c_str(), &fst) != 0 || !S_ISREG(fst.st_mode)) continue;
      CacheFile f{e.path().string(), subname + "/" + name, static_cast<uint64_t>(fst.st_size),
                  static_cast<int64_t>(fst.st_mtim.tv_sec)};
      (temp ? inv.temps : inv.entries).push_back(f);
      (temp ? inv.temp_bytes : inv.entry_bytes) += f.bytes;
    }
    if (ec2 && inv.error.empty()) inv.error = sub.path().string() + ": " + ec2.message();
  }
  if (ec && inv.error.empty()) inv.error = dir + ": " + ec.message();
  auto by_name = [](const CacheFile& a, const CacheFile& b) { return a.name < b.name; };
  std::sort(inv.entries.begin(), inv.entries.end(), by_name);
  std::sort(inv.temps.begin(), inv.temps.end(), by_name);
  return inv;
}

RemoveReport Clear(const std::string& dir) {
  RemoveReport r;
  Inventory inv = TakeInventory(dir);
  if (!inv.error.empty()) r.errors.push_back(inv.error);
  for (const CacheFile& f : inv.entries) r.entries += Remove(f, r);
  for (const CacheFile& f : inv.temps) r.temps += Remove(f, r);
  std::string stats = dir + "/" + kStatsFile;
  if (::unlink(stats.c_str()) != 0 && errno != ENOENT) {
    r.errors.push_back("cannot remove " + stats + ": " + std::strerror(errno));
  }
  RemoveEmptyFanouts(dir);
  return r;
}

RemoveReport Prune(const std::string& dir, double days, int64_t now_s) {
  RemoveReport r;
  Inventory inv = TakeInventory(dir);
  if (!inv.error.empty()) r.errors.push_back(inv.error);
  double limit_s = days * 86400.0;
  for (const CacheFile& f : inv.entries) {
    if (static_cast<double>(now_s - f.mtime_s) > limit_s) r.entries += Remove(f, r);
  }
  double temp_limit_s = std::max(limit_s, 3600.0);
  for (const CacheFile& f : inv.temps) {
    if (static_cast<double>(now_s - f.mtime_s) > temp_limit_s) r.temps += Remove(f, r);
  }
  RemoveEmptyFanouts(dir);
  return r;
}

VerifyReport Verify(const std::string& dir, bool remove, const PayloadCheck& check) {
  VerifyReport v;
  Inventory inv = TakeInventory(dir);
  if (!inv.error.empty()) v.errors.push_back(inv.error);
  for (const CacheFile& f : inv.entries) {
    ++v.checked;
    std::string sub = f.name.substr(0, 2);
    std::string name = f.name.substr(3);
    std::string problem;
    Key key;
    if (!IsEntryName(name, sub, &key)) {
      problem = "file name is not a key of its folder";
    } else if (f.bytes > kMaxEntryBytes) {
      problem = "not a cache entry (" + std::to_string(f.bytes) + " bytes)";
    } else {
      Result<std::string> bytes = base::ReadFile(f.path);
      if (!bytes.ok()) {
        v.errors.push_back(bytes.status().message());
        continue;
      }
      DecodedEntry d = DecodeEntry(bytes.value(), &key);
      if (!d.ok()) {
        problem = d.message;
      } else if (check) {
        problem = check(d.payload);
      }
    }
    if (problem.empty()) continue;
    v.bad.push_back({f.name, problem});
    if (remove) {
      if (::unlink(f.path.c_str()) == 0 || errno == ENOENT) {
        ++v.removed;
      } else {
        v.errors.push_back("cannot remove " + f.path + ": " + std::strerror(errno));
      }
    }
  }
  return v;
}

}  // namespace triton::cache
