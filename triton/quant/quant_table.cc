// quant_table: prints the Markdown table of docs/quantization.md ("Measured errors"): every
// ternarization method, per channel and per tensor, on a 256 x 1152 weight drawn from N(0, 1)
// with NormalDraw(seed 2024) (counter-based, so the data is the same on every platform).
//   cmake --build build/dev --target quant_table && build/dev/triton/quant/quant_table
#include <cstdio>
#include <string>
#include <vector>

#include "triton/quant/random.h"
#include "triton/quant/ternary.h"

namespace {

using triton::quant::Method;
using triton::quant::TernaryOptions;
using triton::quant::TernaryReport;

struct Row {
  Method method;
  std::string setting;
  double factor;
  double target_sparsity;
};

}  // namespace

int main() {
  constexpr int64_t kRows = 256, kCols = 1152;
  std::vector<float> w(kRows * kCols);
  for (size_t i = 0; i < w.size(); ++i) {
    w[i] = static_cast<float>(triton::quant::NormalDraw(2024, i));
  }
  const Row rows[] = {
      {Method::kTwn, "factor 0.7 (TWN)", 0.7, -1},
      {Method::kThreshold, "factor 0.05 (TTQ's t)", 0.05, -1},
      {Method::kThreshold, "factor 0.2", 0.2, -1},
      {Method::kStochastic, "seed 0", 0, -1},
      {Method::kLearned, "t = 0.05, initial Wp/Wn", 0.05, -1},
      {Method::kAbsmean, "", 0, -1},
      {Method::kTwn, "target sparsity 0.3", 0, 0.3},
      {Method::kTwn, "target sparsity 0.5", 0, 0.5},
      {Method::kTwn, "target sparsity 0.9", 0, 0.9},
      {Method::kLearned, "target sparsity 0.5", 0, 0.5},
  };
  std::printf(
      "| method | setting | per channel: sparsity | rel. error | mean scale "
      "| per tensor: sparsity | rel. error | mean scale |\n");
  std::printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const Row& row : rows) {
    std::printf("| %s | %s", triton::quant::MethodName(row.method), row.setting.c_str());
    for (bool per_channel : {true, false}) {
      TernaryOptions o;
      o.method = row.method;
      o.per_channel = per_channel;
      o.threshold_factor = row.factor;
      o.target_sparsity = row.target_sparsity;
      TernaryReport r;
      auto t = triton::quant::Ternarize(w, {kRows, kCols}, o, &r);
      if (!t.ok()) {
        std::fprintf(stderr, "quant_table: %s\n", t.status().message().c_str());
        return 1;
      }
      std::printf(" | %.4f | %.4f | %.4f", r.sparsity, r.relative_error, r.mean_scale);
    }
    std::printf(" |\n");
  }
  return 0;
}
