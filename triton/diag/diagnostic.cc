#include "triton/diag/diagnostic.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace triton::diag {

namespace {
struct KindInfo {
  const char* name;
  Severity severity;
  const char* description;
};
constexpr Severity Error = Severity::kError;
constexpr Severity Warning = Severity::kWarning;
constexpr KindInfo kKinds[] = {
#define DIAG_KIND(name, sev, desc) {#name, sev, desc},
#include "triton/diag/kinds.def"
#undef DIAG_KIND
};

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// Appends "file:line:col: " (or "file: " when the range has no file).
void AppendLocation(std::string& out, const SourceManager& sm, SourceRange r) {
  if (!r.valid()) return;
  const SourceFile& f = sm.file(r.file);
  LineCol lc = f.Resolve(r.begin);
  out += f.name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": ";
}

// The source line and a caret line under the range (clipped to the first line of the range).
void AppendSnippet(std::string& out, const SourceManager& sm, SourceRange r) {
  if (!r.valid()) return;
  const SourceFile& f = sm.file(r.file);
  LineCol lc = f.Resolve(r.begin);
  std::string_view line = f.Line(lc.line);
  if (line.size() > 400) return;  // a minified or hostile line: the location is enough
  std::string shown, caret;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i] == '\t' ? ' ' : line[i];
    shown += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  uint32_t col = lc.column - 1;
  uint32_t width = r.end > r.begin ? r.end - r.begin : 1;
  if (col + width > line.size()) width = line.size() > col ? line.size() - col : 1;
  // Carets are placed by displayed characters: UTF-8 continuation bytes take no column.
  auto columns = [&](size_t from, size_t to) {
    uint32_t n = 0;
    for (size_t i = from; i < to && i < line.size(); ++i) n += (line[i] & 0xC0) != 0x80;
    return n;
  };
  uint32_t byte_col = col;
  col = columns(0, byte_col);
  width = std::max<uint32_t>(1, columns(byte_col, byte_col + width));
  caret.assign(col, ' ');
  caret += '^';
  if (width > 1) caret.append(width - 1, '~');
  out += "  " + shown + "\n  " + caret + "\n";
}
}  // namespace

const char* KindName(Kind k) { return kKinds[static_cast<int>(k)].name; }
const char* KindDescription(Kind k) { return kKinds[static_cast<int>(k)].description; }
Severity KindSeverity(Kind k) { return kKinds[static_cast<int>(k)].severity; }
std::vector<Kind> AllKinds() {
  std::vector<Kind> out;
  for (size_t i = 0; i < sizeof(kKinds) / sizeof(kKinds[0]); ++i) out.push_back(Kind(i));
  return out;
}

Diagnostic& DiagEngine::Report(Kind kind, SourceRange range, std::string message) {
  ++reports_;
  Severity sev = KindSeverity(kind);
  for (const Diagnostic& d : diags_) {
    if (d.kind == kind && d.range.file == range.file && d.range.begin == range.begin &&
        d.range.end == range.end) {
      last_dropped_ = true;
      sink_ = Diagnostic{kind, sev, range, std::move(message), {}};
      return sink_;
    }
  }
  if (sev == Severity::kError) {
    if (errors_ >= error_limit_) {
      if (!truncated_) {
        truncated_ = true;
        diags_.push_back({Kind::kTooManyErrors,
                          Severity::kError,
                          {},
                          "too many errors (" + std::to_string(error_limit_) + "); stopping here",
                          {}});
      }
      last_dropped_ = true;
      sink_ = Diagnostic{kind, sev, range, std::move(message), {}};
      return sink_;
    }
    ++errors_;
  }
  last_dropped_ = false;
  diags_.push_back({kind, sev, range, std::move(message), {}});
  return diags_.back();
}

void DiagEngine::AddNote(SourceRange range, std::string message) {
  if (last_dropped_ || diags_.empty()) return;
  diags_.back().notes.push_back({range, std::move(message)});
}

bool DiagEngine::HasErrorAt(SourceRange range) const {
  for (const Diagnostic& d : diags_) {
    if (d.severity == Severity::kError && d.range.file == range.file &&
        d.range.begin == range.begin && d.range.end == range.end) {
      return true;
    }
  }
  return false;
}

std::vector<const Diagnostic*> DiagEngine::Sorted() const {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : diags_) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic* a, const Diagnostic* b) {
    if (a->range.valid() != b->range.valid()) return a->range.valid();
    if (a->range.file != b->range.file) return a->range.file < b->range.file;
    return a->range.begin < b->range.begin;
  });
  return out;
}

std::string DiagEngine::RenderText(bool color) const {
  std::string out;
  for (const Diagnostic* dp : Sorted()) {
    const Diagnostic& d = *dp;
    AppendLocation(out, sm_, d.range);
    const char* sev = SeverityName(d.severity);
    if (color) {
      out += d.severity == Severity::kError ? "\033[1;31m" : "\033[1;35m";
      out += sev;
      out += ":\033[0m ";
    } else {
      out += std::string(sev) + ": ";
    }
    out += d.message + " [" + KindName(d.kind) + "]\n";
    AppendSnippet(out, sm_, d.range);
    for (const Note& n : d.notes) {
      AppendLocation(out, sm_, n.range);
      out += "note: " + n.message + "\n";
      AppendSnippet(out, sm_, n.range);
    }
  }
  return out;
}

std::string DiagEngine::RenderJson() const {
  auto loc = [&](SourceRange r, nlohmann::json& j) {
    if (!r.valid()) return;
    const SourceFile& f = sm_.file(r.file);
    LineCol b = f.Resolve(r.begin), e = f.Resolve(r.end);
    j["file"] = f.name();
    j["line"] = b.line;
    j["column"] = b.column;
    j["end_line"] = e.line;
    j["end_column"] = e.column;
  };
  nlohmann::json arr = nlohmann::json::array();
  for (const Diagnostic* dp : Sorted()) {
    const Diagnostic& d = *dp;
    nlohmann::json j;
    j["kind"] = KindName(d.kind);
    j["severity"] = SeverityName(d.severity);
    j["message"] = d.message;
    loc(d.range, j);
    nlohmann::json notes = nlohmann::json::array();
    for (const Note& n : d.notes) {
      nlohmann::json jn;
      jn["message"] = n.message;
      loc(n.range, jn);
      notes.push_back(jn);
    }
    j["notes"] = notes;
    arr.push_back(j);
  }
  nlohmann::json root;
  root["diagnostics"] = arr;
  root["errors"] = errors_;
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace triton::diag
