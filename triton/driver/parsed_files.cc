#include "triton/driver/parsed_files.h"

#include "triton/lang/lex/lexer.h"

namespace triton::driver {

std::vector<std::string> ImportsOf(const std::vector<lang::Token>& toks, std::string* problem) {
  std::vector<std::string> out;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].kind != lang::Tok::kImport) continue;
    if (i + 1 == toks.size() || toks[i + 1].kind != lang::Tok::kString) {
      *problem = "'import' without a path";
      return out;
    }
    out.push_back(toks[i + 1].str_value);
  }
  return out;
}

std::shared_ptr<const ParsedFile> MakeParsedFile(std::string name, std::string_view text,
                                                 std::vector<lang::Token> tokens,
                                                 lang::ast::Program program) {
  auto f = std::make_shared<ParsedFile>();
  f->name = std::move(name);
  f->text = std::string(text);
  f->tokens = std::move(tokens);
  lang::ViewTokensIn(f->tokens, f->text);
  f->program = std::move(program);
  std::string problem;
  f->imports = ImportsOf(f->tokens, &problem);
  return f;
}

const std::vector<lang::check::StatementFacts>& ParsedFile::Facts() const {
  std::call_once(facts_once_,
                 [&] { facts_ = lang::check::ComputeFileFacts(program, text, tokens); });
  return facts_;
}

std::shared_ptr<const ParsedFile> ParsedFileCache::Find(const std::string& name,
                                                        std::string_view text) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end() || it->second->text != text) return nullptr;
  return it->second;
}

void ParsedFileCache::Put(std::shared_ptr<const ParsedFile> f) {
  std::lock_guard<std::mutex> lock(mu_);
  if (by_name_.size() >= kMaxFiles && !by_name_.count(f->name)) by_name_.clear();
  by_name_[f->name] = std::move(f);
}

size_t ParsedFileCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_name_.size();
}

void ParsedFileCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  by_name_.clear();
}

}  // namespace triton::driver
