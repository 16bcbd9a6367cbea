#include "tests/torch/torch_test_util.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>

namespace triton::torch_ops::testing {
namespace {

struct Worst {
  double error = 0;
  int cases = 0;
};

std::map<std::string, Worst>& Errors() {
  static std::map<std::string, Worst> errors;
  return errors;
}

// One thread in libtorch for deterministic results; the error table at exit.
class TorchEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { torch::set_num_threads(1); }
  void TearDown() override {
    if (Errors().empty()) return;
    std::printf("\nmax |eval - torch| / max |torch| per op (bound %g):\n", kTolerance);
    for (const auto& [op, w] : Errors()) {
      std::printf("  %-20s %10.3g  (%d cases)\n", op.c_str(), w.error, w.cases);
    }
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new TorchEnvironment);

HostTensor Make(std::vector<int64_t> shape, DType dtype) {
  HostTensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(static_cast<size_t>(t.num_elements()));
  return t;
}

}  // namespace

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Rng::Uniform(double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

double Rng::Normal() {
  const double u1 = 1.0 - Uniform(0, 1), u2 = Uniform(0, 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

HostTensor Fixed(std::vector<int64_t> shape, std::vector<float> data) {
  HostTensor t = Make(std::move(shape), DType::kFloat32);
  t.data = std::move(data);
  return t;
}

HostTensor Uniform(Rng& rng, std::vector<int64_t> shape, double lo, double hi, DType dtype) {
  HostTensor t = Make(std::move(shape), dtype);
  for (float& v : t.data) {
    v = static_cast<float>(rng.Uniform(lo, hi));
    if (dtype == DType::kFloat16) v = static_cast<float>(c10::Half(v));
    if (dtype == DType::kBFloat16) v = static_cast<float>(c10::BFloat16(v));
  }
  return t;
}

HostTensor Normal(Rng& rng, std::vector<int64_t> shape, double stddev) {
  HostTensor t = Make(std::move(shape), DType::kFloat32);
  for (float& v : t.data) v = static_cast<float>(stddev * rng.Normal());
  return t;
}

HostTensor RandomInts(Rng& rng, std::vector<int64_t> shape, int lo, int hi, DType dtype) {
  HostTensor t = Make(std::move(shape), dtype);
  for (float& v : t.data) v = static_cast<float>(std::floor(rng.Uniform(lo, hi + 1)));
  return t;
}

HostTensor RandomTrits(Rng& rng, std::vector<int64_t> shape, bool per_channel, bool ttq) {
  HostTensor t = RandomInts(rng, std::move(shape), -1, 1, DType::kTrit);
  const size_t n = per_channel && !t.shape.empty() ? static_cast<size_t>(t.shape[0]) : 1;
  for (size_t c = 0; c < n; ++c) {
    t.scale_pos.push_back(static_cast<float>(rng.Uniform(0.05, 1.5)));
    t.scale_neg.push_back(ttq ? static_cast<float>(rng.Uniform(0.05, 1.5)) : t.scale_pos.back());
  }
  return t;
}

double Agree(K k, const std::vector<HostTensor>& inputs, const ir::Attrs& attrs, double tol) {
  ir::Op op;
  op.kind = k;
  op.attrs = attrs;
  std::vector<const HostTensor*> ptrs;
  std::vector<torch::Tensor> tensors;
  std::vector<ir::TensorType> types;
  std::string what = ir::OpMnemonic(k);
  for (const HostTensor& t : inputs) {
    ptrs.push_back(&t);
    tensors.push_back(ToTorch(t));
    types.push_back(t.type());
    what += " " + t.type().ToString();
  }
  for (const auto& [name, value] : attrs.items())
    what += " " + name + "=" + ir::AttrToString(value);
  SCOPED_TRACE(what);
  Result<HostTensor> r = ir::EvalOp(op, ptrs);
  if (!r.ok()) {
    ADD_FAILURE() << "evaluator: " << r.status().message();
    return INFINITY;
  }
  const HostTensor& got = r.value();
  const torch::Tensor want = RunOp(op, tensors, types);
  EXPECT_EQ(TorchDType(got.dtype), want.scalar_type());
  EXPECT_EQ(got.shape, want.sizes().vec());
  if (got.shape != want.sizes().vec()) return INFINITY;
  const std::vector<float> g = ir::Dequantized(got);
  const torch::Tensor w = want.to(torch::kDouble).contiguous().reshape({-1});
  const double* e = w.data_ptr<double>();
  double max_abs = 0, max_err = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    if (std::isnan(e[i]) || std::isnan(g[i])) {
      EXPECT_TRUE(std::isnan(e[i]) && std::isnan(g[i]))
          << "element " << i << ": " << g[i] << " vs " << e[i];
      continue;
    }
    if (std::isinf(e[i]) || std::isinf(g[i])) {
      EXPECT_EQ(g[i], e[i]) << "element " << i;
      continue;
    }
    max_abs = std::max(max_abs, std::fabs(e[i]));
    max_err = std::max(max_err, std::fabs(g[i] - e[i]));
  }
  const double rel = max_err / (max_abs > 0 ? max_abs : 1.0);
  EXPECT_LE(rel, tol) << "max error " << max_err << " of max |value| " << max_abs;
  Worst& worst = Errors()[ir::OpMnemonic(k)];
  worst.error = std::max(worst.error, rel);
  ++worst.cases;
  return rel;
}

}  // namespace triton::torch_ops::testing
