// `triton cache [--cache-dir DIR] stats [--json] | clear | prune --older-than DAYS |
// verify [--remove]`: look after the compile cache (triton/cache, docs/cli.md).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "triton/cache/disk_cache.h"
#include "triton/cache/location.h"
#include "triton/cache/maintenance.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/driver/cached_compile.h"

namespace triton::cli {

namespace {

struct CacheArgs {
  std::string dir;
  bool json = false, remove = false;
  double older_than_days = -1;
};

std::string Bytes(uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < (1u << 20)) return fmt::format("{:.1f} KiB", n / 1024.0);
  if (n < (1u << 30)) return fmt::format("{:.1f} MiB", n / 1048576.0);
  return fmt::format("{:.2f} GiB", n / 1073741824.0);
}

// Resolves the directory; prints an error and returns "" when nothing names one.
std::string Dir(const CacheArgs& a, std::string* source) {
  cache::CacheLocation loc = cache::ResolveCacheDir(a.dir);
  if (loc.dir.empty()) {
    std::fprintf(stderr,
                 "triton: error: no cache directory: pass --cache-dir or set TRITON_CACHE_DIR, "
                 "XDG_CACHE_HOME or HOME\n");
  }
  *source = loc.source;
  return loc.dir;
}

int ReportErrors(const std::vector<std::string>& errors) {
  for (const std::string& e : errors) std::fprintf(stderr, "triton: error: %s\n", e.c_str());
  return errors.empty() ? kOk : kUserError;
}

int Stats(const CacheArgs& a) {
  std::string source, dir = Dir(a, &source);
  if (dir.empty()) return kUserError;
  cache::Inventory inv = cache::TakeInventory(dir);
  cache::Counters c = cache::DiskCache(dir).ReadCounters();
  uint64_t lookups = c.hits + c.misses;
  double hit_rate = lookups ? static_cast<double>(c.hits) / static_cast<double>(lookups) : 0.0;
  if (a.json) {
    nlohmann::json j = {{"directory", dir},
                        {"source", source},
                        {"exists", inv.exists},
                        {"entries", inv.entries.size()},
                        {"bytes", inv.entry_bytes},
                        {"temp_files", inv.temps.size()},
                        {"hits", c.hits},
                        {"misses", c.misses},
                        {"hit_rate", hit_rate},
                        {"stores", c.stores},
                        {"bad_entries", c.bad_entries},
                        {"write_failures", c.write_failures}};
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
  } else {
    std::string out = fmt::format("directory       {} (from {}){}\n", dir, source,
                                  inv.exists ? "" : ", does not exist yet");
    out += fmt::format("entries         {} ({})\n", inv.entries.size(), Bytes(inv.entry_bytes));
    if (!inv.temps.empty()) {
      out += fmt::format("temp files      {} ({})\n", inv.temps.size(), Bytes(inv.temp_bytes));
    }
    out += fmt::format("hits            {} ({:.1f}% of {} disk lookups)\n", c.hits,
                       100.0 * hit_rate, lookups);
    out += fmt::format("misses          {}\nstores          {}\n", c.misses, c.stores);
    out += fmt::format("bad entries     {} (found and rebuilt)\n", c.bad_entries);
    out += fmt::format("write failures  {}\n", c.write_failures);
    std::fputs(out.c_str(), stdout);
  }
  return ReportErrors(inv.error.empty() ? std::vector<std::string>{} : std::vector{inv.error});
}

int Clear(const CacheArgs& a) {
  std::string source, dir = Dir(a, &source);
  if (dir.empty()) return kUserError;
  cache::RemoveReport r = cache::Clear(dir);
  std::printf("removed %zu entries (%s) from %s\n", r.entries, Bytes(r.bytes).c_str(), dir.c_str());
  return ReportErrors(r.errors);
}

int Prune(const CacheArgs& a) {
  std::string source, dir = Dir(a, &source);
  if (dir.empty()) return kUserError;
  cache::RemoveReport r =
      cache::Prune(dir, a.older_than_days, static_cast<int64_t>(std::time(nullptr)));
  cache::Inventory left = cache::TakeInventory(dir);
  std::printf("removed %zu entries (%s) not used in %g days; %zu entries (%s) remain\n", r.entries,
              Bytes(r.bytes).c_str(), a.older_than_days, left.entries.size(),
              Bytes(left.entry_bytes).c_str());
  return ReportErrors(r.errors);
}

int Verify(const CacheArgs& a) {
  std::string source, dir = Dir(a, &source);
  if (dir.empty()) return kUserError;
  cache::VerifyReport v = cache::Verify(dir, a.remove, driver::CheckCompilePayload);
  for (const auto& b : v.bad) {
    std::printf("bad %s: %s%s\n", b.name.c_str(), b.problem.c_str(), a.remove ? " (removed)" : "");
  }
  std::printf("checked %zu entries in %s: %zu bad%s\n", v.checked, dir.c_str(), v.bad.size(),
              v.bad.empty() || a.remove ? "" : " (remove them with --remove)");
  int code = ReportErrors(v.errors);
  return v.bad.empty() ? code : kUserError;
}

}  // namespace

void AddCache(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CacheArgs>();
  auto* cmd = app.add_subcommand("cache", "Show, check or empty the compile cache");
  cmd->require_subcommand(1);
  cmd->fallthrough();  // --cache-dir may come before or after the action
  cmd->add_option("--cache-dir", a->dir,
                  "cache directory (default $TRITON_CACHE_DIR, $XDG_CACHE_HOME/triton, "
                  "~/.cache/triton)");
  auto* stats = cmd->add_subcommand("stats", "entries, bytes, hit/miss counters and location");
  stats->add_flag("--json", a->json, "print one JSON object");
  stats->callback([a, &exit_code] { exit_code = Stats(*a); });
  auto* clear = cmd->add_subcommand("clear", "remove every entry");
  clear->callback([a, &exit_code] { exit_code = Clear(*a); });
  auto* prune = cmd->add_subcommand("prune", "remove entries not used for a number of days");
  prune->add_option("--older-than", a->older_than_days, "days since last use (hits refresh it)")
      ->required()
      ->check(CLI::NonNegativeNumber);
  prune->callback([a, &exit_code] { exit_code = Prune(*a); });
  auto* verify = cmd->add_subcommand("verify", "check every entry; exit 1 if any is bad");
  verify->add_flag("--remove", a->remove, "remove the bad entries");
  verify->callback([a, &exit_code] { exit_code = Verify(*a); });
}

}  // namespace triton::cli
