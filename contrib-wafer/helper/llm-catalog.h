/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAFER_LLM_CATALOG_H
#define WAFER_LLM_CATALOG_H

#include "named-catalog.h"

#include "ns3/llm-config.h"

#include <string>
#include <vector>

namespace ns3
{
namespace wafer
{

/**
 * \ingroup wafer
 * LLM architectures read from JSON files (schema "wafer-models/1"). The built-in file is
 * data/models.json, each entry citing the config.json it was taken from; users add their own.
 */
class LlmCatalog
{
  public:
    /// The built-in models plus \p extraFiles, in order.
    static LlmCatalog Load(const std::vector<std::string>& extraFiles = {});

    /// Add every model in \p path. \throws InputError naming file, model and field.
    void LoadFile(const std::string& path);

    /// \throws InputError "model: unknown 'x' (known: ...)".
    const LlmConfig& Get(const std::string& name) const;
    std::vector<std::string> Names() const;

  private:
    NamedCatalog<LlmConfig> m_models{"model"};
};

} // namespace wafer
} // namespace ns3

#endif // WAFER_LLM_CATALOG_H
