#pragma once
// Diagnostics: kinds come from kinds.def; an engine collects them (many per run, up to a limit)
// and renders them as console text (`file:line:col: error: message [Kind]` + line + caret) or JSON.
#include <string>
#include <vector>

#include "triton/diag/source.h"

namespace triton::diag {

enum class Kind {
#define DIAG_KIND(name, sev, desc) k##name,
#include "triton/diag/kinds.def"
#undef DIAG_KIND
};
enum class Severity { kError, kWarning, kNote };

const char* KindName(Kind k);
const char* KindDescription(Kind k);
Severity KindSeverity(Kind k);
std::vector<Kind> AllKinds();

struct Note {
  SourceRange range;  // may be invalid: a note without a location
  std::string message;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  SourceRange range;
  std::string message;  // lower-case, no trailing period: what was seen and what the rule is
  std::vector<Note> notes;
};

class DiagEngine {
 public:
  explicit DiagEngine(const SourceManager& sm, size_t error_limit = 100)
      : sm_(sm), error_limit_(error_limit) {}

  // Records a diagnostic; returns it so that notes can be attached. Past the error limit one
  // TooManyErrors diagnostic is recorded and later ones are dropped (a sink is returned). A
  // second diagnostic of the same kind at the same range is dropped too (the checker may reach
  // one piece of code on several paths: a layer checked alone and as part of a model).
  Diagnostic& Report(Kind kind, SourceRange range, std::string message);
  void AddNote(SourceRange range, std::string message);  // to the last reported diagnostic

  // True when an error was already reported for exactly this range (of any kind).
  bool HasErrorAt(SourceRange range) const;
  size_t error_count() const { return errors_; }
  // Report calls so far, dropped ones included (a caller tells "nothing was reported" by it).
  size_t reports() const { return reports_; }
  bool has_errors() const { return errors_ > 0; }
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  const SourceManager& sources() const { return sm_; }

  // Both renderings list diagnostics in source order (file, then offset); unlocated ones last.
  std::string RenderText(bool color = false) const;
  std::string RenderJson() const;  // {"diagnostics":[{kind,severity,file,line,column,...}]}

 private:
  const SourceManager& sm_;
  size_t error_limit_;
  size_t errors_ = 0;
  size_t reports_ = 0;
  bool truncated_ = false;
  bool last_dropped_ = false;  // the last Report was dropped: its notes go nowhere
  std::vector<Diagnostic> diags_;
  Diagnostic sink_{};
  std::vector<const Diagnostic*> Sorted() const;
};

}  // namespace triton::diag
