/// \file
/// XML escaping and XDMF data items (postproc/io/xml_text.hpp).
#include "postproc/io/xml_text.hpp"

namespace cposim::postproc {

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";  // numeric, so the text is valid in both XML and HTML
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xdmf_data_item(const std::string& dims, const char* number_type, int precision,
                           const std::string& h5_name, const std::string& dataset) {
  return "<DataItem Dimensions=\"" + dims + "\" NumberType=\"" + number_type + "\" Precision=\"" +
         std::to_string(precision) + "\" Format=\"HDF\">" + xml_escaped(h5_name) + ":" + dataset +
         "</DataItem>";
}

std::string xdmf_document_start() {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
         "<Xdmf xmlns:xi=\"http://www.w3.org/2001/XInclude\" Version=\"3.0\">\n"
         "  <Domain>\n";
}

std::string xdmf_document_end() { return "  </Domain>\n</Xdmf>\n"; }

std::string xdmf_dimensions(const std::array<std::size_t, 3>& per_axis) {
  return std::to_string(per_axis[2]) + " " + std::to_string(per_axis[1]) + " " +
         std::to_string(per_axis[0]);
}

}  // namespace cposim::postproc
