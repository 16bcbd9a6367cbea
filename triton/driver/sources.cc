#include "triton/driver/sources.h"

#include <cstdlib>
#include <filesystem>

#include "triton/base/file.h"
#include "triton/lang/lex/lexer.h"

namespace triton::driver {

namespace fs = std::filesystem;

std::string CanonicalPath(const std::string& p) {
  // realpath(3) for a file that exists (every file the compiler reads; a few times faster than
  // std::filesystem's walk), weakly_canonical for one that does not.
  if (char* r = ::realpath(p.c_str(), nullptr)) {
    std::string out(r);
    std::free(r);
    return out;
  }
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::path(p), ec);
  return ec ? p : c.string();
}

std::string ResolveImport(const std::string& rel, const std::string& from,
                          const std::vector<std::string>& import_paths, Result<std::string>* text) {
  // Plain strings, not std::filesystem::path: a path's parts are parsed on every operation, and
  // this runs for every import on every cached compile.
  auto candidate = [&](std::string_view dir) {
    if (!rel.empty() && rel[0] == '/') return rel;
    std::string p(dir);
    if (!p.empty() && p.back() != '/') p += '/';
    return p + rel;
  };
  const size_t slash = from.rfind('/');
  const std::string_view beside =
      slash == std::string::npos ? std::string_view() : std::string_view(from).substr(0, slash + 1);
  std::string found = base::RegularFile(candidate(beside), text);
  for (size_t i = 0; found.empty() && i < import_paths.size(); ++i) {
    found = base::RegularFile(candidate(import_paths[i]), text);
  }
  return found;
}

const std::string* CompileInputs::FindImport(std::string_view from, std::string_view rel) const {
  for (const Import& i : imports) {
    if (i.from == from && i.rel == rel) return &i.target;
  }
  return nullptr;
}

InputFile* CompileInputs::FindFile(std::string_view canonical) {
  for (InputFile& f : files) {
    if (f.canonical == canonical) return &f;
  }
  return nullptr;
}

std::vector<lang::Token> TakeTokens(InputFile& file, const diag::SourceManager& sm,
                                    diag::FileId id) {
  std::vector<lang::Token> toks = std::move(file.tokens);
  file.tokens.clear();
  const std::string_view text = sm.file(id).text();
  if (toks.empty() || text != file.text) return {};
  for (lang::Token& t : toks) t.range.file = id;
  lang::ViewTokensIn(toks, text);
  return toks;
}

}  // namespace triton::driver
