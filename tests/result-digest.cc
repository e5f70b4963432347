/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "result-digest.h"

#include <hdf5.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace wafertest
{

namespace
{
std::string
Replace(std::string text, const std::vector<std::string>& locations)
{
    for (const std::string& loc : locations)
    {
        if (loc.empty())
        {
            continue;
        }
        for (size_t at = text.find(loc); at != std::string::npos;
             at = text.find(loc, at + sizeof("<location>") - 1))
        {
            text.replace(at, loc.size(), "<location>");
        }
    }
    return text;
}

/// Type, shape and raw bytes of a dataset or attribute, as one string to digest.
std::string
Describe(hid_t type, hid_t space, const std::vector<char>& data)
{
    size_t n = 0;
    H5Tencode(type, nullptr, &n);
    std::string out(n, '\0');
    H5Tencode(type, out.data(), &n);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(rank > 0 ? rank : 0);
    if (rank > 0)
    {
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    }
    for (hsize_t d : dims)
    {
        out += "|" + std::to_string(d);
    }
    out += "|";
    out.append(data.begin(), data.end());
    return out;
}

struct Visit
{
    std::map<std::string, std::string>* out;
    const std::vector<std::string>* locations;
    std::string prefix; ///< "" for the root, "/name" for a dataset
};

herr_t
OnAttribute(hid_t obj, const char* name, const H5A_info_t*, void* data)
{
    auto* v = static_cast<Visit*>(data);
    const std::string attr(name);
    if (attr.rfind("wall_", 0) == 0)
    {
        return 0;
    }
    const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(a);
    const hid_t space = H5Aget_space(a);
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    std::vector<char> bytes(H5Tget_size(type) * (points > 0 ? points : 0));
    H5Aread(a, type, bytes.data());
    std::string text;
    if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0)
    {
        // The texts, as for a fixed-length string: a scalar is "string|text", an array
        // "strings|a|b|..."; the bytes read are heap addresses.
        std::vector<char*> texts(points > 0 ? points : 0, nullptr);
        std::memcpy(texts.data(), bytes.data(), texts.size() * sizeof(char*));
        text = H5Sget_simple_extent_type(space) == H5S_SCALAR ? "string" : "strings";
        for (char* t : texts)
        {
            text += "|" + Replace(t ? t : "", *v->locations);
        }
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, bytes.data());
    }
    else if (H5Tget_class(type) == H5T_STRING)
    {
        // The text, not its fixed width: a path's length changes the width.
        text = "string|" + Replace(std::string(bytes.begin(), bytes.end()).c_str(), *v->locations);
    }
    else
    {
        text = Describe(type, space, bytes);
    }
    (*v->out)[v->prefix + "@" + attr] = Fnv1a(text);
    H5Sclose(space);
    H5Tclose(type);
    H5Aclose(a);
    return 0;
}

herr_t
OnObject(hid_t root, const char* name, const H5O_info_t* info, void* data)
{
    auto* v = static_cast<Visit*>(data);
    if (info->type != H5O_TYPE_DATASET)
    {
        return 0;
    }
    const hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(ds);
    const hid_t space = H5Dget_space(ds);
    const hssize_t points = H5Sget_simple_extent_npoints(space);
    std::vector<char> bytes(H5Tget_size(type) * (points > 0 ? points : 0));
    if (!bytes.empty())
    {
        H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    }
    const std::string path = std::string("/") + name;
    (*v->out)[path] = Fnv1a(Describe(type, space, bytes));
    Visit attrs{v->out, v->locations, path};
    hsize_t idx = 0;
    H5Aiterate2(ds, H5_INDEX_NAME, H5_ITER_INC, &idx, OnAttribute, &attrs);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
    return 0;
}
} // namespace

std::string
Fnv1a(const std::string& bytes)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes)
    {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

std::map<std::string, std::string>
DigestResultFile(const std::string& path, const std::vector<std::string>& locations)
{
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
    {
        throw std::runtime_error(path + ": not an HDF5 file");
    }
    std::map<std::string, std::string> out;
    Visit root{&out, &locations, ""};
    hsize_t idx = 0;
    H5Aiterate2(f, H5_INDEX_NAME, H5_ITER_INC, &idx, OnAttribute, &root);
    H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, OnObject, &root, H5O_INFO_BASIC);
    H5Fclose(f);
    return out;
}

std::string
DigestText(std::string text, const std::vector<std::string>& locations)
{
    return Fnv1a(Replace(std::move(text), locations));
}

} // namespace wafertest
