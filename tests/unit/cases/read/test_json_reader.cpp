/// \file
/// The strict JSON reader (cases/read/json_reader.hpp) that the sweep, the regression runner and
/// the tests use to read summary.json and point.json back.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "cases/read/json_reader.hpp"

using namespace cposim::cases;

TEST_CASE("parse_json reads values, keeps member order and decodes escapes") {
  const JsonValue doc =
      parse_json(R"({"b": [1, -2.5e3, true, null, "x\"\u00e9\ud83d\ude00"], "a": {}, "b": 2})");
  REQUIRE(doc.kind == JsonValue::Kind::object);
  REQUIRE(doc.members.size() == 3);
  CHECK(doc.members[0].first == "b");
  const JsonValue& list = doc.at("b");  // a duplicate key resolves to the first
  REQUIRE(list.items.size() == 5);
  CHECK(list.items[1].number == -2500.0);
  CHECK(list.items[2].boolean);
  CHECK(list.items[3].kind == JsonValue::Kind::null);
  CHECK(list.items[4].text == "x\"\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(doc.find("c") == nullptr);
  CHECK_THROWS_AS(doc.at("c"), std::out_of_range);
  CHECK(doc.number_or("b", 7.0) == 7.0);  // not a number
  CHECK(doc.text_or("c", "none") == "none");
}

TEST_CASE("parse_json rejects malformed text with its position") {
  CHECK_THROWS_WITH_AS(parse_json("{\"a\": 1,\n \"b\": }"),
                       "line 2, column 7: syntax error while parsing value - unexpected '}'; "
                       "expected '[', '{', or a literal",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(parse_json("{\n  \"a\": 1e999}"),
                       "line 2, column 12: number overflow parsing '1e999'", std::runtime_error);
  CHECK_THROWS_WITH_AS(parse_json("[1,\n 2"),
                       "line 2, column 3: syntax error while parsing array - unexpected end of "
                       "input; expected ']'",
                       std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": 1,})"), std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": 1} x)"), std::runtime_error);
  CHECK_THROWS_AS(parse_json("[1, 2"), std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": nan})"), std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": inf})"), std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": 01})"), std::runtime_error);
  CHECK_THROWS_AS(parse_json(R"({"a": 1e999})"), std::runtime_error);
  CHECK_THROWS_AS(parse_json("{\"a\": \"tab\there\"}"), std::runtime_error);
  CHECK_THROWS_AS(parse_json("\"\\ud800\""), std::runtime_error);  // unpaired surrogate
  CHECK_THROWS_AS(parse_json(std::string(300, '[') + std::string(300, ']')), std::runtime_error);
}
