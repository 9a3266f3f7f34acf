/// \file
/// Hdf5Handle, Hdf5Group and Hdf5File over the HDF5 C API.
#include "postproc/io/hdf5_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <stdexcept>
#include <type_traits>

namespace cposim::postproc {

static_assert(std::is_same_v<Hdf5Id, hid_t>, "Hdf5Id must be HDF5's hid_t (HDF5 >= 1.10)");
static_assert(std::is_same_v<unsigned long long, hsize_t>, "dims are passed as hsize_t");

namespace {

/// Library code never prints: switch off HDF5's automatic error stack printing. The setting
/// is process-wide; failures are reported through exceptions instead.
void silence_hdf5_errors() {
  // Files are always closed explicitly, so HDF5's exit handler is not needed; and after a
  // failed write (full disk) HDF5 1.10 cannot close the file, and that handler then crashes in
  // H5F__close_cb at exit, turning exit code 4 into a SIGSEGV. Only has an effect before HDF5
  // is first used.
  static const bool no_atexit = H5dont_atexit() >= 0;
  (void)no_atexit;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

herr_t keep_innermost(unsigned /*n*/, const H5E_error2_t* error, void* reason) {
  // Walking upward visits the innermost record (where the error was detected) first.
  auto& text = *static_cast<std::string*>(reason);
  if (text.empty() && error->desc) text = error->desc;
  return 0;
}

/// HDF5's own reason for the last failure on this thread, or "" if none is recorded.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &reason);
  H5Eclear2(H5E_DEFAULT);
  // A failed system call comes with a multi-line dump ("file write failed: time = …, errno =
  // 28, error message = 'No space left on device', buf = …"): keep what failed and why.
  const std::string tag = "error message = '";
  const auto system = reason.find(tag);
  if (system != std::string::npos) {
    const auto begin = system + tag.size();
    const std::string why = reason.substr(begin, reason.find('\'', begin) - begin);
    const auto colon = reason.find(": ");
    reason =
        (colon < system ? reason.substr(0, colon) : std::string("system call failed")) + ": " + why;
  }
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  return reason;
}

/// Throws "HDF5: <file>: cannot <what>: <HDF5's reason>".
[[noreturn]] void fail(const std::string& what, const std::string& file_path) {
  std::string message = "HDF5: " + file_path + ": cannot " + what;
  std::string reason = hdf5_reason();
  // File errors end in HDF5's open flags ("..., flags = 13, o_flags = 242"): noise to a user.
  const auto flags = reason.find(", flags = ");
  if (flags != std::string::npos) reason.erase(flags);
  if (!reason.empty()) message += ": " + reason;
  throw std::runtime_error(message);
}

/// Throws unless `id` is a valid identifier; returns it in an owning handle.
Hdf5Handle checked(hid_t id, const std::string& what, const std::string& file_path) {
  if (id < 0) fail(what, file_path);
  return Hdf5Handle(id);
}

void check(herr_t status, const std::string& what, const std::string& file_path) {
  if (status < 0) fail(what, file_path);
}

herr_t close_id(hid_t id) {
  switch (H5Iget_type(id)) {
    case H5I_FILE:
      return H5Fclose(id);
    case H5I_GROUP:
      return H5Gclose(id);
    case H5I_DATASET:
      return H5Dclose(id);
    case H5I_ATTR:
      return H5Aclose(id);
    case H5I_DATASPACE:
      return H5Sclose(id);
    case H5I_DATATYPE:
      return H5Tclose(id);
    case H5I_GENPROP_LST:
      return H5Pclose(id);
    default:
      return -1;
  }
}

/// Fixed-length, NUL-terminated string type of `size` bytes (including the NUL). Marked UTF-8
/// if `utf8`, else ASCII.
Hdf5Handle string_type(std::size_t size, bool utf8, const std::string& file_path) {
  Hdf5Handle type = checked(H5Tcopy(H5T_C_S1), "copy the string type", file_path);
  check(H5Tset_size(type.get(), size), "size a string type", file_path);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "set string padding", file_path);
  check(H5Tset_cset(type.get(), utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII), "set a character set",
        file_path);
  return type;
}

bool is_ascii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void require_no_nul(const std::string& text, const std::string& where) {
  if (text.find('\0') != std::string::npos)
    throw std::invalid_argument("HDF5: string for '" + where + "' contains a NUL byte");
}

void require_plain_name(const std::string& name, const std::string& parent) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw std::invalid_argument("HDF5: bad object name '" + name + "' under '" + parent +
                                "' (must be non-empty and contain no '/')");
}

std::vector<hsize_t> shape_dims(std::size_t count, const std::array<std::size_t, 3>& shape,
                                const std::string& where) {
  if (shape[0] * shape[1] * shape[2] != count)
    throw std::invalid_argument("HDF5: dataset '" + where + "' has " + std::to_string(count) +
                                " values but shape " + std::to_string(shape[0]) + "x" +
                                std::to_string(shape[1]) + "x" + std::to_string(shape[2]));
  return {shape[0], shape[1], shape[2]};
}

std::size_t column_length(const Hdf5Column& column) {
  return std::visit([](const auto& values) { return values.size(); }, column.values);
}

}  // namespace

// ---- Hdf5Handle -----------------------------------------------------------------------------

Hdf5Handle::~Hdf5Handle() {
  if (valid()) close_id(id_);
}

Hdf5Handle& Hdf5Handle::operator=(Hdf5Handle&& other) noexcept {
  if (this != &other) {
    if (valid()) close_id(id_);
    id_ = other.release();
  }
  return *this;
}

void Hdf5Handle::close(const std::string& what) {
  if (!valid()) return;
  const herr_t status = close_id(release());
  if (status < 0) {
    std::string message = "HDF5: cannot close " + what;
    const std::string reason = hdf5_reason();
    if (!reason.empty()) message += ": " + reason;
    throw std::runtime_error(message);
  }
}

// ---- Hdf5Group ------------------------------------------------------------------------------

Hdf5Group::Hdf5Group(Hdf5Handle handle, std::string path, std::string file_path, bool writes_data,
                     bool parallel)
    : handle_(std::move(handle)),
      path_(std::move(path)),
      file_path_(std::move(file_path)),
      writes_data_(writes_data),
      parallel_(parallel) {}

std::string Hdf5Group::child_path(const std::string& name) const {
  require_plain_name(name, path_);
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

Hdf5Group Hdf5Group::create_group(const std::string& name) const {
  const std::string path = child_path(name);
  Hdf5Handle group =
      checked(H5Gcreate2(handle_.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              "create group '" + path + "'", file_path_);
  return Hdf5Group(std::move(group), path, file_path_, writes_data_, parallel_);
}

void Hdf5Group::write_numeric(const std::string& name, const void* data, Hdf5Id memory_type,
                              Hdf5Id file_type, const std::vector<hsize_t>& dims) const {
  const std::string path = child_path(name);
  const Hdf5Handle space =
      checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
              "create the dataspace of '" + path + "'", file_path_);
  Hdf5Handle dataset = checked(H5Dcreate2(handle_.get(), name.c_str(), file_type, space.get(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "create dataset '" + path + "'", file_path_);
  // An empty dataset has nothing to write (and `data` may be null). Of a parallel file, rank 0
  // writes the small datasets (independent transfer); the others only took part in creating.
  if (writes_data_ && H5Sget_simple_extent_npoints(space.get()) > 0)
    check(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          "write dataset '" + path + "'", file_path_);
  dataset.close("dataset '" + path + "' in file '" + file_path_ + "'");
}

void Hdf5Group::write_dataset(const std::string& name, const std::vector<double>& values) const {
  write_numeric(name, values.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, {values.size()});
}

void Hdf5Group::write_block_numeric(const std::string& name, const void* data, std::size_t size,
                                    Hdf5Id memory_type, Hdf5Id file_type,
                                    const std::array<std::size_t, 3>& shape,
                                    const std::array<std::size_t, 3>& offset,
                                    const std::array<std::size_t, 3>& count) const {
  const std::string path = child_path(name);
  const std::vector<hsize_t> dims = shape_dims(shape[0] * shape[1] * shape[2], shape, path);
  const std::vector<hsize_t> start{offset[0], offset[1], offset[2]};
  const std::vector<hsize_t> block = shape_dims(size, count, path);
  for (int a = 0; a < 3; ++a)
    if (start[a] + block[a] > dims[a])
      throw std::invalid_argument("HDF5: block of '" + path + "' reaches past the dataset");
  const Hdf5Handle space = checked(H5Screate_simple(3, dims.data(), nullptr),
                                   "create the dataspace of '" + path + "'", file_path_);
  Hdf5Handle dataset = checked(H5Dcreate2(handle_.get(), name.c_str(), file_type, space.get(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "create dataset '" + path + "'", file_path_);
  const Hdf5Handle memory = checked(H5Screate_simple(3, block.data(), nullptr),
                                    "create the memory dataspace of '" + path + "'", file_path_);
  if (size == 0) {  // a rank without cells still takes part in the collective write
    check(H5Sselect_none(space.get()), "select nothing of '" + path + "'", file_path_);
    check(H5Sselect_none(memory.get()), "select nothing of '" + path + "'", file_path_);
  } else {
    check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(),
                              nullptr),
          "select the block of '" + path + "'", file_path_);
  }
  const Hdf5Handle transfer =
      checked(H5Pcreate(H5P_DATASET_XFER), "create a transfer property list", file_path_);
#ifdef CPOSIM_WITH_PARALLEL_HDF5
  if (parallel_)
    check(H5Pset_dxpl_mpio(transfer.get(), H5FD_MPIO_COLLECTIVE),
          "ask for a collective transfer of '" + path + "'", file_path_);
#endif
  if (parallel_ || size > 0)
    check(H5Dwrite(dataset.get(), memory_type, memory.get(), space.get(), transfer.get(), data),
          "write dataset '" + path + "'", file_path_);
  dataset.close("dataset '" + path + "' in file '" + file_path_ + "'");
}

void Hdf5Group::write_block(const std::string& name, const std::vector<double>& values,
                            const std::array<std::size_t, 3>& shape,
                            const std::array<std::size_t, 3>& offset,
                            const std::array<std::size_t, 3>& count) const {
  write_block_numeric(name, values.data(), values.size(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, shape,
                      offset, count);
}

void Hdf5Group::write_block(const std::string& name, const std::vector<std::int32_t>& values,
                            const std::array<std::size_t, 3>& shape,
                            const std::array<std::size_t, 3>& offset,
                            const std::array<std::size_t, 3>& count) const {
  write_block_numeric(name, values.data(), values.size(), H5T_NATIVE_INT32, H5T_STD_I32LE, shape,
                      offset, count);
}

void Hdf5Group::write_dataset(const std::string& name,
                              const std::vector<std::int32_t>& values) const {
  write_numeric(name, values.data(), H5T_NATIVE_INT32, H5T_STD_I32LE, {values.size()});
}

void Hdf5Group::write_dataset(const std::string& name,
                              const std::vector<std::int64_t>& values) const {
  write_numeric(name, values.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, {values.size()});
}

void Hdf5Group::write_dataset(const std::string& name,
                              const std::vector<std::string>& values) const {
  const std::string path = child_path(name);
  std::size_t longest = 0;
  bool ascii = true;
  for (const auto& value : values) {
    require_no_nul(value, path);
    longest = std::max(longest, value.size());
    ascii = ascii && is_ascii(value);
  }
  const std::size_t width = longest + 1;  // room for the terminating NUL
  std::vector<char> packed(values.size() * width, '\0');
  for (std::size_t row = 0; row < values.size(); ++row)
    std::copy(values[row].begin(), values[row].end(), packed.begin() + row * width);
  const Hdf5Handle type = string_type(width, !ascii, file_path_);
  write_numeric(name, packed.data(), type.get(), type.get(), {values.size()});
}

void Hdf5Group::write_text(const std::string& name, const std::string& text) const {
  const std::string path = child_path(name);
  require_no_nul(text, path);
  const Hdf5Handle type = string_type(text.size() + 1, !is_ascii(text), file_path_);
  const Hdf5Handle space =
      checked(H5Screate(H5S_SCALAR), "create the dataspace of '" + path + "'", file_path_);
  Hdf5Handle dataset = checked(H5Dcreate2(handle_.get(), name.c_str(), type.get(), space.get(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "create dataset '" + path + "'", file_path_);
  if (writes_data_)
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.c_str()),
          "write dataset '" + path + "'", file_path_);
  dataset.close("dataset '" + path + "' in file '" + file_path_ + "'");
}

void Hdf5Group::write_table(const std::string& name, const std::vector<Hdf5Column>& columns) const {
  const std::string path = child_path(name);
  const std::size_t rows = columns.empty() ? 0 : column_length(columns.front());
  std::string names;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (column_length(columns[c]) != rows)
      throw std::invalid_argument("HDF5: table '" + path + "' column '" + columns[c].name +
                                  "' has " + std::to_string(column_length(columns[c])) +
                                  " rows, the first column has " + std::to_string(rows));
    for (std::size_t d = 0; d < c; ++d)
      if (columns[d].name == columns[c].name)
        throw std::invalid_argument("HDF5: table '" + path + "' repeats column '" +
                                    columns[c].name + "'");
    names += (c == 0 ? "" : ",") + columns[c].name;
  }
  const Hdf5Group table = create_group(name);
  for (const auto& column : columns)
    std::visit([&](const auto& values) { table.write_dataset(column.name, values); },
               column.values);
  table.set_string_attribute("columns", names);
  table.set_integer_attribute("num_rows", static_cast<std::int64_t>(rows));
}

void Hdf5Group::write_attribute(const std::string& name, Hdf5Id file_type, Hdf5Id memory_type,
                                const void* data) const {
  const std::string where = "attribute '" + name + "' on '" + path_ + "'";
  if (name.empty()) throw std::invalid_argument("HDF5: empty attribute name on '" + path_ + "'");
  const Hdf5Handle space =
      checked(H5Screate(H5S_SCALAR), "create a scalar dataspace for " + where, file_path_);
  Hdf5Handle attribute = checked(
      H5Acreate2(handle_.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "create " + where, file_path_);
  check(H5Awrite(attribute.get(), memory_type, data), "write " + where, file_path_);
  attribute.close(where + " in file '" + file_path_ + "'");
}

void Hdf5Group::set_string_attribute(const std::string& name, const std::string& value) const {
  require_no_nul(value, path_ + "@" + name);
  if (value.size() > kMaxStringAttributeBytes)
    throw std::invalid_argument("HDF5: attribute '" + path_ + "@" + name + "' would hold " +
                                std::to_string(value.size()) + " bytes, more than " +
                                std::to_string(kMaxStringAttributeBytes) +
                                "; long text is written as a dataset");
  const Hdf5Handle type = string_type(value.size() + 1, !is_ascii(value), file_path_);
  write_attribute(name, type.get(), type.get(), value.c_str());
}

void Hdf5Group::set_real_attribute(const std::string& name, double value) const {
  write_attribute(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void Hdf5Group::set_integer_attribute(const std::string& name, std::int64_t value) const {
  write_attribute(name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

// ---- Hdf5File -------------------------------------------------------------------------------

Hdf5File::Hdf5File(Hdf5Handle handle, std::string path, bool writes_data, bool parallel)
    : handle_(std::move(handle)),
      path_(std::move(path)),
      writes_data_(writes_data),
      parallel_(parallel) {}

Hdf5File Hdf5File::create(const std::string& path) {
  silence_hdf5_errors();
  Hdf5Handle file = checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                            "create the file", path);
  return Hdf5File(std::move(file), path, true, false);
}

Hdf5File Hdf5File::create_parallel(const std::string& path, int mpi_comm_f) {
#ifdef CPOSIM_WITH_PARALLEL_HDF5
  silence_hdf5_errors();
  const MPI_Comm comm = MPI_Comm_f2c(mpi_comm_f);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const Hdf5Handle access =
      checked(H5Pcreate(H5P_FILE_ACCESS), "create a file access property list", path);
  check(H5Pset_fapl_mpio(access.get(), comm, MPI_INFO_NULL), "select MPI-IO", path);
  Hdf5Handle file = checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()),
                            "create the file", path);
  return Hdf5File(std::move(file), path, rank == 0, true);
#else
  (void)mpi_comm_f;
  throw std::runtime_error("HDF5: " + path +
                           ": cannot write from MPI ranks: this build has serial HDF5 only");
#endif
}

Hdf5Group Hdf5File::root() const {
  if (!handle_.valid()) throw std::runtime_error("HDF5: file '" + path_ + "' is already closed");
  return Hdf5Group(checked(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), "open the root group", path_),
                   "/", path_, writes_data_, parallel_);
}

void Hdf5File::close() {
  if (!handle_.valid()) return;
  // Flush first: with HDF5's default (weak) close degree, H5Fclose succeeds while groups are
  // still open and defers the real close; the flush is what reports a failed write.
  check(H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL), "flush", path_);
  handle_.close("file '" + path_ + "'");
}

}  // namespace cposim::postproc
