/// \file
/// Block power P(T): leakage exp(β (T − T_ref)) or a P(T) table, updated between iterates.
#include "cases/run/leakage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"

namespace cposim::cases {
namespace {

/// exp() arguments are capped here: e^700 ≈ 1e304 W is runaway by any measure, and a finite
/// power keeps the next solve finite so the runaway check, not a NaN, ends the run.
constexpr double kMaxExponent = 700.0;
using mesh::kKelvinAtZeroCelsius;

/// Linear between the points, flat beyond the ends.
double interpolate(const std::vector<double>& x, const std::vector<double>& y, double at) {
  if (at <= x.front()) return y.front();
  if (at >= x.back()) return y.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), at) - x.begin());
  const double t = (at - x[i - 1]) / (x[i] - x[i - 1]);
  return y[i - 1] + t * (y[i] - y[i - 1]);
}

BlockTemperature which_temperature(const BlockSpec& b) {
  return b.leakage ? b.leakage->T_block : b.power_table->T_block;
}

}  // namespace

BlockPowerModel::BlockPowerModel(const CaseSpec& spec, BuiltProblem& built)
    : cell_power_W_(&built.cell_power_W) {
  const auto& grid = *built.grid;
  for (const auto& b : spec.blocks) {
    if (!b.leakage && !b.power_table) continue;
    mesh::RegionId id = -1;
    for (std::size_t r = 0; r < built.regions.size(); ++r)
      if (built.regions[r].kind == RegionInfo::Kind::block && built.regions[r].name == b.name)
        id = static_cast<mesh::RegionId>(r);
    Block block;
    block.spec = &b;
    double power_sum = 0.0;
    for (std::size_t c = 0; c < grid.num_cells(); ++c) {
      if (built.region_of_cell[c] != id) continue;
      const auto ijk = grid.ijk(c);
      block.cells.push_back(c);
      block.volume.push_back(grid.volume_m3(ijk[0], ijk[1], ijk[2]));
      block.volume_sum += block.volume.back();
      power_sum += built.cell_power_W[c];
    }
    if (block.cells.empty())
      throw CaseError(b.where, "block '" + b.name + "' has a temperature-dependent power (" +
                                   (b.leakage ? "leakage" : "power_table") +
                                   ") but later blocks paint over all of its cells");
    if (b.power_map && !(power_sum > 0.0))
      throw CaseError(b.where, "block '" + b.name +
                                   "': its power map gives the leakage its shape, so power_W "
                                   "must be > 0 (or absent, to use the map's own total)");
    // The shape of the power build_problem gave the block (its map, or uniform by volume).
    for (std::size_t i = 0; i < block.cells.size(); ++i)
      block.shape.push_back(power_sum > 0.0 ? built.cell_power_W[block.cells[i]] / power_sum
                                            : block.volume[i] / block.volume_sum);
    block.applied_W = power_sum;
    block.dynamic_W = b.power_table ? 0.0 : power_sum;
    blocks_.push_back(std::move(block));
  }
}

double BlockPowerModel::temperature(const Block& b, const std::vector<double>& T_K) const {
  if (which_temperature(*b.spec) == BlockTemperature::max) {
    double hottest = -std::numeric_limits<double>::infinity();
    for (std::size_t c : b.cells) hottest = std::max(hottest, T_K[c]);
    return hottest;
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < b.cells.size(); ++i) sum += b.volume[i] * T_K[b.cells[i]];
  return sum / b.volume_sum;
}

double BlockPowerModel::power(const Block& b, double T_K) const {
  if (b.spec->power_table)
    return interpolate(b.spec->power_table->T_K, b.spec->power_table->P_W, T_K);
  const LeakageSpec& l = *b.spec->leakage;
  return b.dynamic_W +
         l.P_leak_ref_W * std::exp(std::min(kMaxExponent, l.beta_per_K * (T_K - l.T_ref_K)));
}

void BlockPowerModel::apply(Block& b, double P_W) {
  const double delta = P_W - b.applied_W;
  auto& cell_power = *cell_power_W_;
  for (std::size_t i = 0; i < b.cells.size(); ++i) cell_power[b.cells[i]] += delta * b.shape[i];
  b.applied_W = P_W;
}

void BlockPowerModel::initialise(double T_K) {
  for (auto& b : blocks_) {
    b.T_previous_K = b.T_last_K = T_K;
    apply(b, power(b, T_K));
  }
}

void BlockPowerModel::set_accelerated(bool on) {
  accelerated_ = on;
  restart();
}

void BlockPowerModel::restart() {
  for (auto& b : blocks_) b.has_history = false;
}

double BlockPowerModel::next_power(Block& b, double P, double F) {
  const bool history = b.has_history;
  const double P_old = b.P_history_W, F_old = b.F_history_W;
  b.has_history = true;
  b.P_history_W = P;
  b.F_history_W = F;
  const double dP = P - P_old;
  // Plain Picard steps (transients: the map changes every step) carry no criterion either.
  if (!accelerated_ || !history || !(std::fabs(dP) > 1e-12 * std::max(std::fabs(P), 1e-30)))
    return F;
  const double slope = (F - F_old) / dP;
  b.loop_gain = slope;
  // Runaway: heating at both iterates (F > P), P rising by more than 0.1 %, and the chord of
  // the convex map at least as steep as the identity → F(P') > P' for every P' ≥ P.
  const bool heating = F > P && F_old > P_old && dP > 1e-3 * std::fabs(P);
  if (heating && slope >= 1.0 && !runaway_detected_) {
    runaway_detected_ = true;
    runaway_block_ = b.spec->name;
    runaway_gain_ = slope;
    runaway_P_W_ = P;
    runaway_T_K_ = b.T_last_K;
  }
  if (!(slope > 0.0) || !(slope < 1.0)) return F;  // no usable secant: a plain step
  // Secant step; the extrapolation is bounded (a loop gain of 0.9999 at most).
  const double next = P + (F - P) / std::max(1.0 - slope, 1e-4);
  return std::isfinite(next) && next >= 0.0 ? next : F;
}

std::string BlockPowerModel::update(const std::vector<double>& T_K) {
  ++updates_;
  std::string note = "block power P(T):";
  std::string text;
  for (auto& b : blocks_) {
    b.T_previous_K = b.T_last_K;
    b.T_last_K = temperature(b, T_K);
    apply(b, next_power(b, b.applied_W, power(b, b.T_last_K)));
    text = fmt::format(" {} {:.6g} W at {:.6g} K", b.spec->name, b.applied_W, b.T_last_K);
    note += text;
  }
  return note;
}

void BlockPowerModel::reapply() {
  auto& cell_power = *cell_power_W_;
  for (const auto& b : blocks_)
    for (std::size_t i = 0; i < b.cells.size(); ++i)
      cell_power[b.cells[i]] += (b.applied_W - b.dynamic_W) * b.shape[i];
}

std::vector<std::string> BlockPowerModel::names() const {
  std::vector<std::string> out;
  for (const auto& b : blocks_) out.push_back(b.spec->name);
  return out;
}

std::vector<std::pair<double, double>> BlockPowerModel::sample(
    const std::vector<double>& T_K) const {
  std::vector<std::pair<double, double>> out;
  for (const auto& b : blocks_) {
    double power = 0.0;
    for (std::size_t c : b.cells) power += (*cell_power_W_)[c];
    out.emplace_back(temperature(b, T_K), power);
  }
  return out;
}

solver::IterateHook BlockPowerModel::hook() {
  return [this](const std::vector<double>& T_K) { return update(T_K); };
}

LeakageReport BlockPowerModel::report(const std::vector<double>& T_K,
                                      const solver::SolveReport& solve, double runaway_T_K) const {
  LeakageReport out;
  out.runaway_T_K = runaway_T_K;
  out.updates = updates_;
  for (const auto& b : blocks_) {
    LeakyBlockResult r;
    r.block = b.spec->name;
    r.model = b.spec->leakage ? "leakage" : "power_table";
    r.T_block = kBlockTemperatureNames[static_cast<std::size_t>(which_temperature(*b.spec))];
    r.T_K = temperature(b, T_K);
    r.dynamic_W = b.dynamic_W;
    r.total_W = b.applied_W;
    r.leakage_W = b.applied_W - b.dynamic_W;
    r.P_at_T_W = power(b, r.T_K);
    r.loop_gain = b.loop_gain;
    out.blocks.push_back(r);
  }
  out.runaway = !blocks_.empty() && (solve.runaway || runaway_detected_);
  if (!out.runaway) return out;
  std::string text;
  if (solve.runaway && !(solve.max_T_K > runaway_T_K))  // a transient blow-up (transient.hpp)
    text = fmt::format(
        "thermal runaway: the hottest cell was at {:.6g} K and heating too fast to "
        "follow (the transient step size collapsed), heading above [solver] "
        "runaway_T_K = {:.6g} K",
        solve.max_T_K, runaway_T_K);
  else if (solve.runaway)
    text = fmt::format(
        "thermal runaway: the hottest cell reached {:.6g} K, above [solver] runaway_T_K = "
        "{:.6g} K, after {} iterate(s)",
        solve.max_T_K, runaway_T_K, solve.picard_iterations);
  else
    text = fmt::format(
        "thermal runaway: the loop gain of block '{}' reached {:.4g} (>= 1) while it was "
        "still heating at {:.6g} W and {:.6g} K, after {} iterate(s): its power grows "
        "faster with temperature than the package removes it, so no fixed point exists "
        "(hottest cell {:.6g} K, [solver] runaway_T_K = {:.6g} K)",
        runaway_block_, runaway_gain_, runaway_P_W_, runaway_T_K_, solve.picard_iterations,
        solve.max_T_K, runaway_T_K);
  out.message = text;
  for (const auto& r : out.blocks) {
    text = fmt::format("; block '{}' {:.6g} W (dynamic {:.6g} W + {} {:.6g} W) at {:.6g} K ({})",
                       r.block, r.total_W, r.dynamic_W, r.model == "leakage" ? "leakage" : "table",
                       r.leakage_W, r.T_K, r.T_block);
    out.message += text;
  }
  return out;
}

void add_leakage_results(const LeakageReport& report, postproc::ResultsContent& content) {
  content.tables.push_back(postproc::tabulate(
      "leakage", "blocks",
      {"block", "model", "T_block", "T_K", "dynamic_W", "leakage_W", "total_W", "P_at_T_W",
       "loop_gain"},
      report.blocks, [](const LeakyBlockResult& r) {
        return std::tuple{r.block,     r.model,   r.T_block,  r.T_K,      r.dynamic_W,
                          r.leakage_W, r.total_W, r.P_at_T_W, r.loop_gain};
      }));
  content.integer_attributes.push_back({"leakage_updates", report.updates});
}

std::string format_leakage(const LeakageReport& report) {
  if (report.blocks.empty()) return "";
  std::string out = "\ntemperature-dependent block power (" + std::to_string(report.updates) +
                    " update(s))\nblock                      T_block      T °C  dynamic W  leakage "
                    "W    total W  loop gain\n";
  std::string line;
  for (const auto& r : report.blocks) {
    line = fmt::format("{:<26.26} {:<8} {:9.2f} {:10.4g} {:10.4g} {:10.4g} {:10.4g}\n", r.block,
                       r.T_block, r.T_K - kKelvinAtZeroCelsius, r.dynamic_W, r.leakage_W, r.total_W,
                       r.loop_gain);
    out += line;
  }
  if (report.runaway) out += report.message + "\n";
  return out;
}

}  // namespace cposim::cases
