#include "triton/driver/compile_key.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "triton/lang/check/elaborator.h"
#include "triton/lang/lex/lexer.h"

#ifndef TRITON_VERSION
#define TRITON_VERSION "0.0.0"
#endif

namespace triton::driver {

namespace {

class Gatherer {
 public:
  Gatherer(CompileInputs& in, const CompileOptions& o, const ParsedFileCache* parsed)
      : in_(in), o_(o), parsed_(parsed) {}

  // Adds file `index` of in_.files and, depth-first, everything it imports.
  void Visit(size_t index, std::vector<std::string>& stack) {
    std::vector<std::string> imports;
    InputFile& f = in_.files[index];
    if (parsed_ && (f.parsed = parsed_->Find(f.name, f.text))) {
      imports = f.parsed->imports;  // this process parsed these bytes: no lexing
    } else {
      // Tokens are enough: `import` is a keyword, always followed by the path string, and only
      // legal at the top level (elsewhere the compile fails, and failed compiles are not
      // stored). The lexer does not recurse, so unlike the parser it needs no large stack.
      // The tokens are kept for the compile (TakeTokens), which then does not lex again.
      diag::SourceManager& sm = *in_.lexed;
      diag::DiagEngine diags(sm);
      diag::FileId id = sm.Add(f.name, f.text);
      f.tokens = lang::Lex(sm, id, diags);
      if (diags.has_errors()) return Fail(f.name + " has lexical errors");
      std::string problem;
      imports = ImportsOf(f.tokens, &problem);
      if (!problem.empty()) return Fail(f.name + ": " + problem);
    }
    std::string from = in_.files[index].canonical;
    for (const std::string& rel : imports) {
      if (!in_.problem.empty()) return;
      // Resolved and read in one open (sources.h); a file already read is read again, as
      // seldom as a file is imported twice.
      Result<std::string> text = std::string();
      std::string target = ResolveImport(rel, from, o_.import_paths, &text);
      if (target.empty()) return Fail("cannot find import '" + rel + "'");
      in_.imports.push_back({from, rel, target});
      for (const std::string& s : stack) {
        if (s == target) return Fail("import cycle through " + target);
      }
      bool seen = false;
      for (const InputFile& f : in_.files) seen = seen || f.canonical == target;
      if (seen) continue;
      if (!text.ok()) return Fail(text.status().message());
      in_.files.push_back({target, target, std::move(text).value()});
      stack.push_back(target);
      Visit(in_.files.size() - 1, stack);
      stack.pop_back();
    }
  }

 private:
  void Fail(std::string why) {
    if (in_.problem.empty()) in_.problem = std::move(why);
  }
  CompileInputs& in_;
  const CompileOptions& o_;
  const ParsedFileCache* parsed_;
};

}  // namespace

CompileInputs GatherInputs(const std::string& path, std::string main_text,
                           const CompileOptions& options, const ParsedFileCache* parsed,
                           std::string canonical) {
  CompileInputs in;
  in.lexed = std::make_shared<diag::SourceManager>();
  if (canonical.empty()) canonical = CanonicalPath(path);
  in.files.push_back({path, canonical, std::move(main_text)});
  std::vector<std::string> stack{canonical};
  Gatherer(in, options, parsed).Visit(0, stack);
  return in;
}

namespace {

// The fields both keys share: format, compiler, prelude and the options that change the output.
void AddCompilerAndOptions(cache::KeyBuilder& b, const CompileOptions& options,
                           const std::string& compiler_id) {
  b.Add("format", kCompileCacheFormat);
  b.Add("compiler", compiler_id);
  b.Add("prelude", lang::check::PreludeSource());
  b.Add("model", options.model);
  b.Add("opt_level", options.opt_level);
  b.Add("import_paths", static_cast<int64_t>(options.import_paths.size()));
  for (const std::string& p : options.import_paths) b.Add("import_path", p);
}

}  // namespace

cache::Key CompileKey(const CompileInputs& inputs, const CompileOptions& options,
                      const std::string& compiler_id) {
  cache::KeyBuilder b;
  AddCompilerAndOptions(b, options, compiler_id);
  b.Add("files", static_cast<int64_t>(inputs.files.size()));
  for (const InputFile& f : inputs.files) {
    b.Add("path", f.canonical);
    b.Add("text", f.text);
  }
  return b.Finish();
}

cache::Key DefinitionsKey(const lang::check::SourceSet& sources, const diag::SourceManager& sm,
                          const std::string& entry, const CompileOptions& options,
                          const std::string& compiler_id, lang::check::DependencySummary* summary) {
  cache::KeyBuilder b;
  b.Add("layer", "definitions");
  AddCompilerAndOptions(b, options, compiler_id);
  lang::check::DependencySummary s = lang::check::FeedModelDependencies(
      sources, sm, entry, [&](std::string_view x) { b.Add("d", x); });
  if (summary) *summary = std::move(s);
  return b.Finish();
}

const std::string& CompilerId() {
  static const std::string id = [] {
    std::string v = "triton " TRITON_VERSION;
    struct stat st {};
    if (::stat("/proc/self/exe", &st) == 0) {
      return fmt::format("{} (build {}-{}.{:09})", v, st.st_size, st.st_mtim.tv_sec,
                         st.st_mtim.tv_nsec);
    }
    // No /proc: the time this file was compiled stands in for the build.
    return v + " (built " __DATE__ " " __TIME__ ")";
  }();
  return id;
}

}  // namespace triton::driver
