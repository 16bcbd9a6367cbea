// Definition-level dependencies of a model (depends.h states the contract).
#include "triton/lang/check/depends.h"

#include <algorithm>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "triton/lang/lex/token.h"

namespace triton::lang::check {
namespace {

bool IsDeclaration(ast::StmtKind k) {
  return k == ast::StmtKind::kLayer || k == ast::StmtKind::kFn || k == ast::StmtKind::kModel;
}

const std::string* DeclName(const ast::Stmt& s) {
  if (s.kind == ast::StmtKind::kModel) return &s.As<ast::ModelStmt>().name;
  if (s.kind == ast::StmtKind::kLayer || s.kind == ast::StmtKind::kFn) {
    return &s.As<ast::FnStmt>().name;
  }
  return nullptr;
}

bool WordStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool WordChar(char c) { return WordStart(c) || (c >= '0' && c <= '9'); }

// Calls `f` on every identifier-shaped word of `text`.
template <typename F>
void ForEachWord(std::string_view text, F&& f) {
  size_t i = 0;
  while (i < text.size()) {
    if (!WordStart(text[i]) || (i > 0 && WordChar(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < text.size() && WordChar(text[j])) ++j;
    f(text.substr(i, j - i));
    i = j;
  }
}

// The exact text of statement `s` in its file's text `t` ("" when its range lies outside it).
std::string_view StatementIn(std::string_view t, const ast::Stmt& s) {
  if (s.range.begin > t.size() || s.range.end > t.size() || s.range.begin > s.range.end) return {};
  return t.substr(s.range.begin, s.range.end - s.range.begin);
}

std::string_view StatementText(const diag::SourceManager& sm, const ast::Stmt& s) {
  return StatementIn(sm.file(s.range.file).text(), s);
}

// The tokens of `t` (a file's, in order) inside statement `s`: each as its kind and exact text.
std::string Spell(std::span<const Token> t, const ast::Stmt& s) {
  auto it = std::lower_bound(t.begin(), t.end(), s.range.begin,
                             [](const Token& k, uint32_t at) { return k.range.begin < at; });
  std::string out;
  for (; it != t.end() && it->kind != Tok::kEof && it->range.end <= s.range.end; ++it) {
    out.push_back(static_cast<char>(it->kind));
    if (it->kind != Tok::kNewline) out.append(it->text);  // "\n", "\r\n" or a comment's span
    out.push_back('\0');
  }
  return out;
}

// Statement `k` of program `p`'s facts when the caller keeps them, else null.
const StatementFacts* FactsOf(const SourceSet& sources, size_t p, size_t k) {
  if (p >= sources.facts.size() || !sources.facts[p]) return nullptr;
  return &(*sources.facts[p])[k];
}

// Calls `f` on the words of statement `k` of program `p` (its facts', or those of `text`).
template <typename F>
void ForEachStatementWord(const SourceSet& sources, size_t p, size_t k, std::string_view text,
                          F&& f) {
  if (const StatementFacts* facts = FactsOf(sources, p, k)) {
    for (std::string_view w : facts->words) f(w);
  } else {
    ForEachWord(text, f);
  }
}

}  // namespace

std::vector<StatementFacts> ComputeFileFacts(const ast::Program& prog, std::string_view text,
                                             std::span<const Token> tokens) {
  std::vector<StatementFacts> out(prog.stmts.size());
  std::unordered_set<std::string_view> seen;
  for (size_t k = 0; k < prog.stmts.size(); ++k) {
    const ast::Stmt& s = *prog.stmts[k];
    const std::string_view t = StatementIn(text, s);
    seen.clear();
    ForEachWord(t, [&](std::string_view w) {
      if (seen.insert(w).second) out[k].words.push_back(w);
    });
    out[k].spelled = tokens.empty() ? std::string(t) : Spell(tokens, s);
  }
  return out;
}

DependencySummary FeedModelDependencies(const SourceSet& sources, const diag::SourceManager& sm,
                                        const std::string& entry,
                                        const std::function<void(std::string_view)>& feed,
                                        std::vector<DeclarationUse>* uses) {
  const size_t n = sources.programs.size();
  auto text_of = [&](const ast::Stmt& s) { return StatementText(sm, s); };

  // Every top-level declaration by name; included[p][k]: statement k of program p is in the set.
  std::unordered_map<std::string_view, std::vector<std::pair<size_t, size_t>>> decls;
  std::vector<std::vector<char>> included(n);
  std::vector<std::pair<size_t, size_t>> work;
  auto include = [&](size_t p, size_t k) {
    if (included[p][k]) return;
    included[p][k] = 1;
    work.emplace_back(p, k);
  };
  for (size_t p = 0; p < n; ++p) {
    const auto& stmts = sources.programs[p]->stmts;
    included[p].assign(stmts.size(), 0);
    if (static_cast<int>(p) == sources.prelude) continue;
    for (size_t k = 0; k < stmts.size(); ++k) {
      const ast::Stmt& s = *stmts[k];
      if (const std::string* name = DeclName(s)) decls[*name].emplace_back(p, k);
    }
  }
  for (size_t p = 0; p < n; ++p) {
    if (static_cast<int>(p) == sources.prelude) continue;
    const auto& stmts = sources.programs[p]->stmts;
    for (size_t k = 0; k < stmts.size(); ++k) {
      const ast::Stmt& s = *stmts[k];
      const bool entry_model = static_cast<int>(p) == sources.main &&
                               s.kind == ast::StmtKind::kModel &&
                               s.As<ast::ModelStmt>().name == entry;
      if (!IsDeclaration(s.kind) || entry_model) include(p, k);
    }
  }
  std::unordered_set<std::string_view> seen;
  while (!work.empty()) {
    auto [p, k] = work.back();
    work.pop_back();
    ForEachStatementWord(sources, p, k, text_of(*sources.programs[p]->stmts[k]),
                         [&](std::string_view w) {
                           if (!seen.insert(w).second) return;
                           auto it = decls.find(w);
                           if (it == decls.end()) return;
                           for (auto [dp, dk] : it->second) include(dp, dk);
                         });
  }

  // A statement is fed as its tokens (kind and exact text), not its bytes: comments, blank lines
  // and indentation are not tokens, so editing them keeps the key. The tree the elaborator walks
  // comes from these tokens alone, and the module records no source position (a reused module
  // is one whose compile reported nothing), so equal token runs build equal modules.
  auto tokens_of = [&](const ast::Stmt& s, size_t p) -> std::string {
    if (p < sources.tokens.size() && !sources.tokens[p].empty()) return Spell(sources.tokens[p], s);
    return std::string(text_of(s));  // no tokens kept: the exact bytes (layout edits then count)
  };

  DependencySummary sum;
  feed("triton-model-dependencies-2");
  feed(entry);
  for (size_t p = 0; p < n; ++p) {
    if (static_cast<int>(p) == sources.prelude) continue;
    const ast::Program& prog = *sources.programs[p];
    feed("file");
    feed(sm.file(prog.file).name());
    for (size_t k = 0; k < prog.stmts.size(); ++k) {
      const ast::Stmt& s = *prog.stmts[k];
      const std::string* name = uses ? DeclName(s) : nullptr;
      if (name) {
        uses->push_back({sm.file(prog.file).name(), *name, s.kind, s.range.begin, s.range.end,
                         included[p][k] != 0});
      }
      if (!included[p][k]) {
        ++sum.skipped;
        continue;
      }
      ++sum.statements;
      sum.declarations += IsDeclaration(s.kind);
      feed(std::to_string(static_cast<int>(s.kind)));
      if (const StatementFacts* facts = FactsOf(sources, p, k)) {
        feed(facts->spelled);
      } else {
        feed(tokens_of(s, p));
      }
      if (s.kind == ast::StmtKind::kImport) {
        auto it = sources.import_targets.find(&s.As<ast::ImportStmt>());
        const int target = it == sources.import_targets.end() ? -1 : it->second;
        feed(target < 0 ? std::string("unresolved")
                        : sm.file(sources.programs[static_cast<size_t>(target)]->file).name());
      }
    }
  }
  return sum;
}

DeclarationKeys::DeclarationKeys(const SourceSet& sources, const diag::SourceManager& sm)
    : sources_(sources), sm_(sm) {
  const size_t n = sources.programs.size();
  refs_.resize(n);
  refs_done_.resize(n);
  for (size_t p = 0; p < n; ++p) {
    const auto& stmts = sources.programs[p]->stmts;
    refs_[p].resize(stmts.size());
    refs_done_[p].assign(stmts.size(), 0);
    for (size_t k = 0; k < stmts.size(); ++k) {
      where_.emplace(stmts[k].get(), Where{p, k});
      if (static_cast<int>(p) == sources.prelude) continue;
      if (const std::string* name = DeclName(*stmts[k])) by_name_[*name].emplace_back(p, k);
    }
  }
}

std::string_view DeclarationKeys::TextOf(Where w) const {
  return StatementText(sm_, *sources_.programs[w.first]->stmts[w.second]);
}

const std::vector<DeclarationKeys::Where>& DeclarationKeys::Refs(Where w) {
  std::vector<Where>& out = refs_[w.first][w.second];
  if (refs_done_[w.first][w.second]) return out;
  refs_done_[w.first][w.second] = 1;
  ForEachStatementWord(sources_, w.first, w.second, TextOf(w), [&](std::string_view word) {
    auto it = by_name_.find(word);
    if (it != by_name_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  });
  return out;
}

const MemoKey* DeclarationKeys::Find(const ast::FnStmt* decl) {
  if (auto it = keys_.find(decl); it != keys_.end()) return &it->second;
  auto at = where_.find(decl);
  if (at == where_.end()) return nullptr;
  const size_t n = sources_.programs.size();
  MemoKeyBuilder b;
  b.Add("triton-instance-memo-1");
  if (static_cast<int>(at->second.first) == sources_.prelude) {
    b.Add("prelude").Add(static_cast<int64_t>(decl->range.file)).Add(decl->range.begin);
    return &keys_.emplace(decl, b.Finish()).first->second;
  }
  std::vector<std::vector<char>> in(n);
  for (size_t p = 0; p < n; ++p) in[p].assign(sources_.programs[p]->stmts.size(), 0);
  std::vector<Where> work;
  auto include = [&](Where w) {
    if (in[w.first][w.second]) return;
    in[w.first][w.second] = 1;
    work.push_back(w);
  };
  auto close = [&] {
    while (!work.empty()) {
      Where w = work.back();
      work.pop_back();
      for (Where r : Refs(w)) include(r);
    }
  };
  if (!base_done_) {
    for (size_t p = 0; p < n; ++p) {
      if (static_cast<int>(p) == sources_.prelude) continue;
      const auto& stmts = sources_.programs[p]->stmts;
      for (size_t k = 0; k < stmts.size(); ++k) {
        if (!IsDeclaration(stmts[k]->kind)) include({p, k});
      }
    }
    close();
    for (size_t p = 0; p < n; ++p) {
      for (size_t k = 0; k < in[p].size(); ++k) {
        if (in[p][k]) base_.emplace_back(p, k);
      }
    }
    base_done_ = true;
  } else {
    for (Where w : base_) in[w.first][w.second] = 1;
  }
  include(at->second);
  close();
  for (size_t p = 0; p < n; ++p) {
    for (size_t k = 0; k < in[p].size(); ++k) {
      if (!in[p][k]) continue;
      const ast::Stmt& s = *sources_.programs[p]->stmts[k];
      b.Add(static_cast<int64_t>(s.range.file)).Add(sm_.file(s.range.file).name());
      b.Add(s.range.begin).Add(TextOf({p, k}));
      if (s.kind == ast::StmtKind::kImport) {
        auto it = sources_.import_targets.find(&s.As<ast::ImportStmt>());
        const int target = it == sources_.import_targets.end() ? -1 : it->second;
        b.Add(target < 0 ? std::string_view("unresolved")
                         : std::string_view(sm_.file(sources_.programs[target]->file).name()));
      }
    }
  }
  return &keys_.emplace(decl, b.Finish()).first->second;
}

}  // namespace triton::lang::check
