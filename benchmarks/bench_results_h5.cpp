/// \file
/// Reads table columns and attributes with the HDF5 C API (read-only, errors as text).
#include "benchmarks/bench_results_h5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace cposim::bench {
namespace {

/// Owns one identifier and closes it with `close` (H5Fclose, H5Dclose, ...).
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(Id&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id& operator=(Id&&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

/// Thrown inside this file only; lookup_h5_metric turns it into MetricLookup::error.
struct LookupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::size_t num_elements(hid_t dataset, const std::string& path) {
  Id space(H5Dget_space(dataset), H5Sclose);
  if (!space.valid()) throw LookupError("cannot read the shape of " + path);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) throw LookupError("cannot read the shape of " + path);
  return static_cast<std::size_t>(n);
}

Id open_dataset(hid_t file, const std::string& path) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) {
    // H5Lexists fails on a missing intermediate group; either way the column is not there.
    throw LookupError("no dataset " + path);
  }
  Id dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw LookupError(path + " is not a dataset");
  return dataset;
}

std::vector<double> read_numbers(hid_t file, const std::string& path) {
  Id dataset = open_dataset(file, path);
  Id type(H5Dget_type(dataset.get()), H5Tclose);
  const H5T_class_t kind = H5Tget_class(type.get());
  if (kind != H5T_FLOAT && kind != H5T_INTEGER)
    throw LookupError(path + " is not a numeric column");
  std::vector<double> values(num_elements(dataset.get(), path));
  // HDF5 converts int32/int64 to double on read.
  if (!values.empty() &&
      H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw LookupError("cannot read " + path);
  return values;
}

std::vector<std::string> read_texts(hid_t file, const std::string& path) {
  Id dataset = open_dataset(file, path);
  Id type(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0)
    throw LookupError(path + " is not a fixed-length text column");
  const std::size_t width = H5Tget_size(type.get());
  const std::size_t n = num_elements(dataset.get(), path);
  std::vector<char> buffer(n * width + 1, '\0');
  if (n > 0 && H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    throw LookupError("cannot read " + path);
  std::vector<std::string> texts(n);
  for (std::size_t i = 0; i < n; ++i) {
    const char* at = buffer.data() + i * width;
    texts[i].assign(at, std::find(at, at + width, '\0'));
  }
  return texts;
}

double read_attribute(hid_t file, const std::string& group, const std::string& name) {
  if (H5Aexists_by_name(file, group.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
    throw LookupError("no attribute '" + name + "' on " + group);
  Id attribute(H5Aopen_by_name(file, group.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
               H5Aclose);
  Id type(H5Aget_type(attribute.get()), H5Tclose);
  const H5T_class_t kind = H5Tget_class(type.get());
  if (kind != H5T_FLOAT && kind != H5T_INTEGER)
    throw LookupError("attribute '" + name + "' on " + group + " is not a number");
  Id space(H5Aget_space(attribute.get()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw LookupError("attribute '" + name + "' on " + group + " is not a single number");
  double value = 0.0;
  if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    throw LookupError("cannot read attribute '" + name + "' on " + group);
  return value;
}

double reduce(const std::vector<double>& v, const std::string& reducer, const std::string& path) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (reducer == "count") return static_cast<double>(v.size());
  if (v.empty()) throw LookupError(path + " has no rows");
  const bool any_nan = std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
  if (reducer == "min") return any_nan ? nan : *std::min_element(v.begin(), v.end());
  if (reducer == "max") return any_nan ? nan : *std::max_element(v.begin(), v.end());
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  if (reducer == "sum") return sum;
  if (reducer == "mean") return sum / static_cast<double>(v.size());
  throw LookupError("unknown reducer '" + reducer + "' (min, max, sum, mean, count)");
}

double evaluate(hid_t file, const std::string& selector) {
  if (selector.empty() || selector[0] != '/')
    throw LookupError("an h5: metric starts with '/', got '" + selector + "'");
  if (const auto at = selector.find('@'); at != std::string::npos) {
    return read_attribute(file, selector.substr(0, at), selector.substr(at + 1));
  }
  if (const auto open = selector.find('['); open != std::string::npos) {
    if (selector.back() != ']') throw LookupError("missing ']' in '" + selector + "'");
    const std::string column = selector.substr(0, open);
    const std::string row = selector.substr(open + 1, selector.size() - open - 2);
    const std::vector<double> values = read_numbers(file, column);
    std::size_t index = 0;
    if (const auto eq = row.find('='); eq != std::string::npos) {
      const std::string key_column = column.substr(0, column.rfind('/') + 1) + row.substr(0, eq);
      const std::vector<std::string> keys = read_texts(file, key_column);
      const std::string wanted = row.substr(eq + 1);
      const auto it = std::find(keys.begin(), keys.end(), wanted);
      if (it == keys.end()) throw LookupError("no row with " + row + " in " + key_column);
      index = static_cast<std::size_t>(it - keys.begin());
    } else {
      char* end = nullptr;
      const unsigned long long n = std::strtoull(row.c_str(), &end, 10);
      if (row.empty() || *end != '\0') throw LookupError("bad row '" + row + "' in " + selector);
      index = static_cast<std::size_t>(n);
    }
    if (index >= values.size())
      throw LookupError(column + " has " + std::to_string(values.size()) + " rows, no row " +
                        std::to_string(index));
    return values[index];
  }
  const auto colon = selector.rfind(':');
  if (colon == std::string::npos)
    throw LookupError("'" + selector + "' needs @ATTR, [ROW] or :REDUCER");
  const std::string column = selector.substr(0, colon);
  return reduce(read_numbers(file, column), selector.substr(colon + 1), column);
}

}  // namespace

MetricLookup lookup_h5_metric(const std::string& h5_path, const std::string& selector) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become text, never printed by HDF5
  Id file(H5Fopen(h5_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) return {std::nullopt, "cannot open " + h5_path};
  try {
    const double value = evaluate(file.get(), selector);
    if (!std::isfinite(value)) return {std::nullopt, "h5:" + selector + " is NaN or infinite"};
    return {value, ""};
  } catch (const LookupError& e) {
    return {std::nullopt, e.what()};
  }
}

}  // namespace cposim::bench
