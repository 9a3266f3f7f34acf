#pragma once
/// \file
/// Internal to cases/: face-value probes (`[[output.probes]] on_face`) and
/// `[[output.face_stats]]` (cases/README.md, "Face temperatures") on the built grid and the
/// solved field (read, checked and echoed by cases/read/face_stats_reader.hpp). Temperatures are
/// face values reconstructed by solver/face_values.hpp, not cell-centre values.

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/fields/probes.hpp"

namespace cposim::cases {

/// On the built grid: each face probe's coordinate lies on a grid plane; each face_stats
/// selects at least one face. Throws CaseError at the probe or the face_stats table.
void check_face_outputs(const CaseSpec& spec, const BuiltProblem& built);

/// Statistics of one `[[output.face_stats]]` on a solved field.
struct FaceStatsResult {
  std::string name;
  std::string where;                   ///< "face top" or "between die and attach"
  double T_max_K = 0.0;                ///< hottest face value
  double T_mean_K = 0.0;               ///< area-weighted mean of the face values
  double T_min_K = 0.0;                ///< coldest face value
  std::array<double, 3> T_max_at_m{};  ///< centre of the hottest face
  double heat_W = 0.0;   ///< out of the package (face), or from the first region to the second
  double area_m2 = 0.0;  ///< total area of the faces
  std::size_t faces = 0;
};

/// Every `[[output.face_stats]]` of `spec` on the field `T_K` of `built`.
std::vector<FaceStatsResult> face_statistics(const CaseSpec& spec, const BuiltProblem& built,
                                             const std::vector<double>& T_K);

/// Replaces the value of each face probe in `readings` (in built.probes order) by the face
/// temperature at its point: the face values of the (up to) four faces around the point in
/// its plane, blended bilinearly between face centres (clamped at the plane's edges like
/// cell probes); on a plane with a contact resistance, the upper side's value.
void apply_face_probes(const BuiltProblem& built, const std::vector<double>& T_K,
                       std::vector<postproc::ProbeReading>& readings);

}  // namespace cposim::cases
