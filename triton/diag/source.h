#pragma once
// Source buffers and locations. A SourceManager owns every file of one compilation; a location is
// (file id, byte offset) and is turned into line:column only when a diagnostic is printed.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace triton::diag {

using FileId = int32_t;
inline constexpr FileId kNoFile = -1;

struct SourceLoc {
  FileId file = kNoFile;
  uint32_t offset = 0;
  bool valid() const { return file != kNoFile; }
};

// Half-open byte range [begin, end) within one file.
struct SourceRange {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;
  SourceLoc start() const { return {file, begin}; }
  bool valid() const { return file != kNoFile; }
  static SourceRange Join(SourceRange a, SourceRange b) {
    if (!a.valid()) return b;
    if (!b.valid() || a.file != b.file) return a;
    return {a.file, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
  }
};

struct LineCol {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in bytes
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);
  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }
  LineCol Resolve(uint32_t offset) const;
  // The text of 1-based line `line`, without its line terminator.
  std::string_view Line(uint32_t line) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

class SourceManager {
 public:
  FileId Add(std::string name, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(static_cast<size_t>(id)); }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace triton::diag
