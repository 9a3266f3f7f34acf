/// \file
/// 3D-ICE → cposim case.
///
/// The grammar, as 3D-ICE reads it (github.com/esl-epfl/3d-ice): `bison/stack_description_parser.y`
/// and `flex/stack_description_scanner.l` for the .stk file (4.0; 2.x's `conventional heat
/// sink` and inline stack layers are accepted too), `bison/floorplan_parser.y` and
/// `flex/floorplan_scanner.l` for the floorplans; examples in `bin/example_steady.stk`,
/// `bin/example_transient_nonuniform.stk`, `bin/core.flp`, `bin/mem_mat.flp`. Units: lengths µm,
/// conductivity W/(µm K), volumetric heat capacity J/(µm³ K), heat transfer coefficient
/// W/(µm² K), temperature K, power W (`include/types.h`, `include/material.h`). The stack is
/// listed from the top-most element down, and so are the layers of a die (the parser computes
/// the layer offsets from the last element up). `//` and `/* */` are comments.
#include "cases/import_3dice.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "cases/case_error.hpp"
#include "cases/import_text.hpp"
#include "cases/toml_helpers.hpp"

namespace cposim::cases {

namespace {

using namespace import_detail;

constexpr double kWPerMK_per_WPerUmK = 1e6;     // W/(µm K) → W/(m K)
constexpr double kJPerM3K_per_JPerUm3K = 1e18;  // J/(µm³ K) → J/(m³ K)
constexpr double kWPerM2K_per_WPerUm2K = 1e12;  // W/(µm² K) → W/(m² K)
constexpr double kTouch_um = 1e-3;              // edges closer than 1 nm touch
constexpr std::size_t kMaxProbes = 256;

// --- tokens -------------------------------------------------------------------------------

struct Token {
  enum class Kind { word, number, path, punct, end };
  Kind kind = Kind::end;
  std::string text;
  double value = 0;
  int line = 0, column = 0;
};

std::vector<Token> tokenize(const std::string& text, const std::string& file) {
  std::vector<Token> out;
  int line = 1, column = 1;
  std::size_t i = 0;
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
  };
  while (i < text.size()) {
    const char ch = text[i];
    if (std::isspace(static_cast<unsigned char>(ch))) {
      advance(1);
      continue;
    }
    if (text.compare(i, 2, "//") == 0) {
      while (i < text.size() && text[i] != '\n') advance(1);
      continue;
    }
    if (text.compare(i, 2, "/*") == 0) {
      const int l0 = line, c0 = column;
      const auto end = text.find("*/", i + 2);
      if (end == std::string::npos)
        throw CaseError({file, l0, c0}, "comment '/*' is not closed by '*/'");
      advance(end + 2 - i);
      continue;
    }
    Token t;
    t.line = line;
    t.column = column;
    if (ch == '"') {
      const auto end = text.find('"', i + 1);
      if (end == std::string::npos || text.find('\n', i + 1) < end)
        throw CaseError({file, line, column}, "a file path in quotes is not closed on its line");
      t.kind = Token::Kind::path;
      t.text = text.substr(i + 1, end - i - 1);
      advance(end + 1 - i);
    } else if (std::string_view("():;,.").find(ch) != std::string_view::npos) {
      t.kind = Token::Kind::punct;
      t.text = std::string(1, ch);
      advance(1);
    } else if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' ||
               ch == '.') {
      std::size_t j = i + 1;
      while (j < text.size()) {
        const char d = text[j];
        if (std::isalnum(static_cast<unsigned char>(d)) || d == '.' || d == '_' ||
            ((d == '+' || d == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E')))
          ++j;
        else
          break;
      }
      t.text = text.substr(i, j - i);
      if (const auto v = parse_number(t.text)) {
        t.kind = Token::Kind::number;
        t.value = *v;
      } else if (t.text == "2rm" || t.text == "4rm") {
        t.kind = Token::Kind::word;
      } else {
        throw CaseError({file, line, column}, "'" + t.text + "' is not a number");
      }
      advance(j - i);
    } else if (std::isalpha(static_cast<unsigned char>(ch))) {
      std::size_t j = i + 1;
      while (j < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' ||
              (text[j] == '-' && j + 1 < text.size() &&
               std::isalpha(static_cast<unsigned char>(text[j + 1])))))
        ++j;
      t.kind = Token::Kind::word;
      t.text = text.substr(i, j - i);
      advance(j - i);
    } else {
      throw CaseError({file, line, column}, std::string("unexpected character '") + ch + "'");
    }
    out.push_back(t);
  }
  Token end;
  end.kind = Token::Kind::end;
  end.line = line;
  end.column = column;
  out.push_back(end);
  return out;
}

/// A recursive-descent reader over the tokens of one file.
class Reader {
 public:
  Reader(std::string file, std::vector<Token> tokens)
      : file_(std::move(file)), tokens_(std::move(tokens)) {}

  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  bool at_end() const { return peek().kind == Token::Kind::end; }
  bool is(const char* word, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return (t.kind == Token::Kind::word || t.kind == Token::Kind::punct) && t.text == word;
  }
  SourceLocation where(const Token& t) const { return {file_, t.line, t.column}; }
  SourceLocation here() const { return where(peek()); }
  const std::string& file() const { return file_; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::end:
        return "the end of the file";
      case Token::Kind::path:
        return "\"" + t.text + "\"";
      default:
        return "'" + t.text + "'";
    }
  }
  [[noreturn]] void fail_here(const std::string& expected) const {
    throw CaseError(here(), "expected " + expected + ", got " + describe(peek()));
  }
  /// Consumes the keyword or punctuation `word`; `context` says where ("in material SILICON").
  const Token& expect(const char* word, const std::string& context) {
    if (!is(word)) fail_here("'" + std::string(word) + "' " + context);
    return tokens_[pos_++];
  }
  /// Consumes the words of `phrase` ("heat transfer coefficient").
  void expect_phrase(const std::string& phrase, const std::string& context) {
    std::size_t start = 0;
    while (start < phrase.size()) {
      const auto end = std::min(phrase.find(' ', start), phrase.size());
      const std::string w = phrase.substr(start, end - start);
      if (!is(w.c_str())) fail_here("'" + phrase + "' " + context);
      ++pos_;
      start = end + 1;
    }
  }
  const Token& identifier(const std::string& what) {
    if (peek().kind != Token::Kind::word) fail_here(what);
    return tokens_[pos_++];
  }
  const Token& path(const std::string& what) {
    if (peek().kind != Token::Kind::path) fail_here(what + " in double quotes");
    return tokens_[pos_++];
  }
  double number(const std::string& what) {
    if (peek().kind != Token::Kind::number) fail_here(what);
    return tokens_[pos_++].value;
  }
  double positive(const std::string& what, const std::string& unit) {
    const Token& t = peek();
    const double v = number(what);
    if (!(v > 0.0)) throw CaseError(where(t), what + " must be > 0 " + unit + ", got " + t.text);
    return v;
  }
  const Token& next() { return tokens_[pos_++]; }

 private:
  std::string file_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

// --- the stack description ----------------------------------------------------------------

struct Material {
  std::array<double, 3> k{};  ///< W/(µm K)
  double vhc = 0;             ///< J/(µm³ K)
  SourceLocation where;
};

struct Sink {
  double htc = 0, T = 0;  ///< W/(µm² K), K
  SourceLocation where;
};

struct LayerDef {
  double height_um = 0;
  std::string material;
  SourceLocation material_where;
  std::string declared;  ///< name of a declared layer it copies (else empty)
};

struct Die {
  std::vector<LayerDef> layers;  ///< top first
  std::size_t source = 0;        ///< index of the source layer in `layers`
  SourceLocation where;
};

struct StackElement {
  enum class Kind { layer, die } kind = Kind::layer;
  std::string id;
  SourceLocation where;
  LayerDef layer;         ///< layer elements
  std::string die;        ///< die elements: the die's name
  std::string floorplan;  ///< die elements: the path as written
  SourceLocation floorplan_where;
  double discr_x = 0, discr_y = 0;  ///< `discretization X Y`: cells across the chip (0: none)
};

struct Stack {
  std::map<std::string, Material> materials;
  std::optional<Sink> top, bottom;
  double chip_length = 0, chip_width = 0, cell_length = 0, cell_width = 0;
  bool has_dimensions = false;
  std::map<std::string, LayerDef> layers;  ///< 4.0 `layer NAME :` declarations
  std::map<std::string, Die> dies;
  std::vector<StackElement> elements;  ///< top first
  bool has_stack = false;
  bool transient = false;
  double step_s = 0, slot_s = 0;  ///< transient: time step and power slot
  double initial_T_K = 300;       ///< solver's initial temperature
  bool has_output = false;
  bool nonuniform = false, discretization = false;
};

const std::string kRefusedChannel =
    ": cposim models a cold plate as a face boundary (convection on the top or bottom face), "
    "not as channels inside the stack; remove the section and its channel stack elements and "
    "describe the cooling as 'top heat sink' or 'bottom heat sink'";

std::string list_keys(const std::map<std::string, Material>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k;
  return out;
}

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
  r.expect_phrase("chip length", ctx);
  s.chip_length = r.positive("the chip length", "µm");
  r.expect(",", "after the chip length");
  r.expect("width", ctx);
  s.chip_width = r.positive("the chip width", "µm");
  r.expect(";", "after the chip width");
  r.expect_phrase("cell length", ctx);
  s.cell_length = r.positive("the cell length", "µm");
  r.expect(",", "after the cell length");
  r.expect("width", ctx);
  s.cell_width = r.positive("the cell width", "µm");
  r.expect(";", "after the cell width");
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

void read_stack_elements(Reader& r, Stack& s) {
  r.expect(":", "after 'stack'");
  s.has_stack = true;
  std::set<std::string> ids;
  while (r.is("layer") || r.is("die") || r.is("channel")) {
    StackElement e;
    const Token& kw = r.next();
    if (kw.text == "channel")
      throw CaseError(r.where(kw),
                      "channel stack elements (microchannels) are not supported" + kRefusedChannel);
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
                        "external plugin; describe the sink as 'top heat sink' with an "
                        "equivalent heat transfer coefficient");
      r.expect_phrase("heat sink", "after '" + kw.text + "'");
      auto& slot = kw.text == "top" ? s.top : s.bottom;
      if (slot) throw CaseError(at, "the " + kw.text + " heat sink is already declared");
      slot = read_sink(r, at, false);
    } else if (kw.text == "conventional") {
      r.next();
      r.expect_phrase("heat sink", "after 'conventional'");
      if (s.top) throw CaseError(at, "the top heat sink is already declared");
      s.top = read_sink(r, at, true);
    } else if (kw.text == "microchannel") {
      r.next();
      const std::string model = r.peek().text == "2rm"   ? "microchannel 2rm (two-resistor model)"
                                : r.peek().text == "4rm" ? "microchannel 4rm (four-resistor model)"
                                                         : "microchannel";
      throw CaseError(at, model + " is not supported" + kRefusedChannel);
    } else if (kw.text == "pinfin") {
      throw CaseError(at, "pinfin (pin-fin liquid cooling) is not supported" + kRefusedChannel);
    } else if (kw.text == "dimensions") {
      r.next();
      read_dimensions(r, s);
    } else if (kw.text == "layer") {
      r.next();
      const Token& name = r.identifier("a layer name");
      if (s.layers.count(name.text))
        throw CaseError(r.where(name), "layer '" + name.text + "' is already declared");
      const std::string ctx = "in layer " + name.text;
      r.expect(":", "after the layer name");
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
      const Token& name = r.identifier("a die name");
      if (s.dies.count(name.text))
        throw CaseError(r.where(name), "die '" + name.text + "' is already declared");
      const std::string ctx = "in die " + name.text;
      r.expect(":", "after the die name");
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
      break;  // the last section: inspection points, not imported
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

// --- floorplans ---------------------------------------------------------------------------

struct Rect {
  double x = 0, y = 0, length = 0, width = 0;  ///< µm: south-west corner, extent along x, y
  SourceLocation where;
};

struct Element {
  std::string name;
  std::vector<Rect> rects;
  std::string material;  ///< empty: the source layer's
  SourceLocation where, material_where;
  std::vector<double> power_W;      ///< one per time slot
  double discr_x = 0, discr_y = 0;  ///< `discretization X, Y`: cells across it (0: none)
};

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

/// A stack element's `discretization X Y` (cells across the chip in its layers) as a minimum
/// resolution: a refinement zone over the element's z range.
void add_element_discretization(const Stack& s, const StackElement& e, double z0, double z1,
                                ImportedCase& c) {
  if (!(e.discr_x > 0) || !(z1 > z0)) return;
  c.refine.push_back({{0, 0, z0},
                      {s.chip_length, s.chip_width, z1 - z0},
                      {s.chip_length / e.discr_x, s.chip_width / e.discr_y, z1 - z0},
                      "3D-ICE discretization " + format_number(e.discr_x) + " " +
                          format_number(e.discr_y) + " of stack element " + e.id});
}

/// 3D-ICE's cell size resolves averages; a maximum inside a powered element needs several
/// cells across it. The lateral cell cap becomes at most the smallest powered rectangle's
/// side / kCellsAcrossElement (not below the chip / kMaxCellsAcrossChip).
void fine_enough_for_maxima(const Stack& s, double smallest_powered_um, ImportedCase& c) {
  constexpr double kCellsAcrossElement = 8, kMaxCellsAcrossChip = 256;
  const double cell_side = std::min(s.cell_length, s.cell_width);
  if (std::isfinite(smallest_powered_um)) {
    const double floor_um = std::min(s.chip_length, s.chip_width) / kMaxCellsAcrossChip;
    const double cap = std::max(smallest_powered_um / kCellsAcrossElement, floor_um);
    if (cap < cell_side) {
      c.max_cell_xy_um = cap;
      c.notes.push_back("grid: max_cell_xy_um = " + format_number(cap) +
                        " um, finer than 3D-ICE's cell (" + format_number(cell_side) +
                        " um), so that the smallest powered element (" +
                        format_number(smallest_powered_um) + " um across) spans " +
                        format_number(std::round(smallest_powered_um / cap)) +
                        " cells and its maximum is resolved, not only its average");
      return;
    }
  }
  c.notes.push_back("grid: max_cell_xy_um = the smaller 3D-ICE cell side (" +
                    format_number(cell_side) + " um); cposim grades its own grid");
}

/// The floorplan file of a die element: 3D-ICE opens it relative to its working directory; the
/// import tries the .stk's folder first, then the working directory, then the folders above the
/// .stk's (3D-ICE's own tests name "test/…" paths from the repository and run from `test/`).
/// Throws at the .stk line when none exists.
std::string find_floorplan(const std::string& stk_path, const StackElement& e,
                           std::vector<std::string>& notes) {
  const std::string& name = e.floorplan;
  auto exists = [](const std::string& p) { return std::ifstream(p).good(); };
  if (!name.empty() && name[0] == '/') {
    if (exists(name)) return name;
    throw CaseError(e.floorplan_where, "cannot open the floorplan file '" + name + "'");
  }
  const std::string folder = folder_of(stk_path);
  std::vector<std::string> tried{resolve(folder, name), name};
  for (auto up = std::filesystem::path(folder).lexically_normal();
       up.has_parent_path() && up.parent_path() != up;) {
    up = up.parent_path();
    tried.push_back((up / name).string());
  }
  for (std::size_t i = 0; i < tried.size(); ++i)
    if (exists(tried[i])) {
      if (i > 0)
        notes.push_back("the floorplan '" + name + "' of stack element " + e.id + " is " +
                        tried[i] +
                        (i == 1 ? " (relative to the working directory, as 3D-ICE opens it)"
                                : " (relative to a folder above the .stk's)"));
      return tried[i];
    }
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw CaseError(
      e.floorplan_where,
      "cannot open the floorplan file '" + name + "' of stack element " + e.id + ": tried " + list +
          " (the .stk's folder, the working directory and the folders above the .stk's)");
}

}  // namespace

ImportResult import_3dice(const std::string& stk_path) {
  const Stack s = read_stk(stk_path);
  ImportedCase c;
  c.title = "imported from 3D-ICE: " + stk_path;
  c.header = {"Imported from 3D-ICE by 'cposim import 3dice'.", "stack description: " + stk_path,
              "Units converted from 3D-ICE's um-based SI: k x 1e6, c_v x 1e18, h x 1e12.",
              "Volumetric heat capacities c_v are kept as rho = 1000 kg/m3 and cp = c_v / 1000."};
  c.footprint_um = {s.chip_length, s.chip_width};
  c.max_cell_xy_um = std::min(s.cell_length, s.cell_width);

  bool has_die = false;
  for (const auto& e : s.elements) has_die = has_die || e.kind == StackElement::Kind::die;
  if (!has_die)
    throw CaseError(s.elements.front().where, "the stack must contain at least one die");
  if (!s.top && !s.bottom)
    throw CaseError({stk_path, 0, 0},
                    "the stack declares no heat sink: cposim needs at least one convection face; "
                    "add 'top heat sink : heat transfer coefficient H ; temperature T ;'");

  const double rho = kImportedDensity_kg_per_m3;
  auto material = [&](const std::string& name, const SourceLocation& where) {
    const auto it = s.materials.find(name);
    if (it == s.materials.end())
      throw CaseError(where,
                      "unknown material '" + name + "'; declared: " + list_keys(s.materials));
    const Material& m = it->second;
    const std::array<double, 3> k{m.k[0] * kWPerMK_per_WPerUmK, m.k[1] * kWPerMK_per_WPerUmK,
                                  m.k[2] * kWPerMK_per_WPerUmK};
    const double cv = m.vhc * kJPerM3K_per_JPerUm3K;
    return c.material(name, k, rho, cv / rho,
                      "3D-ICE material " + name + ": k " + format_number(m.k[0]) +
                          " W/(um K), c_v " + format_number(m.vhc) + " J/(um3 K)");
  };
  std::set<std::string> names;
  auto claim = [&](const std::string& name, const SourceLocation& where) {
    if (!names.insert(name).second)
      throw CaseError(where, "the name '" + name +
                                 "' is used twice in the imported case; rename "
                                 "the stack element or floorplan element");
  };

  double z = 0;
  std::size_t probes_skipped = 0;
  bool counts_differ = false;
  std::size_t slots = 0;
  double smallest_powered = INFINITY;  ///< µm, the smaller side of the smallest powered rectangle
  for (auto it = s.elements.rbegin(); it != s.elements.rend(); ++it) {  // bottom-most first
    const StackElement& e = *it;
    const double element_z = z;
    if (e.kind == StackElement::Kind::layer) {
      claim(e.id, e.where);
      c.layers.push_back({e.id, material(e.layer.material, e.layer.material_where),
                          e.layer.height_um, "3D-ICE stack layer " + e.id});
      z += e.layer.height_um;
      add_element_discretization(s, e, element_z, z, c);
      continue;
    }
    const Die& die = s.dies.at(e.die);
    double source_z = 0, source_h = 0;
    std::string source_material;
    for (std::size_t k = die.layers.size(); k-- > 0;) {  // the die's bottom layer first
      const LayerDef& l = die.layers[k];
      const bool source = k == die.source;
      const std::string name =
          e.id + "." + (source ? std::string("source") : "layer" + std::to_string(k));
      claim(name, e.where);
      const std::string mat =
          material(l.material, l.material_where.line ? l.material_where : die.where);
      c.layers.push_back(
          {name, mat, l.height_um,
           "die " + e.id + " (" + e.die + ") " +
               (source ? "source layer" : "layer " + std::to_string(k) + " from its top") +
               (l.declared.empty() ? "" : ", declared layer " + l.declared)});
      if (source) {
        source_z = z;
        source_h = l.height_um;
        source_material = mat;
      }
      z += l.height_um;
    }
    const std::string flp_path = find_floorplan(stk_path, e, c.notes);
    for (const Element& el : read_floorplan(flp_path, s)) {
      double total = 0;
      if (!el.power_W.empty()) {
        if (s.transient) {
          for (double v : el.power_W) total += v;
          total /= static_cast<double>(el.power_W.size());
        } else {
          total = el.power_W.front();
        }
        if (slots != 0 && slots != el.power_W.size()) counts_differ = true;
        slots = std::max(slots, el.power_W.size());
      }
      double area = 0;
      for (const Rect& q : el.rects) area += q.length * q.width;
      const std::string mat =
          el.material.empty() ? source_material : material(el.material, el.material_where);
      for (std::size_t q = 0; q < el.rects.size(); ++q) {
        const Rect& rect = el.rects[q];
        const std::string name =
            e.id + "." + el.name + (el.rects.size() > 1 ? "." + std::to_string(q) : "");
        claim(name, rect.where);
        const double share = total * rect.length * rect.width / area;
        if (s.transient && total > 0 && el.power_W.size() > 1) {
          ImportedWaveform w;
          for (std::size_t k = 0; k < el.power_W.size(); ++k) {
            w.t_s.push_back(static_cast<double>(k) * s.slot_s);
            w.factor.push_back(el.power_W[k] / total);
          }
          c.waveforms[name] = w;
        }
        if (el.discr_x > 0)
          c.refine.push_back({{rect.x, rect.y, source_z},
                              {rect.length, rect.width, source_h},
                              {rect.length / el.discr_x, rect.width / el.discr_y, source_h},
                              "3D-ICE discretization " + format_number(el.discr_x) + ", " +
                                  format_number(el.discr_y) + " of floorplan element " + el.name});
        if (share > 0) smallest_powered = std::min({smallest_powered, rect.length, rect.width});
        c.blocks.push_back({name,
                            mat,
                            {rect.x, rect.y, source_z},
                            {rect.length, rect.width, source_h},
                            share,
                            q == 0 ? "floorplan " + e.floorplan + ", element " + el.name : ""});
        if (share > 0) {
          if (c.probes.size() < kMaxProbes)
            c.probes.push_back(
                {name,
                 {rect.x + rect.length / 2, rect.y + rect.width / 2, source_z + source_h / 2}});
          else
            ++probes_skipped;
        }
      }
    }
    add_element_discretization(s, e, element_z, z, c);
  }
  fine_enough_for_maxima(s, smallest_powered, c);

  if (s.top)
    c.faces.push_back({"top", s.top->htc * kWPerM2K_per_WPerUm2K, s.top->T,
                       "3D-ICE top heat sink: " + format_number(s.top->htc) + " W/(um2 K)"});
  if (s.bottom)
    c.faces.push_back({"bottom", s.bottom->htc * kWPerM2K_per_WPerUm2K, s.bottom->T,
                       "3D-ICE bottom heat sink: " + format_number(s.bottom->htc) + " W/(um2 K)"});

  if (s.transient) {
    // 3D-ICE integrates with backward Euler at a fixed step; every slot holds one power value.
    ImportedTransient t;
    t.backward_euler = true;
    t.end_time_s = static_cast<double>(std::max<std::size_t>(slots, 1)) * s.slot_s;
    const double outputs =
        std::ceil(static_cast<double>(std::max<std::size_t>(slots, 1)) / 10000.0);
    t.output_interval_s = outputs * s.slot_s;
    if (t.end_time_s / s.step_s <= 1e6) t.fixed_step_s = s.step_s;
    t.initial_T_K = s.initial_T_K;
    t.comment = "3D-ICE transient step " + format_number(s.step_s) + " s, slot " +
                format_number(s.slot_s) + " s";
    c.transient = t;
    const std::size_t shown_slots = std::max<std::size_t>(slots, 1);
    c.notes.push_back("transient: backward Euler at 3D-ICE's step " + format_number(s.step_s) +
                      " s up to " + format_number(t.end_time_s) + " s (" +
                      std::to_string(shown_slots) + (shown_slots == 1 ? " slot" : " slots") +
                      " of " + format_number(s.slot_s) + " s) from " +
                      format_number(s.initial_T_K) +
                      " K; power_W is each element's mean and its power_waveform steps through "
                      "the slot values");
    if (!t.fixed_step_s)
      c.notes.push_back("more than 1e6 fixed steps: the time step is adaptive instead");
  } else if (slots > 1)
    c.notes.push_back(
        "steady analysis: each element dissipates its first power value, as "
        "3D-ICE's steady solve; the other " +
        std::to_string(slots - 1) + " values are not imported");
  double total_W = 0;
  for (const auto& b : c.blocks) total_W += b.power_W.value_or(0.0);
  if (!(total_W > 0))
    c.warnings.push_back(
        std::string(slots == 0 ? "no floorplan element gives power values"
                               : "every floorplan element's power is 0 W") +
        ": the stack imports at 0 W (3D-ICE's client-server mode sends the powers at run "
        "time); set the blocks' power_W in the case");
  if (counts_differ)
    c.notes.push_back(
        "floorplan elements give different numbers of power values" +
        std::string(s.transient ? ": a shorter list holds its last value to the end" : ""));
  if (s.discretization)
    c.notes.push_back(
        "3D-ICE's discretization settings are minimum resolutions here: [[grid.refine]] zones "
        "with cells no larger than 3D-ICE's (cposim grades its own grid)");
  else if (s.nonuniform)
    c.notes.push_back("non-uniform true: cposim grades its own grid");
  if (s.has_output)
    c.notes.push_back(
        "output requests (T, Tflp, Tflpel, Tmap, T3d, ...) are not imported; "
        "probes sit at the centre of each powered element's source layer");
  if (probes_skipped > 0)
    c.notes.push_back("probes were added for the first " + std::to_string(kMaxProbes) +
                      " powered elements only");
  return {to_case_toml(c), c.notes, c.warnings};
}

}  // namespace cposim::cases
