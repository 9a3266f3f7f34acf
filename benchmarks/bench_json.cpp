/// \file
/// Recursive-descent JSON reader: small on purpose, strict on syntax.
#include "benchmarks/bench_json.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace cposim::bench {
namespace {

/// Nesting beyond this is refused rather than risking the stack (summary.json nests 3 deep).
constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  JsonValue document() {
    JsonValue v = value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw std::runtime_error("line " + std::to_string(line) + ", column " + std::to_string(column) +
                             ": " + what);
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  char peek() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    return text_[pos_];
  }

  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  void literal(const char* word) {
    for (const char* p = word; *p; ++p, ++pos_)
      if (pos_ >= text_.size() || text_[pos_] != *p) fail(std::string("expected '") + word + "'");
  }

  JsonValue value(int depth) {
    if (depth > kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth));
    JsonValue v;
    const char c = peek();
    if (c == '{') {
      v.kind = JsonValue::Kind::object;
      ++pos_;
      if (peek() == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        if (peek() != '"') fail("expected a member name in quotes");
        std::string key = string();
        expect(':');
        v.object.emplace_back(std::move(key), value(depth + 1));
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = JsonValue::Kind::array;
      ++pos_;
      if (peek() == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.array.push_back(value(depth + 1));
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = JsonValue::Kind::string;
      v.string = string();
      return v;
    }
    if (c == 't' || c == 'f') {
      v.kind = JsonValue::Kind::boolean;
      v.boolean = c == 't';
      literal(v.boolean ? "true" : "false");
      return v;
    }
    if (c == 'n') {
      literal("null");
      return v;
    }
    v.kind = JsonValue::Kind::number;
    v.number = number();
    return v;
  }

  double number() {
    // Check the RFC 8259 grammar first; strtod alone would also take "inf", "0x1p3" or " 1".
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      return pos_ > from;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (!digits()) fail("expected a value");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) fail("expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) fail("expected digits in the exponent");
    }
    const std::string token = text_.substr(start, pos_ - start);
    errno = 0;
    const double x = std::strtod(token.c_str(), nullptr);
    if (errno == ERANGE && (x > 1.0 || x < -1.0)) fail("number out of range: " + token);
    return x;
  }

  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) fail("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          append_utf8(out, code_point());
          break;
        default:
          fail(std::string("unknown escape '\\") + e + "'");
      }
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > text_.size()) fail("short \\u escape");
    unsigned u = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      u <<= 4;
      if (h >= '0' && h <= '9')
        u |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        u |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        u |= static_cast<unsigned>(h - 'A' + 10);
      else
        fail("bad hex digit in a \\u escape");
    }
    return u;
  }

  unsigned code_point() {
    const unsigned u = hex4();
    if (u < 0xD800 || u > 0xDFFF) return u;
    if (u > 0xDBFF || pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u')
      fail("unpaired surrogate in a \\u escape");
    pos_ += 2;
    const unsigned low = hex4();
    if (low < 0xDC00 || low > 0xDFFF) fail("unpaired surrogate in a \\u escape");
    return 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
  }

  static void append_utf8(std::string& out, unsigned cp) {
    auto byte = [&](unsigned b) { out += static_cast<char>(static_cast<unsigned char>(b)); };
    if (cp < 0x80) {
      byte(cp);
    } else if (cp < 0x800) {
      byte(0xC0 | (cp >> 6));
      byte(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      byte(0xE0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 0x3F));
      byte(0x80 | (cp & 0x3F));
    } else {
      byte(0xF0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 0x3F));
      byte(0x80 | ((cp >> 6) & 0x3F));
      byte(0x80 | (cp & 0x3F));
    }
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

const JsonValue* element_named(const JsonValue& array, const std::string& name) {
  for (const char* key : {"name", "region"})
    for (const auto& e : array.array)
      if (const JsonValue* m = e.member(key);
          m && m->kind == JsonValue::Kind::string && m->string == name)
        return &e;
  return nullptr;
}

}  // namespace

const JsonValue* JsonValue::member(const std::string& key) const {
  if (kind != Kind::object) return nullptr;
  for (const auto& [k, v] : object)
    if (k == key) return &v;
  return nullptr;
}

JsonValue parse_json(const std::string& text) { return Parser(text).document(); }

MetricLookup lookup_number(const JsonValue& root, const std::string& path) {
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const JsonValue* at = &root;
  std::string walked;
  for (std::size_t i = 0; i < segments.size();) {
    const std::string& segment = segments[i];
    const std::string where = walked.empty() ? "the summary" : walked;
    if (segment.empty()) return {std::nullopt, "empty segment in metric path '" + path + "'"};
    const JsonValue* next = nullptr;
    std::size_t used = 1;
    if (at->kind == JsonValue::Kind::object) {
      next = at->member(segment);
      if (!next) return {std::nullopt, "no member '" + segment + "' in " + where};
    } else if (at->kind == JsonValue::Kind::array && all_digits(segment)) {
      const auto index = std::strtoull(segment.c_str(), nullptr, 10);
      if (index >= at->array.size())
        return {std::nullopt, where + " has " + std::to_string(at->array.size()) +
                                  " elements, no index " + segment};
      next = &at->array[index];
    } else if (at->kind == JsonValue::Kind::array) {
      // Names may contain '.' (cases/ allows it): try "a", then "a.b", ... as the name.
      std::string name = segment;
      for (; i + used <= segments.size(); name += "." + segments[i + used], ++used)
        if ((next = element_named(*at, name)) != nullptr || i + used == segments.size()) break;
      if (!next) return {std::nullopt, "no element named '" + segment + "' in " + where};
    } else {
      return {std::nullopt, where + " is not an object or array, so it has no '" + segment + "'"};
    }
    for (std::size_t k = 0; k < used; ++k) walked += (walked.empty() ? "" : ".") + segments[i + k];
    at = next;
    i += used;
  }
  switch (at->kind) {
    case JsonValue::Kind::number:
      return {at->number, ""};
    case JsonValue::Kind::boolean:
      return {at->boolean ? 1.0 : 0.0, ""};
    case JsonValue::Kind::null:
      return {std::nullopt, path + " is null (NaN or infinite)"};
    default:
      return {std::nullopt, path + " is not a number"};
  }
}

}  // namespace cposim::bench
