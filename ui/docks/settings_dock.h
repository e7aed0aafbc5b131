// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/item_ref.h"

#include <QDockWidget>

class QScrollArea;
class QToolButton;

namespace collapipe {

class FieldForm;
class TopologyDocument;

/// Scenario-wide settings: name, model (both widths), training, optimizer and the D2D/D2E channel
/// settings: one scrolling column with a collapsible section per section of the field table,
/// each as tall as its fields; the description is multi-line.
class SettingsDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit SettingsDock(TopologyDocument *document, QWidget *parent = nullptr);

    /// Shows the page of a Settings ref (e.g. from a validation problem); other refs are ignored.
    void showSection(const ItemRef &ref);
    FieldForm *form(const QString &section) const;

private:
    QScrollArea *m_scroll;
    QList<FieldForm *> m_forms;
    QList<QToolButton *> m_headers;
};

} // namespace collapipe
