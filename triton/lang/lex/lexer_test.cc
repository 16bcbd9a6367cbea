// Unit tests of the lexer: every token kind, literal edge cases, the newline rules of lexer.h,
// diagnostics with their exact positions, and hostile inputs.
#include "triton/lang/lex/lexer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace triton::lang {
namespace {

// Lexes one source and keeps the manager, engine and tokens together.
struct Lexed {
  explicit Lexed(std::string src) : diags(sm) {
    file = sm.Add("t.tri", std::move(src));
    tokens = Lex(sm, file, diags);
  }
  // "Identifier Assign Integer Eof"
  std::string Kinds() const {
    std::string out;
    for (const Token& t : tokens) {
      if (!out.empty()) out += ' ';
      out += TokName(t.kind);
    }
    return out;
  }
  // One "line:col Kind message" per diagnostic.
  std::vector<std::string> Diags() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : diags.diagnostics()) {
      diag::LineCol lc = sm.file(file).Resolve(d.range.begin);
      out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
                    diag::KindName(d.kind) + " " + d.message);
    }
    return out;
  }
  diag::SourceManager sm;
  diag::DiagEngine diags;
  diag::FileId file;
  std::vector<Token> tokens;
};

std::string Kinds(std::string src) { return Lexed(std::move(src)).Kinds(); }

TEST(LexerTest, EmptyInputIsOneEof) {
  Lexed l("");
  ASSERT_EQ(l.tokens.size(), 1u);
  EXPECT_EQ(l.tokens[0].kind, Tok::kEof);
  EXPECT_EQ(l.tokens[0].range.begin, 0u);
  EXPECT_EQ(Kinds("\n\n  # only a comment\n"), "Eof");
}

TEST(LexerTest, EveryPunctuationToken) {
  EXPECT_EQ(Kinds("( ) [ ] { } , : ; . -> = + - * ** / % @ == != < <= > >= && || ! ?"),
            "LParen RParen LBracket RBracket LBrace RBrace Comma Colon Semicolon Dot Arrow Assign "
            "Plus Minus Star StarStar Slash Percent At EqEq NotEq Less LessEq Greater GreaterEq "
            "AmpAmp PipePipe Bang Question Eof");
  // Maximal munch without spaces.
  EXPECT_EQ(Kinds("a**b->c<=d>=e==f!=g&&h||!i"),
            "Identifier StarStar Identifier Arrow Identifier LessEq Identifier GreaterEq "
            "Identifier EqEq Identifier NotEq Identifier AmpAmp Identifier PipePipe Bang "
            "Identifier Eof");
  EXPECT_EQ(Kinds("a***b"), "Identifier StarStar Star Identifier Eof");
}

TEST(LexerTest, EveryKeyword) {
  EXPECT_EQ(Kinds("layer fn let return if else for in while model import true false and or not"),
            "KwLayer KwFn KwLet KwReturn KwIf KwElse KwFor KwIn KwWhile KwModel KwImport KwTrue "
            "KwFalse KwAnd KwOr KwNot Eof");
  // Type names and near-keywords are identifiers; identifiers are case-sensitive.
  EXPECT_EQ(Kinds("trit Tensor int8 Layer LET layers _x x1 __ iff"),
            "Identifier Identifier Identifier Identifier Identifier Identifier Identifier "
            "Identifier Identifier Identifier Eof");
}

TEST(LexerTest, SpellingsAndNames) {
  EXPECT_STREQ(TokSpelling(Tok::kLParen), "(");
  EXPECT_STREQ(TokSpelling(Tok::kArrow), "->");
  EXPECT_STREQ(TokSpelling(Tok::kLayer), "layer");
  EXPECT_STREQ(TokSpelling(Tok::kIdentifier), "identifier");
  EXPECT_STREQ(TokSpelling(Tok::kEof), "end of file");
  EXPECT_STREQ(TokName(Tok::kLParen), "LParen");
  EXPECT_STREQ(TokName(Tok::kLayer), "KwLayer");
  EXPECT_STREQ(TokName(Tok::kNewline), "Newline");
  // Every kind has a distinct name and a spelling.
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(Tok::kNot); ++i) {
    Tok t = static_cast<Tok>(i);
    EXPECT_STRNE(TokSpelling(t), "");
    for (const std::string& n : names) EXPECT_NE(n, TokName(t));
    names.push_back(TokName(t));
  }
}

TEST(LexerTest, TextAndRangesAreViewsIntoTheSource) {
  Lexed l("let  abc = 42");
  ASSERT_EQ(l.Kinds(), "KwLet Identifier Assign Integer Eof");
  const Token& id = l.tokens[1];
  EXPECT_EQ(id.text, "abc");
  EXPECT_EQ(id.range.begin, 5u);
  EXPECT_EQ(id.range.end, 8u);
  EXPECT_EQ(id.range.file, l.file);
  EXPECT_EQ(id.text.data(), l.sm.file(l.file).text().data() + 5);
  EXPECT_EQ(l.tokens[4].range.begin, 13u);  // Eof at the end
  EXPECT_TRUE(l.tokens[4].text.empty());
}

TEST(LexerTest, SpaceBefore) {
  Lexed l("a(b) c/* x */d\n  e\nf");
  // a ( b ) c d Newline e Newline f Eof
  ASSERT_EQ(l.Kinds(),
            "Identifier LParen Identifier RParen Identifier Identifier Newline Identifier "
            "Newline Identifier Eof");
  EXPECT_FALSE(l.tokens[0].space_before);
  EXPECT_FALSE(l.tokens[1].space_before);
  EXPECT_TRUE(l.tokens[4].space_before);   // c
  EXPECT_TRUE(l.tokens[5].space_before);   // d after a comment
  EXPECT_TRUE(l.tokens[7].space_before);   // e (indented)
  EXPECT_FALSE(l.tokens[9].space_before);  // f (column 1)
}

// ------------------------------------------------------------------ integers

TEST(LexerTest, IntegerLiterals) {
  struct Case {
    const char* src;
    int64_t value;
  };
  for (Case c :
       {Case{"0", 0}, Case{"42", 42}, Case{"007", 7}, Case{"1_000_000", 1000000}, Case{"0x1F", 31},
        Case{"0XfF", 255}, Case{"0x_ff", 255}, Case{"0b1010", 10}, Case{"0B1_0", 2},
        Case{"0o17", 15}, Case{"0O7", 7}, Case{"9223372036854775807", INT64_MAX},
        Case{"0x7fffffffffffffff", INT64_MAX}, Case{"0b111", 7}}) {
    Lexed l(c.src);
    ASSERT_EQ(l.Kinds(), "Integer Eof") << c.src;
    EXPECT_EQ(l.tokens[0].int_value, c.value) << c.src;
    EXPECT_EQ(l.tokens[0].text, c.src);
    EXPECT_TRUE(l.Diags().empty()) << c.src << ": " << l.Diags()[0];
  }
}

TEST(LexerTest, MinusIsAlwaysAnOperator) {
  EXPECT_EQ(Kinds("-1"), "Minus Integer Eof");
  EXPECT_EQ(Kinds("x-1"), "Identifier Minus Integer Eof");
  EXPECT_EQ(Kinds("x - -1"), "Identifier Minus Minus Integer Eof");
  EXPECT_EQ(Kinds("f(-1.5)"), "Identifier LParen Minus Float RParen Eof");
}

TEST(LexerTest, IntegerOverflow) {
  Lexed l("let n = 99999999999999999999");
  EXPECT_EQ(l.Kinds(), "KwLet Identifier Assign Integer Eof");
  EXPECT_EQ(l.tokens[3].int_value, 0);
  ASSERT_EQ(l.Diags().size(), 1u);
  EXPECT_EQ(l.Diags()[0],
            "1:9 IntegerOverflow integer literal 99999999999999999999 does not fit in 64 bits");
  EXPECT_EQ(Lexed("9223372036854775808").Diags().size(), 1u);
  EXPECT_EQ(Lexed("0x8000000000000000").Diags()[0],
            "1:1 IntegerOverflow integer literal 0x8000000000000000 does not fit in 64 bits");
  EXPECT_EQ(Lexed("0b1" + std::string(64, '0')).Diags().size(), 1u);
}

TEST(LexerTest, BadNumbers) {
  struct Case {
    const char* src;
    const char* diag;
  };
  for (Case c : {
           Case{"0x", "1:1 BadNumber expected hexadecimal digits after '0x'"},
           Case{"0b", "1:1 BadNumber expected binary digits after '0b'"},
           Case{"0o_", "1:1 BadNumber expected octal digits after '0o'"},
           Case{"0b102", "1:1 BadNumber invalid digit '2' in binary literal '0b102'"},
           Case{"0o8", "1:1 BadNumber invalid digit '8' in octal literal '0o8'"},
           Case{"0xfg", "1:1 BadNumber invalid digit 'g' in hexadecimal literal '0xfg'"},
           Case{"1__0", "1:1 BadNumber misplaced '_' separator in number literal '1__0'"},
           Case{"1_", "1:1 BadNumber misplaced '_' separator in number literal '1_'"},
           Case{"0x1_", "1:1 BadNumber misplaced '_' separator in number literal '0x1_'"},
           Case{"1_e5", "1:1 BadNumber misplaced '_' separator in number literal '1_e5'"},
           Case{"12abc", "1:1 BadNumber invalid suffix 'abc' on number literal '12abc'"},
           Case{"1e", "1:1 BadNumber missing exponent digits in number literal '1e'"},
           Case{"1.5ex", "1:1 BadNumber missing exponent digits in number literal '1.5ex'"},
           Case{"1e999", "1:1 BadNumber float literal 1e999 is out of range"},
       }) {
    Lexed l(c.src);
    ASSERT_EQ(l.Diags().size(), 1u) << c.src;
    EXPECT_EQ(l.Diags()[0], c.diag);
    // A malformed number is still one number token, so the parser goes on quietly.
    EXPECT_EQ(l.tokens.size(), 2u) << c.src;
    EXPECT_TRUE(l.tokens[0].kind == Tok::kInteger || l.tokens[0].kind == Tok::kFloat) << c.src;
  }
  // `1e+` is `1e` (bad) followed by `+`.
  EXPECT_EQ(Kinds("1e+"), "Integer Plus Eof");
}

// ------------------------------------------------------------------ floats

TEST(LexerTest, FloatLiterals) {
  struct Case {
    const char* src;
    double value;
  };
  for (Case c : {Case{"1.0", 1.0}, Case{"1e-5", 1e-5}, Case{"2.5E+3", 2500.0}, Case{".5", 0.5},
                 Case{"0.7", 0.7}, Case{"1.", 1.0}, Case{"3e10", 3e10}, Case{"1_000.5", 1000.5},
                 Case{"6.02e2_3", 6.02e23}, Case{"1e-999", 0.0}}) {
    Lexed l(c.src);
    ASSERT_EQ(l.Kinds(), "Float Eof") << c.src;
    EXPECT_DOUBLE_EQ(l.tokens[0].float_value, c.value) << c.src;
    EXPECT_TRUE(l.Diags().empty()) << c.src;
  }
  EXPECT_EQ(Kinds("f(.5, 1.)"), "Identifier LParen Float Comma Float RParen Eof");
  // After an operand `.` is member access, never a float.
  EXPECT_EQ(Kinds("a.5"), "Identifier Dot Integer Eof");
  EXPECT_EQ(Kinds("x.y"), "Identifier Dot Identifier Eof");
  EXPECT_EQ(Kinds("1.e5"), "Integer Dot Identifier Eof");
}

// ------------------------------------------------------------------ strings

TEST(LexerTest, StringLiterals) {
  Lexed l(R"("plain" "a\nb\tc\\d\"e" "" "utf-8 é €" "# not a comment")");
  ASSERT_EQ(l.Kinds(), "String String String String String Eof");
  EXPECT_EQ(l.tokens[0].str_value, "plain");
  EXPECT_EQ(l.tokens[0].text, "\"plain\"");
  EXPECT_EQ(l.tokens[1].str_value, "a\nb\tc\\d\"e");
  EXPECT_EQ(l.tokens[2].str_value, "");
  EXPECT_EQ(l.tokens[3].str_value, "utf-8 é €");
  EXPECT_EQ(l.tokens[4].str_value, "# not a comment");
  EXPECT_TRUE(l.Diags().empty());
}

TEST(LexerTest, BadEscape) {
  Lexed l("x = \"a\\qb\\x\"");
  EXPECT_EQ(l.Kinds(), "Identifier Assign String Eof");
  EXPECT_EQ(l.tokens[2].str_value, "aqbx");
  ASSERT_EQ(l.Diags().size(), 2u);
  EXPECT_EQ(l.Diags()[0], "1:7 BadEscape unknown escape sequence '\\q' in string literal");
  EXPECT_EQ(l.Diags()[1], "1:10 BadEscape unknown escape sequence '\\x' in string literal");
}

TEST(LexerTest, UnterminatedString) {
  Lexed l("import \"abc\nlet y = 1");
  EXPECT_EQ(l.Kinds(), "KwImport String Newline KwLet Identifier Assign Integer Eof");
  EXPECT_EQ(l.tokens[1].str_value, "abc");
  ASSERT_EQ(l.Diags().size(), 1u);
  EXPECT_EQ(l.Diags()[0], "1:8 UnterminatedString unterminated string literal");
  Lexed eof("x = \"abc");
  EXPECT_EQ(eof.Diags(), std::vector<std::string>{"1:5 UnterminatedString unterminated string "
                                                  "literal"});
  Lexed backslash("x = \"abc\\");
  EXPECT_EQ(backslash.Diags().size(), 1u);
}

// ------------------------------------------------------------------ comments

TEST(LexerTest, Comments) {
  EXPECT_EQ(Kinds("a # comment ( [\nb // another\nc"),
            "Identifier Newline Identifier Newline Identifier Eof");
  EXPECT_EQ(Kinds("a /* inline */ + b"), "Identifier Plus Identifier Eof");
  // A block comment that spans lines acts as a newline.
  EXPECT_EQ(Kinds("a /* one\ntwo */ b"), "Identifier Newline Identifier Eof");
  EXPECT_EQ(Kinds("a /* ** / */ b"), "Identifier Identifier Eof");
  EXPECT_EQ(Kinds("a /***/ b"), "Identifier Identifier Eof");
  EXPECT_EQ(Kinds("f(a, /* x\n */ b)"), "Identifier LParen Identifier Comma Identifier RParen Eof");
}

TEST(LexerTest, UnterminatedComment) {
  Lexed l("x = 1\ny /* never closed\n z");
  EXPECT_EQ(l.Kinds(), "Identifier Assign Integer Newline Identifier Newline Eof");
  ASSERT_EQ(l.Diags().size(), 1u);
  EXPECT_EQ(l.Diags()[0], "2:3 UnterminatedComment unterminated block comment");
  EXPECT_EQ(Lexed("/*").Diags().size(), 1u);
  EXPECT_EQ(Lexed("/* a *").Diags().size(), 1u);
}

// ------------------------------------------------------------------ newline rules

TEST(LexerTest, NewlinesEndStatements) {
  EXPECT_EQ(Kinds("a\nb\n"), "Identifier Newline Identifier Newline Eof");
  // Runs collapse; newlines before the first token are dropped.
  EXPECT_EQ(Kinds("\n\n\na\n\n  \n# c\n\nb"), "Identifier Newline Identifier Eof");
  // CRLF is one newline.
  Lexed crlf("a\r\nb\r\n");
  EXPECT_EQ(crlf.Kinds(), "Identifier Newline Identifier Newline Eof");
  EXPECT_EQ(crlf.tokens[1].text, "\r\n");
  EXPECT_EQ(crlf.tokens[2].range.begin, 3u);
  // A lone CR is whitespace.
  EXPECT_EQ(Kinds("a\rb"), "Identifier Identifier Eof");
}

TEST(LexerTest, NewlineSuppressedInsideParensAndBrackets) {
  EXPECT_EQ(Kinds("f(a\n,\nb\n)\n"),
            "Identifier LParen Identifier Comma Identifier RParen Newline Eof");
  EXPECT_EQ(Kinds("[1\n2]"), "LBracket Integer Integer RBracket Eof");
  // Braces do not suppress, even inside parens.
  EXPECT_EQ(Kinds("{a\nb}"), "LBrace Identifier Newline Identifier RBrace Eof");
  EXPECT_EQ(Kinds("(\n{a\nb}\n)"), "LParen LBrace Identifier Newline Identifier RBrace RParen Eof");
}

TEST(LexerTest, NewlineSuppressedAfterContinuationTokens) {
  for (const char* op : {"+",  "-",  "*",  "**", "/",   "%",  "@", "==", "!=", "<",
                         "<=", ">=", "&&", "||", "and", "or", ",", "->", "=",  ":"}) {
    Lexed l(std::string("a ") + op + "\nb");
    EXPECT_EQ(l.tokens.size(), 4u) << op << ": " << l.Kinds();
  }
  EXPECT_EQ(Kinds("{\na"), "LBrace Identifier Eof");
  // Not after `)`, `]`, `}`, names, literals, `.`, `!`, `not`, `return`.
  for (const char* tok : {")", "]", "}", "x", "1", "\"s\"", ".", "!", "not", "return", "?"}) {
    Lexed l(std::string(tok) + "\nb");
    EXPECT_EQ(l.tokens[l.tokens.size() - 3].kind, Tok::kNewline) << tok << ": " << l.Kinds();
  }
}

TEST(LexerTest, GreaterIsNotAContinuation) {
  // `>` may close a type at the end of a line.
  EXPECT_EQ(Kinds("let w: T<trit>\nlet b = 1"),
            "KwLet Identifier Colon Identifier Less Identifier Greater Newline KwLet Identifier "
            "Assign Integer Eof");
}

TEST(LexerTest, StatementKeywordClosesAnUnclosedBracket) {
  // The newline before `let` is kept and the `(` is forgotten, so the next line lexes normally.
  EXPECT_EQ(Kinds("x = f(a,\nlet y = [1\nz\n"),
            "Identifier Assign Identifier LParen Identifier Comma Newline KwLet Identifier "
            "Assign LBracket Integer Identifier Eof");
  for (const char* kw : {"let", "layer", "fn", "model", "import", "return", "while"}) {
    Lexed l(std::string("f(\n") + kw);
    EXPECT_EQ(l.tokens[2].kind, Tok::kNewline) << kw;
  }
  // `if`, `for`, `else`, `in` continue expressions (conditionals, comprehensions).
  EXPECT_EQ(Kinds("[a\nfor i in b\nif c]"),
            "LBracket Identifier KwFor Identifier KwIn Identifier KwIf Identifier RBracket Eof");
  // Right after `{` a statement keyword needs no newline.
  EXPECT_EQ(Kinds("{\nlet"), "LBrace KwLet Eof");
}

TEST(LexerTest, MismatchedClosers) {
  // `)` closing a `[` closes it, so the next line is a new statement.
  EXPECT_EQ(Kinds("[1, 2)\nb"), "LBracket Integer Comma Integer RParen Newline Identifier Eof");
  // `}` closes any unclosed `(` inside its block.
  EXPECT_EQ(Kinds("{f(a\n}\nb"),
            "LBrace Identifier LParen Identifier RBrace Newline Identifier Eof");
  // Unmatched closers change nothing.
  EXPECT_EQ(Kinds(")\n]\n}\na"), "RParen Newline RBracket Newline RBrace Newline Identifier Eof");
}

// ------------------------------------------------------------------ unknown characters

TEST(LexerTest, UnknownCharacter) {
  Lexed l("let q = $ + 1");
  EXPECT_EQ(l.Kinds(), "KwLet Identifier Assign Error Plus Integer Eof");
  EXPECT_EQ(l.tokens[3].text, "$");
  EXPECT_EQ(l.Diags(), std::vector<std::string>{"1:9 UnknownCharacter unknown character '$'"});
  // A run of bad bytes is one diagnostic and one token.
  Lexed run("a $`~ b");
  EXPECT_EQ(run.Kinds(), "Identifier Error Identifier Eof");
  EXPECT_EQ(run.Diags(), std::vector<std::string>{"1:3 UnknownCharacter unknown characters "
                                                  "'$`~'"});
  EXPECT_EQ(Lexed("a & b").Diags(),
            std::vector<std::string>{"1:3 UnknownCharacter unknown character '&'"});
  EXPECT_EQ(Lexed("a | b").Diags(),
            std::vector<std::string>{"1:3 UnknownCharacter unknown character '|'"});
  EXPECT_EQ(Lexed("'x'").Kinds(), "Error Identifier Error Eof");
}

TEST(LexerTest, NonAsciiAndBinaryBytes) {
  Lexed utf8("x = é");
  EXPECT_EQ(utf8.Diags(),
            std::vector<std::string>{"1:5 UnknownCharacter unknown character 'é' (U+00E9)"});
  Lexed nul(std::string("a\0\0b", 4));
  EXPECT_EQ(nul.Kinds(), "Identifier Error Identifier Eof");
  EXPECT_EQ(nul.Diags(),
            std::vector<std::string>{"1:2 UnknownCharacter unknown characters '\\x00\\x00'"});
  Lexed bad("\xff\xfe x");
  EXPECT_EQ(bad.Diags(),
            std::vector<std::string>{"1:1 UnknownCharacter unknown characters '\\xff\\xfe'"});
  Lexed euro("€€€");
  EXPECT_EQ(euro.Diags(), std::vector<std::string>{"1:1 UnknownCharacter unknown characters "
                                                   "'€€€'"});
}

// ------------------------------------------------------------------ dump

TEST(LexerTest, DumpTokens) {
  Lexed l("let x = \"a\\n\"\n  f(1)");
  EXPECT_EQ(DumpTokens(l.sm, l.tokens),
            "1:1 KwLet \"let\"\n"
            "1:5 Identifier \"x\"\n"
            "1:7 Assign \"=\"\n"
            "1:9 String \"\\\"a\\\\n\\\"\"\n"
            "1:14 Newline \"\\n\"\n"
            "2:3 Identifier \"f\"\n"
            "2:4 LParen \"(\"\n"
            "2:5 Integer \"1\"\n"
            "2:6 RParen \")\"\n"
            "2:7 Eof \"\"\n");
}

// ------------------------------------------------------------------ hostile inputs

TEST(LexerTest, HugeIdentifier) {
  std::string name(200000, 'x');
  Lexed l(name + " = 1");
  ASSERT_EQ(l.Kinds(), "Identifier Assign Integer Eof");
  EXPECT_EQ(l.tokens[0].text.size(), 200000u);
  EXPECT_TRUE(l.Diags().empty());
}

TEST(LexerTest, HugeInteger) {
  std::string digits(5000, '7');
  Lexed l("x = " + digits);
  ASSERT_EQ(l.Kinds(), "Identifier Assign Integer Eof");
  ASSERT_EQ(l.Diags().size(), 1u);
  // The message shows a prefix and the length, not 5,000 digits.
  EXPECT_EQ(l.Diags()[0],
            "1:5 IntegerOverflow integer literal 777777777777777777777777... (5000 characters) "
            "does not fit in 64 bits");
  Lexed f("x = " + digits + ".5e3");
  EXPECT_EQ(f.Kinds(), "Identifier Assign Float Eof");
}

TEST(LexerTest, ManyBadBytesAreOneDiagnostic) {
  std::string junk(100000, '\0');
  Lexed l(junk);
  EXPECT_EQ(l.Kinds(), "Error Eof");
  EXPECT_EQ(l.Diags().size(), 1u);
}

TEST(LexerTest, RandomBytesNeverCrash) {
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string src(rng() % 300, '\0');
    for (char& c : src) c = static_cast<char>(rng() & 0xFF);
    Lexed l(src);
    ASSERT_FALSE(l.tokens.empty());
    EXPECT_EQ(l.tokens.back().kind, Tok::kEof);
    uint32_t prev_end = 0;
    for (const Token& t : l.tokens) {
      EXPECT_LE(prev_end, t.range.begin);
      EXPECT_LE(t.range.begin, t.range.end);
      EXPECT_LE(t.range.end, src.size());
      prev_end = t.range.end;
    }
  }
}

TEST(LexerTest, RandomTokenSoupNeverCrashes) {
  const char* pieces[] = {"(", ")",  "[",  "]",   "{",     "}",  "\n",    "\r\n",   "let", "x",
                          "1", "0x", "1e", "\"s", "\"t\"", "/*", "*/",    "#",      ",",   "->",
                          ">", " ",  "\\", ".5",  "$",     "\0", "layer", "return", "&",   "|"};
  std::mt19937 rng(99);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string src;
    for (int i = rng() % 60; i > 0; --i) src += pieces[rng() % std::size(pieces)];
    Lexed l(src);
    ASSERT_EQ(l.tokens.back().kind, Tok::kEof);
    int eofs = 0;
    for (const Token& t : l.tokens) eofs += t.kind == Tok::kEof;
    EXPECT_EQ(eofs, 1);
  }
}

}  // namespace
}  // namespace triton::lang
