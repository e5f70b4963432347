/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "hdf5-result-writer.h"

#include "output-temp.h"

#include <H5Cpp.h>
#include <unistd.h>

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
void
WriteStringAttribute(H5::H5Object& obj, const std::string& name, const std::string& value)
{
    H5::StrType type(H5::PredType::C_S1, std::max<size_t>(1, value.size()));
    type.setStrpad(H5T_STR_NULLPAD);
    H5::Attribute a = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
    a.write(type, value.data());
}

void
WriteTable(H5::H5File& file, const ResultTable& table)
{
    const auto& cols = table.Columns();
    const size_t rows = table.Rows();
    size_t rowSize = 0;
    std::vector<size_t> offsets;
    for (const auto& c : cols)
    {
        offsets.push_back(rowSize);
        rowSize += c.width;
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
    H5::DataSet ds = file.createDataSet("/" + table.Name(), type, space, plist);
    if (rows > 0)
    {
        ds.write(buf.data(), type);
    }
    WriteStringAttribute(ds, "description", table.Description());
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
        // An attribute past 64 KiB (a long scenario text) needs the 1.8 object format, which
        // stores it densely; the original one refuses it. Only then: it encodes types otherwise.
        H5::FileAccPropList fapl;
        for (const auto& [k, v] : meta.text)
        {
            if (v.size() > 60000)
            {
                H5Pset_libver_bounds(fapl.getId(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
            }
        }
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
            WriteTable(file, t);
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
