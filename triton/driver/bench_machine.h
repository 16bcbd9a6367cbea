#pragma once
// What every `triton bench compile|accuracy|all` results file records about where and how it was
// measured, so that the pages `triton bench report` writes can name the machine, the ISA level,
// the threads, the date and the command without looking at the machine that renders them.
#include <nlohmann/json.hpp>
#include <string>

#include "triton/base/cpu.h"

namespace triton::driver {

// {"cpu": "AMD EPYC" (/proc/cpuinfo's model name, else the CPUID brand), "logical_cores": 2,
//  "kernel": "Linux 6.1.0" (uname), "arch": "x86_64", "isa": "avx512vnni", "threads": 2,
//  "build_type": "Release", "compiler": "gcc 12.2.0", "allocator": "mimalloc 2.0.9" (this
//  process's malloc, base/allocator.h), "date": "2026-11-26T09:30:00Z" (UTC),
//  "load_average_1m": 1.97}. `isa` and `threads` are the caller's (what the measurement used).
nlohmann::json MachineJson(Isa isa, int threads);

// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcDate();

// This process's command line as a shell would retype it, argv[0] shown as "triton" (from
// /proc/self/cmdline; "" where that cannot be read).
std::string ProcessCommandLine();

// `path` relative to the working directory when it lies below it ("models/vgg.tri"), else as
// given: what results files record, so they do not name the measuring machine's directories.
std::string DisplayPath(const std::string& path);

// Quotes a word for a POSIX shell when it needs it ("a b" -> 'a b').
std::string ShellQuote(const std::string& word);

}  // namespace triton::driver
