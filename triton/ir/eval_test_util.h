#pragma once
// Helpers for the reference evaluator's tests: tensor construction and running one op.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "triton/ir/eval.h"
#include "triton/ir/test_util.h"

namespace triton::ir::testing {

inline HostTensor Tensor(std::vector<int64_t> shape, std::vector<float> data,
                         DType dtype = DType::kFloat32) {
  HostTensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data = std::move(data);
  return t;
}

// A trit tensor with codes and (optional) scales along dim 0.
inline HostTensor Trits(std::vector<int64_t> shape, std::vector<float> codes,
                        std::vector<float> pos = {}, std::vector<float> neg = {}) {
  HostTensor t = Tensor(std::move(shape), std::move(codes), DType::kTrit);
  t.scale_pos = std::move(pos);
  t.scale_neg = std::move(neg);
  return t;
}

// 0, 1, 2, ... (times `step`) in the given shape.
inline HostTensor Iota(std::vector<int64_t> shape, float step = 1, float start = 0) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + step * static_cast<float>(i);
  return Tensor(std::move(shape), std::move(v));
}

inline Result<HostTensor> Run(OpKind k, const std::vector<HostTensor>& in, const Attrs& a = {}) {
  Op op;
  op.kind = k;
  op.attrs = a;
  std::vector<const HostTensor*> ptrs;
  for (const HostTensor& t : in) ptrs.push_back(&t);
  return EvalOp(op, ptrs);
}

// Runs an op that must succeed; a failed expectation and an empty tensor otherwise.
inline HostTensor RunOk(OpKind k, const std::vector<HostTensor>& in, const Attrs& a = {}) {
  Result<HostTensor> r = Run(k, in, a);
  if (!r.ok()) {
    ADD_FAILURE() << OpMnemonic(k) << ": " << r.status().message();
    return HostTensor{};
  }
  return std::move(r).value();
}

// The error message of an op that must fail.
inline std::string RunErr(OpKind k, const std::vector<HostTensor>& in, const Attrs& a = {}) {
  Result<HostTensor> r = Run(k, in, a);
  if (r.ok()) {
    ADD_FAILURE() << OpMnemonic(k) << " unexpectedly succeeded";
    return "";
  }
  return r.status().message();
}

// Shape equal and every element within `tol` (absolute); NaN matches NaN.
inline void ExpectTensor(const HostTensor& got, const std::vector<int64_t>& shape,
                         const std::vector<float>& want, double tol = 1e-6) {
  EXPECT_EQ(got.shape, shape);
  ASSERT_EQ(got.data.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got.data[i])) << "element " << i << " is " << got.data[i];
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got.data[i], want[i]) << "element " << i;
    } else {
      EXPECT_NEAR(got.data[i], want[i], tol) << "element " << i;
    }
  }
}

}  // namespace triton::ir::testing
