/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-file.h"

#include <sys/stat.h>

#include <algorithm>

namespace ns3
{
namespace wafer
{

ResultFile::ResultFile(const std::string& path) :
    m_path(path)
{
    H5::Exception::dontPrint();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
    {
        Fail("no such file");
    }
    m_fileBytes = static_cast<uint64_t>(st.st_size);
    try
    {
        if (!H5::H5File::isHdf5(path))
        {
            Fail("not an HDF5 file");
        }
        m_file.openFile(path, H5F_ACC_RDONLY);
    }
    catch (const H5::Exception& e)
    {
        Fail("not a readable HDF5 file (" + e.getDetailMsg() + ")");
    }
}

const std::string&
ResultFile::Path() const
{
    return m_path;
}

void
ResultFile::Fail(const std::string& reason) const
{
    throw ResultFileError(m_path + ": " + reason);
}

bool
ResultFile::HasSchema(const std::string& expected) const
{
    return HasAttribute("schema_version") && StringAttribute("schema_version") == expected;
}

void
ResultFile::RequireSchema(const std::string& expected) const
{
    if (!HasAttribute("schema_version"))
    {
        Fail("no schema_version attribute (expected '" + expected + "')");
    }
    const std::string v = StringAttribute("schema_version");
    if (v != expected)
    {
        Fail("schema_version is '" + v + "', expected '" + expected + "'");
    }
}

void
ResultFile::RequireDatasets(const std::vector<std::string>& names) const
{
    for (const auto& n : names)
    {
        if (!HasDataset(n))
        {
            Fail("missing dataset /" + n);
        }
    }
}

bool
ResultFile::HasAttribute(const std::string& name) const
{
    return m_file.attrExists(name);
}

std::string
ResultFile::StringAttribute(const std::string& name) const
{
    try
    {
        H5::Attribute a = m_file.openAttribute(name);
        H5::DataType t = a.getDataType();
        if (t.getClass() != H5T_STRING || t.getSize() > m_fileBytes
            || a.getSpace().getSimpleExtentNpoints() != 1)
        {
            Fail("attribute " + name + " is not a string");
        }
        if (t.isVariableStr())
        {
            // Text attributes since the units and descriptions came; fixed-length before.
            char* text = nullptr;
            a.read(t, &text); // the attribute's own type: ASCII and UTF-8 do not convert
            std::string out(text ? text : "");
            H5free_memory(text);
            return out;
        }
        std::string buf(t.getSize(), '\0');
        a.read(t, &buf[0]);
        return std::string(buf.c_str());
    }
    catch (const H5::Exception&)
    {
        Fail("missing attribute " + name);
    }
}

int64_t
ResultFile::IntegerAttribute(const std::string& name) const
{
    try
    {
        H5::Attribute a = m_file.openAttribute(name);
        // Only the type the writer uses: converting another one (a corrupt file's odd float)
        // can crash inside HDF5.
        if (!(a.getDataType() == H5::PredType::STD_I64LE)
            || a.getSpace().getSimpleExtentNpoints() != 1)
        {
            Fail("attribute " + name + " is not a 64-bit integer");
        }
        int64_t v = 0;
        a.read(H5::PredType::NATIVE_INT64, &v);
        return v;
    }
    catch (const H5::Exception&)
    {
        Fail("missing or non-integer attribute " + name);
    }
}

bool
ResultFile::HasDataset(const std::string& name) const
{
    try
    {
        return m_file.nameExists(name) && m_file.childObjType(name) == H5O_TYPE_DATASET;
    }
    catch (const H5::Exception&)
    {
        return false;
    }
}

namespace
{
/// Index of member \p name, or -1 (H5::CompType::getMemberIndex throws instead).
int
MemberIndex(const H5::CompType& type, const std::string& name)
{
    for (int i = 0; i < type.getNmembers(); ++i)
    {
        if (type.getMemberName(i) == name)
        {
            return i;
        }
    }
    return -1;
}
} // namespace

/// The most a deflate stream expands to per byte (zlib's technical details: 1032:1).
constexpr hsize_t kMaxDeflateRatio = 1032;

H5::DataSet
ResultFile::Open(const std::string& dataset) const
{
    if (!HasDataset(dataset))
    {
        Fail("missing dataset /" + dataset);
    }
    try
    {
        H5::DataSet ds = m_file.openDataSet(dataset);
        if (ds.getTypeClass() != H5T_COMPOUND || ds.getSpace().getSimpleExtentNdims() != 1)
        {
            Fail("/" + dataset + " is not a one-dimensional compound dataset");
        }
        // Found by fuzzing: HDF5 crashes converting some types of a corrupt file, and a corrupt
        // row count asks for any amount of memory. Only what the writer writes is read: 64-bit
        // floats and integers, fixed-length strings, and no more rows than the file's bytes can
        // hold once inflated (the writer deflates; deflate shrinks by at most 1032:1).
        const H5::CompType type = ds.getCompType();
        for (int i = 0; i < type.getNmembers(); ++i)
        {
            const H5::DataType member = type.getMemberDataType(i);
            const bool ok = (member == H5::PredType::IEEE_F64LE || member == H5::PredType::STD_I64LE
                             || (member.getClass() == H5T_STRING && !member.isVariableStr()))
                            && type.getMemberOffset(i) + member.getSize() <= type.getSize();
            if (!ok)
            {
                Fail("/" + dataset + " has a field of a type results never have");
            }
        }
        hsize_t rows = 0;
        ds.getSpace().getSimpleExtentDims(&rows);
        if (rows > kMaxDeflateRatio * m_fileBytes / std::max<size_t>(1, type.getSize()))
        {
            Fail("/" + dataset + " claims more rows than the file holds");
        }
        return ds;
    }
    catch (const H5::Exception& e)
    {
        Fail("/" + dataset + ": unreadable (" + e.getDetailMsg() + ")");
    }
}

std::vector<std::string>
ResultFile::Fields(const std::string& dataset) const
{
    H5::CompType t = Open(dataset).getCompType();
    std::vector<std::string> out;
    for (int i = 0; i < t.getNmembers(); ++i)
    {
        out.push_back(t.getMemberName(i));
    }
    return out;
}

bool
ResultFile::HasField(const std::string& dataset, const std::string& field) const
{
    for (const auto& f : Fields(dataset))
    {
        if (f == field)
        {
            return true;
        }
    }
    return false;
}

size_t
ResultFile::Rows(const std::string& dataset) const
{
    hsize_t n = 0;
    Open(dataset).getSpace().getSimpleExtentDims(&n);
    return n;
}

std::vector<double>
ResultFile::Column(const std::string& dataset, const std::string& field) const
{
    H5::DataSet ds = Open(dataset);
    H5::CompType ft = ds.getCompType();
    const int idx = MemberIndex(ft, field);
    if (idx < 0)
    {
        Fail("/" + dataset + " has no field '" + field + "'");
    }
    const H5T_class_t cls = ft.getMemberClass(idx);
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    {
        Fail("/" + dataset + "/" + field + " is not numeric");
    }
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<double> out(n);
    if (n > 0)
    {
        H5::CompType mem(sizeof(double));
        mem.insertMember(field, 0, H5::PredType::NATIVE_DOUBLE);
        try
        {
            ds.read(out.data(), mem);
        }
        catch (const H5::Exception& e)
        {
            Fail("/" + dataset + "/" + field + ": unreadable (" + e.getDetailMsg() + ")");
        }
    }
    return out;
}

std::vector<std::string>
ResultFile::StringColumn(const std::string& dataset, const std::string& field) const
{
    H5::DataSet ds = Open(dataset);
    H5::CompType ft = ds.getCompType();
    const int idx = MemberIndex(ft, field);
    if (idx < 0 || ft.getMemberClass(idx) != H5T_STRING)
    {
        Fail("/" + dataset + " has no string field '" + field + "'");
    }
    const size_t width = ft.getMemberDataType(idx).getSize();
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    std::vector<char> buf(n * width + 1, 0);
    if (n > 0)
    {
        H5::StrType st(H5::PredType::C_S1, width);
        H5::CompType mem(width);
        mem.insertMember(field, 0, st);
        try
        {
            ds.read(buf.data(), mem);
        }
        catch (const H5::Exception& e)
        {
            Fail("/" + dataset + "/" + field + ": unreadable (" + e.getDetailMsg() + ")");
        }
    }
    std::vector<std::string> out;
    for (hsize_t r = 0; r < n; ++r)
    {
        out.emplace_back(std::string(buf.data() + r * width, width).c_str());
    }
    return out;
}

std::map<std::string, double>
ResultFile::FirstRow(const std::string& dataset) const
{
    H5::DataSet ds = Open(dataset);
    H5::CompType ft = ds.getCompType();
    std::vector<std::string> names;
    for (int i = 0; i < ft.getNmembers(); ++i)
    {
        const H5T_class_t cls = ft.getMemberClass(i);
        if (cls == H5T_FLOAT || cls == H5T_INTEGER)
        {
            names.push_back(ft.getMemberName(i));
        }
    }
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    if (n < 1)
    {
        Fail("/" + dataset + " has no rows");
    }
    std::map<std::string, double> out;
    if (names.empty())
    {
        return out;
    }
    H5::CompType mem(names.size() * sizeof(double));
    for (size_t k = 0; k < names.size(); ++k)
    {
        mem.insertMember(names[k], k * sizeof(double), H5::PredType::NATIVE_DOUBLE);
    }
    std::vector<double> all(n * names.size());
    try
    {
        ds.read(all.data(), mem);
    }
    catch (const H5::Exception& e)
    {
        Fail("/" + dataset + ": unreadable (" + e.getDetailMsg() + ")");
    }
    for (size_t k = 0; k < names.size(); ++k)
    {
        out[names[k]] = all[k];
    }
    return out;
}

} // namespace wafer
} // namespace ns3
