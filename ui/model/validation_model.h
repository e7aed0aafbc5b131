// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QAbstractListModel>

namespace collapipe {

class TopologyDocument;
struct Scenario;

/// The document's validateScenario() problems as a list (one row each, "path: message"), kept
/// current through TopologyDocument::problemsChanged. ItemRefRole gives the item a problem is about
/// so a click can select it.
class ValidationModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        PathRole = Qt::UserRole + 1, ///< QString: the field path
        ItemKindRole,                ///< int(ItemKind) of the offending item
        ItemIdRole                   ///< QString: its id (Settings: the section)
    };

    explicit ValidationModel(TopologyDocument *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    ItemRef itemAt(int row) const;

private:
    void refresh();

    TopologyDocument *m_document;
    QStringList m_texts;
    QStringList m_paths;
};

/// The item a problem path names: "edge_servers[0].x_m" → that server; "clusters[1].devices[3]…"
/// → that device; "clusters[1].control_unit…" → the control unit; "clusters[1]…" → the cluster;
/// "training.rounds" → Settings "training" ("model.trainer.…" → "model.trainer"). Null if none.
ItemRef itemForProblemPath(const Scenario &scenario, const QString &path);

} // namespace collapipe
