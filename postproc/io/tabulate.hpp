/// \file
/// A ResultsTable from a list of rows: the column names once, and per row one tuple of its
/// values. Replaces the pattern "one vector per column, a loop of push_backs, then a list of
/// moves", which repeated the column list three times in every table writer.
///
///     content.tables.push_back(tabulate(
///         "limits", "regions", {"region", "limit_K", "pass"}, limits.regions,
///         [](const RegionLimit& r) { return std::tuple{r.region, r.limit_K, r.pass}; }));
///
/// A value's C++ type picks its column's HDF5 type: floating point → float64, bool → int32
/// (1 or 0), integers of up to 32 bits → int32, wider integers → int64, strings → string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "postproc/io/results_writer.hpp"

namespace cposim::postproc {
namespace tabulate_detail {

/// The element type of the column that stores values of type `T`.
template <class T>
struct Stored {
  static_assert(std::is_arithmetic_v<T>, "tabulate: a value must be a number, bool or string");
  static constexpr bool narrow =
      std::is_same_v<T, bool> || (std::is_signed_v<T> ? sizeof(T) <= 4 : sizeof(T) < 4);
  using type = std::conditional_t<std::is_floating_point_v<T>, double,
                                  std::conditional_t<narrow, std::int32_t, std::int64_t>>;
};
template <>
struct Stored<std::string> {
  using type = std::string;
};
template <>
struct Stored<const char*> {
  using type = std::string;
};

template <class T>
using StoredT = typename Stored<std::decay_t<T>>::type;

template <class Tuple, std::size_t... I>
auto empty_columns(std::index_sequence<I...>) {
  return std::tuple<std::vector<StoredT<std::tuple_element_t<I, Tuple>>>...>{};
}

template <class Columns, class Tuple, std::size_t... I>
void append(Columns& columns, Tuple&& row, std::index_sequence<I...>) {
  (std::get<I>(columns).push_back(
       static_cast<StoredT<std::tuple_element_t<I, std::decay_t<Tuple>>>>(
           std::get<I>(std::forward<Tuple>(row)))),
   ...);
}

template <class Columns, std::size_t... I>
std::vector<Hdf5Column> named(Columns&& columns, const std::vector<std::string>& names,
                              std::index_sequence<I...>) {
  std::vector<Hdf5Column> out;
  out.reserve(sizeof...(I));
  (out.push_back({names[I], std::move(std::get<I>(columns))}), ...);
  return out;
}

}  // namespace tabulate_detail

/// The table `group`/`name` with one column per entry of `names` and one row per element of
/// `rows`; `values(row)` returns the row's values as a std::tuple in the order of `names`.
/// Throws std::logic_error when the tuple and `names` differ in length (a bug in the caller).
template <class Rows, class Values>
ResultsTable tabulate(std::string group, std::string name, const std::vector<std::string>& names,
                      const Rows& rows, Values values) {
  using Row = decltype(*std::begin(rows));
  using Tuple = std::decay_t<std::invoke_result_t<Values&, Row>>;
  constexpr std::size_t n = std::tuple_size_v<Tuple>;
  if (names.size() != n)
    throw std::logic_error("tabulate: table " + group + "/" + name + " names " +
                           std::to_string(names.size()) + " columns but its rows have " +
                           std::to_string(n) + " values");
  const auto index = std::make_index_sequence<n>{};
  auto columns = tabulate_detail::empty_columns<Tuple>(index);
  for (const auto& row : rows) tabulate_detail::append(columns, values(row), index);
  return {std::move(group), std::move(name),
          tabulate_detail::named(std::move(columns), names, index)};
}

}  // namespace cposim::postproc
