// driver::TrainRunRecord: `triton train --json` results read robustly (missing fields are null,
// options from log.json or the command line, the FP32 baseline recognized).
#include "triton/driver/bench_accuracy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace triton::driver {
namespace {

using nlohmann::json;

TEST(TrainRunRecord, TernaryRunWithOptionsFromLogJson) {
  json train = json::parse(R"({
    "epochs": [{"epoch": 1, "test_acc": 0.85}, {"epoch": 2, "test_acc": 0.88},
               {"epoch": 3, "test_acc": 0.87}],
    "fp32_acc": 0.9, "ternary_acc": 0.87, "ternary_acc_fp32_act": 0.871, "torch_test_acc": 0.872,
    "seconds": 12.5, "interrupted": false, "model": "mnist_mlp",
    "recipe": {"epochs": 3}, "command": "triton train --model mnist_mlp --device cuda --json"})");
  json log_options = {{"data", "fashion-mnist"}, {"qat", {{"method", "learned"}}}, {"seed", 4}};
  Result<json> r = TrainRunRecord("runs/a/train.json", train, log_options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const json& j = r.value();
  EXPECT_EQ(j["model"], "mnist_mlp");
  EXPECT_EQ(j["dataset"], "fashion-mnist");
  EXPECT_EQ(j["method"], "learned");
  EXPECT_EQ(j["kind"], "ternary");
  EXPECT_EQ(j["accuracy"], 0.87);
  EXPECT_EQ(j["final_test_acc"], 0.87);
  EXPECT_EQ(j["best_test_acc"], 0.88);
  EXPECT_EQ(j["epochs"], 3);
  EXPECT_EQ(j["planned_epochs"], 3);
  EXPECT_EQ(j["device"], "cuda");
  EXPECT_EQ(j["seed"], 4);
}

TEST(TrainRunRecord, Fp32BaselineFromTheCommandAndNullAccuracies) {
  // --no-export-eval: the runtime measured nothing; no options anywhere but the command.
  json train = json::parse(R"({
    "epochs": [], "fp32_acc": null, "ternary_acc": null, "torch_test_acc": 0.89,
    "command": "triton train --model mnist_mlp --data fashion_mnist:/x --method none"})");
  Result<json> r = TrainRunRecord("t.json", train, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const json& j = r.value();
  EXPECT_EQ(j["dataset"], "fashion-mnist");
  EXPECT_EQ(j["method"], "none");
  EXPECT_EQ(j["kind"], "fp32");
  EXPECT_TRUE(j["accuracy"].is_null());
  EXPECT_TRUE(j["final_test_acc"].is_null());
  EXPECT_TRUE(j["seconds"].is_null());
  EXPECT_EQ(j["torch_test_acc"], 0.89);
  EXPECT_EQ(j["device"], "cpu");
  EXPECT_FALSE(j["interrupted"].get<bool>());
}

TEST(TrainRunRecord, RejectsWhatIsNotATrainingResult) {
  Result<json> a = TrainRunRecord("x.json", json::array(), nullptr);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "x.json: not a JSON object");
  Result<json> b = TrainRunRecord("log.json", json{{"command", "c"}}, nullptr);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("log.json: not a `triton train --json` result"),
            std::string::npos);
}

}  // namespace
}  // namespace triton::driver
