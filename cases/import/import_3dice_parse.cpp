/// \file
/// 3D-ICE stack descriptions (.stk) and floorplans, read (for cases/import/import_3dice.cpp).
///
/// The grammar and units, as 3D-ICE reads them: see the comment of cases/import/import_3dice.cpp
/// (`bison/stack_description_parser.y`, `bison/floorplan_parser.y` of github.com/esl-epfl/3d-ice).
#include "cases/import/import_3dice_parse.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "cases/import/import_3dice_cavity.hpp"
#include "cases/import/import_3dice_tokens.hpp"
#include "cases/import/import_text.hpp"
#include "cases/read/toml_helpers.hpp"

namespace cposim::cases::import_detail::ice {

namespace {

/// A material name that must already be declared (3D-ICE declares materials first).
std::string declared_material(Reader& r, const Stack& s, const std::string& ctx) {
  const Token& t = r.identifier("a material name " + ctx);
  if (s.materials.count(t.text) == 0)
    throw CaseError(r.where(t), "unknown material '" + t.text + "' " + ctx +
                                    "; declared: " + list_keys(s.materials));
  return t.text;
}

Material read_material(Reader& r, const std::string& name) {
  const std::string ctx = "in material " + name;
  Material m;
  r.expect(":", "after the material name");
  r.expect_phrase("thermal conductivity", ctx);
  m.k[0] = m.k[1] = m.k[2] = r.positive("a thermal conductivity " + ctx, "W/(µm K)");
  if (r.is(",")) {
    r.next();
    m.k[1] = r.positive("the y thermal conductivity " + ctx, "W/(µm K)");
    r.expect(",", "between the y and z conductivities " + ctx);
    m.k[2] = r.positive("the z thermal conductivity " + ctx, "W/(µm K)");
  }
  r.expect(";", "after the thermal conductivity " + ctx);
  r.expect_phrase("volumetric heat capacity", ctx);
  m.vhc = r.positive("the volumetric heat capacity " + ctx, "J/(µm³ K)");
  r.expect(";", "after the volumetric heat capacity " + ctx);
  return m;
}

Sink read_sink(Reader& r, const SourceLocation& where, bool conventional) {
  const std::string ctx = "in the heat sink";
  Sink s;
  s.where = where;
  r.expect(":", "after 'heat sink'");
  r.expect_phrase("heat transfer coefficient", ctx);
  s.htc = r.positive("the heat transfer coefficient", "W/(µm² K)");
  r.expect(";", "after the heat transfer coefficient");
  if (conventional) r.expect("ambient", ctx);
  r.expect("temperature", ctx);
  s.T = r.positive("the temperature", "K");
  r.expect(";", "after the temperature");
  return s;
}

/// `N MATERIAL ;` or `NAME ;` (a declared layer), after `layer` or `source`.
LayerDef read_layer_content(Reader& r, const Stack& s, const std::string& ctx) {
  LayerDef l;
  if (r.peek().kind == Token::Kind::number) {
    l.height_um = r.positive("the layer height " + ctx, "µm");
    l.material_where = r.here();
    l.material = declared_material(r, s, ctx);
  } else {
    const Token& ref = r.identifier("a height and a material, or a declared layer's name, " + ctx);
    const auto it = s.layers.find(ref.text);
    if (it == s.layers.end())
      throw CaseError(r.where(ref), "unknown layer '" + ref.text + "' " + ctx);
    l = it->second;
    l.declared = ref.text;
  }
  r.expect(";", "after the layer " + ctx);
  return l;
}

void read_dimensions(Reader& r, Stack& s) {
  const std::string ctx = "in dimensions";
  r.expect(":", "after 'dimensions'");
  const auto length_and_width = [&](const std::string& what, double& length, double& width) {
    r.expect_phrase(what + " length", ctx);
    length = r.positive("the " + what + " length", "µm");
    r.expect(",", "after the " + what + " length");
    r.expect("width", ctx);
    width = r.positive("the " + what + " width", "µm");
    r.expect(";", "after the " + what + " width");
  };
  length_and_width("chip", s.chip_length, s.chip_width);
  length_and_width("cell", s.cell_length, s.cell_width);
  if (r.is("non-uniform")) {
    r.next();
    const Token& flag = r.identifier("'true' or 'false' after 'non-uniform'");
    if (flag.text != "true" && flag.text != "false")
      throw CaseError(r.where(flag),
                      "expected 'true' or 'false' after 'non-uniform', got '" + flag.text + "'");
    s.nonuniform = flag.text == "true";
    r.expect(";", "after 'non-uniform'");
  }
  s.has_dimensions = true;
}

void read_solver(Reader& r, Stack& s) {
  r.expect(":", "after 'solver'");
  if (r.is("steady")) {
    r.next();
    r.expect(";", "after 'steady'");
  } else if (r.is("transient")) {
    r.next();
    s.transient = true;
    r.expect("step", "after 'transient'");
    const double step = r.positive("the time step", "s");
    r.expect(",", "after the time step");
    r.expect("slot", "after the time step");
    const double slot = r.positive("the slot time", "s");
    if (slot < step) throw CaseError(r.here(), "the slot time must be at least the step time");
    s.step_s = step;
    s.slot_s = slot;
    r.expect(";", "after the slot time");
  } else {
    r.fail_here("'steady' or 'transient' in the solver section");
  }
  while (r.is("initial") || r.is("numofcores")) {
    if (r.is("initial")) {
      r.next();
      r.expect("temperature", "after 'initial'");
      s.initial_T_K = r.positive("the initial temperature", "K");
    } else {
      r.next();
      r.positive("the number of cores", "");
    }
    r.expect(";", "in the solver section");
  }
}

/// The `output :` section: each `T ( DIE , X , Y , "file" , step|slot|final ) ;` becomes an
/// output point (a probe); the other requests (Tflp, Tflpel, Tmap, T3d, ...) are skipped.
void read_output_points(Reader& r, Stack& s) {
  r.expect(":", "after 'output'");
  const std::string in = "in T ( DIE , X , Y , \"file\" , step|slot|final )";
  while (!r.at_end()) {
    if (!(r.is("T") && r.is("(", 1))) {
      OtherOutput o;
      o.where = r.here();
      o.kind = r.next().text;
      if (!r.at_end() && r.is("(")) r.next();
      while (!r.at_end() && !r.is(",") && !r.is(")") && !r.is(";")) o.target += r.next().text;
      s.other_outputs.push_back(o);
      while (!r.at_end() && !r.is(";")) r.next();
      if (!r.at_end()) r.next();
      continue;
    }
    OutputPoint p;
    p.where = r.here();
    r.next();
    r.next();
    p.die = r.identifier("a die of the stack " + in).text;
    r.expect(",", in);
    p.x_um = r.number("the x coordinate (um) " + in);
    r.expect(",", in);
    p.y_um = r.number("the y coordinate (um) " + in);
    r.expect(",", in);
    r.path("the output file " + in);
    r.expect(",", in);
    const Token& when = r.identifier("step, slot or final " + in);
    if (when.text != "step" && when.text != "slot" && when.text != "final")
      throw CaseError(r.where(when),
                      "expected step, slot or final " + in + ", got '" + when.text + "'");
    p.each_step = when.text == "step";
    r.expect(")", in);
    r.expect(";", "after T ( ... )");
    s.output_points.push_back(p);
  }
}

void read_stack_elements(Reader& r, Stack& s) {
  r.expect(":", "after 'stack'");
  s.has_stack = true;
  std::set<std::string> ids;
  while (r.is("layer") || r.is("die") || r.is("channel")) {
    StackElement e;
    const Token& kw = r.next();
    if (kw.text == "channel" && !s.cavity)
      throw CaseError(r.where(kw),
                      "a channel stack element needs a 'microchannel' or 'pinfin' "
                      "section before the stack");
    e.where = r.here();
    e.id = r.identifier("the stack element's name").text;
    if (!ids.insert(e.id).second)
      throw CaseError(e.where, "stack element '" + e.id + "' is already declared");
    const std::string ctx = "in stack element " + e.id;
    if (kw.text == "layer") {
      e.kind = StackElement::Kind::layer;
      if (r.peek().kind == Token::Kind::number) {  // 2.x: layer NAME HEIGHT MATERIAL ;
        e.layer.height_um = r.positive("the layer height " + ctx, "µm");
        e.layer.material_where = r.here();
        e.layer.material = declared_material(r, s, ctx);
      } else {
        const Token& ref = r.identifier("a declared layer's name " + ctx);
        const auto it = s.layers.find(ref.text);
        if (it == s.layers.end())
          throw CaseError(r.where(ref), "unknown layer '" + ref.text + "' " + ctx);
        e.layer = it->second;
        e.layer.declared = ref.text;
      }
    } else if (kw.text == "channel") {
      e.kind = StackElement::Kind::channel;  // the cavity section's (import_3dice_cavity.hpp)
    } else {
      e.kind = StackElement::Kind::die;
      const Token& die = r.identifier("a die name " + ctx);
      if (s.dies.count(die.text) == 0)
        throw CaseError(r.where(die), "unknown die '" + die.text + "' " + ctx);
      e.die = die.text;
      r.expect("floorplan", ctx);
      e.floorplan_where = r.here();
      e.floorplan = r.path("the floorplan file " + ctx).text;
    }
    if (r.is("discretization")) {
      r.next();
      e.discr_x = r.positive("the x discretization " + ctx, "");
      e.discr_y = r.positive("the y discretization " + ctx, "");
      s.discretization = true;
    }
    r.expect(";", "at the end of stack element " + e.id);
    s.elements.push_back(e);
  }
  if (s.elements.empty()) r.fail_here("a stack element (layer, die) after 'stack:'");
}

Rect read_rect_values(Reader& r, const std::string& ctx, bool parenthesised) {
  Rect q;
  q.where = r.here();
  q.x = r.number("the x position " + ctx);
  r.expect(",", "after the x position " + ctx);
  q.y = r.number("the y position " + ctx);
  if (parenthesised) {
    r.expect(",", "after the y position " + ctx);
    q.length = r.positive("the length " + ctx, "µm");
    r.expect(",", "after the length " + ctx);
    q.width = r.positive("the width " + ctx, "µm");
  }
  return q;
}

/// The name of a new `what` ("layer", "die") and the ':' after it; throws if `declared` holds
/// the name already.
template <class Declared>
const Token& new_name(Reader& r, const Declared& declared, const std::string& what) {
  const Token& name = r.identifier("a " + what + " name");
  if (declared.count(name.text))
    throw CaseError(r.where(name), what + " '" + name.text + "' is already declared");
  r.expect(":", "after the " + what + " name");
  return name;
}

}  // namespace

Stack read_stk(const std::string& path) {
  Reader r(path, tokenize(read_text_file(path, "stack description"), path));
  Stack s;
  static const char* kSections =
      "a section (material, top heat sink, bottom heat sink, conventional heat sink, "
      "dimensions, layer, die, stack, solver, output)";
  while (!r.at_end()) {
    const Token& kw = r.peek();
    const SourceLocation at = r.where(kw);
    if (kw.kind != Token::Kind::word) r.fail_here(kSections);
    if (kw.text == "material") {
      r.next();
      const Token& name = r.identifier("a material name");
      if (s.materials.count(name.text))
        throw CaseError(r.where(name), "material '" + name.text + "' is already declared");
      Material m = read_material(r, name.text);
      m.where = r.where(name);
      s.materials[name.text] = m;
    } else if (kw.text == "top" || kw.text == "bottom") {
      r.next();
      if (kw.text == "top" && r.is("pluggable"))
        throw CaseError(at,
                        "'top pluggable heat sink' is not supported: its model is an "
                        "external plugin (a shared library that 3D-ICE loads at run time, "
                        "e.g. a Modelica/FMI or Python heat sink), which cposim cannot run; "
                        "describe the sink as 'top heat sink' with an equivalent heat "
                        "transfer coefficient");
      r.expect_phrase("heat sink", "after '" + kw.text + "'");
      auto& slot = kw.text == "top" ? s.top : s.bottom;
      if (slot) throw CaseError(at, "the " + kw.text + " heat sink is already declared");
      slot = read_sink(r, at, false);
    } else if (kw.text == "conventional") {
      r.next();
      r.expect_phrase("heat sink", "after 'conventional'");
      if (s.top) throw CaseError(at, "the top heat sink is already declared");
      s.top = read_sink(r, at, true);
    } else if (kw.text == "microchannel" || kw.text == "pinfin") {
      if (s.cavity) throw CaseError(at, "the channel section is already declared");
      s.cavity = read_cavity(r, s);
    } else if (kw.text == "dimensions") {
      r.next();
      read_dimensions(r, s);
    } else if (kw.text == "layer") {
      r.next();
      const Token& name = new_name(r, s.layers, "layer");
      const std::string ctx = "in layer " + name.text;
      LayerDef l;
      r.expect("height", ctx);
      l.height_um = r.positive("the layer height", "µm");
      r.expect(";", "after the height " + ctx);
      r.expect("material", ctx);
      l.material_where = r.here();
      l.material = declared_material(r, s, ctx);
      r.expect(";", "after the material " + ctx);
      if (r.is("layout"))
        throw CaseError(r.here(),
                        "layout files (heterogeneous layers from a GDS-derived layout) "
                        "are not supported; split the layer into cposim blocks");
      s.layers[name.text] = l;
    } else if (kw.text == "die") {
      r.next();
      const Token& name = new_name(r, s.dies, "die");
      const std::string ctx = "in die " + name.text;
      Die d;
      d.where = r.where(name);
      bool has_source = false;
      while (r.is("layer") || r.is("source")) {
        const Token& which = r.next();
        if (which.text == "source") {
          if (has_source)
            throw CaseError(r.where(which), "die " + name.text + " has a second source layer");
          has_source = true;
          d.source = d.layers.size();
        }
        d.layers.push_back(read_layer_content(r, s, ctx));
      }
      if (!has_source)
        throw CaseError(d.where, "die " + name.text +
                                     " has no source layer ('source HEIGHT MATERIAL ;'), "
                                     "where its floorplan's power is dissipated");
      s.dies[name.text] = d;
    } else if (kw.text == "stack") {
      r.next();
      if (s.has_stack) throw CaseError(at, "the stack is already declared");
      read_stack_elements(r, s);
    } else if (kw.text == "solver") {
      r.next();
      read_solver(r, s);
    } else if (kw.text == "initial") {  // 1.0: initial temperature outside the solver section
      r.next();
      r.expect("temperature", "after 'initial'");
      r.positive("the initial temperature", "K");
      r.expect(";", "after the initial temperature");
    } else if (kw.text == "output") {
      s.has_output = true;
      r.next();
      read_output_points(r, s);
      break;  // the last section
    } else {
      r.fail_here(kSections);
    }
  }
  if (!s.has_dimensions)
    throw CaseError({path, 0, 0},
                    "the stack description has no 'dimensions :' section (chip length and width, "
                    "cell length and width)");
  if (!s.has_stack) throw CaseError({path, 0, 0}, "the stack description has no 'stack :' section");
  return s;
}

std::vector<Element> read_floorplan(const std::string& path, const Stack& s) {
  Reader r(path, tokenize(read_text_file(path, "floorplan file"), path));
  std::vector<Element> elements;
  std::map<std::string, SourceLocation> seen;
  while (!r.at_end()) {
    Element e;
    e.where = r.here();
    e.name = r.identifier("a floorplan element name").text;
    if (const auto it = seen.find(e.name); it != seen.end())
      throw CaseError(e.where, "floorplan element '" + e.name + "' is already declared at line " +
                                   std::to_string(it->second.line));
    seen[e.name] = e.where;
    const std::string ctx = "in floorplan element " + e.name;
    r.expect(":", "after the floorplan element name");
    if (r.is("position")) {
      r.next();
      Rect q = read_rect_values(r, ctx, false);
      r.expect(";", "after the position " + ctx);
      r.expect("dimension", ctx);
      q.length = r.positive("the length " + ctx, "µm");
      r.expect(",", "after the length " + ctx);
      q.width = r.positive("the width " + ctx, "µm");
      r.expect(";", "after the dimension " + ctx);
      e.rects.push_back(q);
      while (r.is("material") || r.is("discretization")) {
        if (r.next().text == "material") {
          e.material_where = r.here();
          const Token& m = r.identifier("a material name " + ctx);
          if (s.materials.count(m.text) == 0)
            throw CaseError(r.where(m), "unknown material '" + m.text + "' " + ctx);
          e.material = m.text;
        } else {
          e.discr_x = r.positive("the x discretization " + ctx, "");
          r.expect(",", "between the discretizations " + ctx);
          e.discr_y = r.positive("the y discretization " + ctx, "");
        }
        r.expect(";", ctx);
      }
    } else if (r.is("rectangle")) {
      while (r.is("rectangle")) {
        r.next();
        r.expect("(", "after 'rectangle'");
        e.rects.push_back(read_rect_values(r, ctx, true));
        r.expect(")", "after the rectangle " + ctx);
        r.expect(";", "after the rectangle " + ctx);
      }
    } else {
      r.fail_here("'position' or 'rectangle' " + ctx);
    }
    if (r.is("power")) {
      r.next();
      r.expect("values", "after 'power'");
      for (;;) {
        const Token& t = r.peek();
        const double v = r.number("a power value in W " + ctx);
        if (v < 0.0)
          throw CaseError(r.where(t), "power values must be >= 0 W, got " + t.text + " " + ctx);
        e.power_W.push_back(v);
        if (!r.is(",")) break;
        r.next();
      }
      r.expect(";", "after the power values " + ctx);
    }
    for (const Rect& q : e.rects)
      if (q.x < -kTouch_um || q.y < -kTouch_um || q.x + q.length > s.chip_length + kTouch_um ||
          q.y + q.width > s.chip_width + kTouch_um)
        throw CaseError(q.where, "floorplan element " + e.name + " (" + format_number(q.x) + ", " +
                                     format_number(q.y) + ", " + format_number(q.length) + " x " +
                                     format_number(q.width) + " µm) is outside of the IC (" +
                                     format_number(s.chip_length) + " x " +
                                     format_number(s.chip_width) + " µm)");
    elements.push_back(e);
  }
  if (elements.empty()) throw CaseError({path, 0, 0}, "the floorplan has no elements");
  // 3D-ICE 1.x rejected intersecting elements; painting order would hide one under the other.
  std::vector<std::pair<const Element*, const Rect*>> all;
  for (const auto& e : elements)
    for (const auto& q : e.rects) all.push_back({&e, &q});
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const Rect &a = *all[i].second, &b = *all[j].second;
      const double ox = std::min(a.x + a.length, b.x + b.length) - std::max(a.x, b.x);
      const double oy = std::min(a.y + a.width, b.y + b.width) - std::max(a.y, b.y);
      if (ox > kTouch_um && oy > kTouch_um)
        throw CaseError(a.where, "floorplan element " + all[i].first->name + " intersects " +
                                     all[j].first->name + " (line " + std::to_string(b.where.line) +
                                     ") over " + format_number(ox) + " x " + format_number(oy) +
                                     " µm");
    }
  return elements;
}
}  // namespace cposim::cases::import_detail::ice
