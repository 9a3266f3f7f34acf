#pragma once
/// \file
/// A case text with [[cavities]], read, built and solved steady with its coolant march (the
/// cavity validation tests).

#include <filesystem>
#include <string>
#include <vector>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "solver/steady.hpp"

namespace cposim::test_support {

struct SolvedCavityCase {
  cases::CaseSpec spec;
  cases::BuiltProblem built;
  std::vector<double> T_K;
  solver::SolveReport report;
  std::vector<cases::CavityResult> cavities;
};

/// Reads `text` as case.toml in the temporary folder `folder` (relative paths resolve there),
/// builds it and solves it with the cavities' coupling hook.
inline SolvedCavityCase solve_cavity_case(const std::string& text, const std::string& folder) {
  SolvedCavityCase s;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / folder;
  std::filesystem::create_directories(dir);
  s.spec = cases::read_case_text(text, "case.toml", dir.string());
  s.built = cases::build_problem(s.spec);
  cases::CavityCoupling coupling(s.spec, s.built);
  solver::SteadySolver steady(*s.built.grid, s.built.solver_options);
  s.report = steady.solve(s.built.problem(), s.T_K, coupling.hook());
  s.cavities = coupling.results(s.T_K);
  return s;
}

}  // namespace cposim::test_support
