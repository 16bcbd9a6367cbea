#pragma once
// One function per subcommand, each in its own file: it registers its options and a callback
// that sets the process exit code.
#include <CLI/CLI.hpp>

namespace triton::cli {

void AddBench(CLI::App& app, int& exit_code);
void AddBenchAccuracy(CLI::App& app, int& exit_code);  // after AddBench: `bench accuracy`
void AddBenchAll(CLI::App& app, int& exit_code);       // after AddBench: `bench all`
void AddBenchCompile(CLI::App& app, int& exit_code);   // after AddBench: `bench compile`
void AddBenchReport(CLI::App& app, int& exit_code);    // after AddBench: `bench report`
void AddCache(CLI::App& app, int& exit_code);
void AddCheck(CLI::App& app, int& exit_code);
void AddCompile(CLI::App& app, int& exit_code);
void AddEval(CLI::App& app, int& exit_code);
void AddInfo(CLI::App& app, int& exit_code);
void AddQuantize(CLI::App& app, int& exit_code);
void AddRun(CLI::App& app, int& exit_code);
void AddTrain(CLI::App& app, int& exit_code);
void AddZoo(CLI::App& app, int& exit_code);

// The command line as a shell would retype it (argv[0] as "triton"), for `triton train` to record
// in the packages it writes. main() calls it first.
void SetCommandLine(int argc, char** argv);

}  // namespace triton::cli
