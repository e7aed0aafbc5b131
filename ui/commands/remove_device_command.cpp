// SPDX-License-Identifier: MIT
#include "ui/commands/remove_device_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

RemoveDeviceCommand::RemoveDeviceCommand(
    TopologyDocument *document, int clusterIndex, int deviceIndex, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_clusterIndex(clusterIndex)
    , m_deviceIndex(deviceIndex)
{
    const Device &device = document->scenario()
                               .topology.clusters[static_cast<size_t>(clusterIndex)]
                               .devices[static_cast<size_t>(deviceIndex)];
    setText(QCoreApplication::translate("collapipe", "Remove device %1").arg(device.id));
}

void RemoveDeviceCommand::redo()
{
    m_device = m_document->applyTakeDevice(m_clusterIndex, m_deviceIndex);
}

void RemoveDeviceCommand::undo()
{
    m_document->applyInsertDevice(m_clusterIndex, m_deviceIndex, m_device);
}

} // namespace collapipe
