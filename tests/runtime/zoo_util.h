#pragma once
// Shared by the runtime end-to-end tests: compiling a zoo model and making its packages.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "triton/driver/compile.h"
#include "triton/driver/weights.h"
#include "triton/format/package.h"
#include "triton/ir/module.h"

#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton::testing {

inline std::string ModelPath(const std::string& file) {
  return std::string(TRITON_SOURCE_DIR) + "/models/" + file;
}

// Compiles model `name` of models/<file>; fails the test (and returns nullopt) on an error.
// `opt_level` < 0: the default -O level (what `triton compile -o` packages).
inline std::optional<ir::Module> CompileZooModel(const std::string& file, const std::string& name,
                                                 std::string* source_hash = nullptr,
                                                 int opt_level = -1) {
  driver::CompileOptions o;
  o.model = name;
  if (opt_level >= 0) o.opt_level = opt_level;
  driver::FileCompileResult r = driver::CompileFile(ModelPath(file), o);
  if (!r.read_error.empty() || !r.ok() || !r.module) {
    ADD_FAILURE() << "compiling " << file << " --model " << name << ": " << r.read_error
                  << r.diags->RenderText(false);
    return std::nullopt;
  }
  if (source_hash) *source_hash = r.source_hash;
  return r.module.Take();
}

// The initial FP32 package of `m` (seeded), and its TWN-ternarized version.
inline format::Package Fp32Package(const ir::Module& m, uint64_t seed = 1) {
  return driver::InitialPackage(m, seed, "test");
}

inline format::Package TernaryPackage(const ir::Module& m, uint64_t seed = 1) {
  format::Package p = driver::InitialPackage(m, seed, "test");
  driver::QuantizeOptions o;
  o.method = "twn";
  Status st = driver::QuantizePackage(p, o, nullptr);
  EXPECT_TRUE(st.ok()) << st.message();
  return p;
}

}  // namespace triton::testing
