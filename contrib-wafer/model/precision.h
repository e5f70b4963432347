/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_PRECISION_H
#define WAFER_PRECISION_H

#include <string>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * Numeric formats for weights, KV cache and activations.
 */
enum class Precision
{
    FP32,
    BF16,
    FP16,
    FP8,
    INT8,
    FP4,
    MXFP4, ///< OCP microscaling FP4: 4-bit elements plus one 8-bit scale per 32 elements
};

/// Bytes per element, fractional for sub-byte formats (MXFP4 = 4.25 bits = 0.53125 bytes).
double BytesPerElement(Precision p);

/// Lower-case name as used in files and flags ("bf16", "fp8", ...).
std::string ToString(Precision p);

/**
 * Parse a precision name. \param where names the field for the error message.
 * \throws InputError on an unknown name.
 */
Precision ParsePrecision(const std::string& name, const std::string& where);

/**
 * The compute precision a format runs at: MXFP4 and FP4 run on FP4 units, INT8 on FP8/INT8 units,
 * FP16 on BF16 units, FP32 on FP32 units.
 */
Precision ComputeClass(Precision p);

} // namespace wafer
} // namespace ns3

#endif // WAFER_PRECISION_H
