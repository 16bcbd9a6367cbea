// The `triton` binary: argument parsing only; the work is in triton/driver.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "triton/base/allocator.h"
#include "triton/cli/common.h"
#include "triton/cli/subcommands.h"
#include "triton/cli/torch_helper.h"

int main(int argc, char** argv) {
  using namespace triton::cli;
#ifdef TRITON_TORCH_HELPER
  // This binary has no libtorch; its helper has (torch_helper.h).
  if (NeedsTorch(argc, argv)) return ExecTorchHelper(TRITON_TORCH_HELPER, argc, argv);
#endif
  CLI::App app{"triton: a toolchain for ternary neural networks"};
  app.require_subcommand(1);
  // The allocator is part of the answer: it changes compile times by a fifth (base/allocator.h).
  app.set_version_flag("--version", "triton 0.1.0 (" + triton::base::AllocatorName() + ")");
  SetCommandLine(argc, argv);
  int exit_code = kOk;
  AddCheck(app, exit_code);
  AddCompile(app, exit_code);
  AddRun(app, exit_code);
  AddTrain(app, exit_code);
  AddEval(app, exit_code);
  AddQuantize(app, exit_code);
  AddInfo(app, exit_code);
  AddCache(app, exit_code);
  AddBench(app, exit_code);
  AddBenchCompile(app, exit_code);
  AddBenchAccuracy(app, exit_code);
  AddBenchAll(app, exit_code);
  AddBenchReport(app, exit_code);
  AddZoo(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "triton: internal error: %s\n", e.what());
    return kInternal;
  }
  return exit_code;
}
