#pragma once
// The libtorch commands run in a helper binary beside `triton`.
//
// Debian's libtorch pulls about a hundred shared libraries (OpenCV, FFmpeg, protobuf, ...) whose
// loading and static initializers (libtorch registers thousands of operators at start-up) cost
// ~0.4 s per process. Only `triton train` and `triton bench perf` (its libtorch FP32 baseline)
// need libtorch, so `triton` itself does not link it: those two commands re-execute the same
// command line in `triton-torch`, the full CLI linked with libtorch, found in the directory of
// the running `triton`. Every other command (compile, run, eval, ...) starts in milliseconds.
// exec keeps the process (pid, stdin/stdout/stderr, signals, exit status), so a user or a test
// sees one command either way.

namespace triton::cli {

// True when the command line names a command that needs libtorch (`train`, `bench perf`).
bool NeedsTorch(int argc, char** argv);

// Replaces this process with the helper `name` (beside /proc/self/exe), passing `argv` on.
// Returns only on failure, after printing an error naming the helper's path; the caller exits
// with the returned code.
int ExecTorchHelper(const char* name, int argc, char** argv);

}  // namespace triton::cli
