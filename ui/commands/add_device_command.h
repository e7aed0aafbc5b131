// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <QUndoCommand>

namespace collapipe {

class TopologyDocument;

/// Inserts a device into a cluster at a given index; undo takes it out again.
class AddDeviceCommand : public QUndoCommand
{
public:
    AddDeviceCommand(TopologyDocument *document, int clusterIndex, int deviceIndex,
        const Device &device, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    TopologyDocument *m_document;
    int m_clusterIndex;
    int m_deviceIndex;
    Device m_device;
};

} // namespace collapipe
