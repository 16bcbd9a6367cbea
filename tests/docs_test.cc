// The documentation's examples are true: every ```tri block of docs/language.md and docs/cli.md
// checks without a diagnostic (`triton check` semantics: driver::CompileSource with
// check_only), every ```tri-error block reports at least one error of the kind its first line
// names (`# error: Kind`), and every ```tri-warning block reports a warning of the kind its first
// line names (`# warning: Kind`) and no error. Also keeps the reference complete: every
// diagnostic kind of kinds.def and every prelude layer is mentioned in docs/language.md.
//
// Run with the repository root as the working directory (CTest does). A block is compiled as a
// file in the repository root named after its line (`docs_language_md_L123.tri`), so an
// `import "models/common.tri"` in a block resolves against the repository.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "triton/diag/diagnostic.h"
#include "triton/driver/compile.h"
#include "triton/lang/check/elaborator.h"

namespace triton {
namespace {

enum class Expect { kClean, kError, kWarning };

struct Block {
  std::string doc;  // "docs/language.md"
  int line = 0;     // 1-based line of the opening fence
  Expect expect = Expect::kClean;
  std::string expected_kind;  // tri-error and tri-warning blocks
  std::string text;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

// Fenced blocks whose info string is exactly `tri`, `tri-error` or `tri-warning`. Other fences
// (```text, ```sh) are skipped, including their contents.
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
      if (info == "tri" || info == "tri-error" || info == "tri-warning") {
        Expect e = info == "tri"         ? Expect::kClean
                   : info == "tri-error" ? Expect::kError
                                         : Expect::kWarning;
        out.push_back(Block{doc, n, e, "", ""});
        cur = &out.back();
      }
      continue;
    }
    if (cur) cur->text += line + "\n";
  }
  EXPECT_FALSE(in_fence) << doc << ": a code fence is not closed";
  return out;
}

// The kind named by the first line, `# error: Kind` or `# warning: Kind` (`word` says which).
std::string ExpectedKind(const std::string& text, const std::string& word) {
  const std::regex first("^\\s*#\\s*" + word + ":\\s*([A-Za-z]+)\\s*\n");
  std::smatch m;
  if (std::regex_search(text, m, first)) return m[1];
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
    if (b.expect == Expect::kError) b.expected_kind = ExpectedKind(b.text, "error");
    if (b.expect == Expect::kWarning) b.expected_kind = ExpectedKind(b.text, "warning");
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
  int counts[3] = {0, 0, 0};
  for (const Block& b : blocks) {
    static const char* kFence[] = {"tri", "tri-error", "tri-warning"};
    const char* fence = kFence[static_cast<int>(b.expect)];
    SCOPED_TRACE(b.doc + ":" + std::to_string(b.line) + " (```" + fence + ")");
    ++counts[static_cast<int>(b.expect)];
    driver::CompileOptions options;
    options.check_only = true;
    driver::CompileResult r = driver::CompileSource(FileNameFor(b), b.text, options);
    std::string rendered = r.diags->RenderText();
    if (rendered.empty()) rendered = "(no diagnostics)\n";
    EXPECT_TRUE(r.verify_errors.empty()) << "the IR failed verification";
    if (b.expect == Expect::kClean) {
      EXPECT_TRUE(r.diags->diagnostics().empty()) << "a ```tri block must check cleanly, got:\n"
                                                  << rendered << "in:\n"
                                                  << b.text;
      continue;
    }
    if (b.expected_kind.empty()) {
      ADD_FAILURE() << "a ```" << fence << " block must start with `# "
                    << (b.expect == Expect::kError ? "error" : "warning") << ": KindName`:\n"
                    << b.text;
      continue;
    }
    EXPECT_TRUE(IsKindName(b.expected_kind))
        << "'" << b.expected_kind << "' is not a diagnostic kind of kinds.def";
    diag::Severity want =
        b.expect == Expect::kError ? diag::Severity::kError : diag::Severity::kWarning;
    bool found = false;
    for (const diag::Diagnostic& d : r.diags->diagnostics()) {
      found = found || (d.severity == want && b.expected_kind == diag::KindName(d.kind));
    }
    EXPECT_TRUE(found) << "expected " << (b.expect == Expect::kError ? "an error" : "a warning")
                       << " of kind " << b.expected_kind << ", got:\n"
                       << rendered << "in:\n"
                       << b.text;
    if (b.expect == Expect::kWarning) {
      EXPECT_FALSE(r.diags->has_errors()) << "a ```tri-warning block must have no error, got:\n"
                                          << rendered;
    }
  }
  EXPECT_GT(counts[0], 0) << "no ```tri block";
  EXPECT_GT(counts[1], 0) << "no ```tri-error block";
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
