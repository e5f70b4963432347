/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "hdf5-result-writer.h"

#include "output-temp.h"
#include "result-column-docs.h"

#include <H5Cpp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ns3
{
namespace wafer
{

const char* const kResultSchemaVersion = "wafer-results/1";

namespace
{
/// Variable-length UTF-8: h5py and other readers see text, not NUL-padded bytes.
H5::StrType
TextType()
{
    H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
    type.setCset(H5T_CSET_UTF8);
    return type;
}

void
WriteStringAttribute(H5::H5Object& obj, const std::string& name, const std::string& value)
{
    const H5::StrType type = TextType();
    H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    const char* text = value.c_str();
    a.write(type, &text);
}

void
WriteStringsAttribute(H5::H5Object& obj,
                      const std::string& name,
                      const std::vector<std::string>& values)
{
    const H5::StrType type = TextType();
    hsize_t dims[1] = {values.size()};
    H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(1, dims));
    std::vector<const char*> texts;
    for (const std::string& v : values)
    {
        texts.push_back(v.c_str());
    }
    a.write(type, texts.data());
}

void
WriteTable(H5::H5File& file, const std::string& program, const ResultTable& table)
{
    const auto& cols = table.Columns();
    const size_t rows = table.Rows();
    size_t rowSize = 0;
    std::vector<size_t> offsets;
    std::vector<std::string> units;
    std::vector<std::string> descriptions;
    for (const auto& c : cols)
    {
        offsets.push_back(rowSize);
        rowSize += c.width;
        const ColumnDoc* doc
            = c.documented ? nullptr : FindColumnDoc(program, table.Name(), c.name);
        units.push_back(c.documented ? c.unit : doc ? doc->unit : "");
        descriptions.push_back(c.documented ? c.description : doc ? doc->description : "");
    }
    H5::CompType type(std::max<size_t>(rowSize, 1));
    for (size_t k = 0; k < cols.size(); ++k)
    {
        const auto& c = cols[k];
        switch (c.type)
        {
        case ResultTable::Type::Float64:
            type.insertMember(c.name, offsets[k], H5::PredType::NATIVE_DOUBLE);
            break;
        case ResultTable::Type::Int64:
            type.insertMember(c.name, offsets[k], H5::PredType::NATIVE_INT64);
            break;
        case ResultTable::Type::String:
        {
            H5::StrType s(H5::PredType::C_S1, c.width);
            s.setStrpad(H5T_STR_NULLTERM);
            type.insertMember(c.name, offsets[k], s);
            break;
        }
        }
    }
    std::vector<char> buf(std::max<size_t>(rows * rowSize, 1), 0);
    for (size_t r = 0; r < rows; ++r)
    {
        char* row = buf.data() + r * rowSize;
        for (size_t k = 0; k < cols.size(); ++k)
        {
            const auto& c = cols[k];
            char* cell = row + offsets[k];
            switch (c.type)
            {
            case ResultTable::Type::Float64:
            {
                const double v = r < c.f.size() ? c.f[r] : 0.0;
                std::memcpy(cell, &v, 8);
                break;
            }
            case ResultTable::Type::Int64:
            {
                const int64_t v = r < c.i.size() ? c.i[r] : 0;
                std::memcpy(cell, &v, 8);
                break;
            }
            case ResultTable::Type::String:
                if (r < c.s.size())
                {
                    std::memcpy(cell, c.s[r].data(), c.s[r].size());
                }
                break;
            }
        }
    }
    hsize_t dims[1] = {rows};
    H5::DataSpace space(1, dims);
    H5::DSetCreatPropList plist;
    H5Pset_obj_track_times(plist.getId(), false);
    if (table.Compressed())
    {
        // Chunks of 4,096 rows (a few hundred kB), byte-shuffled then deflated: a long run's
        // message log shrinks several-fold and still reads a slice without the rest.
        hsize_t chunk[1] = {std::clamp<hsize_t>(rows, 1, 4096)};
        plist.setChunk(1, chunk);
        plist.setShuffle();
        plist.setDeflate(6);
    }
    H5::DataSet ds = file.createDataSet("/" + table.Name(), type, space, plist);
    if (rows > 0)
    {
        ds.write(buf.data(), type);
    }
    WriteStringAttribute(ds, "description", table.Description());
    WriteStringsAttribute(ds, "units", units);
    WriteStringsAttribute(ds, "descriptions", descriptions);
}

std::string
Program(const RunMetadata& meta)
{
    for (const auto& [k, v] : meta.text)
    {
        if (k == "program")
        {
            return v;
        }
    }
    return "";
}
} // namespace

void
WriteResultFile(const std::string& path,
                const RunMetadata& meta,
                const std::vector<ResultTable>& tables)
{
    WriteTableFile(path, kResultSchemaVersion, meta, tables);
}

void
WriteTableFile(const std::string& path,
               const std::string& schemaVersion,
               const RunMetadata& meta,
               const std::vector<ResultTable>& tables)
{
    // Removed on failure, on SIGINT or SIGTERM, or by the next writer after a SIGKILL.
    OutputTemp tmp(path);
    H5::Exception::dontPrint();
    try
    {
        H5::FileCreatPropList fcpl;
        H5Pset_obj_track_times(fcpl.getId(), false);
        // Text attributes are variable-length: their bytes live in the file's heap, so a long
        // scenario text does not meet the 64 KiB limit of an object header.
        H5::FileAccPropList fapl;
        H5::H5File file(tmp.Path(), H5F_ACC_TRUNC, fcpl, fapl);
        WriteStringAttribute(file, "schema_version", schemaVersion);
        for (const auto& [k, v] : meta.text)
        {
            WriteStringAttribute(file, k, v);
        }
        for (const auto& [k, v] : meta.numbers)
        {
            H5::Attribute a
                = file.createAttribute(k, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
            a.write(H5::PredType::NATIVE_DOUBLE, &v);
        }
        for (const auto& [k, v] : meta.integers)
        {
            H5::Attribute a
                = file.createAttribute(k, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR));
            a.write(H5::PredType::NATIVE_INT64, &v);
        }
        for (const auto& t : tables)
        {
            WriteTable(file, Program(meta), t);
        }
        file.close();
    }
    catch (const H5::Exception& e)
    {
        throw std::runtime_error(path + ": cannot write HDF5 file: " + e.getDetailMsg());
    }
    tmp.Commit();
}

} // namespace wafer
} // namespace ns3
