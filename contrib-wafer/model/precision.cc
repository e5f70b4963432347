/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "precision.h"

#include "input-error.h"

namespace ns3
{
namespace wafer
{

double
BytesPerElement(Precision p)
{
    switch (p)
    {
    case Precision::FP32:
        return 4.0;
    case Precision::BF16:
    case Precision::FP16:
        return 2.0;
    case Precision::FP8:
    case Precision::INT8:
        return 1.0;
    case Precision::FP4:
        return 0.5;
    case Precision::MXFP4:
        return (4.0 + 8.0 / 32.0) / 8.0;
    }
    return 0.0;
}

std::string
ToString(Precision p)
{
    switch (p)
    {
    case Precision::FP32:
        return "fp32";
    case Precision::BF16:
        return "bf16";
    case Precision::FP16:
        return "fp16";
    case Precision::FP8:
        return "fp8";
    case Precision::INT8:
        return "int8";
    case Precision::FP4:
        return "fp4";
    case Precision::MXFP4:
        return "mxfp4";
    }
    return "?";
}

Precision
ParsePrecision(const std::string& name, const std::string& where)
{
    for (auto p : {Precision::FP32,
                   Precision::BF16,
                   Precision::FP16,
                   Precision::FP8,
                   Precision::INT8,
                   Precision::FP4,
                   Precision::MXFP4})
    {
        if (ToString(p) == name)
        {
            return p;
        }
    }
    throw InputError(where + ": unknown precision '" + name
                     + "' (known: fp32, bf16, fp16, fp8, int8, fp4, mxfp4)");
}

Precision
ComputeClass(Precision p)
{
    switch (p)
    {
    case Precision::FP16:
        return Precision::BF16;
    case Precision::INT8:
        return Precision::FP8;
    case Precision::MXFP4:
        return Precision::FP4;
    default:
        return p;
    }
}

} // namespace wafer
} // namespace ns3
