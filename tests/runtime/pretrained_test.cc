// The committed pretrained packages (models/pretrained/*.tnn) re-evaluated on their data set's
// full test split by the runtime (driver::EvaluateFile, what `triton eval` runs): the top-1
// accuracy must equal the one their metadata records (`train.accuracy`, measured by the same
// evaluation at export) within 0.1 point, and the package must say how it was made (data set,
// recipe, the exact command). A package whose data set is not installed is skipped (and listed);
// the test skips only when no package could be measured (scripts/setup.sh installs
// Fashion-MNIST).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "triton/driver/eval.h"
#include "triton/driver/run.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton {
namespace {

std::vector<std::string> Packages() {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::string(TRITON_SOURCE_DIR) + "/models/pretrained";
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".tnn") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Pretrained, ThereIsAtLeastOne) { EXPECT_FALSE(Packages().empty()); }

TEST(Pretrained, AccuracyReproducesItsMetadata) {
  // Data sets that are not installed: their packages are skipped, the others still checked.
  std::vector<std::string> missing;
  int measured = 0;
  for (const std::string& path : Packages()) {
    SCOPED_TRACE(path);
    EXPECT_LT(std::filesystem::file_size(path), 5u << 20) << "pretrained packages stay < 5 MB";
    Result<driver::Model> model = driver::LoadModel(path);
    ASSERT_TRUE(model.ok()) << model.status().message();
    const auto& extra = model.value().meta.extra;
    for (const char* key : {driver::kMetaDataName, driver::kMetaTrainAccuracy,
                            driver::kMetaTrainRecipe, driver::kMetaTrainCommand}) {
      ASSERT_TRUE(extra.count(key)) << "metadata lacks " << key;
    }
    const double recorded = std::stod(extra.at(driver::kMetaTrainAccuracy));
    Result<driver::DatasetRef> ref = driver::ParseDatasetRef(extra.at(driver::kMetaDataName));
    ASSERT_TRUE(ref.ok()) << ref.status().message();
    const std::string where = driver::DefaultDatasetPath(ref.value().name);
    if (!std::filesystem::exists(where)) {
      missing.push_back(path + ": " + ref.value().name + " is not installed at " + where);
      continue;
    }
    driver::EvalOptions o;
    Result<driver::CpuOptions> cpu = driver::DefaultCpuOptions();
    ASSERT_TRUE(cpu.ok()) << cpu.status().message();
    o.cpu = cpu.value();
    Result<driver::EvalResult> r = driver::EvaluateFile(path, ref.value(), o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_GE(r.value().samples, 10000);
    EXPECT_NEAR(r.value().top1, recorded, 0.001)
        << "measured " << r.value().top1 << ", metadata " << recorded;
    std::printf("%s: top-1 %.4f on %lld %s test images (metadata %.4f)\n", path.c_str(),
                r.value().top1, static_cast<long long>(r.value().samples), ref.value().name.c_str(),
                recorded);
    ++measured;
  }
  for (const std::string& m : missing) std::printf("skipped %s\n", m.c_str());
  if (measured == 0 && !missing.empty()) {
    GTEST_SKIP() << "no package's data set is installed (scripts/setup.sh installs "
                    "Fashion-MNIST): "
                 << missing.front();
  }
}

}  // namespace
}  // namespace triton
