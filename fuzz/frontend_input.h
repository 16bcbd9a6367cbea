#pragma once
// One input through the whole front end, shared by the libFuzzer target (fuzz_frontend) and the
// regression test (fuzz_regressions_test) so that both run exactly the same checks.
#include <string_view>

namespace triton::fuzz {

// The file name every input is compiled under. Its directory does not exist, so a relative
// `import` finds nothing and the input never depends on files beside it.
inline constexpr const char* kInputName = "/nonexistent-triton-fuzz/input.tri";

// Compiles `text` in check mode (options.check_only) and in compile mode (with no --model, and
// once more with a declared model when there are several; skipped when check mode already ran
// into an elaboration limit, which compile mode would only repeat) at an -O level picked by the
// input with the verifier after every pass, renders the diagnostics as text
// (plain and colored) and JSON, prints and summarizes any module, and checks the invariants
// below. A broken invariant prints what broke and aborts: for the fuzzer that is a finding.
//
//   - the JSON rendering parses and lists as many diagnostics as the engine holds;
//   - the text rendering is empty exactly when there are no diagnostics;
//   - a result with errors carries no module; a module passes the IR verifier;
//   - a module's IR text parses back and prints the same (printer.h's round-trip promise).
void RunFrontend(std::string_view text);

}  // namespace triton::fuzz
