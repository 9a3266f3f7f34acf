/// \file
/// read_case: the reader, then check_case (load_case.hpp).
#include "cases/resolve/load_case.hpp"

#include <filesystem>

#include "cases/read/case_reader.hpp"
#include "cases/resolve/case_check.hpp"
#include "cases/resolve/case_echo.hpp"
#include "cases/spec/input_file.hpp"

namespace cposim::cases {

namespace fs = std::filesystem;

CaseSpec read_case_text(const std::string& text, const std::string& display_name,
                        const std::string& base_dir) {
  CaseSpec spec = read_case_sections(text, display_name, base_dir, check_case);
  spec.resolved_text = resolved_case_text(spec);
  return spec;
}

CaseSpec read_case(const std::string& path) {
  std::string text;
  try {
    text = read_input_file(path);
  } catch (const InputFileError& e) {
    throw CaseError({path}, std::string("cannot read case file: ") + e.what());
  }
  return read_case_text(text, path, fs::path(path).parent_path().string());
}

}  // namespace cposim::cases
