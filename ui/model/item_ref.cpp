// SPDX-License-Identifier: MIT
#include "ui/model/item_ref.h"

#include <QCoreApplication>

namespace collapipe {

QString itemKindName(ItemKind kind)
{
    switch (kind) {
    case ItemKind::EdgeServer:
        return QCoreApplication::translate("collapipe", "edge server");
    case ItemKind::Cluster:
        return QCoreApplication::translate("collapipe", "cluster");
    case ItemKind::ControlUnit:
        return QCoreApplication::translate("collapipe", "control unit");
    case ItemKind::Device:
        return QCoreApplication::translate("collapipe", "device");
    case ItemKind::Settings:
        return QCoreApplication::translate("collapipe", "settings");
    }
    return QString();
}

} // namespace collapipe
