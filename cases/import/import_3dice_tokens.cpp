/// \file
/// Tokens of 3D-ICE's .stk and .flp files.
#include "cases/import/import_3dice_tokens.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "cases/import/import_text.hpp"

namespace cposim::cases::import_detail::ice {

std::vector<Token> tokenize(const std::string& text, const std::string& file) {
  std::vector<Token> out;
  int line = 1, column = 1;
  std::size_t i = 0;
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
  };
  while (i < text.size()) {
    const char ch = text[i];
    if (std::isspace(static_cast<unsigned char>(ch))) {
      advance(1);
      continue;
    }
    if (text.compare(i, 2, "//") == 0) {
      while (i < text.size() && text[i] != '\n') advance(1);
      continue;
    }
    if (text.compare(i, 2, "/*") == 0) {
      const int l0 = line, c0 = column;
      const auto end = text.find("*/", i + 2);
      if (end == std::string::npos)
        throw CaseError({file, l0, c0}, "comment '/*' is not closed by '*/'");
      advance(end + 2 - i);
      continue;
    }
    Token t;
    t.line = line;
    t.column = column;
    if (ch == '"') {
      const auto end = text.find('"', i + 1);
      if (end == std::string::npos || text.find('\n', i + 1) < end)
        throw CaseError({file, line, column}, "a file path in quotes is not closed on its line");
      t.kind = Token::Kind::path;
      t.text = text.substr(i + 1, end - i - 1);
      advance(end + 1 - i);
    } else if (std::string_view("():;,.").find(ch) != std::string_view::npos) {
      t.kind = Token::Kind::punct;
      t.text = std::string(1, ch);
      advance(1);
    } else if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' ||
               ch == '.') {
      std::size_t j = i + 1;
      while (j < text.size()) {
        const char d = text[j];
        if (std::isalnum(static_cast<unsigned char>(d)) || d == '.' || d == '_' ||
            ((d == '+' || d == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E')))
          ++j;
        else
          break;
      }
      t.text = text.substr(i, j - i);
      if (const auto v = parse_number(t.text)) {
        t.kind = Token::Kind::number;
        t.value = *v;
      } else if (t.text == "2rm" || t.text == "4rm") {
        t.kind = Token::Kind::word;
      } else {
        throw CaseError({file, line, column}, "'" + t.text + "' is not a number");
      }
      advance(j - i);
    } else if (std::isalpha(static_cast<unsigned char>(ch))) {
      std::size_t j = i + 1;
      while (j < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' ||
              (text[j] == '-' && j + 1 < text.size() &&
               std::isalpha(static_cast<unsigned char>(text[j + 1])))))
        ++j;
      t.kind = Token::Kind::word;
      t.text = text.substr(i, j - i);
      advance(j - i);
    } else {
      throw CaseError({file, line, column}, std::string("unexpected character '") + ch + "'");
    }
    out.push_back(t);
  }
  Token end;
  end.kind = Token::Kind::end;
  end.line = line;
  end.column = column;
  out.push_back(end);
  return out;
}

}  // namespace cposim::cases::import_detail::ice
