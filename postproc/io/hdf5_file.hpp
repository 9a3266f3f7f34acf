#pragma once
/// \file
/// Small RAII layer over the HDF5 C API: files, groups, datasets and attributes, with every
/// failure thrown as std::runtime_error naming the file and object that failed.
///
/// The header does not include hdf5.h (HDF5 is a PRIVATE dependency of cposim_postproc).
/// HDF5's automatic error printing is switched off, process-wide, the first time a file is
/// created: library code never prints. The serial HDF5 library is not thread-safe, so use
/// these classes from one thread at a time.
///
/// A file created with Hdf5File::create_parallel is written by every rank of a communicator
/// (MPI-IO): every rank makes the same calls in the same order (HDF5's collective metadata
/// rule); small datasets and texts are written by rank 0 only, field blocks by every rank
/// (write_block, collective transfer). Attributes are written by all ranks with the same value.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cposim::postproc {

/// An HDF5 identifier (`hid_t`, a 64-bit integer since HDF5 1.10), kept as a plain integer so
/// that callers need no HDF5 headers. Negative means "no object".
using Hdf5Id = std::int64_t;

/// The longest string attribute Hdf5Group::set_string_attribute writes (bytes, without the
/// NUL): well below the 64 KiB an HDF5 object header holds per attribute. Longer text is a
/// dataset (Hdf5Group::write_text).
inline constexpr std::size_t kMaxStringAttributeBytes = 16384;

/// Owns one HDF5 identifier and releases it with the close function of its kind (file,
/// group, dataset, attribute, dataspace, datatype or property list). Move-only.
class Hdf5Handle {
 public:
  Hdf5Handle() = default;
  /// Takes ownership of `id`. A negative id makes an empty handle.
  explicit Hdf5Handle(Hdf5Id id) : id_(id) {}
  /// Closes the identifier if it is still open; a failure here cannot be reported and is
  /// ignored (use close() where it matters).
  ~Hdf5Handle();
  Hdf5Handle(Hdf5Handle&& other) noexcept : id_(other.release()) {}
  Hdf5Handle& operator=(Hdf5Handle&& other) noexcept;
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;

  /// The identifier, still owned by this handle.
  Hdf5Id get() const { return id_; }
  /// True if the handle owns an identifier.
  bool valid() const { return id_ >= 0; }
  /// Closes the identifier now. Throws std::runtime_error with `what` in the message if HDF5
  /// reports a failure. The handle is empty afterwards, whether or not closing succeeded.
  void close(const std::string& what);

 private:
  Hdf5Id release() {
    const Hdf5Id id = id_;
    id_ = -1;
    return id;
  }
  Hdf5Id id_ = -1;
};

/// One column of a table stored as parallel 1-D datasets: its name (carrying its unit, e.g.
/// "T_max_K") and one value per row.
struct Hdf5Column {
  std::string name;
  std::variant<std::vector<double>, std::vector<std::int32_t>, std::vector<std::int64_t>,
               std::vector<std::string>>
      values;
};

/// An open group of an HDF5 file ("/" for the root group). Writes subgroups, datasets and
/// attributes. Datasets are stored little-endian (IEEE float64, int32, int64) and contiguous;
/// strings are fixed-length, NUL-terminated, ASCII if every byte is < 0x80 and UTF-8
/// otherwise (ParaView's readers do not accept variable-length strings in every place).
/// Writing a dataset, subgroup or attribute whose name already exists throws
/// std::runtime_error. Names must not contain '/'. A group keeps its file open in HDF5 until
/// it is destroyed.
class Hdf5Group {
 public:
  /// Takes ownership of an open group `handle` at HDF5 path `path` in file `file_path` (both
  /// used in error messages). Normally obtained from Hdf5File::root() or create_group().
  /// `writes_data`: false on the ranks other than 0 of a parallel file, which take part in
  /// creating every object but leave the writing of small datasets to rank 0.
  Hdf5Group(Hdf5Handle handle, std::string path, std::string file_path, bool writes_data = true,
            bool parallel = false);

  /// HDF5 path of the group, e.g. "/regions".
  const std::string& path() const { return path_; }

  /// Creates the subgroup `name`. Throws std::runtime_error.
  Hdf5Group create_group(const std::string& name) const;

  /// Writes a 1-D float64 dataset of values.size() elements. Throws std::runtime_error.
  void write_dataset(const std::string& name, const std::vector<double>& values) const;
  /// Creates the 3-D float64 dataset `name` of shape {n0, n1, n2} (C order) and writes this
  /// rank's block into it: `count` values per axis from `offset` (both slowest axis first),
  /// values.size() = count[0]·count[1]·count[2], C order. On a parallel file every rank calls
  /// it (collective create and collective transfer); on a serial file the block is the whole
  /// dataset. Throws std::invalid_argument on a size or range mismatch, std::runtime_error on
  /// an HDF5 failure.
  void write_block(const std::string& name, const std::vector<double>& values,
                   const std::array<std::size_t, 3>& shape,
                   const std::array<std::size_t, 3>& offset,
                   const std::array<std::size_t, 3>& count) const;
  /// The int32 form of write_block.
  void write_block(const std::string& name, const std::vector<std::int32_t>& values,
                   const std::array<std::size_t, 3>& shape,
                   const std::array<std::size_t, 3>& offset,
                   const std::array<std::size_t, 3>& count) const;
  /// Writes a 1-D int32 dataset. Throws std::runtime_error.
  void write_dataset(const std::string& name, const std::vector<std::int32_t>& values) const;
  /// Writes a 1-D int64 dataset. Throws std::runtime_error.
  void write_dataset(const std::string& name, const std::vector<std::int64_t>& values) const;
  /// Writes a 1-D dataset of fixed-length strings (length of the longest + 1 for the NUL).
  /// Throws std::invalid_argument if a string contains a NUL byte, std::runtime_error on an
  /// HDF5 failure.
  void write_dataset(const std::string& name, const std::vector<std::string>& values) const;

  /// Writes `text` as a scalar dataset of one fixed-length string (its length + 1 for the NUL;
  /// ASCII, or UTF-8 if non-ASCII). Unlike an attribute (at most 64 KiB in an HDF5 object
  /// header) a dataset has no practical size limit: long text (a resolved case) goes here.
  /// Throws std::invalid_argument if `text` contains a NUL byte, std::runtime_error on an HDF5
  /// failure.
  void write_text(const std::string& name, const std::string& text) const;

  /// Writes a table as the subgroup `name` holding one 1-D dataset per column, plus two
  /// attributes on the subgroup: "columns" (the column names in order, comma-separated) and
  /// "num_rows" (int64). Throws std::invalid_argument if the columns differ in length or a
  /// name repeats, std::runtime_error on an HDF5 failure.
  void write_table(const std::string& name, const std::vector<Hdf5Column>& columns) const;

  /// Sets a scalar fixed-length string attribute on this group. An attribute lives in the
  /// group's object header, which holds at most 64 KiB per attribute: keep attributes short and
  /// write long text with write_text. Throws std::invalid_argument if `value` contains a NUL
  /// byte or is longer than kMaxStringAttributeBytes, std::runtime_error on an HDF5 failure.
  void set_string_attribute(const std::string& name, const std::string& value) const;
  /// Sets a scalar float64 attribute on this group. Throws std::runtime_error.
  void set_real_attribute(const std::string& name, double value) const;
  /// Sets a scalar int64 attribute on this group. Throws std::runtime_error.
  void set_integer_attribute(const std::string& name, std::int64_t value) const;

 private:
  std::string child_path(const std::string& name) const;
  void write_numeric(const std::string& name, const void* data, Hdf5Id memory_type,
                     Hdf5Id file_type, const std::vector<unsigned long long>& dims) const;
  void write_attribute(const std::string& name, Hdf5Id file_type, Hdf5Id memory_type,
                       const void* data) const;
  void write_block_numeric(const std::string& name, const void* data, std::size_t size,
                           Hdf5Id memory_type, Hdf5Id file_type,
                           const std::array<std::size_t, 3>& shape,
                           const std::array<std::size_t, 3>& offset,
                           const std::array<std::size_t, 3>& count) const;

  Hdf5Handle handle_;
  std::string path_;
  std::string file_path_;
  bool writes_data_ = true;  ///< false on ranks other than 0 of a parallel file
  bool parallel_ = false;    ///< the file is written through MPI-IO
};

/// An HDF5 file opened for writing.
class Hdf5File {
 public:
  /// Creates the file `path`, replacing an existing file of that name. Throws
  /// std::runtime_error (with HDF5's reason, e.g. "No such file or directory") on failure.
  static Hdf5File create(const std::string& path);
  /// Creates `path` from every rank of the communicator `mpi_comm_f` (its Fortran handle,
  /// MPI_Comm_c2f) through MPI-IO. Collective: every rank passes the same path. Throws
  /// std::runtime_error as create, or if the build has no parallel HDF5.
  static Hdf5File create_parallel(const std::string& path, int mpi_comm_f);

  /// The root group "/". Throws std::runtime_error if the file is closed.
  Hdf5Group root() const;
  /// The path the file was created with.
  const std::string& path() const { return path_; }
  /// Flushes everything to disk and closes the file. Throws std::runtime_error if HDF5
  /// reports a failure (e.g. the disk is full), so a caller can trust a file after close()
  /// returned. The destructor also closes, but cannot report failure.
  void close();

 private:
  Hdf5File(Hdf5Handle handle, std::string path, bool writes_data, bool parallel);
  Hdf5Handle handle_;
  std::string path_;
  bool writes_data_ = true;
  bool parallel_ = false;
};

}  // namespace cposim::postproc
