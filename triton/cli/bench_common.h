#pragma once
// Shared by the `triton bench compile|accuracy|all|report` subcommands (bench_*_cmd.cc).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace triton::cli {

// The `bench` subcommand AddBench (bench_cmd.cc) registered; main() adds it first.
CLI::App* BenchApp(CLI::App& app);

// "triton: error: MESSAGE" on stderr; returns `code`.
int BenchFail(int code, const std::string& message);

// Writes `j` (indented, newline-terminated) to `path`; the error names the file.
bool WriteJsonFile(const std::string& path, const nlohmann::json& j, std::string* error);
// The end of a bench subcommand: `text` to stdout, `j` to `json_path` when given ("wrote PATH" on
// stderr unless quiet); the exit code (kUserError when writing failed or `failed`, else kOk).
int FinishBench(const std::string& text, const nlohmann::json& j, const std::string& json_path,
                bool quiet, bool failed);

// Splits "a,b,c" into its non-empty items.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace triton::cli
