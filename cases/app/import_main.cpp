/// \file
/// `cposim import hotspot|3dice ... -o CASE.toml [--force]`.
#include "cases/app/import_main.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/app/cli_options.hpp"
#include "cases/app/exit_codes.hpp"
#include "cases/import/import_3dice.hpp"
#include "cases/import/import_hotspot.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

namespace {

struct ImportCommandLine {
  std::string format;  ///< "hotspot" or "3dice"
  HotSpotFiles hotspot;
  HotSpotOptions hotspot_options;
  std::string stk;
  std::string out;
  bool force = false;
};

/// Reads a number into `out`; false if `text` is not one.
bool parse_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

/// The options of `import hotspot` (numbers as text, checked after parsing).
void add_hotspot_options(CLI::App& app, ImportCommandLine& cl, std::string& capacitance,
                         std::string& snap) {
  app.add_option("--flp", cl.hotspot.flp);
  app.add_option("--lcf", cl.hotspot.lcf);
  app.add_option("--ptrace", cl.hotspot.ptrace);
  app.add_option("--config", cl.hotspot.config);
  app.add_option("--materials", cl.hotspot.materials);
  app.add_option("--init-file", cl.hotspot.init_file);
  app.add_option("--hotspot-capacitance-factor", capacitance);
  app.add_option("--hotspot-snap-um", snap);
  app.add_flag("--transient", cl.hotspot_options.transient);
}

/// Parses `cposim import hotspot|3dice ...` (argv[1] is "import"); returns an error message
/// (empty if fine). CLI11 checks the shape (the options of the format, a value after each option
/// that takes one; the last of a repeated option wins); the values are checked here.
std::string parse_import(int argc, char** argv, ImportCommandLine& cl) {
  if (argc < 3) return "expected 'import hotspot' or 'import 3dice'";
  cl.format = argv[2];
  if (cl.format != "hotspot" && cl.format != "3dice")
    return "unknown import format '" + cl.format + "'; known: hotspot, 3dice";
  CLI::App app("", "cposim import " + cl.format);
  configure_parser(app);
  app.add_option("-o,--out", cl.out);
  app.add_flag("--force", cl.force);
  std::string capacitance, snap;
  if (cl.format == "hotspot")
    add_hotspot_options(app, cl, capacitance, snap);
  else
    app.add_option("stk", cl.stk);
  if (std::string err = run_parser(app, argc, argv, 2); !err.empty())
    return "'import " + cl.format + "': " + err;
  if (cl.format == "hotspot") {
    double& f = cl.hotspot_options.capacitance_factor;
    if (app.count("--hotspot-capacitance-factor") > 0 &&
        (!parse_number(capacitance, f) || !(f > 0.0) || !(f <= 1.0)))
      return "--hotspot-capacitance-factor must be a number in (0, 1], got '" + capacitance +
             "' (HotSpot's own C_FACTOR is 0.333)";
    double& snap_um = cl.hotspot_options.snap_um;
    if (app.count("--hotspot-snap-um") > 0 &&
        (!parse_number(snap, snap_um) || !(snap_um >= 0.0) || !(snap_um <= 1000.0)))
      return "--hotspot-snap-um must be a number of µm in [0, 1000], got '" + snap +
             "' (floorplan edges closer than it snap together; default 5)";
  }
  if (cl.out.empty()) return "the output case file is required: -o CASE.toml";
  if (cl.format == "3dice" && cl.stk.empty())
    return "the stack description is required: import 3dice FILE.stk";
  if (cl.format == "hotspot" && cl.hotspot.flp.empty() && cl.hotspot.lcf.empty() &&
      cl.hotspot.config.empty())
    return "the floorplan is required: import hotspot --flp FILE.flp (or --lcf FILE.lcf)";
  return "";
}

/// Writes `text` to `path` through a temporary file in the same folder. Without `force` an
/// existing file is kept (link() fails on an existing name, so there is no race). Returns an
/// error message, empty on success.
std::string write_case_file(const std::string& path, const std::string& text, bool force) {
  const std::string tmp = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot create '" + tmp + "': " + std::strerror(errno);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return "cannot write '" + tmp + "': " + std::strerror(errno);
    }
  }
  if (force) {
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      std::remove(tmp.c_str());
      return "cannot rename '" + tmp + "' to '" + path + "': " + reason;
    }
    return "";
  }
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    if (err == EEXIST) return "'" + path + "' exists; use --force to overwrite it";
    return "cannot create '" + path + "': " + std::strerror(err);
  }
  std::remove(tmp.c_str());
  return "";
}

/// Why `-o` may not name `cl.out` even with --force (empty if it may): an existing FIFO,
/// device, socket or folder (replacing one would break whatever uses it), or one of the input
/// files (the import would destroy its own source).
std::string output_problem(const ImportCommandLine& cl) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(cl.out, ec);
  if (ec || !fs::exists(st)) return "";
  if (!fs::is_regular_file(st))
    return "'" + cl.out + "' is " +
           (fs::is_directory(st) ? "a folder" : "not a regular file (a FIFO, device or socket)") +
           "; the case file must go to a regular file";
  for (const std::string& input : {cl.stk, cl.hotspot.flp, cl.hotspot.lcf, cl.hotspot.ptrace,
                                   cl.hotspot.config, cl.hotspot.materials, cl.hotspot.init_file})
    if (!input.empty() && fs::equivalent(input, cl.out, ec))
      return "'" + cl.out + "' is the input file '" + input + "'; write the case elsewhere";
  return "";
}

std::string folder(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

void print_import_usage(std::FILE* out) {
  std::fprintf(out,
               "       cposim import hotspot --flp F.flp [--lcf F.lcf] [--ptrace F.ptrace]\n"
               "                             [--config hotspot.config] [--materials FILE]\n"
               "                             [--hotspot-snap-um UM]\n"
               "                             [--transient [--init-file FILE]\n"
               "                              [--hotspot-capacitance-factor F]]\n"
               "                             -o CASE.toml [--force]\n"
               "       cposim import 3dice   FILE.stk -o CASE.toml [--force]\n");
}

int run_import_command(int argc, char** argv) {
  ImportCommandLine cl;
  if (const std::string err = parse_import(argc, argv, cl); !err.empty()) {
    print_usage_error("cposim", err);
    print_import_usage(stderr);
    return exit_bad_input;
  }
  if (const std::string err = output_problem(cl); !err.empty()) {
    std::fprintf(stderr, "cposim: error: %s\n", err.c_str());
    return exit_bad_input;
  }
  try {
    const ImportResult result = cl.format == "hotspot"
                                    ? import_hotspot(cl.hotspot, cl.hotspot_options)
                                    : import_3dice(cl.stk);
    for (const auto& note : result.notes)
      std::fprintf(stderr, "%s: note: %s\n", cl.out.c_str(), note.c_str());
    for (const auto& warning : result.warnings)
      std::fprintf(stderr, "%s: warning: %s\n", cl.out.c_str(), warning.c_str());
    // The importer must produce a valid case; check before anything is written.
    CaseSpec spec;
    try {
      spec = read_case_text(result.case_text, cl.out, folder(cl.out));
    } catch (const CaseError& e) {
      std::fprintf(stderr,
                   "cposim: internal error: the imported case is not valid (please report): %s\n",
                   e.what());
      return exit_internal_error;
    }
    if (const std::string err = write_case_file(cl.out, result.case_text, cl.force); !err.empty()) {
      std::fprintf(stderr, "cposim: error: %s\n", err.c_str());
      return exit_io_error;
    }
    double total_W = 0;
    for (const auto& b : spec.blocks) total_W += b.power_W.value_or(0.0);
    std::printf("%s: written: %zu materials, %zu layers, %zu blocks, %.6g W in all\n",
                cl.out.c_str(), spec.materials.size(), spec.layers.size(), spec.blocks.size(),
                total_W);
    return exit_ok;
  } catch (const CaseError& e) {
    return bad_input_exit(e);
  } catch (const std::exception& e) {
    return internal_error_exit("cposim", e);
  }
}

}  // namespace cposim::cases
