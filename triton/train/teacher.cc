#include "triton/train/teacher.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <fstream>
#include <iterator>

#include "triton/driver/eval.h"
#include "triton/format/package.h"
#include "triton/ir/printer.h"

namespace triton::train {

namespace {

// A module's first output type as IR text ("f32[N, 10]"), or "" when it has none.
std::string LogitsShape(const ir::Module& m) {
  if (m.outputs.empty()) return "";
  return m.type(m.outputs.front()).ToString();
}

}  // namespace

Result<InputPackage> ReadInputPackage(const std::string& flag, const std::string& path,
                                      const std::string& dataset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(fmt::format("{} {}: cannot open the file", flag, path));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<format::Package> pkg = format::ParsePackage(
      std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), path);
  if (!pkg.ok()) return Status::Error(flag + ": " + pkg.status().message());
  const format::Package& p = pkg.value();
  auto data = p.meta.extra.find(driver::kMetaDataName);
  if (data != p.meta.extra.end() && data->second != dataset) {
    return Status::Error(fmt::format(
        "{} {}: it was trained on {}, this run trains on {} (the inputs would be normalized "
        "differently)",
        flag, path, data->second, dataset));
  }
  Result<ir::Module> m = ir::ParseModule(p.ir_text, path + " (IR)");
  if (!m.ok()) return Status::Error(flag + ": " + m.status().message());
  InputPackage out{std::move(pkg).value(), std::move(m).value(),
                   fmt::format("{:016x}", XXH3_64bits(bytes.data(), bytes.size()))};
  return out;
}

Result<Teacher> LoadTeacher(const std::string& path, const ir::Module& student,
                            const std::string& dataset, data::ImageShape shape,
                            const std::vector<int64_t>& dims, torch::Device device) {
  Result<InputPackage> in = ReadInputPackage("--teacher", path, dataset);
  if (!in.ok()) return in.status();
  const format::Package& p = in.value().package;
  const ir::Module& tm = in.value().module;
  if (tm.inputs.size() != 1) {
    return Status::Error(fmt::format("--teacher {}: a teacher takes one input", path));
  }
  Result<std::vector<int64_t>> tdims = driver::SampleDims(tm, shape, dataset);
  if (!tdims.ok())
    return Status::Error(fmt::format("--teacher {}: {}", path, tdims.status().message()));
  if (tdims.value() != dims) {
    return Status::Error(fmt::format("--teacher {}: its input is {}, the student's is {}", path,
                                     tm.type(tm.inputs.front()).ToString(),
                                     student.type(student.inputs.front()).ToString()));
  }
  const std::string to = LogitsShape(tm), so = LogitsShape(student);
  if (to.empty() || tm.type(tm.outputs.front()).rank() != 2 ||
      !(tm.type(tm.outputs.front()).dims.back() ==
        student.type(student.outputs.front()).dims.back())) {
    return Status::Error(fmt::format("--teacher {}: it outputs {}, the student {}", path,
                                     to.empty() ? "nothing" : to, so));
  }
  QatOptions qo;
  qo.device = device;
  Result<std::unique_ptr<QatModel>> qm = QatModel::Create(tm, p, qo);
  if (!qm.ok()) return Status::Error(fmt::format("--teacher {}: {}", path, qm.status().message()));
  Teacher t;
  t.model = std::move(qm).value();
  t.model->set_quantize(false);
  t.content_hash = in.value().content_hash;
  return t;
}

}  // namespace triton::train
