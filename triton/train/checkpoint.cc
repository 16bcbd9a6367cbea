#include "triton/train/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace triton::train {

namespace {

constexpr char kMagic[8] = {'T', 'R', 'C', 'K', 'P', 'T', '0', '1'};
constexpr size_t kHeader = 24;

void PutU64(std::string& s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetU64(const std::string& s, size_t at) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(s[at + i])) << (8 * i);
  return v;
}

}  // namespace

Status WriteFileAtomic(const std::string& path, const std::string& bytes) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error(fmt::format("{}: cannot create: {}", tmp, std::strerror(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;  // a signal (Ctrl-C) must not cut the file short
    if (n <= 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Error(fmt::format("{}: write failed: {}", tmp, err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(fmt::format("{}: cannot flush to disk: {}", tmp, std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Error(fmt::format("{}: cannot rename from {}: {}", path, tmp, err));
  }
  return Status();
}

Status WriteCheckpoint(const std::string& path, const nlohmann::json& meta,
                       const NamedTensors& state, const torch::optim::Optimizer& optimizer) {
  std::ostringstream payload;
  try {
    nlohmann::json m = meta;
    m["state_names"] = nlohmann::json::array();
    torch::serialize::OutputArchive ar;
    for (size_t i = 0; i < state.size(); ++i) {
      m["state_names"].push_back(state[i].first);
      ar.write(fmt::format("model/{}", i), state[i].second.detach().contiguous(), true);
    }
    ar.write("meta", c10::IValue(m.dump()));
    torch::serialize::OutputArchive opt;
    optimizer.save(opt);
    ar.write("optimizer", opt);
    ar.write("rng", at::detail::getDefaultCPUGenerator().get_state(), true);
    ar.save_to(payload);
  } catch (const c10::Error& e) {
    return Status::Error(fmt::format("internal error: {}: cannot serialize the checkpoint: {}",
                                     path, e.what_without_backtrace()));
  }
  const std::string body = std::move(payload).str();
  std::string bytes(kMagic, sizeof(kMagic));
  PutU64(bytes, body.size());
  PutU64(bytes, XXH3_64bits(body.data(), body.size()));
  bytes += body;
  return WriteFileAtomic(path, bytes);
}

Result<CheckpointData> ReadCheckpoint(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto damaged = [&](const std::string& what) {
    return Status::Error(fmt::format(
        "{}: damaged checkpoint: {}; delete it to train from scratch (or restore a copy)", path,
        what));
  };
  if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return damaged(
        fmt::format("not a Triton checkpoint (no TRCKPT01 header; {} bytes)", bytes.size()));
  }
  const uint64_t size = GetU64(bytes, 8), hash = GetU64(bytes, 16);
  if (size != bytes.size() - kHeader) {
    return damaged(fmt::format("the header declares {} bytes of data, the file has {}", size,
                               bytes.size() - kHeader));
  }
  const uint64_t actual = XXH3_64bits(bytes.data() + kHeader, size);
  if (actual != hash) {
    return damaged(
        fmt::format("checksum mismatch (stored {:016x}, computed {:016x})", hash, actual));
  }
  CheckpointData d;
  try {
    std::istringstream in(bytes.substr(kHeader));
    torch::serialize::InputArchive ar;
    ar.load_from(in);
    c10::IValue meta;
    ar.read("meta", meta);
    d.meta = nlohmann::json::parse(meta.toStringRef());
    const nlohmann::json& names = d.meta.at("state_names");
    for (size_t i = 0; i < names.size(); ++i) {
      torch::Tensor t;
      ar.read(fmt::format("model/{}", i), t, true);
      d.state.emplace_back(names[i].get<std::string>(), t);
    }
    ar.read("optimizer", d.optimizer);
    ar.read("rng", d.rng, true);
  } catch (const c10::Error& e) {
    return damaged(fmt::format("libtorch cannot read it: {}", e.what_without_backtrace()));
  } catch (const nlohmann::json::exception& e) {
    return damaged(fmt::format("bad metadata: {}", e.what()));
  }
  return d;
}

}  // namespace triton::train
