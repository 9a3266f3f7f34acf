#pragma once
// Unit constants shared by every module (mesh is the lowest module: all others may include it).

namespace cposim::mesh {

/// 0 °C in kelvin: T_C = T_K − kKelvinAtZeroCelsius. Temperatures are kelvin inside the code;
/// only text meant for people (reports, logs, plots) shows °C.
inline constexpr double kKelvinAtZeroCelsius = 273.15;

}  // namespace cposim::mesh
