/// \file
/// postproc::tabulate: column names, one row per element, and the HDF5 type each C++ value
/// type picks (float64, int32 for bool and narrow integers, int64, string).
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "postproc/io/tabulate.hpp"

namespace {

using cposim::postproc::tabulate;

struct Row {
  std::string name;
  double value_m = 0.0;
  int count = 0;
  std::int64_t cells = 0;
  bool pass = false;
};

template <class T>
const std::vector<T>& values_of(const cposim::postproc::ResultsTable& t, std::size_t column) {
  REQUIRE(column < t.columns.size());
  const auto* v = std::get_if<std::vector<T>>(&t.columns[column].values);
  REQUIRE(v != nullptr);
  return *v;
}

}  // namespace

TEST_CASE("tabulate: one column per name, one row per element, typed by the values") {
  const std::vector<Row> rows{{"a", 1.5e-3, 3, 1LL << 40, true}, {"b", -2.0, -7, 5, false}};
  const auto t = tabulate("group", "table", {"name", "value_mm", "count", "cells", "pass"}, rows,
                          [](const Row& r) {
                            return std::tuple{r.name, r.value_m * 1e3, r.count, r.cells, r.pass};
                          });
  CHECK(t.group == "group");
  CHECK(t.name == "table");
  REQUIRE(t.columns.size() == 5);
  CHECK(t.columns[1].name == "value_mm");
  CHECK(values_of<std::string>(t, 0) == std::vector<std::string>{"a", "b"});
  CHECK(values_of<double>(t, 1) == std::vector<double>{1.5, -2000.0});
  CHECK(values_of<std::int32_t>(t, 2) == std::vector<std::int32_t>{3, -7});
  CHECK(values_of<std::int64_t>(t, 3) == std::vector<std::int64_t>{1LL << 40, 5});
  CHECK(values_of<std::int32_t>(t, 4) == std::vector<std::int32_t>{1, 0});
}

TEST_CASE("tabulate: no rows gives empty typed columns, a name count off by one is a bug") {
  const std::vector<Row> none;
  const auto values = [](const Row& r) { return std::tuple{r.name, r.pass}; };
  const auto t = tabulate("g", "t", {"name", "pass"}, none, values);
  CHECK(values_of<std::string>(t, 0).empty());
  CHECK(values_of<std::int32_t>(t, 1).empty());
  CHECK_THROWS_AS(tabulate("g", "t", {"name"}, none, values), std::logic_error);
}
