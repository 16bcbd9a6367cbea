// This process's parsed files (parsed_files.h): a compile that takes a kept parse builds what
// lexing and parsing again builds, byte for byte, and reports the same; an entry serves only its
// own bytes under its own file id; a parse that reported anything is not kept; the incremental
// layer's keys are the same from kept facts as from a fresh scan.
#include "triton/driver/parsed_files.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "triton/cache/test_util.h"
#include "triton/driver/compile.h"
#include "triton/driver/compile_key.h"
#include "triton/driver/zoo.h"
#include "triton/ir/printer.h"
#include "triton/lang/check/depends.h"

namespace triton::driver {
namespace {

using cache::testing::Slurp;
using cache::testing::Spit;
using cache::testing::TempDir;

// The printed module and the rendered diagnostics.
std::string Outcome(const CompileResult& r) {
  std::string out = r.diags->RenderText();
  if (r.module) out += ir::Print(*r.module);
  return out;
}

struct Seen {
  std::vector<const lang::ast::Program*> programs;
  std::string definitions_key;
  std::vector<std::string> declaration_keys;  // every layer's and fn's, in load order
};

// Compiles `path` (its text read here) with `parsed` (null: none), recording through the
// incremental layer's hook what the compile loaded and the keys computed from it.
CompileResult CompileSeeing(const std::string& path, const std::string& model,
                            std::shared_ptr<ParsedFileCache> parsed, Seen* seen) {
  CompileOptions o;
  o.model = model;
  o.parsed_files = std::move(parsed);
  o.reuse = [&](const lang::check::SourceSet& set, const diag::SourceManager& sm,
                const std::string& entry) -> std::shared_ptr<const ir::Module> {
    seen->programs = set.programs;
    seen->definitions_key = DefinitionsKey(set, sm, entry, o, "test").Hex();
    lang::check::DeclarationKeys keys(set, sm);
    for (const lang::ast::Program* p : set.programs) {
      for (const lang::ast::StmtPtr& s : p->stmts) {
        if (s->kind != lang::ast::StmtKind::kLayer && s->kind != lang::ast::StmtKind::kFn) continue;
        const lang::check::MemoKey* k = keys.Find(&s->As<lang::ast::FnStmt>());
        seen->declaration_keys.push_back(k ? std::to_string((*k)[0]) + std::to_string((*k)[1])
                                           : "none");
      }
    }
    return nullptr;  // compile on
  };
  return CompileSource(path, Slurp(path), o);
}

TEST(ParsedFiles, EveryZooModelCompilesTheSameFromKeptParses) {
  auto parsed = std::make_shared<ParsedFileCache>();
  for (const ZooEntry& z : ZooModels()) {
    const std::string path = ZooModelsDir() + "/" + std::string(z.file);
    SCOPED_TRACE(z.name);
    Seen plain, first, warm;
    const std::string want = Outcome(CompileSeeing(path, std::string(z.name), nullptr, &plain));
    EXPECT_EQ(Outcome(CompileSeeing(path, std::string(z.name), parsed, &first)), want);
    CompileResult r = CompileSeeing(path, std::string(z.name), parsed, &warm);
    EXPECT_EQ(Outcome(r), want);
    EXPECT_EQ(r.times.lex_ms + r.times.parse_ms, 0.0) << "nothing lexed or parsed again";
    // The warm compile took the kept trees (the prelude's is the process-wide one).
    ASSERT_EQ(warm.programs.size(), plain.programs.size());
    for (size_t i = 1; i < warm.programs.size(); ++i) {
      EXPECT_EQ(warm.programs[i], first.programs[i]);
      EXPECT_NE(warm.programs[i], plain.programs[i]);
    }
    // Keys from the kept facts are the keys of a fresh scan.
    EXPECT_EQ(first.definitions_key, plain.definitions_key);
    EXPECT_EQ(warm.definitions_key, plain.definitions_key);
    EXPECT_EQ(warm.declaration_keys, plain.declaration_keys);
    EXPECT_FALSE(plain.declaration_keys.empty());
  }
}

// Compiles on several threads share one cache: entries are found, replaced and asked for their
// facts concurrently (ParsedFile::Facts is computed once).
TEST(ParsedFiles, ConcurrentCompilesShareOneCache) {
  std::vector<std::pair<std::string, std::string>> zoo;  // path, model
  std::vector<std::string> want;
  std::vector<std::string> want_keys;
  for (const ZooEntry& z : ZooModels()) {
    zoo.emplace_back(ZooModelsDir() + "/" + std::string(z.file), std::string(z.name));
    Seen plain;
    want.push_back(Outcome(CompileSeeing(zoo.back().first, zoo.back().second, nullptr, &plain)));
    want_keys.push_back(plain.definitions_key);
  }
  auto parsed = std::make_shared<ParsedFileCache>();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t n = 0; n < zoo.size() * 3; ++n) {
        const size_t i = (n + static_cast<size_t>(t)) % zoo.size();
        Seen seen;
        CompileResult r = CompileSeeing(zoo[i].first, zoo[i].second, parsed, &seen);
        if (Outcome(r) != want[i] || seen.definitions_key != want_keys[i]) ++wrong;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(parsed->size(), 0u);
}

TEST(ParsedFiles, GatherInputsTakesTheImportsOfAKeptParse) {
  auto parsed = std::make_shared<ParsedFileCache>();
  const std::string path = ZooModelsDir() + "/resnet.tri";
  CompileOptions o;
  o.model = "resnet50";
  CompileInputs cold = GatherInputs(path, Slurp(path), o, parsed.get());
  ASSERT_TRUE(cold.problem.empty()) << cold.problem;
  for (const InputFile& f : cold.files) EXPECT_FALSE(f.parsed) << f.name;
  o.parsed_files = parsed;
  o.preloaded = &cold;
  ASSERT_TRUE(CompileSource(path, Slurp(path), o).module);
  CompileInputs warm = GatherInputs(path, Slurp(path), o, parsed.get());
  ASSERT_TRUE(warm.problem.empty()) << warm.problem;
  ASSERT_EQ(warm.files.size(), cold.files.size());
  for (size_t i = 0; i < warm.files.size(); ++i) {
    EXPECT_EQ(warm.files[i].canonical, cold.files[i].canonical);
    ASSERT_TRUE(warm.files[i].parsed) << warm.files[i].name;
    EXPECT_TRUE(warm.files[i].tokens.empty()) << "not lexed";
  }
  ASSERT_EQ(warm.imports.size(), cold.imports.size());
  for (size_t i = 0; i < warm.imports.size(); ++i) {
    EXPECT_EQ(warm.imports[i].rel, cold.imports[i].rel);
    EXPECT_EQ(warm.imports[i].target, cold.imports[i].target);
  }
}

// lib.tri parses cleanly but fails the name checks. Parsed first as the main file (file id 1),
// then imported by main.tri (file id 2): the kept tree's ranges name the wrong file there, so it
// must be parsed again, and the error must name lib.tri as an uncached compile names it.
TEST(ParsedFiles, AnEntryServesOnlyItsOwnFileId) {
  TempDir dir;
  const std::string lib = dir / "lib.tri", main = dir / "main.tri";
  Spit(lib, "layer Broken(n: int) {\n  let w = undefined_name\n}\n");
  Spit(main, "import \"lib.tri\"\nmodel m = Broken(1)\n");
  auto parsed = std::make_shared<ParsedFileCache>();
  Seen ignored;
  CompileResult direct = CompileSeeing(lib, "", parsed, &ignored);
  EXPECT_FALSE(direct.ok());
  ASSERT_EQ(parsed->size(), 1u);
  ASSERT_EQ(parsed->Find(lib, Slurp(lib))->program.file, 1u);
  const std::string want = Outcome(CompileSeeing(main, "m", nullptr, &ignored));
  EXPECT_NE(want.find("lib.tri:2:"), std::string::npos) << want;
  EXPECT_EQ(Outcome(CompileSeeing(main, "m", parsed, &ignored)), want);
  EXPECT_EQ(Outcome(CompileSeeing(main, "m", parsed, &ignored)), want) << "warm";
  EXPECT_EQ(parsed->Find(lib, Slurp(lib))->program.file, 2u)
      << "replaced by the parse at its new id";
}

TEST(ParsedFiles, AParseThatReportedAnythingIsNotKept) {
  TempDir dir;
  const std::string bad = dir / "bad.tri";
  Spit(bad, "layer L( {\n");
  auto parsed = std::make_shared<ParsedFileCache>();
  Seen ignored;
  const std::string want = Outcome(CompileSeeing(bad, "", nullptr, &ignored));
  EXPECT_EQ(Outcome(CompileSeeing(bad, "", parsed, &ignored)), want);
  EXPECT_EQ(Outcome(CompileSeeing(bad, "", parsed, &ignored)), want) << "reported again";
  EXPECT_EQ(parsed->size(), 0u);
  EXPECT_FALSE(parsed->Find(bad, Slurp(bad)));
}

// An empty tree of file `id`.
lang::ast::Program In(diag::FileId id) {
  lang::ast::Program p;
  p.file = id;
  return p;
}

TEST(ParsedFiles, OneEntryPerFileFoundByItsBytes) {
  ParsedFileCache c;
  c.Put(MakeParsedFile("a.tri", "model m = L()\n", {}, In(1)));
  EXPECT_TRUE(c.Find("a.tri", "model m = L()\n"));
  EXPECT_FALSE(c.Find("a.tri", "model m = L() \n"));
  EXPECT_FALSE(c.Find("a.tri", ""));
  EXPECT_FALSE(c.Find("b.tri", "model m = L()\n"));
  // An edit's parse replaces the file's entry.
  c.Put(MakeParsedFile("a.tri", "model m = L(1)\n", {}, In(1)));
  EXPECT_EQ(c.size(), 1u);
  EXPECT_FALSE(c.Find("a.tri", "model m = L()\n"));
  EXPECT_TRUE(c.Find("a.tri", "model m = L(1)\n"));
  c.Put(MakeParsedFile("b.tri", "model m = L()\n", {}, In(2)));
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.Find("b.tri", "model m = L()\n")->program.file, 2u);
  for (size_t i = 0; i < ParsedFileCache::kMaxFiles + 1; ++i) {
    c.Put(MakeParsedFile("f" + std::to_string(i), "x", {}, In(1)));
  }
  EXPECT_LE(c.size(), ParsedFileCache::kMaxFiles);
  c.Clear();
  EXPECT_EQ(c.size(), 0u);
}

}  // namespace
}  // namespace triton::driver
