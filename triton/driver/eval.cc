#include "triton/driver/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "triton/base/timer.h"
#include "triton/train/data/cifar10_jpeg.h"
#include "triton/train/data/image_folder.h"
#include "triton/train/data/loader.h"

namespace triton::driver {

namespace {

const char* SplitName(data::Split s) { return s == data::Split::kTrain ? "train" : "test"; }

bool Exists(const std::string& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

std::string HowToGet(const std::string& name) {
  if (name == "fashion-mnist") {
    return "install it with `apt-get install dataset-fashion-mnist`, or give its folder as "
           "fashion-mnist:PATH";
  }
  if (name == "mnist") {
    return "put the four MNIST IDX files (train/t10k images and labels, optionally .gz) there, or "
           "give their folder as mnist:PATH";
  }
  if (name == "cifar10") {
    return "give the CIFAR-10 (JPEG) archive or its extracted folder as cifar10:PATH (or set "
           "TRITON_CIFAR10)";
  }
  return "give the folder holding train/ and test/ as imagefolder:PATH";
}

// Parses "a,b,c" as floats.
Result<std::vector<float>> ParseFloats(const std::string& s) {
  std::vector<float> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    const std::string item = s.substr(pos, end - pos);
    char* stop = nullptr;
    const float v = std::strtof(item.c_str(), &stop);
    if (item.empty() || stop != item.c_str() + item.size() || !std::isfinite(v)) {
      return Status::Error(fmt::format("'{}' is not a comma-separated list of numbers", s));
    }
    out.push_back(v);
    pos = end + 1;
  }
  return out;
}

}  // namespace

Result<DatasetRef> ParseDatasetRef(const std::string& spec) {
  DatasetRef r;
  const size_t colon = spec.find(':');
  r.name = spec.substr(0, colon);
  if (colon != std::string::npos) r.path = spec.substr(colon + 1);
  if (r.name == "fashion_mnist" || r.name == "fashionmnist") r.name = "fashion-mnist";
  if (r.name == "cifar10-jpeg") r.name = "cifar10";
  if (r.name != "fashion-mnist" && r.name != "mnist" && r.name != "cifar10" &&
      r.name != "imagefolder") {
    return Status::Error(fmt::format(
        "unknown data set '{}'; known: fashion-mnist, mnist, cifar10, imagefolder:PATH (any of "
        "them as NAME:PATH for another location)",
        r.name));
  }
  if (colon != std::string::npos && r.path.empty()) {
    return Status::Error(fmt::format("data set '{}': empty path after ':'", spec));
  }
  if (r.name == "imagefolder" && r.path.empty()) {
    return Status::Error(
        "data set imagefolder needs a path: imagefolder:PATH (PATH/train/<class>/"
        "*.jpg and PATH/test/<class>/*.jpg)");
  }
  return r;
}

std::string DatasetNameForZoo(const std::string& zoo_dataset) {
  if (zoo_dataset == "fashion_mnist") return "fashion-mnist";
  if (zoo_dataset == "mnist" || zoo_dataset == "cifar10") return zoo_dataset;
  return "";
}

std::string DefaultDatasetPath(const std::string& name) {
  if (name == "fashion-mnist") return data::kDefaultFashionMnistDir;
  if (name == "mnist") return "/usr/share/datasets/mnist";
  if (name == "cifar10") {
    if (const char* env = std::getenv("TRITON_CIFAR10"); env && *env) return env;
    return TRITON_SHARED_DATA_DIR "/cifar10-jpeg.tar.gz";
  }
  return "";
}

Result<std::unique_ptr<data::InMemoryDataset>> LoadDataset(const DatasetRef& ref,
                                                           data::Split split) {
  const std::string path = ref.path.empty() ? DefaultDatasetPath(ref.name) : ref.path;
  if (!Exists(path)) {
    return Status::Error(
        fmt::format("data set {} not found at {}: {}", ref.name, path, HowToGet(ref.name)));
  }
  Result<data::InMemoryDataset> d = Status::Error("not loaded");
  if (ref.name == "fashion-mnist") {
    d = data::LoadFashionMnist(path, split);
  } else if (ref.name == "mnist") {
    d = data::LoadMnist(path, split);
  } else if (ref.name == "cifar10") {
    d = data::LoadCifar10Jpeg(path, split);
  } else {
    const std::string root = (std::filesystem::path(path) / SplitName(split)).string();
    if (!Exists(root)) {
      return Status::Error(fmt::format("data set imagefolder:{}: no {} folder ({} is missing)",
                                       path, SplitName(split), root));
    }
    d = data::LoadImageFolder(root, data::ImageFolderOptions{});
  }
  if (!d.ok()) return d.status();
  return std::make_unique<data::InMemoryDataset>(std::move(d).value());
}

data::ChannelStats StandardNormalization(const std::string& name, int channels) {
  if (name == "fashion-mnist") return data::FashionMnistStats();
  if (name == "mnist") return data::MnistStats();
  if (name == "cifar10") return data::Cifar10Stats();
  if (channels == 3) return data::ImageNetStats();
  return {};
}

std::string FormatFloats(const std::vector<float>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{}", i ? "," : "", v[i]);
  return out;
}

Result<data::ChannelStats> MetadataNormalization(const format::Metadata& meta, int channels,
                                                 const std::string& file) {
  auto mean = meta.extra.find(kMetaDataMean);
  auto stddev = meta.extra.find(kMetaDataStd);
  if (mean == meta.extra.end() && stddev == meta.extra.end()) return data::ChannelStats{};
  if (mean == meta.extra.end() || stddev == meta.extra.end()) {
    return Status::Error(
        fmt::format("{}: metadata has only one of {} and {}", file, kMetaDataMean, kMetaDataStd));
  }
  data::ChannelStats s;
  for (auto [it, out] : {std::pair{mean, &s.mean}, std::pair{stddev, &s.stddev}}) {
    Result<std::vector<float>> v = ParseFloats(it->second);
    if (!v.ok())
      return Status::Error(
          fmt::format("{}: metadata {}: {}", file, it->first, v.status().message()));
    if (static_cast<int>(v.value().size()) != channels) {
      return Status::Error(fmt::format("{}: metadata {} has {} values, the images have {} channels",
                                       file, it->first, v.value().size(), channels));
    }
    *out = std::move(v).value();
  }
  for (float x : s.stddev) {
    if (!(x > 0))
      return Status::Error(fmt::format("{}: metadata {} must be > 0", file, kMetaDataStd));
  }
  return s;
}

Result<std::vector<int64_t>> SampleDims(const ir::Module& m, data::ImageShape shape,
                                        const std::string& dataset) {
  if (m.inputs.size() != 1) {
    return Status::Error(fmt::format("model '{}' takes {} inputs; evaluation needs one image input",
                                     m.name, m.inputs.size()));
  }
  const ir::Value& in = m.value(m.inputs[0]);
  const std::vector<ir::Dim>& dims = in.type.dims;
  auto mismatch = [&] {
    return Status::Error(
        fmt::format("model '{}' takes input {} {}, but data set {} has {}x{}x{} "
                    "images (C x H x W)",
                    m.name, in.name, in.type.ToString(), dataset, shape.c, shape.h, shape.w));
  };
  if (!ir::IsFloat(in.type.dtype) || dims.size() < 2) return mismatch();
  std::vector<int64_t> rest;
  for (size_t i = 1; i < dims.size(); ++i) {
    if (!dims[i].is_static()) return mismatch();
    rest.push_back(dims[i].size);
  }
  if (rest == std::vector<int64_t>{shape.c, shape.h, shape.w}) return rest;
  if (rest == std::vector<int64_t>{shape.size()}) return rest;
  return mismatch();
}

Result<EvalResult> Evaluate(const Model& model, const data::ImageDataset& d,
                            const std::string& dataset, const EvalOptions& o) {
  const ir::Module& m = model.module;
  Result<std::vector<int64_t>> dims = SampleDims(m, d.shape(), dataset);
  if (!dims.ok()) return Status::Error(model.file + ": " + dims.status().message());
  if (m.outputs.empty()) return Status::Error(model.file + ": the model has no output");
  const ir::TensorType& out_type = m.type(m.outputs[0]);
  const int64_t num_classes = static_cast<int64_t>(d.classes().size());
  if (out_type.rank() != 2 || !out_type.dims[1].is_static() ||
      out_type.dims[1].size < num_classes) {
    return Status::Error(fmt::format("{}: model '{}' outputs {}, but data set {} has {} classes",
                                     model.file, m.name, out_type.ToString(), dataset,
                                     num_classes));
  }
  const int64_t logits_per_row = out_type.dims[1].size;
  if (o.batch < 1) return Status::Error("evaluation batch size must be >= 1");

  EvalResult r;
  r.model = m.name;
  r.file = model.file;
  r.dataset = dataset;
  r.split = SplitName(o.split);
  r.engine = model.engine();
  r.isa = std::string(IsaName(o.cpu.isa));
  r.threads = o.cpu.threads;
  r.act_quant = o.cpu.quantize_activations;
  r.classes = d.classes();
  Result<data::ChannelStats> meta_stats =
      MetadataNormalization(model.meta, d.shape().c, model.file);
  if (!meta_stats.ok()) return meta_stats.status();
  r.stats = meta_stats.value();
  r.normalization = "package";
  if (r.stats.mean.empty()) {
    r.stats = StandardNormalization(dataset, d.shape().c);
    r.normalization = r.stats.mean.empty() ? "none" : "standard";
  }

  data::LoaderOptions lo;
  lo.batch_size = o.batch;
  lo.shuffle = false;
  lo.mean = r.stats.mean;
  lo.stddev = r.stats.stddev;
  lo.prefetch = 2;
  Result<std::unique_ptr<data::Loader>> loader = data::Loader::Create(d, lo);
  if (!loader.ok()) return loader.status();
  const int64_t total = o.limit > 0 ? std::min(o.limit, d.size()) : d.size();
  r.class_samples.assign(num_classes, 0);
  r.class_correct.assign(num_classes, 0);
  r.confusion.assign(num_classes, std::vector<int64_t>(num_classes, 0));

  // One engine per batch size seen (the full batch and the last, smaller one): padding the last
  // batch would change the dynamic per-tensor int8 activation scales of the real samples.
  std::map<int64_t, std::unique_ptr<runtime::cpu::Engine>> engines;
  base::Timer timer;
  double engine_ms = 0;
  loader.value()->StartEpoch(0);
  data::Batch b;
  int64_t top1 = 0, top5 = 0;
  while (r.samples < total) {
    Result<bool> more = loader.value()->Next(&b);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    const int64_t n = std::min(b.size, total - r.samples);
    base::Timer t;
    ir::HostTensor x;
    x.shape = {b.size};
    x.shape.insert(x.shape.end(), dims.value().begin(), dims.value().end());
    x.data = std::move(b.images);
    auto& engine = engines[b.size];
    if (!engine) {
      Result<std::unique_ptr<runtime::cpu::Engine>> e = PrepareCpu(model, {x.type()}, o.cpu);
      if (!e.ok()) return e.status();
      engine = std::move(e).value();
    }
    Result<std::vector<ir::HostTensor>> out = engine->Run({x});
    if (!out.ok()) return Status::Error(model.file + ": " + out.status().message());
    engine_ms += t.ElapsedMs();
    const std::vector<float>& logits = out.value()[0].data;
    for (int64_t i = 0; i < n; ++i) {
      const float* row = logits.data() + i * logits_per_row;
      const int64_t label = b.labels[i];
      // Rank of the label: classes scoring strictly higher, plus equal ones with a lower index
      // (ties go to the lower class, as driver::TopK orders them).
      int64_t rank = 0, best = 0;
      for (int64_t c = 0; c < logits_per_row; ++c) {
        if (row[c] > row[label] || (row[c] == row[label] && c < label)) ++rank;
        if (row[c] > row[best]) best = c;
      }
      top1 += rank == 0;
      top5 += rank < 5;
      ++r.class_samples[label];
      r.class_correct[label] += rank == 0;
      if (best < num_classes) ++r.confusion[label][best];
    }
    r.samples += n;
    if (o.progress) o.progress(r.samples, total);
  }
  r.seconds = timer.ElapsedMs() / 1000.0;
  if (r.samples == 0) return Status::Error(fmt::format("data set {} has no samples", dataset));
  r.top1 = static_cast<double>(top1) / static_cast<double>(r.samples);
  r.top5 = static_cast<double>(top5) / static_cast<double>(r.samples);
  r.samples_per_s = engine_ms > 0 ? static_cast<double>(r.samples) / (engine_ms / 1000.0) : 0;
  return r;
}

Result<EvalResult> EvaluateFile(const std::string& path, const DatasetRef& ref,
                                const EvalOptions& o) {
  Result<Model> model = LoadModel(path);
  if (!model.ok()) return model.status();
  Result<std::unique_ptr<data::InMemoryDataset>> d = LoadDataset(ref, o.split);
  if (!d.ok()) return d.status();
  return Evaluate(model.value(), *d.value(), ref.name, o);
}

nlohmann::json EvalResultJson(const EvalResult& r) {
  nlohmann::json per_class = nlohmann::json::array();
  for (size_t c = 0; c < r.classes.size(); ++c) {
    per_class.push_back(
        {{"class", c},
         {"name", r.classes[c]},
         {"samples", r.class_samples[c]},
         {"correct", r.class_correct[c]},
         {"accuracy", r.class_samples[c] > 0 ? static_cast<double>(r.class_correct[c]) /
                                                   static_cast<double>(r.class_samples[c])
                                             : 0.0}});
  }
  return {{"model", r.model},
          {"file", r.file},
          {"dataset", r.dataset},
          {"split", r.split},
          {"engine", r.engine},
          {"kernels", r.isa},
          {"threads", r.threads},
          {"activations", r.act_quant ? "int8" : "fp32"},
          {"normalization",
           {{"source", r.normalization}, {"mean", r.stats.mean}, {"std", r.stats.stddev}}},
          {"samples", r.samples},
          {"top1", r.top1},
          {"top5", r.top5},
          {"per_class", per_class},
          {"confusion", r.confusion},
          {"seconds", r.seconds},
          {"samples_per_s", r.samples_per_s}};
}

std::string EvalResultText(const EvalResult& r) {
  std::string s = fmt::format(
      "{}: {} on {} {} ({} samples), {} engine, {} kernels, {} thread{}, {} activations\n"
      "top-1 {:.2f} %   top-5 {:.2f} %   ({:.0f} samples/s)\n",
      r.file, r.model, r.dataset, r.split, r.samples, r.engine, r.isa, r.threads,
      r.threads == 1 ? "" : "s", r.act_quant ? "int8" : "FP32", 100 * r.top1, 100 * r.top5,
      r.samples_per_s);
  size_t width = 5;
  for (const std::string& c : r.classes) width = std::max(width, c.size());
  s += "per class:\n";
  for (size_t c = 0; c < r.classes.size(); ++c) {
    const double acc = r.class_samples[c] > 0 ? 100.0 * static_cast<double>(r.class_correct[c]) /
                                                    static_cast<double>(r.class_samples[c])
                                              : 0.0;
    s += fmt::format("  {:>2} {:<{}} {:6.2f} %  ({}/{})\n", c, r.classes[c], width, acc,
                     r.class_correct[c], r.class_samples[c]);
  }
  return s;
}

}  // namespace triton::driver
