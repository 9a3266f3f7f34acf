/// \file
/// Face probes and face statistics: reading, checks, evaluation on the field, echo.
#include "cases/run/face_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_geometry.hpp"
#include "solver/face_values.hpp"

namespace cposim::cases {
namespace {

constexpr std::array<const char*, 3> kAxisNames = {"x", "y", "z"};

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

/// One cell face: the cell, the face's normal axis and side (0 low, 1 high).
struct FaceRef {
  std::array<std::size_t, 3> ijk;
  int axis;
  int side;
};

std::array<double, 3> face_centre(const mesh::RectilinearGrid& g, const FaceRef& r) {
  std::array<double, 3> x{};
  for (int a = 0; a < 3; ++a) x[a] = g.centre(a, r.ijk[a]);
  x[r.axis] = g.nodes(r.axis)[r.ijk[r.axis] + static_cast<std::size_t>(r.side)];
  return x;
}

bool inside(const FaceStatsSpec& s, const std::array<double, 3>& x) {
  const double tol = kGeometryTolerance_m;
  for (int a = 0; a < 3; ++a)
    if (x[a] < s.lo_m[a] - tol || x[a] > s.hi_m[a] + tol) return false;
  return true;
}

mesh::RegionId region_named(const BuiltProblem& built, const std::string& name) {
  for (std::size_t r = 0; r < built.regions.size(); ++r)
    if (built.regions[r].name == name) return static_cast<mesh::RegionId>(r);
  return -1;
}

/// The faces a face_stats selects, in cell order.
std::vector<FaceRef> select_faces(const FaceStatsSpec& s, const BuiltProblem& built) {
  const auto& g = *built.grid;
  const auto n = g.cells_per_axis();
  std::vector<FaceRef> faces;
  if (s.face >= 0) {
    const auto [a, u, v] = solver::face_axes(s.face);
    std::array<std::size_t, 3> ijk{};
    ijk[a] = s.face % 2 == 0 ? 0 : n[a] - 1;
    for (std::size_t jv = 0; jv < n[v]; ++jv)
      for (std::size_t iu = 0; iu < n[u]; ++iu) {
        ijk[u] = iu;
        ijk[v] = jv;
        const FaceRef r{ijk, a, s.face % 2};
        if (inside(s, face_centre(g, r))) faces.push_back(r);
      }
    return faces;
  }
  const mesh::RegionId ra = region_named(built, s.between[0].name);
  const mesh::RegionId rb = region_named(built, s.between[1].name);
  for (std::size_t c = 0; c < g.num_cells(); ++c) {
    if (built.region_of_cell[c] != ra) continue;
    const auto ijk = g.ijk(c);
    for (int a = 0; a < 3; ++a)
      for (int side = 0; side < 2; ++side) {
        if (side == 0 ? ijk[a] == 0 : ijk[a] + 1 == n[a]) continue;
        auto other = ijk;
        other[a] = side == 0 ? ijk[a] - 1 : ijk[a] + 1;
        if (built.region_of_cell[g.cell(other[0], other[1], other[2])] != rb) continue;
        const FaceRef r{ijk, a, side};
        if (inside(s, face_centre(g, r))) faces.push_back(r);
      }
  }
  return faces;
}

std::string describe_where(const FaceStatsSpec& s) {
  return s.face >= 0 ? std::string("face ") + kBoundaryFaceNames[static_cast<std::size_t>(s.face)]
                     : "between " + s.between[0].name + " and " + s.between[1].name;
}

/// The node index of the plane at x along `axis`, or npos.
std::size_t plane_index(const mesh::RectilinearGrid& g, int axis, double x) {
  const auto& nodes = g.nodes(axis);
  for (std::size_t k = 0; k < nodes.size(); ++k)
    if (std::fabs(nodes[k] - x) <= kGeometryTolerance_m) return k;
  return std::numeric_limits<std::size_t>::max();
}

/// Cell-centre bracket of x along `axis` (clamped): indices i0, i1 and the weight of i1.
struct Bracket {
  std::size_t i0, i1;
  double w;
};
Bracket bracket(const mesh::RectilinearGrid& g, int axis, double x) {
  const std::size_t n = g.cells_per_axis()[static_cast<std::size_t>(axis)];
  if (n == 1 || x <= g.centre(axis, 0)) return {0, 0, 0.0};
  if (x >= g.centre(axis, n - 1)) return {n - 1, n - 1, 0.0};
  std::size_t i = g.locate(axis, x);
  if (x < g.centre(axis, i)) --i;
  const double c0 = g.centre(axis, i), c1 = g.centre(axis, i + 1);
  return {i, i + 1, (x - c0) / (c1 - c0)};
}

}  // namespace

void check_face_outputs(const CaseSpec& spec, const BuiltProblem& built) {
  const auto& g = *built.grid;
  for (const auto& p : spec.output.probes) {
    if (p.on_face_axis < 0) continue;
    const int a = p.on_face_axis;
    if (plane_index(g, a, p.at_m[static_cast<std::size_t>(a)]) !=
        std::numeric_limits<std::size_t>::max())
      continue;
    const auto& nodes = g.nodes(a);
    const auto above =
        std::lower_bound(nodes.begin(), nodes.end(), p.at_m[static_cast<std::size_t>(a)]);
    const double hi = above == nodes.end() ? nodes.back() : *above;
    const double lo = above == nodes.begin() ? nodes.front() : *(above - 1);
    throw CaseError(p.at_where, "probe '" + p.name + "' has on_face = \"" +
                                    kAxisNames[static_cast<std::size_t>(a)] + "\" but " +
                                    kAxisNames[static_cast<std::size_t>(a)] + " = " +
                                    um(p.at_m[static_cast<std::size_t>(a)]) +
                                    " µm is not a grid plane (a face of a layer, block or the "
                                    "package); the nearest planes are at " +
                                    um(lo) + " and " + um(hi) + " µm");
  }
  for (const auto& f : spec.output.face_stats)
    if (select_faces(f, built).empty())
      throw CaseError(f.where, "face_stats '" + f.name + "' (" + describe_where(f) +
                                   (f.has_box ? ", within its origin_um/size_um" : "") +
                                   ") selects no cell face" +
                                   (f.face < 0 ? ": the two regions do not touch there" : ""));
}

std::vector<FaceStatsResult> face_statistics(const CaseSpec& spec, const BuiltProblem& built,
                                             const std::vector<double>& T_K) {
  const auto problem = built.problem();
  const auto& g = *built.grid;
  std::vector<FaceStatsResult> results;
  for (const auto& s : spec.output.face_stats) {
    FaceStatsResult r;
    r.name = s.name;
    r.where = describe_where(s);
    r.T_max_K = -std::numeric_limits<double>::infinity();
    r.T_min_K = std::numeric_limits<double>::infinity();
    const auto faces = select_faces(s, built);
    std::vector<solver::FaceValue> outer;
    if (s.face >= 0) outer = solver::outer_face_values(problem, T_K, s.face);
    double weighted = 0.0;
    for (const auto& f : faces) {
      solver::FaceValue v;
      if (s.face >= 0) {
        const auto [a, u, w] = solver::face_axes(s.face);
        v = outer[f.ijk[u] + g.cells_per_axis()[u] * f.ijk[w]];
      } else {
        v = solver::face_value(problem, T_K, f.ijk, f.axis, f.side);
      }
      weighted += v.T_K * v.area_m2;
      r.area_m2 += v.area_m2;
      r.heat_W += v.heat_W;
      r.T_min_K = std::min(r.T_min_K, v.T_K);
      if (v.T_K > r.T_max_K) {
        r.T_max_K = v.T_K;
        r.T_max_at_m = face_centre(g, f);
      }
    }
    r.faces = faces.size();
    r.T_mean_K = r.area_m2 > 0.0 ? weighted / r.area_m2 : std::nan("");
    results.push_back(r);
  }
  return results;
}

void apply_face_probes(const BuiltProblem& built, const std::vector<double>& T_K,
                       std::vector<postproc::ProbeReading>& readings) {
  const auto problem = built.problem();
  const auto& g = *built.grid;
  const auto n = g.cells_per_axis();
  for (std::size_t p = 0; p < built.probes.size() && p < readings.size(); ++p) {
    const int a = built.probes[p].on_face_axis;
    if (a < 0) continue;
    const auto& x = built.probes[p].at_m;
    const std::size_t plane = plane_index(g, a, x[static_cast<std::size_t>(a)]);
    // The upper side's cell (side 0 of cell `plane`), or the last cell's high face.
    const bool top = plane == n[static_cast<std::size_t>(a)];
    const std::size_t layer = top ? plane - 1 : plane;
    const int u = (a + 1) % 3, v = (a + 2) % 3;
    const Bracket bu = bracket(g, u, x[static_cast<std::size_t>(u)]);
    const Bracket bv = bracket(g, v, x[static_cast<std::size_t>(v)]);
    auto at = [&](std::size_t iu, std::size_t iv) {
      std::array<std::size_t, 3> ijk{};
      ijk[static_cast<std::size_t>(a)] = layer;
      ijk[static_cast<std::size_t>(u)] = iu;
      ijk[static_cast<std::size_t>(v)] = iv;
      return solver::face_value(problem, T_K, ijk, a, top ? 1 : 0).T_K;
    };
    readings[p].T_K = (1 - bu.w) * (1 - bv.w) * at(bu.i0, bv.i0) +
                      bu.w * (1 - bv.w) * at(bu.i1, bv.i0) + (1 - bu.w) * bv.w * at(bu.i0, bv.i1) +
                      bu.w * bv.w * at(bu.i1, bv.i1);
  }
}

}  // namespace cposim::cases
