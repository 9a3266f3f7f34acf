#pragma once
/// \file
/// Internal to the 3D-ICE importer: the tokens of a .stk or .flp file and the
/// recursive-descent reader over them (cases/import/import_3dice_parse.cpp,
/// cases/import/import_3dice_cavity.cpp). Not part of the library's public API.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail::ice {

struct Token {
  enum class Kind { word, number, path, punct, end };
  Kind kind = Kind::end;
  std::string text;
  double value = 0;
  int line = 0, column = 0;
};

/// The tokens of `text` (comments skipped, an end token last). Throws CaseError at an
/// unclosed comment or a bad character.
std::vector<Token> tokenize(const std::string& text, const std::string& file);

/// A recursive-descent reader over the tokens of one file.
class Reader {
 public:
  Reader(std::string file, std::vector<Token> tokens)
      : file_(std::move(file)), tokens_(std::move(tokens)) {}

  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool at_end() const { return peek().kind == Token::Kind::end; }
  bool is(const char* word, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return (t.kind == Token::Kind::word || t.kind == Token::Kind::punct) && t.text == word;
  }
  SourceLocation where(const Token& t) const { return {file_, t.line, t.column}; }
  SourceLocation here() const { return where(peek()); }
  const std::string& file() const { return file_; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::end:
        return "the end of the file";
      case Token::Kind::path:
        return "\"" + t.text + "\"";
      default:
        return "'" + t.text + "'";
    }
  }
  [[noreturn]] void fail_here(const std::string& expected) const {
    throw CaseError(here(), "expected " + expected + ", got " + describe(peek()));
  }
  /// Consumes the keyword or punctuation `word`; `context` says where ("in material SILICON").
  const Token& expect(const char* word, const std::string& context) {
    if (!is(word)) fail_here("'" + std::string(word) + "' " + context);
    return tokens_[pos_++];
  }
  /// Consumes the words of `phrase` ("heat transfer coefficient").
  void expect_phrase(const std::string& phrase, const std::string& context) {
    std::size_t start = 0;
    while (start < phrase.size()) {
      const auto end = std::min(phrase.find(' ', start), phrase.size());
      const std::string w = phrase.substr(start, end - start);
      if (!is(w.c_str())) fail_here("'" + phrase + "' " + context);
      ++pos_;
      start = end + 1;
    }
  }
  const Token& identifier(const std::string& what) {
    if (peek().kind != Token::Kind::word) fail_here(what);
    return tokens_[pos_++];
  }
  const Token& path(const std::string& what) {
    if (peek().kind != Token::Kind::path) fail_here(what + " in double quotes");
    return tokens_[pos_++];
  }
  double number(const std::string& what) {
    if (peek().kind != Token::Kind::number) fail_here(what);
    return tokens_[pos_++].value;
  }
  double positive(const std::string& what, const std::string& unit) {
    const Token& t = peek();
    const double v = number(what);
    if (!(v > 0.0)) throw CaseError(where(t), what + " must be > 0 " + unit + ", got " + t.text);
    return v;
  }
  const Token& next() { return tokens_[pos_++]; }

 private:
  std::string file_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

}  // namespace cposim::cases::import_detail::ice
