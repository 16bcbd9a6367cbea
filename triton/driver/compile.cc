#include "triton/driver/compile.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <unordered_map>

#include "triton/base/check.h"
#include "triton/base/file.h"
#include "triton/base/stack.h"
#include "triton/base/timer.h"
#include "triton/ir/verifier.h"
#include "triton/lang/check/elaborator.h"
#include "triton/lang/lex/lexer.h"
#include "triton/lang/parse/parser.h"

namespace triton::driver {

namespace {

size_t CountLines(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n + (!text.empty() && text.back() != '\n');
}

// The prelude's tree, lexed and parsed once per process: its text never changes and it is the
// first file of every compile's SourceManager, so the file id in its ranges is right for all of
// them. The tree is immutable after parsing (ast.h) and so shared by concurrent compiles; it
// owns its strings (the tokens' views into the text are not kept), so the SourceManager it was
// parsed from is a local. The tree is deliberately never freed (still reachable: no leak).
const lang::ast::Program& SharedPrelude() {
  static const lang::ast::Program* const prelude = [] {
    diag::SourceManager sm;
    diag::DiagEngine diags(sm);
    diag::FileId id = sm.Add("<prelude>", lang::check::PreludeSource());
    std::vector<lang::Token> toks = lang::Lex(sm, id, diags);
    auto* p = new lang::ast::Program(lang::Parse(toks, id, diags));
    TRITON_CHECK(!diags.has_errors());
    return p;
  }();
  return *prelude;
}

// Lexes, parses and loads the imports of one compilation, in dependency order.
class Loader {
 public:
  Loader(CompileResult& r, const CompileOptions& o) : r_(r), o_(o) {}

  // The prelude: its text joins this compile's sources (diagnostics and the prelude check read
  // it there) but its tree is the process-wide one, parsed once (SharedPrelude).
  int LoadPrelude() {
    diag::FileId id = r_.sources->Add("<prelude>", lang::check::PreludeSource());
    const lang::ast::Program& prelude = SharedPrelude();
    TRITON_CHECK(id == prelude.file);  // the first file of every compile, as in SharedPrelude
    set_.programs.push_back(&prelude);
    set_.tokens.emplace_back();
    set_.facts.push_back(nullptr);
    return static_cast<int>(set_.programs.size() - 1);
  }

  // `pre`: the file as preloaded (its tokens are taken when its text is this one).
  int Load(const std::string& name, std::string text, InputFile* pre = nullptr) {
    base::Timer t;
    diag::FileId id = r_.sources->Add(name, std::move(text));
    const std::string_view stored = r_.sources->file(id).text();
    std::shared_ptr<const ParsedFile> parsed = pre ? pre->parsed : nullptr;
    if (!parsed && o_.parsed_files) parsed = o_.parsed_files->Find(name, stored);
    if (parsed && parsed->program.file == id && parsed->text == stored)
      return Add(std::move(parsed), true);
    std::vector<lang::Token> toks;
    if (pre) toks = TakeTokens(*pre, *r_.sources, id);
    const size_t reports = r_.diags->reports();
    if (toks.empty()) toks = lang::Lex(*r_.sources, id, *r_.diags);
    r_.times.lex_ms += t.ElapsedMs();
    t.Reset();
    lang::ast::Program prog = lang::Parse(toks, id, *r_.diags);
    r_.times.parse_ms += t.ElapsedMs();
    if (o_.parsed_files && r_.diags->reports() == reports) {
      // Kept for this process's next compiles (parsed_files.h: only clean parses).
      parsed = MakeParsedFile(name, stored, std::move(toks), std::move(prog));
      o_.parsed_files->Put(parsed);
      return Add(std::move(parsed), false);
    }
    owned_.push_back(std::make_unique<Owned>(Owned{std::move(prog), std::move(toks)}));
    set_.programs.push_back(&owned_.back()->program);
    set_.tokens.emplace_back(owned_.back()->tokens);
    set_.facts.push_back(nullptr);
    return static_cast<int>(set_.programs.size() - 1);
  }

  // Loads every import of program `index` (recursively); `stack` holds the files being loaded.
  void LoadImports(int index, const std::string& path, std::vector<std::string>& stack) {
    const lang::ast::Program& prog = *set_.programs[index];
    for (const lang::ast::StmtPtr& s : prog.stmts) {
      if (s->kind != lang::ast::StmtKind::kImport) continue;
      const auto& imp = s->As<lang::ast::ImportStmt>();
      std::string target = Resolve(imp.path, path);
      if (target.empty()) {
        r_.diags->Report(diag::Kind::kImportError, imp.range,
                         "cannot find '" + imp.path + "' (looked beside " + path +
                             (o_.import_paths.empty() ? "" : " and in --import-path") + ")");
        continue;
      }
      for (size_t k = 0; k < stack.size(); ++k) {
        if (stack[k] != target) continue;
        std::string cycle;
        for (size_t j = k; j < stack.size(); ++j) cycle += stack[j] + " -> ";
        r_.diags->Report(diag::Kind::kImportError, imp.range, "import cycle: " + cycle + target);
        target.clear();
        break;
      }
      if (target.empty()) continue;
      auto it = loaded_.find(target);
      if (it == loaded_.end()) {
        InputFile* pre = o_.preloaded ? o_.preloaded->FindFile(target) : nullptr;
        Result<std::string> text = pre ? Result<std::string>(pre->text) : base::ReadFile(target);
        if (!text.ok()) {
          r_.diags->Report(diag::Kind::kImportError, imp.range, text.status().message());
          continue;
        }
        r_.lines += CountLines(text.value());
        int id = Load(target, std::move(text).value(), pre);
        it = loaded_.emplace(target, id).first;
        stack.push_back(target);
        LoadImports(id, target, stack);
        stack.pop_back();
      }
      set_.import_targets[&imp] = it->second;
    }
  }

  lang::check::SourceSet& set() { return set_; }
  void Remember(const std::string& path, int id) { loaded_[path] = id; }

 private:
  std::string Resolve(const std::string& rel, const std::string& from) {
    if (o_.preloaded) {
      if (const std::string* t = o_.preloaded->FindImport(from, rel)) return *t;
    }
    return ResolveImport(rel, from, o_.import_paths);
  }

  // A file parsed by this compile (not kept in o_.parsed_files).
  struct Owned {
    lang::ast::Program program;
    std::vector<lang::Token> tokens;
  };
  // A file of this process's parsed files; `reused`: parsed by an earlier compile (its facts are
  // worth computing: it is likely to be reused again, ParsedFile::Facts).
  int Add(std::shared_ptr<const ParsedFile> f, bool reused) {
    set_.programs.push_back(&f->program);
    set_.tokens.emplace_back(f->tokens);
    set_.facts.push_back(reused ? &f->Facts() : nullptr);
    shared_.push_back(std::move(f));
    return static_cast<int>(set_.programs.size() - 1);
  }

  CompileResult& r_;
  const CompileOptions& o_;
  std::vector<std::unique_ptr<Owned>> owned_;
  std::vector<std::shared_ptr<const ParsedFile>> shared_;
  lang::check::SourceSet set_;
  std::unordered_map<std::string, int> loaded_;
};

}  // namespace

namespace {
CompileResult CompileOnThisStack(const std::string& name, std::string text,
                                 const CompileOptions& options) {
  CompileResult r;
  r.sources = std::make_unique<diag::SourceManager>();
  r.diags = std::make_unique<diag::DiagEngine>(*r.sources);
  Loader loader(r, options);
  loader.set().prelude = loader.LoadPrelude();
  r.lines = CountLines(text);
  InputFile* pre_main = options.preloaded && !options.preloaded->files.empty() &&
                                options.preloaded->files[0].name == name
                            ? &options.preloaded->files[0]
                            : nullptr;
  int main = loader.Load(name, std::move(text), pre_main);
  loader.set().main = main;
  std::string canonical = pre_main ? pre_main->canonical : CanonicalPath(name);
  loader.Remember(canonical, main);
  std::vector<std::string> stack{canonical};
  loader.LoadImports(main, canonical, stack);
  {
    XXH3_state_t* st = XXH3_createState();
    XXH3_64bits_reset(st);
    for (size_t i = 0; i < r.sources->size(); ++i) {
      if (static_cast<int>(i) == loader.set().prelude) continue;
      std::string_view t = r.sources->file(static_cast<diag::FileId>(i)).text();
      XXH3_64bits_update(st, t.data(), t.size());
    }
    r.source_hash = fmt::format("{:016x}", XXH3_64bits_digest(st));
    XXH3_freeState(st);
  }
  // Errors in the source text stop here: elaborating a broken tree only adds noise.
  if (r.diags->has_errors()) return r;

  base::Timer t;
  lang::check::ElabOptions eo;
  eo.model = options.model;
  eo.check_all = options.check_only;
  eo.memo = options.memo;
  eo.memo_off = options.memo_off;
  if (options.reuse) {
    eo.reuse = [&](const std::string& entry) {
      return options.reuse(loader.set(), *r.sources, entry);
    };
  }
  lang::check::ElabResult er = lang::check::Elaborate(loader.set(), eo, *r.diags);
  double total = t.ElapsedMs();
  r.times.check_ms = er.resolve_ms;
  // The incremental layer's lookup is cache work (CacheReport::ms), not elaboration.
  r.times.elaborate_ms = total - er.resolve_ms - er.reuse_ms;
  r.reuse_ms = er.reuse_ms;
  r.model_names = std::move(er.model_names);
  r.memo = er.memo;
  if (er.reused) {
    r.reused = true;
    r.module = ir::ModuleHandle(std::move(er.reused_module));
    return r;
  }
  if (er.module && !r.diags->has_errors()) {
    t.Reset();
    const bool memo = options.optimized && !options.verify_each && options.print_after.empty();
    ModuleDigest digest{};
    if (memo) {
      digest = DigestModule(*er.module, options.opt_level);
      if (std::shared_ptr<const OptimizedMemo::Entry> e = options.optimized->Find(digest)) {
        r.module = ir::ModuleHandle(std::shared_ptr<const ir::Module>(e, &e->module));
        r.verify_errors = e->verify_errors;
        r.optimized_reused = true;
        r.times.verify_ms = t.ElapsedMs();
        return r;
      }
    }
    r.verify_errors = ir::Verify(*er.module);
    r.times.verify_ms = t.ElapsedMs();
    if (r.verify_errors.empty() && options.opt_level > 0) {
      t.Reset();
      ir::passes::PassOptions po;
      po.verify_each = options.verify_each;
      po.print_after = options.print_after;
      Status st = ir::passes::RunPipeline(*er.module, options.opt_level, po, &r.passes);
      if (!st.ok()) r.verify_errors.push_back(st.message());
      r.times.passes_ms = t.ElapsedMs();
    }
    if (memo) {
      // The memo keeps the module and the result shares it (module_handle.h): no copy.
      std::shared_ptr<const OptimizedMemo::Entry> e =
          options.optimized->Put(digest, {std::move(*er.module), r.verify_errors});
      r.module = ir::ModuleHandle(std::shared_ptr<const ir::Module>(e, &e->module));
    } else {
      r.module = std::move(*er.module);
    }
  }
  return r;
}
}  // namespace

CompileResult CompileSource(const std::string& name, std::string text,
                            const CompileOptions& options) {
  CompileResult r;
  base::RunWithLargeStack([&] { r = CompileOnThisStack(name, std::move(text), options); });
  return r;
}

FileCompileResult CompileFile(const std::string& path, const CompileOptions& options) {
  FileCompileResult out;
  Result<std::string> text = base::ReadFile(path);
  if (!text.ok()) {
    out.sources = std::make_unique<diag::SourceManager>();
    out.diags = std::make_unique<diag::DiagEngine>(*out.sources);
    out.read_error = text.status().message();
    return out;
  }
  static_cast<CompileResult&>(out) = CompileSource(path, std::move(text).value(), options);
  return out;
}

}  // namespace triton::driver
