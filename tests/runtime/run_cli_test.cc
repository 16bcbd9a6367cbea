// `triton compile -o` -> `triton quantize` -> `triton run` through the binary: outputs, JSON
// records, .npy input and output, and exit code 1 with a clear message for a wrong input shape or
// dtype and for a missing or corrupt package.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli_util.h"
#include "triton/runtime/npy.h"

#ifndef TRITON_BINARY
#define TRITON_BINARY "triton"
#endif
#ifndef TRITON_SOURCE_DIR
#define TRITON_SOURCE_DIR "."
#endif

namespace triton {
namespace {

using Output = triton::testing::CliOutput;

// Runs the triton binary with `args` (already shell-quoted where needed).
Output Triton(const std::string& args, const std::string& dir) {
  return triton::testing::RunCli(TRITON_BINARY, args, dir + "/stderr.txt");
}

class RunCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(
        (std::filesystem::temp_directory_path() / ("triton_run_cli_" + std::to_string(::getpid())))
            .string());
    std::filesystem::create_directories(*dir_);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Path(const std::string& name) { return *dir_ + "/" + name; }
  static Output Run(const std::string& args) { return Triton(args, *dir_); }
  // Compiles mnist_mlp into fp32.tnn (and ternary.tnn) once.
  static void Packages() {
    if (std::filesystem::exists(Path("ternary.tnn"))) return;
    Output c = Run("compile " + std::string(TRITON_SOURCE_DIR) + "/models/mnist_mlp.tri -o " +
                   Path("fp32.tnn") + " --seed 7");
    ASSERT_EQ(c.code, 0) << c.err;
    Output q = Run("quantize " + Path("fp32.tnn") + " -o " + Path("ternary.tnn") + " --method twn");
    ASSERT_EQ(q.code, 0) << q.err;
  }
  static std::string* dir_;
};
std::string* RunCli::dir_ = nullptr;

TEST_F(RunCli, RandomInputPrintsTopK) {
  Packages();
  Output r = Run("run " + Path("fp32.tnn") + " --random --batch 2 --top 3 --kernels reference");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("mnist_mlp: FP32 engine, reference kernels, batch 2"), std::string::npos)
      << r.out;
  // The optimized engine (the default) at the reference ISA level on one thread gives the same
  // top-3 for this FP32 model.
  Output o = Run("run " + Path("fp32.tnn") +
                 " --random --batch 2 --top 3 --isa reference "
                 "--threads 1");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("mnist_mlp: FP32 engine, reference kernels, 1 thread, batch 2"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.substr(o.out.find("output 0")), r.out.substr(r.out.find("output 0")));
  Output bad = Run("run " + Path("fp32.tnn") + " --isa sse9");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("unknown ISA level 'sse9'"), std::string::npos) << bad.err;
  EXPECT_NE(r.out.find("output 0 f32[2, 10]: top 3 classes per sample, scores = softmax of the "
                       "logits"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  sample 1:"), std::string::npos) << r.out;
  Output t = Run("run " + Path("ternary.tnn") + " --top 2");
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("ternary engine"), std::string::npos) << t.out;
}

TEST_F(RunCli, JsonRecordsAndNpyRoundTrip) {
  Packages();
  // Input from a file; outputs written as .npy; --json records agree with the file.
  ir::HostTensor x;
  x.shape = {3, 784};
  for (int i = 0; i < 3 * 784; ++i)
    x.data.push_back(static_cast<float>((i * 37) % 101) / 50.0f - 1);
  ASSERT_TRUE(runtime::WriteNpy(Path("x.npy"), x).ok());
  Output r = Run("run " + Path("ternary.tnn") + " --input " + Path("x.npy") + " --output " +
                 Path("y.npy") + " --json --top 10");
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model"], "mnist_mlp");
  EXPECT_EQ(j["engine"], "ternary");
  EXPECT_EQ(j["batch"], 3);
  EXPECT_EQ(j["scores"], "softmax of the logits");
  ASSERT_EQ(j["records"].size(), 3u);
  Result<ir::HostTensor> y = runtime::ReadNpy(Path("y.npy"));
  ASSERT_TRUE(y.ok()) << y.status().message();
  EXPECT_EQ(y.value().shape, (std::vector<int64_t>{3, 10}));
  for (size_t n = 0; n < 3; ++n) {
    const auto& top = j["records"][n]["top"];
    ASSERT_EQ(top.size(), 10u);
    double sum = 0;
    for (const auto& e : top) sum += e["score"].get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-9);
    const float* row = y.value().data.data() + n * 10;
    const int64_t best = top[0]["class"].get<int64_t>();
    EXPECT_EQ(top[0]["logit"].get<float>(), row[best]);
    for (int c = 0; c < 10; ++c) EXPECT_LE(row[c], row[best]);
  }
  // The same input twice gives the same output (deterministic).
  Output again = Run("run " + Path("ternary.tnn") + " --input " + Path("x.npy") + " --output " +
                     Path("y2.npy") + " --top 0");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(runtime::ReadNpy(Path("y2.npy")).value().data, y.value().data);
}

TEST_F(RunCli, WrongInputShapeOrDtypeExitsOne) {
  Packages();
  ir::HostTensor x;
  x.shape = {1, 3, 32, 32};
  x.data.assign(3 * 32 * 32, 0.0f);
  ASSERT_TRUE(runtime::WriteNpy(Path("img.npy"), x).ok());
  Output r = Run("run " + Path("fp32.tnn") + " --input " + Path("img.npy"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "triton: error: " + Path("img.npy") +
                       ": input 'x' must be f32[N, 784], got f32[1, 3, 32, 32] (rank 4 instead "
                       "of 2)\n");
  // int64 data for a float input.
  std::string ints = "\x93NUMPY\x01";
  ints += '\0';
  std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 784), }\n";
  ints += static_cast<char>(header.size());
  ints += '\0';
  ints += header + std::string(8 * 784, '\0');
  std::ofstream(Path("ints.npy"), std::ios::binary) << ints;
  r = Run("run " + Path("fp32.tnn") + " --input " + Path("ints.npy"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "triton: error: " + Path("ints.npy") +
                       ": input 'x' must be f32[N, 784] (float data), got '<i8' data; convert "
                       "it with .astype(numpy.float32)\n");
  ir::HostTensor three;
  three.shape = {3, 784};
  three.data.assign(3 * 784, 0.25f);
  ASSERT_TRUE(runtime::WriteNpy(Path("three.npy"), three).ok());
  r = Run("run " + Path("fp32.tnn") + " --input " + Path("three.npy") + " --batch 2");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--batch 2 does not match"), std::string::npos) << r.err;
  r = Run("run " + Path("fp32.tnn") + " --input " + Path("missing.npy"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(Path("missing.npy")), std::string::npos) << r.err;
}

TEST_F(RunCli, MissingOrCorruptPackageExitsOne) {
  Packages();
  Output r = Run("run " + Path("nothing.tnn"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("triton: error: " + Path("nothing.tnn") + ": ", 0), 0u) << r.err;
  std::ifstream in(Path("fp32.tnn"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes[bytes.size() / 2] ^= 0x5a;  // caught by the checksum
  std::ofstream(Path("corrupt.tnn"), std::ios::binary) << bytes;
  r = Run("run " + Path("corrupt.tnn"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("triton: error: " + Path("corrupt.tnn") + ": ", 0), 0u) << r.err;
  std::ofstream(Path("short.tnn"), std::ios::binary) << bytes.substr(0, 100);
  r = Run("run " + Path("short.tnn"));
  EXPECT_EQ(r.code, 1);
  // Usage errors exit 2.
  EXPECT_EQ(Run("run " + Path("fp32.tnn") + " --random --input " + Path("x.npy")).code, 2);
  EXPECT_EQ(Run("run " + Path("fp32.tnn") + " --batch 0").code, 2);
}

TEST_F(RunCli, QuantizeRejectsSparsityOutsideTheOpenInterval) {
  Packages();
  for (const char* s : {"0", "1", "-0.5", "1.5", "abc"}) {
    Output r = Run("quantize " + Path("fp32.tnn") + " -o " + Path("q.tnn") + " --sparsity " + s);
    EXPECT_EQ(r.code, 2) << s;
    EXPECT_NE(r.err.find("strictly between 0 and 1"), std::string::npos) << r.err;
  }
  Output ok = Run("quantize " + Path("fp32.tnn") + " -o " + Path("q.tnn") + " --sparsity 0.5");
  EXPECT_EQ(ok.code, 0) << ok.err;
  Output info = Run("info " + Path("q.tnn") + " --json");
  ASSERT_EQ(info.code, 0) << info.err;
  EXPECT_NEAR(nlohmann::json::parse(info.out)["ternary_sparsity"].get<double>(), 0.5, 0.01);
}

// Re-encoding an already ternary package changes only the storage; its recorded quantization
// keeps the method and names the new encoding.
TEST_F(RunCli, QuantizeReencodesTernaryPackages) {
  Packages();
  auto quantization = [](const Output& info) {
    return nlohmann::json::parse(info.out)["quantization"].get<std::string>();
  };
  Output b3 = Run("quantize " + Path("ternary.tnn") + " -o " + Path("b3.tnn") + " --format base3");
  ASSERT_EQ(b3.code, 0) << b3.err;
  Output i3 = Run("info " + Path("b3.tnn") + " --json");
  ASSERT_EQ(i3.code, 0) << i3.err;
  EXPECT_EQ(quantization(i3), "twn per-channel base3");
  Output b2 = Run("quantize " + Path("b3.tnn") + " -o " + Path("b2.tnn") + " --format 2bit");
  ASSERT_EQ(b2.code, 0) << b2.err;
  Output i2 = Run("info " + Path("b2.tnn") + " --json");
  ASSERT_EQ(i2.code, 0) << i2.err;
  EXPECT_EQ(quantization(i2), "twn per-channel 2bit");
}

}  // namespace
}  // namespace triton
