#include "fuzz/frontend_input.h"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "triton/driver/compile.h"
#include "triton/driver/summary.h"
#include "triton/ir/printer.h"

namespace triton::fuzz {

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_frontend: invariant broken: %s\n%s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

void CheckDiagnostics(const driver::CompileResult& r) {
  const diag::DiagEngine& d = *r.diags;
  std::string text = d.RenderText(/*color=*/false);
  std::string colored = d.RenderText(/*color=*/true);
  if (text.empty() != d.diagnostics().empty() || colored.empty() != d.diagnostics().empty()) {
    Fail("text rendering is empty iff there are no diagnostics", text);
  }
  std::string json = d.RenderJson();
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) Fail("RenderJson() is valid JSON", json.substr(0, 4096));
  if (!j.is_object() || !j.contains("diagnostics") || !j["diagnostics"].is_array() ||
      j["diagnostics"].size() != d.diagnostics().size()) {
    Fail("RenderJson() lists every diagnostic", json.substr(0, 4096));
  }
}

void CheckModule(const driver::CompileResult& r) {
  if (!r.module) return;
  if (r.diags->has_errors()) Fail("a result with errors carries no module", "");
  if (!r.verify_errors.empty()) {
    std::string all;
    for (const std::string& e : r.verify_errors) all += e + "\n";
    Fail("the elaborated module passes the IR verifier", all);
  }
  std::string printed = ir::Print(*r.module);
  Result<ir::Module> back = ir::ParseModule(printed);
  if (!back.ok()) Fail("printed IR parses back", back.status().message() + "\n" + printed);
  std::string reprinted = ir::Print(back.value());
  if (reprinted != printed)
    Fail("Print(Parse(Print(m))) == Print(m)", printed + "\n---\n" + reprinted);
  (void)driver::SummaryText(*r.module);
  (void)driver::SummaryJson(*r.module).dump();
}

driver::CompileResult Compile(const std::string& text, bool check_only, const std::string& model) {
  driver::CompileOptions o;
  o.check_only = check_only;
  o.model = model;
  o.opt_level = static_cast<int>(text.size() % 4);  // -O0..-O3, picked by the input
  o.verify_each = true;                             // a pass that breaks the IR is a finding
  driver::CompileResult r = driver::CompileSource(kInputName, text, o);
  CheckDiagnostics(r);
  CheckModule(r);
  return r;
}

// True when elaboration stopped at a limit (steps, recursion): compile mode would run into the
// same limit again, and at up to 2,000,000 steps that costs seconds in a sanitizer build.
bool HitLimit(const driver::CompileResult& r) {
  for (const diag::Diagnostic& d : r.diags->diagnostics()) {
    if (d.kind == diag::Kind::kElaborationLimit || d.kind == diag::Kind::kRecursionTooDeep) {
      return true;
    }
  }
  return false;
}

}  // namespace

void RunFrontend(std::string_view input) {
  const std::string text(input);
  driver::CompileResult checked = Compile(text, /*check_only=*/true, "");
  if (HitLimit(checked)) return;
  driver::CompileResult compiled = Compile(text, /*check_only=*/false, "");
  // With several models, compile mode needs --model: build one of them, picked by the input.
  const std::vector<std::string>& names = checked.model_names.size() > compiled.model_names.size()
                                              ? checked.model_names
                                              : compiled.model_names;
  if (names.size() > 1) Compile(text, /*check_only=*/false, names[text.size() % names.size()]);
}

}  // namespace triton::fuzz
