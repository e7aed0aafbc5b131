// SPDX-License-Identifier: MIT
#include "ui/commands/add_device_command.h"

#include "ui/model/topology_document.h"

#include <QCoreApplication>

namespace collapipe {

AddDeviceCommand::AddDeviceCommand(TopologyDocument *document, int clusterIndex, int deviceIndex,
    const Device &device, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_clusterIndex(clusterIndex)
    , m_deviceIndex(deviceIndex)
    , m_device(device)
{
    setText(QCoreApplication::translate("collapipe", "Add device %1").arg(device.id));
}

void AddDeviceCommand::redo()
{
    m_document->applyInsertDevice(m_clusterIndex, m_deviceIndex, m_device);
}

void AddDeviceCommand::undo()
{
    m_device = m_document->applyTakeDevice(m_clusterIndex, m_deviceIndex);
}

} // namespace collapipe
