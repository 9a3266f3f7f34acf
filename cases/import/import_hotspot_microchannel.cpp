/// \file
/// HotSpot microchannel networks → cposim `[[cavities]]` (import_hotspot_microchannel.hpp).
/// Sources: HotSpot 7 (github.com/uvahotspot/HotSpot f18831e) microchannel.h (cell types),
/// microchannel.c (microchannel_build_network, hydroC, build_pressure_matrix) and
/// temperature_grid.c (the fluid cells' links through -htc to their neighbours).
#include "cases/import/import_hotspot_microchannel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <sstream>
#include <vector>

#include "cases/import/import_text.hpp"
#include "cases/read/csv_cells.hpp"
#include "cases/read/toml_helpers.hpp"

namespace cposim::cases::import_detail {

namespace {

// microchannel.h
constexpr int kTsv = -1;
constexpr int kSolid = 0;
constexpr int kFluid = 1;
constexpr int kInlet = 2;
constexpr int kOutlet = 3;

constexpr double kUmPerM = 1e6;
constexpr double kM3PerSToLPerMin = 60000.0;

struct Cells {
  std::vector<std::vector<int>> type;              ///< [row][column], row 0 at the chip's top
  std::vector<std::vector<SourceLocation>> where;  ///< of each cell in the csv
};

struct Failure {
  int i = 0, j = 0;
  std::string why;
};

Cells read_cells(const std::string& path, int rows, int cols, const std::string& layer) {
  const std::string text = read_text_file(path, "microchannel network");
  const auto lines = csv_lines(text);
  Cells c;
  const std::string shape = std::to_string(rows) + " rows of " + std::to_string(cols) +
                            " cells (-grid_rows x -grid_cols, as HotSpot reads the network of " +
                            layer + ")";
  if (static_cast<int>(lines.size()) != rows)
    throw CaseError({path, lines.empty() ? 0 : lines.back().line, 1},
                    "the microchannel network has " + std::to_string(lines.size()) +
                        " rows; expected " + shape);
  for (const CsvLine& line : lines) {
    if (static_cast<int>(line.cells.size()) != cols)
      throw CaseError({path, line.line, line.cells.back().column},
                      "this row of the microchannel network has " +
                          std::to_string(line.cells.size()) + " cells; expected " + shape);
    c.type.emplace_back();
    c.where.emplace_back();
    for (const CsvCell& cell : line.cells) {
      const SourceLocation at{path, line.line, cell.column};
      const auto v = parse_number(cell.text);
      if (!v || !(*v == -1 || *v == 0 || *v == 1 || *v == 2 || *v == 3))
        throw CaseError(at,
                        "a microchannel network cell is 0 (solid), 1 (fluid), 2 (inlet), 3 "
                        "(outlet) or -1 (TSV), got '" +
                            cell.text + "'");
      if (*v == kTsv)
        throw CaseError(at, "the microchannel network of " + layer +
                                " has a TSV cell (-1): not imported (cposim's cavity walls are "
                                "one material; model the TSVs as blocks)");
      c.type.back().push_back(static_cast<int>(*v));
      c.where.back().push_back(at);
    }
  }
  return c;
}

const char* type_name(int t) {
  switch (t) {
    case kSolid:
      return "solid (0)";
    case kFluid:
      return "fluid (1)";
    case kInlet:
      return "an inlet (2)";
    default:
      return "an outlet (3)";
  }
}

/// Checks that the network is straight parallel channels along `axis` and fills `n`.
std::optional<Failure> check_axis(const Cells& c, int axis, ChannelNetwork& n) {
  const int rows = n.rows, cols = n.cols;
  const int lanes = axis == 0 ? rows : cols, len = axis == 0 ? cols : rows;
  // Lane a, step s along the axis (s = 0 at x = 0 or y = 0; row 0 is the chip's top).
  const auto ij = [&](int a, int s) {
    return axis == 0 ? std::array<int, 2>{a, s} : std::array<int, 2>{rows - 1 - s, a};
  };
  const auto type = [&](int a, int s) {
    const auto [i, j] = ij(a, s);
    return c.type[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  };
  const auto fail = [&](int a, int s, const std::string& why) {
    const auto [i, j] = ij(a, s);
    return Failure{i, j, why};
  };
  const std::string lane_word = axis == 0 ? "row" : "column";
  std::vector<bool> channel(static_cast<std::size_t>(lanes), false);
  int sign = 0;
  for (int a = 0; a < lanes; ++a) {
    bool any = false;
    for (int s = 0; s < len; ++s) any = any || type(a, s) != kSolid;
    if (!any) continue;
    const int first = type(a, 0), last = type(a, len - 1);
    const int lane_sign = first == kInlet && last == kOutlet   ? 1
                          : first == kOutlet && last == kInlet ? -1
                                                               : 0;
    if (lane_sign == 0) {
      const bool first_ok = first == kInlet || first == kOutlet;
      return fail(a, first_ok ? len - 1 : 0,
                  lane_word + " " + std::to_string(a + 1) +
                      " has fluid but does not run from an inlet (2) at one edge to an outlet (3) "
                      "at the other: its cell at the edge is " +
                      type_name(first_ok ? last : first));
    }
    for (int s = 1; s + 1 < len; ++s)
      if (type(a, s) != kFluid)
        return fail(a, s,
                    "this cell is " + std::string(type_name(type(a, s))) + " inside the " +
                        lane_word + "'s channel, expected fluid (1)");
    if (sign != 0 && lane_sign != sign)
      return fail(a, 0,
                  "this " + lane_word +
                      "'s channel flows the other way than the ones "
                      "before it (a cavity has one flow direction)");
    sign = lane_sign;
    channel[static_cast<std::size_t>(a)] = true;
  }
  if (sign == 0) return Failure{0, 0, "it has no fluid cells"};
  // Bands of adjacent channel lanes, and the walls between them.
  std::vector<std::array<int, 2>> bands;  // first lane, width
  for (int a = 0; a < lanes; ++a) {
    if (!channel[static_cast<std::size_t>(a)]) continue;
    if (!bands.empty() && bands.back()[0] + bands.back()[1] == a)
      ++bands.back()[1];
    else
      bands.push_back({a, 1});
  }
  for (std::size_t b = 1; b < bands.size(); ++b) {
    if (bands[b][1] != bands[0][1])
      return fail(bands[b][0], 0,
                  "this channel is " + std::to_string(bands[b][1]) + " cells wide, the first " +
                      std::to_string(bands[0][1]) + " (a cavity has channels of one width)");
    const int wall = bands[b][0] - bands[b - 1][0] - bands[b - 1][1];
    const int wall0 = bands[1][0] - bands[0][0] - bands[0][1];
    if (wall != wall0)
      return fail(bands[b][0], 0,
                  "the wall before this channel is " + std::to_string(wall) +
                      " cells wide, the first " + std::to_string(wall0) +
                      " (a cavity has channels at one pitch)");
  }
  n.axis = axis;
  n.sign = sign;
  n.channels = static_cast<int>(bands.size());
  n.cells_wide = bands[0][1];
  n.cells_long = len;
  n.wall_cells = bands.size() > 1 ? bands[1][0] - bands[0][0] - bands[0][1] : 0;
  n.margin_low = bands.front()[0];
  n.margin_high = lanes - bands.back()[0] - bands.back()[1];
  return std::nullopt;
}

/// The network's solid margins that stay solid, in cells (low, high lane side): the cavity
/// spans the channel cells and half a wall beyond the first and last channel where the margin
/// has it, so that with margins the pitch is the network's own (channel + wall).
std::array<double, 2> solid_margins_cells(const ChannelNetwork& n) {
  const double half_wall = 0.5 * n.wall_cells;
  return {std::max(0.0, n.margin_low - half_wall), std::max(0.0, n.margin_high - half_wall)};
}

}  // namespace

double hotspot_hydro_conductance(double thickness_m, double cell_width_m, double cell_height_m,
                                 double viscosity_Pa_s) {
  const double h = thickness_m, w = cell_width_m, L = cell_height_m;
  const double denominator = 12.0 * viscosity_Pa_s * L;
  if (h == w) return 0.42229 * std::pow(h, 4) / denominator;
  if (h > w) return (1.0 - 0.63 * (w / h)) * std::pow(w, 3) * h / denominator;
  return (1.0 - 0.63 * (h / w)) * std::pow(h, 3) * w / denominator;
}

double hotspot_row_flow_m3_per_s(double pressure_Pa, double pump_res, double link, int cells) {
  // Series resistances: the pump's (per inlet cell) and the cells-1 links.
  return pressure_Pa / (pump_res + static_cast<double>(cells - 1) / link);
}

ChannelNetwork read_network(const std::string& path, int rows, int cols, const std::string& layer) {
  const Cells c = read_cells(path, rows, cols, layer);
  ChannelNetwork nx, ny;
  nx.rows = ny.rows = rows;
  nx.cols = ny.cols = cols;
  const auto fx = check_axis(c, 0, nx);
  if (!fx) return nx;
  const auto fy = check_axis(c, 1, ny);
  if (!fy) return ny;
  // Report along the axis the inlets and outlets suggest: on the left and right edges, rows.
  int on_sides = 0, on_ends = 0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const int t = c.type[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
      if (t != kInlet && t != kOutlet) continue;
      on_sides += j == 0 || j == cols - 1;
      on_ends += i == 0 || i == rows - 1;
    }
  const bool rows_first = on_sides >= on_ends;
  const Failure& f = rows_first ? *fx : *fy;
  throw CaseError(
      c.where[static_cast<std::size_t>(f.i)][static_cast<std::size_t>(f.j)],
      "the microchannel network of " + layer + " is not straight parallel channels: " + f.why +
          ". cposim imports a network as a [[cavities]] entry only when every row (or every "
          "column) is solid or runs inlet (2), fluid (1)..., outlet (3) across the chip, all in "
          "one direction, in channels of one width and pitch; HotSpot's general networks "
          "(bends, branches, inlets inside the chip) are not imported");
}

std::string network_cavity_toml(const ChannelNetwork& n, const MicrochannelParams& mc,
                                const std::string& layer, double chip_w_m, double chip_h_m,
                                double flow_m3_per_s) {
  const double chip_across_m = n.axis == 0 ? chip_h_m : chip_w_m;
  const double cell_across_m = chip_across_m / (n.axis == 0 ? n.rows : n.cols);
  const double channel_m = n.cells_wide * cell_across_m;
  const int lanes = n.axis == 0 ? n.rows : n.cols;
  const auto [low, high] = solid_margins_cells(n);
  const double across_m = (lanes - low - high) * cell_across_m;
  const double pitch_m = across_m / n.channels;
  // Lanes count from the chip's top row (y high) for channels along x, from x = 0 along y.
  const double across_origin_m = (n.axis == 0 ? high : low) * cell_across_m;
  const auto num = [](double v) { return format_number(v); };
  std::ostringstream os;
  os << "\n[[cavities]]  # HotSpot microchannel network: " << n.channels << " straight channels "
     << n.cells_wide << " cell(s) wide, " << n.cells_long << " cells long\n"
     << "layer = " << quoted(layer)
     << "\nmodel = \"4rm\"  # -htc on the ceiling, floor and side walls\n"
     << "coolant = \"water\"  # transport properties; rho cp is HotSpot's\n"
     << "coolant_rho_cp_J_per_m3K = " << num(mc.coolant_capac_J_per_m3K)
     << "\ninlet_T_K = " << num(mc.inlet_T_K) << "  # HotSpot -inlet_temperature\n"
     << "flow_direction = \"" << (n.sign > 0 ? "+" : "-") << (n.axis == 0 ? "x" : "y")
     << "\"\nflow_L_per_min = " << num(flow_m3_per_s * kM3PerSToLPerMin)
     << "  # HotSpot's pressure circuit: -pumping_pressure " << num(mc.pumping_pressure_Pa)
     << " Pa, -pump_internal_res " << num(mc.pump_internal_res_Pa_s_per_m3)
     << " Pa s/m3, hydroC links\nchannel_width_um = " << num(channel_m * kUmPerM)
     << "\nwall_width_um = " << num((pitch_m - channel_m) * kUmPerM)
     << "  # pitch = cavity extent / channels\nh_top_W_per_m2K = " << num(mc.htc_W_per_m2K)
     << "  # HotSpot -htc\nh_bottom_W_per_m2K = " << num(mc.htc_W_per_m2K)
     << "\nh_side_W_per_m2K = " << num(mc.htc_W_per_m2K) << "\n";
  if (low + high > 0.0) {
    const double along_m = n.axis == 0 ? chip_w_m : chip_h_m;
    const std::array<double, 2> origin = n.axis == 0 ? std::array<double, 2>{0.0, across_origin_m}
                                                     : std::array<double, 2>{across_origin_m, 0.0};
    const std::array<double, 2> size = n.axis == 0 ? std::array<double, 2>{along_m, across_m}
                                                   : std::array<double, 2>{across_m, along_m};
    os << "origin_um = [" << num(origin[0] * kUmPerM) << ", " << num(origin[1] * kUmPerM)
       << "]  # the channels and half a wall either side; the rest of the network's solid "
       << "margins (" << n.margin_low << " and " << n.margin_high
       << " cells) stays solid\nsize_um = [" << num(size[0] * kUmPerM) << ", "
       << num(size[1] * kUmPerM) << "]\n";
  }
  return os.str();
}

NetworkCavity network_cavity(const std::string& path, const MicrochannelParams& mc,
                             const std::string& layer, const std::string& label, double thickness_m,
                             std::array<int, 2> rows_cols, std::array<double, 2> chip_m) {
  const auto [rows, cols] = rows_cols;
  const auto [chip_w_m, chip_h_m] = chip_m;
  NetworkCavity out;
  out.network = read_network(path, rows, cols, label);
  const ChannelNetwork& n = out.network;
  // HotSpot's cells: chip / -grid_cols wide, chip / -grid_rows high (temperature_grid.c).
  const double cell_w_m = chip_w_m / cols, cell_h_m = chip_h_m / rows;
  const double link =
      hotspot_hydro_conductance(thickness_m, cell_w_m, cell_h_m, mc.coolant_visc_Pa_s);
  const double row_flow = hotspot_row_flow_m3_per_s(
      mc.pumping_pressure_Pa, mc.pump_internal_res_Pa_s_per_m3, link, n.cells_long);
  const int fluid_rows = n.channels * n.cells_wide;
  out.flow_m3_per_s = row_flow * fluid_rows;
  out.toml = network_cavity_toml(n, mc, layer, chip_w_m, chip_h_m, out.flow_m3_per_s);
  const double across_m = n.axis == 0 ? chip_h_m : chip_w_m;
  const auto [low, high] = solid_margins_cells(n);
  const double channels_m =
      across_m * ((n.axis == 0 ? rows : cols) - low - high) / (n.axis == 0 ? rows : cols);
  const auto num = [](double v) { return format_number(v); };
  const auto um = [&](double m) { return num(std::round(m * kUmPerM * 1000) / 1000); };
  out.note =
      layer + " (" + label + ", microchannel network " + path + "): " + std::to_string(n.channels) +
      " straight channels along " + (n.sign > 0 ? "+" : "-") + (n.axis == 0 ? "x" : "y") + ", " +
      um(n.cells_wide * across_m / (n.axis == 0 ? rows : cols)) + " µm wide at a pitch of " +
      um(channels_m / n.channels) +
      " µm (the channels and half a wall either side over the channel count; " +
      "the network's walls are " + std::to_string(n.wall_cells) + " cells, its margins " +
      std::to_string(n.margin_low) + " and " + std::to_string(n.margin_high) +
      (low + high > 0.0 ? ", kept solid beyond half a wall: the cavity's origin_um, size_um" : "") +
      "), " + um(thickness_m) + " µm high, became a [[cavities]] entry: 4rm with HotSpot's -htc " +
      num(mc.htc_W_per_m2K) + " W/(m2 K) on the ceiling, floor and side walls; flow " +
      num(out.flow_m3_per_s * kM3PerSToLPerMin) + " L/min = " + std::to_string(fluid_rows) +
      " cell rows x " + num(row_flow) + " m3/s from HotSpot's pressure circuit (" +
      num(mc.pumping_pressure_Pa) + " Pa over " + std::to_string(n.cells_long - 1) +
      " links of hydroC = " + num(link) + " m3/(s Pa)" +
      (mc.pump_internal_res_Pa_s_per_m3 > 0
           ? " behind the pump resistance " + num(mc.pump_internal_res_Pa_s_per_m3) + " Pa s/m3"
           : std::string(", ideal pump")) +
      "); coolant c_v " + num(mc.coolant_capac_J_per_m3K) +
      " J/(m3 K) (transport properties of cposim's water), inlet " + num(mc.inlet_T_K) +
      " K. Model form: cposim homogenises the channels and marches the coolant per grid row; "
      "HotSpot solves every fluid cell of the network with upwind advection";
  return out;
}

}  // namespace cposim::cases::import_detail
