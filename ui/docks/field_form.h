// SPDX-License-Identifier: MIT
#pragma once

#include "ui/model/field_access.h"
#include "ui/model/item_ref.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace collapipe {

class TopologyDocument;

/// An editor for every field of one item (or settings section), built from the core field table:
/// labels carry the unit, tooltips the unit, valid range and help, and values the table refuses
/// are refused inline with its reason. Edits go to TopologyDocument::setProperty (undoable; spin
/// steps merge). Shared by the property and settings docks.
class FieldForm : public QWidget
{
    Q_OBJECT
public:
    explicit FieldForm(TopologyDocument *document, QWidget *parent = nullptr);

    /// Shows ref's fields; a null ref empties the form.
    void setItem(const ItemRef &ref);
    ItemRef item() const { return m_ref; }
    /// Applies text to a field as if typed (numbers in C locale); false and an inline error if
    /// refused. Used by the editors, and by tests.
    bool editField(const QString &key, const QString &text);
    /// The inline error shown now ("" if none).
    QString errorText() const;

private:
    struct Row
    {
        BoundField field;
        QWidget *editor = nullptr;
        QLabel *hint = nullptr; ///< human-readable value ("2 GB"), Real fields only
    };

    void rebuild();
    void refreshValues();
    QWidget *createEditor(const BoundField &field);
    void showError(const QString &error, QWidget *editor);

    TopologyDocument *m_document;
    ItemRef m_ref;
    QFormLayout *m_layout;
    QLabel *m_error;
    QList<Row> m_rows;
};

/// value with an SI prefix and unit, e.g. formatSi(2e9, "B") = "2 GB", (9e11, "FLOP/s") =
/// "900 GFLOP/s"; "" for unitless values.
QString formatSi(double value, const QString &unit);

} // namespace collapipe
