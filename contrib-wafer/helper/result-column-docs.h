/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_RESULT_COLUMN_DOCS_H
#define WAFER_RESULT_COLUMN_DOCS_H

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * The unit and one-line description of a result column, as doc/hdf5-schema.md gives them.
 */
struct ColumnDoc
{
    std::string unit;        ///< "" for a plain number (a count, an index, a flag)
    std::string description; ///< the document's "Meaning", without markdown
};

/**
 * \ingroup wafer
 * The documented unit and description of \p field of dataset \p dataset (without the slash) in
 * the files \p program writes, or nullptr if the document has none.
 *
 * The schema document is compiled into the module and is the only source: a dataset's section
 * is a heading naming it ("## `/requests`", or "## `/points` (wafer-stream)" for another
 * program than wafer-sim), its table has a Field, a Unit and a Meaning column, and one row may
 * name several fields. A row whose field is written `<...>` covers every field the section does
 * not list (the group keys of an analysis file).
 */
const ColumnDoc* FindColumnDoc(const std::string& program,
                               const std::string& dataset,
                               const std::string& field);

} // namespace wafer
} // namespace ns3

#endif // WAFER_RESULT_COLUMN_DOCS_H
