#pragma once
/// \file
/// Plain structs for the photonic devices of a case file (`[[rings]]`, `[[waveguides]]`,
/// `[[mzis]]`, `[[lasers]]`, `[[wavelength_plans]]`, `[coupling]`; cases/README.md is the
/// reference). SI units throughout: the reader converts µm, nm, pm/K, nm/mW, mW, mA and dB/cm
/// exactly once. Optional keys take their defaults here (physics.md §2, tags in the comments).

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"
#include "cases/spec/link_spec.hpp"
#include "postproc/photonics/laser.hpp"

namespace cposim::cases {

/// A name a device refers to (a wavelength plan or built-in grid, a laser, a block), with the
/// location where it is written.
struct DeviceRef {
  std::string name;
  SourceLocation where;
};

/// `[[wavelength_plans]]`: a named channel plan, from a built-in grid or a list of channels.
struct WavelengthPlanSpec {
  std::string name;
  std::string grid;                           ///< built-in grid (empty: channels_m is given)
  std::vector<double> channels_m;             ///< custom centres, strictly increasing
  std::optional<double> window_half_width_m;  ///< overrides the grid's windows (required custom)
  int first_channel = 0;                      ///< of the built-in grid
  std::optional<int> num_channels;            ///< of the built-in grid (default: the rest)
  SourceLocation where;
  SourceLocation name_where;
};

/// How a device picks its wavelength: a channel of a plan or built-in grid.
struct ChannelRef {
  DeviceRef grid;        ///< plan name or built-in grid name
  int channel = 0;       ///< 0-based, of the first element of an array
  int channel_step = 1;  ///< channel increment per array element (0: all the same)
  SourceLocation channel_where;
};

/// One material's share of a ring's thermo-optic response (physics.md §2.2).
struct ConfinementSpec {
  std::string material;
  double confinement = 0.0;           ///< Γ_i, ≥ 0
  std::optional<double> dn_dT_per_K;  ///< overrides the built-in dn/dT (physics.md §2.1)
  SourceLocation where;
};

/// How a ring's heater follows its ring in a [transient] run (PHYSICS-SUPPLEMENT.md §R).
enum class RingControl {
  ideal,  ///< the heater power re-solved every step: locked whenever the range allows
  pi,     ///< a discrete PI loop on the measured detuning (postproc/photonics/ring_control.hpp)
};

/// `[[rings]]`: one micro-ring or a bank of `count` rings on a pitch.
struct RingSpec {
  std::string name;
  std::string role = "modulator";    ///< "modulator" or "filter" (sets the default Q)
  std::array<double, 3> center_m{};  ///< of element 0
  std::array<double, 3> footprint_m{10e-6, 10e-6, 0.22e-6};  ///< T averaged here (E: R ≈ 5 µm)
  int count = 1;
  std::array<double, 3> pitch_m{};  ///< element i at center + i·pitch
  std::optional<DeviceRef> block;   ///< the block every element must lie in

  // Resonance.
  std::optional<double> lambda0_m;         ///< resonance at T_ref, heater off
  std::optional<double> lambda0_offset_m;  ///< or: resonance − target at T_ref, per element
  double T_ref_K = 300.0;
  std::optional<double> drift_m_per_K;  ///< drift_pm_per_K; else from the index route
  std::optional<double> group_index;
  std::vector<ConfinementSpec> confinement;
  double effective_index = 0.0;     ///< n_eff for the substrate term (0: none)
  double expansion_per_K = 2.6e-6;  ///< α_sub, Si (physics.md §2.2, L)
  std::optional<double> fsr_m;
  std::optional<double> radius_m;
  std::optional<double> loaded_Q;  ///< default 5000 (modulator) or 20000 (filter), §2.2 (E)

  // Target: a laser, a channel, an explicit wavelength, or λ0 itself.
  std::optional<DeviceRef> laser;
  std::optional<ChannelRef> channel;
  std::optional<double> target_m;

  // Heater (physics.md §2.3).
  double heater_efficiency_m_per_W = 0.25e-6;          ///< 0.25 nm/mW (E: 0.1–0.3 standard)
  double heater_max_W = 0.05;                          ///< 50 mW (E: 40–150 mW per FSR)
  std::optional<std::array<double, 3>> heater_size_m;  ///< default: the footprint
  std::array<double, 3> heater_offset_m{};             ///< heater centre − ring centre

  // Heater control in a [transient] run (PHYSICS-SUPPLEMENT.md §R; a steady run is locked).
  RingControl control = RingControl::ideal;
  std::optional<double> pi_kp_W_per_m;    ///< key pi_kp_mW_per_nm; default 0 (§R.1, D)
  std::optional<double> pi_ki_W_per_m_s;  ///< key pi_ki_mW_per_nm_s; default η·k_i·T_s = 1/2
  double pi_period_s = 10e-6;  ///< 10 µs (§R.1, E: physics.md §5.5 heaters respond in µs)
  std::optional<double> lock_tolerance_m;  ///< default λ/(2 Q_L): half the linewidth (§R.1)
  SourceLocation control_where;            ///< the `control` key (else the table)
  SourceLocation pi_period_where;          ///< the `pi_period_s` key (else control_where)

  SourceLocation where;
  SourceLocation name_where;
  SourceLocation center_where;
  SourceLocation heater_where;  ///< heater_size_um or heater_offset_um (else the table)
};

/// Optical parameters shared by `[[waveguides]]` and `[[mzis]]`.
struct WaveguideOpticsSpec {
  std::string platform = "Si";  ///< "Si" or "SiN": the defaults below
  std::optional<double> dn_eff_dT_per_K;
  std::optional<double> group_index;
  std::optional<double> loss_dB_per_m;  ///< key loss_dB_per_cm
  double wavelength_m = 1310e-9;
  double T_ref_K = 300.0;
};

/// A polyline in the package, with the location of its key.
struct PathSpec {
  std::vector<std::array<double, 3>> points_m;  ///< ≥ 2
  SourceLocation where;
};

/// `[[waveguides]]`: a routed waveguide.
struct WaveguideSpec {
  std::string name;
  PathSpec path;
  WaveguideOpticsSpec optics;
  SourceLocation where;
  SourceLocation name_where;
};

/// `[[mzis]]`: a Mach-Zehnder interferometer, two routed arms.
struct MziSpec {
  std::string name;
  PathSpec arm_a;
  PathSpec arm_b;
  WaveguideOpticsSpec optics;
  SourceLocation where;
  SourceLocation name_where;
};

/// `[[lasers]]`: one laser or an array, on the package (its heat is a source) or in an
/// external laser source at its own temperature.
struct LaserSpec {
  std::string name;
  std::string type = "DFB";          ///< "DFB" or "FP"
  bool external = false;             ///< placement = "external"
  double external_T_K = 0.0;         ///< T_K of an external source, > 0
  std::array<double, 3> center_m{};  ///< on-package: centre of element 0's active stripe
  std::array<double, 3> size_m{500e-6, 5e-6, 5e-6};  ///< stripe box (E: few µm × 0.3–1 mm)
  int count = 1;
  std::array<double, 3> pitch_m{};
  std::optional<DeviceRef> block;

  std::optional<double> lambda0_m;  ///< else the channel centre + lambda0_offset
  double lambda0_offset_m = 0.0;
  std::optional<ChannelRef> channel;
  std::optional<double> drift_m_per_K;  ///< default by type (postproc/photonics/laser.hpp)
  /// The drive and thermal parameters as the model takes them (T_ref_K, threshold_A, T0_K,
  /// slope_W_per_A, T1_K, current_A, voltage_V, R_th_jc_K_per_W), with the model's defaults
  /// (postproc/photonics/laser.hpp): 20 mA (E), T0 60 K (physics.md §2.4, S: InGaAsP 50–70 K),
  /// 0.35 W/A (E: ≈ 100 mW at 300 mA), T1 200 K (§2.4, E), 300 mA (E), 1.6 V (E), R_th,jc
  /// (§4.4). Its λ0 and drift are not read here:
  /// lambda0_m / channel and drift_m_per_K above set them when the model is built.
  postproc::LaserModel model;

  SourceLocation where;
  SourceLocation name_where;
  SourceLocation center_where;
};

/// `[coupling]`: the photonic ↔ thermal iteration.
struct CouplingSpec {
  bool enabled = true;      ///< false: evaluate once on the field without device heat
  double tolerance = 1e-3;  ///< stop when max |ΔP| ≤ tolerance · max P (heaters; laser heat)
  int max_iterations = 30;
  bool crosstalk = false;          ///< compute ∂T_ring_i/∂P_heater_j after convergence
  double crosstalk_step_W = 1e-3;  ///< heater power step for it (key crosstalk_step_mW)
  SourceLocation where;
  SourceLocation crosstalk_where;
};

/// Every photonic entry of a case file.
struct PhotonicsSpec {
  std::vector<WavelengthPlanSpec> plans;
  std::vector<RingSpec> rings;
  std::vector<WaveguideSpec> waveguides;
  std::vector<MziSpec> mzis;
  std::vector<LaserSpec> lasers;
  std::vector<LinkSpec> links;  ///< [[optics.links]] (cases/read/link_reader.hpp)
  CouplingSpec coupling;

  /// True if the case has no photonic device (then no coupling runs).
  bool empty() const {
    return rings.empty() && waveguides.empty() && mzis.empty() && lasers.empty();
  }
};

}  // namespace cposim::cases
