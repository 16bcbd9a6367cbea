// The documentation's examples are true: every ```tri block of docs/language.md and docs/cli.md
// checks without a diagnostic (`triton check` semantics: driver::CompileSource with
// check_only), and every ```tri-error block reports at least one error of the kind its first
// line names (`# error: Kind`). Also keeps the reference complete: every diagnostic kind of
// kinds.def and every prelude layer is mentioned in docs/language.md.
//
// Run with the repository root as the working directory (CTest does). A block is compiled as a
// file in the repository root named after its line (`docs_language_md_L123.tri`), so an
// `import "models/common.tri"` in a block resolves against the repository.
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "triton/diag/diagnostic.h"
#include "triton/driver/compile.h"
#include "triton/lang/check/elaborator.h"

namespace triton {
namespace {

struct Block {
  std::string doc;   // "docs/language.md"
  int line = 0;      // 1-based line of the opening fence
  bool error = false;
  std::string expected_kind;  // for tri-error blocks
  std::string text;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

// Fenced blocks whose info string is exactly `tri` or `tri-error`. Other fences (```text, ```sh)
// are skipped, including their contents.
std::vector<Block> Extract(const std::string& doc) {
  std::vector<Block> out;
  std::istringstream in(ReadAll(doc));
  std::string line;
  int n = 0;
  bool in_fence = false;
  Block* cur = nullptr;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("```", 0) == 0) {
      if (in_fence) {
        in_fence = false;
        cur = nullptr;
        continue;
      }
      in_fence = true;
      std::string info = line.substr(3);
      while (!info.empty() && info.back() == ' ') info.pop_back();
      if (info == "tri" || info == "tri-error") {
        out.push_back(Block{doc, n, info == "tri-error", "", ""});
        cur = &out.back();
      }
      continue;
    }
    if (cur) cur->text += line + "\n";
  }
  EXPECT_FALSE(in_fence) << doc << ": a code fence is not closed";
  return out;
}

std::string ExpectedKind(const std::string& text) {
  static const std::regex kFirst(R"(^\s*#\s*error:\s*([A-Za-z]+)\s*\n)");
  std::smatch m;
  if (std::regex_search(text, m, kFirst)) return m[1];
  return "";
}

bool IsKindName(const std::string& name) {
  for (diag::Kind k : diag::AllKinds()) {
    if (name == diag::KindName(k)) return true;
  }
  return false;
}

std::vector<Block> AllBlocks() {
  std::vector<Block> blocks;
  for (const char* doc : {"docs/language.md", "docs/cli.md"}) {
    if (!Exists(doc)) continue;
    std::vector<Block> b = Extract(doc);
    blocks.insert(blocks.end(), b.begin(), b.end());
  }
  for (Block& b : blocks) {
    if (b.error) b.expected_kind = ExpectedKind(b.text);
  }
  return blocks;
}

std::string FileNameFor(const Block& b) {
  std::string stem = b.doc;
  for (char& c : stem) {
    if (c == '/' || c == '.') c = '_';
  }
  return stem + "_L" + std::to_string(b.line) + ".tri";
}

TEST(DocsTest, LanguageReferenceExists) {
  ASSERT_TRUE(Exists("docs/language.md"))
      << "run the test from the repository root (CTest sets the working directory)";
}

TEST(DocsTest, ExamplesCheckAsDocumented) {
  std::vector<Block> blocks = AllBlocks();
  ASSERT_GT(blocks.size(), 20u) << "docs/language.md lost its examples";
  int clean = 0, errors = 0;
  for (const Block& b : blocks) {
    SCOPED_TRACE(b.doc + ":" + std::to_string(b.line) + (b.error ? " (tri-error)" : " (tri)"));
    driver::CompileOptions options;
    options.check_only = true;
    driver::CompileResult r = driver::CompileSource(FileNameFor(b), b.text, options);
    std::string rendered = r.diags->RenderText();
    if (!b.error) {
      EXPECT_TRUE(r.diags->diagnostics().empty())
          << "a ```tri block must check cleanly, got:\n" << rendered << "in:\n" << b.text;
      EXPECT_TRUE(r.verify_errors.empty()) << "the IR failed verification";
      ++clean;
      continue;
    }
    if (b.expected_kind.empty()) {
      ADD_FAILURE() << "a ```tri-error block must start with `# error: KindName`:\n" << b.text;
      continue;
    }
    EXPECT_TRUE(IsKindName(b.expected_kind))
        << "'" << b.expected_kind << "' is not a diagnostic kind of kinds.def";
    bool found = false;
    for (const diag::Diagnostic& d : r.diags->diagnostics()) {
      found = found || (d.severity == diag::Severity::kError &&
                        b.expected_kind == diag::KindName(d.kind));
    }
    EXPECT_TRUE(found) << "expected an error of kind " << b.expected_kind << ", got:\n"
                       << (rendered.empty() ? "(no diagnostics)\n" : rendered) << "in:\n"
                       << b.text;
    ++errors;
  }
  EXPECT_GT(clean, 0);
  EXPECT_GT(errors, 0);
}

// The diagnostics table lists every kind of kinds.def, written as `Kind`.
TEST(DocsTest, EveryDiagnosticKindIsDocumented) {
  std::string doc = ReadAll("docs/language.md");
  for (diag::Kind k : diag::AllKinds()) {
    std::string name = std::string("`") + diag::KindName(k) + "`";
    EXPECT_NE(doc.find(name), std::string::npos)
        << "docs/language.md does not mention the diagnostic kind " << name
        << " (add it to the table in section 10)";
  }
}

// The prelude table lists every layer of prelude.tri, written as `Name(`.
TEST(DocsTest, EveryPreludeLayerIsDocumented) {
  std::string doc = ReadAll("docs/language.md");
  static const std::regex kLayer(R"(^layer\s+([A-Za-z_][A-Za-z0-9_]*)\s*\()");
  std::istringstream in(lang::check::PreludeSource());
  std::string line;
  int layers = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, kLayer)) continue;
    ++layers;
    std::string name = "`" + m[1].str() + "(";
    EXPECT_NE(doc.find(name), std::string::npos)
        << "docs/language.md does not document the prelude layer " << m[1].str()
        << " (add it to the table in section 8)";
  }
  EXPECT_GT(layers, 10);
}

}  // namespace
}  // namespace triton
