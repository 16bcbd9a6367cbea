#include "triton/driver/parsed_files.h"

#include <xxhash.h>

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

std::shared_ptr<const ParsedFile> MakeParsedFile(std::string_view text, diag::FileId file,
                                                 std::vector<lang::Token> tokens,
                                                 lang::ast::Program program) {
  auto f = std::make_shared<ParsedFile>();
  f->text = std::string(text);
  f->file = file;
  f->tokens = std::move(tokens);
  const std::string_view own = f->text;
  for (lang::Token& t : f->tokens) {
    // The lexer's views are text[range.begin, range.end) (lexer.cc: Push, FlushNewline).
    t.text = own.substr(t.range.begin, t.range.end - t.range.begin);
  }
  f->program = std::move(program);
  std::string problem;
  f->imports = ImportsOf(f->tokens, &problem);
  f->facts = lang::check::ComputeFileFacts(f->program, own, f->tokens);
  // Text, tokens, and about as much again for the tree (measured on the zoo: the tree's nodes
  // and strings come to less than the tokens).
  f->bytes = sizeof(ParsedFile) + f->text.size() + 2 * f->tokens.size() * sizeof(lang::Token);
  return f;
}

std::shared_ptr<const ParsedFile> ParsedFileCache::Find(std::string_view text) const {
  const uint64_t h = XXH3_64bits(text.data(), text.size());
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_hash_.find(h);
  if (it == by_hash_.end() || it->second->text != text) return nullptr;
  return it->second;
}

void ParsedFileCache::Put(std::shared_ptr<const ParsedFile> f) {
  const uint64_t h = XXH3_64bits(f->text.data(), f->text.size());
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = by_hash_.find(h); it != by_hash_.end()) {
    bytes_ -= it->second->bytes;
    by_hash_.erase(it);
  }
  if (bytes_ + f->bytes > kMaxBytes) {
    by_hash_.clear();
    bytes_ = 0;
  }
  bytes_ += f->bytes;
  by_hash_.emplace(h, std::move(f));
}

size_t ParsedFileCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_hash_.size();
}

void ParsedFileCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  by_hash_.clear();
  bytes_ = 0;
}

}  // namespace triton::driver
