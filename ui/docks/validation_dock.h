// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QDockWidget>

class QLabel;
class QListView;

namespace collapipe {

class TopologyDocument;
class ValidationModel;

/// Lists every problem validateScenario() finds, live; clicking one reports the item it names so
/// the canvas can select it (or the settings dock show its section).
class ValidationDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit ValidationDock(TopologyDocument *document, QWidget *parent = nullptr);
    ValidationModel *model() const { return m_model; }

Q_SIGNALS:
    void problemActivated(const collapipe::ItemRef &ref);

private:
    void updateSummary();

    TopologyDocument *m_document;
    ValidationModel *m_model;
    QLabel *m_summary;
    QListView *m_list;
};

} // namespace collapipe
