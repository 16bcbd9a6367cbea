// The elaborator's instance memo (lang/check/instance_memo.h) through the driver: a module built
// with replayed constructions, parameter lists and forward fragments is the module built by
// interpreting every call - for every zoo model, within one compile and across compiles of one
// process, after edits, when code looks inside a replayed instance, and when the real call
// would have reported an error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "triton/base/temp_dir.h"
#include "triton/driver/compile.h"
#include "triton/driver/zoo.h"
#include "triton/ir/printer.h"

namespace triton::driver {
namespace {

namespace fs = std::filesystem;
using lang::check::InstanceMemo;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The printed module, or the rendered diagnostics when there is no module.
std::string Outcome(const CompileResult& r) {
  std::string out = r.diags->RenderText();
  if (r.module) out += ir::Print(*r.module);
  return out;
}

CompileResult Compile(const std::string& name, const std::string& text, const std::string& model,
                      std::shared_ptr<InstanceMemo> memo, bool off = false, int opt_level = 2,
                      std::shared_ptr<OptimizedMemo> optimized = nullptr) {
  CompileOptions o;
  o.model = model;
  o.opt_level = opt_level;
  o.memo = std::move(memo);
  o.memo_off = off;
  o.optimized = std::move(optimized);
  return CompileSource(name, text, o);
}

TEST(InstanceMemo, EveryZooModelBuildsTheSameModuleWithReplays) {
  auto shared = std::make_shared<InstanceMemo>();
  for (const ZooEntry& z : ZooModels()) {
    const std::string path = ZooModelsDir() + "/" + std::string(z.file);
    const std::string text = Read(path);
    const std::string model(z.name);
    for (int level : {0, 2}) {
      SCOPED_TRACE(model + " -O" + std::to_string(level));
      CompileResult plain = Compile(path, text, model, nullptr, /*off=*/true, level);
      ASSERT_TRUE(plain.module) << plain.diags->RenderText();
      EXPECT_EQ(plain.memo.construction_hits + plain.memo.fragment_hits, 0);
      CompileResult own = Compile(path, text, model, nullptr, false, level);
      Compile(path, text, model, shared, false, level);
      CompileResult warm = Compile(path, text, model, shared, false, level);
      EXPECT_EQ(Outcome(own), Outcome(plain));
      EXPECT_EQ(Outcome(warm), Outcome(plain));
      // The second compile with a shared memo replays the model's top-level layer's instances.
      EXPECT_GT(warm.memo.construction_hits, 0);
      EXPECT_GT(warm.memo.fragment_hits + warm.memo.param_replays, 0);
    }
  }
  // Within one compile: ResNet-50 builds 12 of its 16 bottlenecks as an earlier one.
  const std::string resnet = ZooModelsDir() + "/resnet.tri";
  CompileResult r50 = Compile(resnet, Read(resnet), "resnet50", nullptr);
  EXPECT_GE(r50.memo.construction_hits, 12);
  EXPECT_GE(r50.memo.fragment_hits, 12);
}

TEST(InstanceMemo, EditsOfTheTopLevelLayerReplayTheInstancesItBuilds) {
  base::TempDir dir("triton-memo-test");
  for (const char* f : {"resnet.tri", "common.tri"}) {
    fs::copy_file(ZooModelsDir() + "/" + f, dir.path() + "/" + f);
  }
  const std::string path = dir.path() + "/resnet.tri";
  const std::string original = Read(path);
  auto shared = std::make_shared<InstanceMemo>();
  auto optimized = std::make_shared<OptimizedMemo>();
  ASSERT_TRUE(Compile(path, original, "resnet50", shared, false, 2, optimized).module);
  const size_t brace = original.find('{', original.find("layer ResNet(")) + 1;
  struct Edit {
    const char* what;
    std::string text;
    bool same_module;  // the edit builds the module the original builds
  };
  std::vector<Edit> edits = {
      {"a statement", std::string(original).insert(brace, "\n  let _edit = 1"), true},
      {"a comment and a blank line", std::string(original).insert(brace, "\n  # edit\n"), true},
      {"the classifier's width",
       [&] {
         std::string t = original;
         t.replace(t.find("num_classes: int = 1000"), 23, "num_classes: int = 10");
         return t;
       }(),
       false},
      {"the stem",
       [&] {
         std::string t = original;
         t.replace(t.find("maxpool2d(out, 3, stride=2, padding=1)"), 38,
                   "avgpool2d(out, 3, stride=2, padding=1)");
         return t;
       }(),
       false}};
  for (const Edit& e : edits) {
    SCOPED_TRACE(e.what);
    Write(path, e.text);
    CompileResult warm = Compile(path, e.text, "resnet50", shared, false, 2, optimized);
    CompileResult plain = Compile(path, e.text, "resnet50", nullptr, /*off=*/true);
    ASSERT_TRUE(plain.module) << plain.diags->RenderText();
    EXPECT_EQ(Outcome(warm), Outcome(plain));
    // Passes run only for a module not seen before.
    EXPECT_EQ(warm.optimized_reused, e.same_module);
    // Only ResNet's own code ran: its four stages, stem and classifier were replayed.
    EXPECT_GE(warm.memo.construction_hits, 6);
    EXPECT_GE(warm.memo.fragment_hits, 4);
  }
  // An edit of the bottleneck (in the imported file) reaches every instance built from it.
  std::string common = Read(dir.path() + "/common.tri");
  common.replace(common.find("let bn3 = BatchNorm2d(out_planes)"), 33,
                 "let bn3 = BatchNorm2d(out_planes, eps=0.001)");
  Write(dir.path() + "/common.tri", common);
  Write(path, original);
  CompileResult warm = Compile(path, original, "resnet50", shared);
  CompileResult plain = Compile(path, original, "resnet50", nullptr, /*off=*/true);
  ASSERT_TRUE(plain.module) << plain.diags->RenderText();
  EXPECT_EQ(Outcome(warm), Outcome(plain));
}

// Code that names a member of a replayed instance gets it built for real, with the parameters
// its replay created.
TEST(InstanceMemo, LookingInsideAReplayedInstanceBuildsIt) {
  const std::string text = R"(
layer Block(c: int) {
  let conv = Conv2d(c, c, 3, padding=1, bias=false)
  let bn = BatchNorm2d(c)
  fn forward(x: Tensor) -> Tensor {
    return relu(bn(conv(x)))
  }
}
layer Net() {
  let a = Block(8)
  let b = Block(8)
  let c = Block(8)
  fn forward(x: Tensor[N, 8, 16, 16]) -> Tensor {
    let y = c(b(a(x)))
    return y + conv2d(y, b.conv.weight, none, padding=1) * c.bn.eps
  }
}
model net = Net()
)";
  auto shared = std::make_shared<InstanceMemo>();
  CompileResult plain = Compile("net.tri", text, "net", nullptr, /*off=*/true);
  ASSERT_TRUE(plain.module) << plain.diags->RenderText();
  for (int round = 0; round < 2; ++round) {
    CompileResult r = Compile("net.tri", text, "net", shared);
    EXPECT_EQ(Outcome(r), Outcome(plain)) << "round " << round;
    EXPECT_GE(r.memo.realized, 1) << "round " << round;
  }
}

// Where the real call reports an error, the memo must not hide it or move it.
TEST(InstanceMemo, ErrorsAreTheSameWithReplays) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // The second Linear's parameters would replay under names the first one took.
      {"duplicate parameter names", R"(
layer Pair() {
  let _a = Linear(4, 4)
  let _b = Linear(4, 4)
  fn forward(x: Tensor[N, 4]) -> Tensor {
    return _b(_a(x))
  }
}
model m = Pair()
)"},
      // Deep(5) is recorded near the top, then reached where its nesting passes the limit.
      {"the nesting limit", R"(
layer Deep(n: int) {
  let inner = Deep(n - 1) if n > 0 else none
  fn forward(x: Tensor) -> Tensor {
    return x
  }
}
layer Nest(n: int) {
  let inner = Nest(n - 1) if n > 0 else Deep(5)
  fn forward(x: Tensor) -> Tensor {
    return inner(x)
  }
}
layer Top() {
  let a = Deep(5)
  let b = Nest(95)
  fn forward(x: Tensor[N, 4]) -> Tensor {
    return b(a(x))
  }
}
model m = Top()
)"},
      // The same block called again on a shape its forward rejects.
      {"a shape error in a second call", R"(
layer Block(c: int) {
  let lin = Linear(c, c)
  fn forward(x: Tensor) -> Tensor {
    return lin(x)
  }
}
layer Net() {
  let a = Block(8)
  let b = Block(8)
  fn forward(x: Tensor[N, 8], z: Tensor[N, 4]) -> Tensor {
    return a(x) + b(z)
  }
}
model m = Net()
)"}};
  for (const auto& [what, text] : cases) {
    SCOPED_TRACE(what);
    auto shared = std::make_shared<InstanceMemo>();
    CompileResult plain = Compile("m.tri", text, "m", nullptr, /*off=*/true);
    EXPECT_TRUE(plain.diags->has_errors());
    EXPECT_EQ(Outcome(Compile("m.tri", text, "m", nullptr)), Outcome(plain));
    EXPECT_EQ(Outcome(Compile("m.tri", text, "m", shared)), Outcome(plain));
    EXPECT_EQ(Outcome(Compile("m.tri", text, "m", shared)), Outcome(plain));
  }
}

// Keys are content: a file of the same name with other code never gets the first one's records.
TEST(InstanceMemo, TheSameNamesWithOtherCodeDoNotShareRecords) {
  auto shared = std::make_shared<InstanceMemo>();
  auto source = [](int width, const char* act) {
    return "layer Block(c: int) {\n  let lin = Linear(c, " + std::to_string(width) +
           ")\n  fn forward(x: Tensor) -> Tensor {\n    return " + act +
           "(lin(x))\n  }\n}\nlayer Net() {\n  let a = Block(4)\n  let b = Block(4)\n"
           "  fn forward(x: Tensor[N, 4]) -> Tensor {\n    return a(x) + b(x)\n  }\n}\n"
           "model m = Net()\n";
  };
  for (const std::string& text :
       {source(8, "relu"), source(16, "relu"), source(16, "sigmoid"), source(8, "relu")}) {
    CompileResult plain = Compile("m.tri", text, "m", nullptr, /*off=*/true);
    ASSERT_TRUE(plain.module) << plain.diags->RenderText();
    EXPECT_EQ(Outcome(Compile("m.tri", text, "m", shared)), Outcome(plain)) << text;
  }
}

// A long-running process compiling edit after edit: the memo starts over at its bound.
TEST(InstanceMemo, StaysWithinItsBound) {
  InstanceMemo memo;
  const std::string resnet = ZooModelsDir() + "/resnet.tri";
  auto shared = std::shared_ptr<InstanceMemo>(&memo, [](InstanceMemo*) {});
  ASSERT_TRUE(Compile(resnet, Read(resnet), "resnet50", shared).module);
  const size_t one = memo.bytes();
  EXPECT_GT(one, size_t{10'000});
  EXPECT_LT(one, size_t{4} << 20);
  lang::check::Fragment big;
  lang::check::FragmentValue c;
  c.is_const = true;
  c.data.assign(size_t{1} << 20, 0.5);  // 8 MiB of constant data
  big.values.push_back(c);
  for (uint64_t k = 0; k < 40; ++k) {
    memo.Put(lang::check::MemoKey{k, 7}, big);
    EXPECT_LE(memo.bytes(), InstanceMemo::kMaxBytes);
  }
  EXPECT_LT(memo.size(), size_t{10});
  EXPECT_TRUE(memo.FindFragment(lang::check::MemoKey{39, 7}));
}

}  // namespace
}  // namespace triton::driver
