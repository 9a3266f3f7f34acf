#pragma once
/// \file
/// Small pieces of XML text shared by the XDMF sidecars and the VTK XML files, and the one JSON
/// string quoting of the programs' small JSON writers (run manifest, --log lines).

#include <array>
#include <cstddef>
#include <string>

namespace cposim::postproc {

/// `text` with & < > " replaced by their entities, for an attribute value or element text.
std::string xml_escaped(const std::string& text);

/// An XDMF `<DataItem>` that points at `dataset` in the HDF5 file `h5_name` (a name relative to
/// the sidecar), e.g. dims "3 4 5", number_type "Float", precision 8 (bytes).
std::string xdmf_data_item(const std::string& dims, const char* number_type, int precision,
                           const std::string& h5_name, const std::string& dataset);

/// The lines that open an XDMF 3 document, up to and including "  <Domain>\n".
std::string xdmf_document_start();
/// The lines that close what xdmf_document_start() opened.
std::string xdmf_document_end();

/// XDMF Dimensions text for counts given along x, y, z: slowest axis first ("nz ny nx"). The
/// Xdmf2 reader honours this order, so a 3DRectMesh Topology gets its POINT counts here.
std::string xdmf_dimensions(const std::array<std::size_t, 3>& per_axis);

}  // namespace cposim::postproc
