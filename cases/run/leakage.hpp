#pragma once
/// \file
/// Temperature-dependent block power (`leakage`, `power_table` in [[blocks]]): a
/// solver::IterateHook that, after every outer iterate, recomputes each such block's power from
/// its temperature and moves the cell powers lent to the problem by the change.
///
/// Changing by the difference (not rewriting the cell power) lets it compose with the other
/// writers of BuiltProblem::cell_power_W: the photonic coupling changes heater and laser cells by
/// their own differences, so each keeps its share.
///
/// Fixed point: P(T) grows with T and T grows with P, so the map F(P) = P(T(P)) of a block's
/// power is increasing and, for leakage e^{β T}, convex; iterates started below the solution
/// (the first solve uses P at the boundary reference temperature) approach the lowest, stable
/// fixed point if there is one. Plain (Picard) iterates converge like the loop gain
/// F'(P) = (dP/dT)(dT/dP) to the power n, so slowly near 1 (400 iterates at 0.99); steady solves
/// therefore take secant steps P ← P + (F − P)/(1 − s), s the slope of F between the last two
/// iterates (the loop gain), which from below never overshoot the lowest root of a convex map
/// and converge superlinearly.
///
/// Runaway is decided by a criterion, not by an iteration cap: when a block is still heating
/// (F > P at two successive iterates, P rising by more than 0.1 %) and the slope of F between
/// them is ≥ 1, convexity puts F'(P) ≥ 1 and F(P') > P' for every P' above, so no fixed point
/// exists (the loop gain has reached 1 below any root): thermal runaway, and the solve stops
/// there (SteadyOptions::stop_after_hook). The hottest cell exceeding [solver] runaway_T_K is a
/// runaway too. An outer loop that ends at max_picard_iterations without either is a
/// non-converged solve, not a runaway.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// One block with power P(T), in the state of the final field.
struct LeakyBlockResult {
  std::string block;
  std::string model;       ///< "leakage" or "power_table"
  std::string T_block;     ///< "mean" or "max"
  double T_K = 0.0;        ///< block temperature of the returned field
  double dynamic_W = 0.0;  ///< power_W (0 for power_table)
  double leakage_W = 0.0;  ///< P(T) − dynamic (for power_table: the table power)
  double total_W = 0.0;    ///< power in the block's cells for the returned field
  double P_at_T_W = 0.0;   ///< P(T_K): equals total_W at a fixed point
  /// Slope dF/dP of the power map between the last two iterates (the loop gain (dP/dT)(dT/dP)
  /// at the fixed point when converged); NaN before two iterates.
  double loop_gain = 0.0;
};

/// The temperature-dependent blocks after a run.
struct LeakageReport {
  std::vector<LeakyBlockResult> blocks;
  double runaway_T_K = 0.0;  ///< the limit used ([solver] runaway_T_K)
  int updates = 0;           ///< power updates made by the hook
  bool runaway = false;
  /// One line for a runaway, naming the blocks, their power and temperature and the limit.
  std::string message;
};

/// The P(T) blocks of a case, bound to the cell power of a BuiltProblem.
class BlockPowerModel {
 public:
  /// Gathers the blocks of `spec` with `leakage` or `power_table`. `built` is lent and must
  /// outlive this object; its cell_power_W is changed by initialise() and update(). The block
  /// keeps the shape build_problem gave it (uniform by volume, or its power map); a block whose
  /// cells carry no power yet gets a uniform-by-volume shape. Throws CaseError at the block if
  /// it has a power map but no power to take its shape from.
  BlockPowerModel(const CaseSpec& spec, BuiltProblem& built);

  bool empty() const { return blocks_.empty(); }

  /// Sets every block's power to P(T_K), T_K the uniform initial temperature of the solve.
  void initialise(double T_K);

  /// Recomputes each block's temperature from `T_K` (one value per cell) and sets its power to
  /// P(T) (plain), or to the secant step towards the fixed point (accelerated), by moving its
  /// cells' power by the difference; checks the runaway criterion. Returns a one-line note.
  std::string update(const std::vector<double>& T_K);

  /// Secant steps on (steady solves) or off (plain Picard: transient steps, where the map
  /// changes from step to step). Off by default. Turning it on clears the secant history.
  void set_accelerated(bool on);
  /// Forgets the secant history (call before a solve whose other heat sources changed).
  void restart();
  /// True once the runaway criterion (loop gain ≥ 1 while heating) was met.
  bool runaway_detected() const { return runaway_detected_; }

  /// After the cell power was reset to the base power (the power build_problem gave, possibly
  /// scaled over time by a transient waveform), adds each block's temperature-dependent share
  /// (its current P(T) − dynamic power) again in the block's shape; the cell power then holds
  /// base + P(T) − dynamic, as update() keeps it. For transient runs, whose power callback
  /// rewrites the base power every step.
  void reapply();

  /// Names of the blocks, in case-file order.
  std::vector<std::string> names() const;

  /// Per block (order of names()): its temperature in `T_K` and the power now in its cells [W].
  std::vector<std::pair<double, double>> sample(const std::vector<double>& T_K) const;

  /// A hook that calls update(); this object must outlive it.
  solver::IterateHook hook();

  /// The blocks at field `T_K` after `solve`, and whether that solve is a thermal runaway:
  /// solve.runaway (hottest cell above runaway_T_K) or the loop-gain criterion.
  LeakageReport report(const std::vector<double>& T_K, const solver::SolveReport& solve,
                       double runaway_T_K) const;

 private:
  struct Block {
    const BlockSpec* spec = nullptr;
    std::vector<std::size_t> cells;
    std::vector<double> shape;   ///< fraction of the block's power in each cell, Σ = 1
    std::vector<double> volume;  ///< of each cell, m³
    double volume_sum = 0.0;
    double dynamic_W = 0.0;
    double applied_W = 0.0;  ///< the block's power now in cell_power_W
    double T_previous_K = 0.0, T_last_K = 0.0;
    int updates = 0;
    // Secant history: the power applied and the map's value F = P(T) at the last iterate.
    bool has_history = false;
    double P_history_W = 0.0, F_history_W = 0.0;
    double loop_gain = std::numeric_limits<double>::quiet_NaN();
  };
  /// The next power of `b` from the applied power P and the map value F at this iterate.
  double next_power(Block& b, double P, double F);
  double temperature(const Block& b, const std::vector<double>& T_K) const;
  double power(const Block& b, double T_K) const;
  void apply(Block& b, double P_W);

  std::vector<Block> blocks_;
  std::vector<double>* cell_power_W_;
  int updates_ = 0;
  bool accelerated_ = false;
  bool runaway_detected_ = false;
  std::string runaway_block_;
  double runaway_gain_ = 0.0, runaway_P_W_ = 0.0, runaway_T_K_ = 0.0;
};

/// Adds /leakage/blocks (one row per block: block, model, T_block, T_K, dynamic_W, leakage_W,
/// total_W, P_at_T_W, loop_gain; see postproc/LAYOUT.md) and the root attribute leakage_updates.
/// Written for every run (zero rows and 0 updates without such blocks), so the layout is fixed.
void add_leakage_results(const LeakageReport& report, postproc::ResultsContent& content);

/// The human summary: one line per block (dynamic, leakage, total power and temperature).
std::string format_leakage(const LeakageReport& report);

}  // namespace cposim::cases
