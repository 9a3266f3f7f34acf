#pragma once
/// \file
/// The optical power budget of one channel, laser to photodiode (PHYSICS-SUPPLEMENT.md §L):
/// source power → laser split and laser coupling → fibre-to-PIC couplers → on-PIC waveguides →
/// modulator (insertion loss, detuning penalty of its residual detuning on a Lorentzian line,
/// extinction-ratio penalty) → demux (drop loss, detuning penalty, adjacent-channel crosstalk)
/// → connectors and fibre → photodiode (OMA sensitivity at the data rate). Every loss is in
/// dB, the margin is OMA at the receiver minus its OMA sensitivity. Pure functions of plain
/// data: nothing here knows about case files or temperature fields (cases/run/link_evaluation.hpp
/// feeds it the solved device states). SI units except the dB and dBm figures.

#include <array>
#include <cstddef>
#include <vector>

namespace cposim::postproc {

/// Modulation of a link (sets the default sensitivity and the crosstalk eye factor).
enum class LinkModulation { nrz, pam4 };

/// Reference OMA sensitivities (PHYSICS-SUPPLEMENT.md §L.3): NRZ −11.5 dBm at 25.78125 Gb/s
/// (100G CWDM4 / 4WDM-10 MSA unstressed, S); PAM4 −4.4 dBm at 106.25 Gb/s (IEEE 802.3
/// cl. 124 400GBASE-DR4, 53.125 GBd, S). Both taken with a 0.8 A/W photodiode (E).
inline constexpr double kNrzSensitivity_dBm = -11.5;
inline constexpr double kNrzReferenceRate_bps = 25.78125e9;
inline constexpr double kPam4Sensitivity_dBm = -4.4;
inline constexpr double kPam4ReferenceRate_bps = 106.25e9;
inline constexpr double kReferenceResponsivity_A_per_W = 0.8;
/// Modulator insertion losses (PHYSICS-SUPPLEMENT.md §L.2, E): ring 2 dB, MZI 4 dB.
inline constexpr double kRingInsertionLoss_dB = 2.0;
inline constexpr double kMziInsertionLoss_dB = 4.0;

/// The fixed elements of a chain, in order (their losses in dB, ≥ 0 unless noted).
enum LinkElement : std::size_t {
  link_laser_split,         ///< 10·log10(split): one laser line shared by `split` modulators
  link_laser_coupling,      ///< laser → fibre (or → PIC)
  link_pic_coupling,        ///< fibre ↔ PIC couplers: count × loss
  link_waveguides,          ///< the routed on-PIC waveguides
  link_modulator_il,        ///< modulator insertion loss
  link_modulator_detuning,  ///< Lorentzian penalty of the modulator ring's residual detuning
  link_extinction_ratio,    ///< average → OMA: 10·log10((r + 1)/(2(r − 1))) (may be < 0)
  link_demux_drop,          ///< demux drop loss
  link_demux_detuning,      ///< Lorentzian penalty of the demux ring's residual detuning
  link_crosstalk,           ///< adjacent-channel crosstalk penalty
  link_connectors,          ///< count × loss
  link_fiber,               ///< length × dB/km
  link_extra,               ///< unmodelled losses the case adds
  link_element_count
};

/// Names of the elements ("laser_split", …, "extra"), in LinkElement order (table columns).
extern const std::array<const char*, link_element_count> kLinkElementNames;

/// The fixed parameters of a channel (defaults: PHYSICS-SUPPLEMENT.md §L, tags there).
struct LinkParameters {
  int laser_split = 1;                  ///< ≥ 1
  double laser_coupling_loss_dB = 1.5;  ///< §L.1 (E: edge coupler 1–2 dB)
  double pic_coupling_loss_dB = 1.5;    ///< per coupler, §L.1 (E)
  int pic_couplers = 2;                 ///< Tx PIC → fibre, fibre → Rx PIC
  double modulator_insertion_loss_dB = kRingInsertionLoss_dB;  ///< an MZI: kMzi… (§L.2)
  double extinction_ratio_dB = 3.5;     ///< §L.2 (S: 802.3 cl. 124 minimum ER)
  double demux_drop_loss_dB = 1.0;      ///< §L.2 (E: 0.5–2 dB)
  int connectors = 2;                   ///< mated pairs
  double connector_loss_dB = 0.5;       ///< §L.4 (L/E)
  double fiber_length_m = 500.0;        ///< 0.5 km (DR4 reach, §L.4 S)
  double fiber_loss_dB_per_m = 0.4e-3;  ///< 0.4 dB/km OS2 at 1310 nm (§L.4 S)
  double extra_loss_dB = 0.0;
  LinkModulation modulation = LinkModulation::pam4;
  double data_rate_bps = kPam4ReferenceRate_bps;                 ///< > 0
  double responsivity_A_per_W = kReferenceResponsivity_A_per_W;  ///< > 0
  double sensitivity_dBm = 0.0;     ///< OMA sensitivity at the receiver (see default_sensitivity)
  double required_margin_dB = 0.0;  ///< the verdict passes when margin ≥ this
};

/// The state-dependent inputs of one channel at the solved temperatures.
struct LinkInputs {
  double source_power_W = 0.0;     ///< laser optical power (or the external source's), ≥ 0
  double waveguide_loss_dB = 0.0;  ///< sum over the routed waveguides
  /// Signal − tuned modulator resonance and the ring's FWHM λ/Q; fwhm 0: no ring (an MZI).
  double modulator_detuning_m = 0.0, modulator_fwhm_m = 0.0;
  bool has_demux = false;
  double demux_detuning_m = 0.0, demux_fwhm_m = 0.0;
  /// Σ over the adjacent channels of the power their signals put through this channel's drop
  /// ring, relative to this channel's own (see crosstalk_ratio).
  double crosstalk_ratio = 0.0;
};

/// One channel's budget.
struct LinkBudget {
  double source_dBm = 0.0;
  std::array<double, link_element_count> loss_dB{};
  double total_loss_dB = 0.0;     ///< Σ loss_dB
  double received_dBm = 0.0;      ///< average power at the photodiode
  double received_oma_dBm = 0.0;  ///< source − total loss (extinction ratio included)
  double photocurrent_A = 0.0;    ///< responsivity × average received power
  double sensitivity_dBm = 0.0;
  double margin_dB = 0.0;  ///< received OMA − sensitivity; −∞ without light
  bool pass = false;       ///< margin ≥ required_margin_dB
};

/// Lorentzian power response of a ring at detuning δ from resonance, L = 1/(1 + (2δ/w)²),
/// for full width at half maximum w = λ/Q_L (PHYSICS-SUPPLEMENT.md §L.2, L). Throws
/// std::invalid_argument unless w > 0 and δ is finite.
double lorentzian(double detuning_m, double fwhm_m);

/// Detuning penalty −10·log10 L(δ) = 10·log10(1 + (2δ/w)²) dB (0 at δ = 0, 3.01 dB at w/2).
double detuning_penalty_dB(double detuning_m, double fwhm_m);

/// Average-to-OMA conversion 10·log10((r + 1)/(2(r − 1))) for extinction ratio r = 10^(ER/10)
/// (OMA = 2·P_avg·(r − 1)/(r + 1)): 1.16 dB at 3.5 dB, → −3.01 dB as ER → ∞. Throws
/// std::invalid_argument unless ER > 0.
double extinction_ratio_penalty_dB(double extinction_ratio_dB);

/// Adjacent-channel crosstalk ratio of a drop ring of width w whose own signal is at detuning
/// `own_m` and whose neighbours' signals sit at `neighbours_m` from its tuned resonance:
/// Σ L(δ_j)/L(δ_own) (equal channel powers, §L.2, E).
double crosstalk_ratio(double own_m, const std::vector<double>& neighbours_m, double fwhm_m);

/// Crosstalk penalty −10·log10(1 − (M − 1)·X) dB for M levels (NRZ 2, PAM4 4: the eye is
/// (M − 1) times smaller), incoherent inter-channel crosstalk (§L.2, L for NRZ); +∞ when
/// (M − 1)·X ≥ 1 (the eye is closed).
double crosstalk_penalty_dB(double ratio, LinkModulation modulation);

/// Default OMA sensitivity at `rate_bps` with responsivity `R`: the reference of the
/// modulation + 5·log10(rate/reference rate) (thermal-noise-limited receiver, noise ∝ √B,
/// E) − 10·log10(R/0.8 A/W) (the receiver needs a photocurrent, D). Throws
/// std::invalid_argument unless rate and R are > 0.
double default_sensitivity_dBm(LinkModulation modulation, double rate_bps,
                               double responsivity_A_per_W);

/// Evaluates one channel. Throws std::invalid_argument for a negative source power, a
/// non-positive ER, split, rate or responsivity, or a ring FWHM < 0.
LinkBudget evaluate_link(const LinkParameters& parameters, const LinkInputs& inputs);

/// 10·log10(P / 1 mW); −∞ for P = 0.
double watts_to_dBm(double watts);

}  // namespace cposim::postproc
