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
/// labels carry the unit, tooltips the unit, valid range and help; a field its item's state does
/// not read (BoundField::relevant: another mobility or availability model's) is hidden. A value the table refuses is
/// reverted to the stored value at once, and the reason is shown AT that field (a red line under
/// it, a red frame and the editor's tooltip) until the next accepted edit. Edits go to
/// TopologyDocument::setProperty (undoable; spin steps merge). Shared by the property and settings
/// docks.
///
/// Editors are never deleted while one of them may be emitting: a form rebuilt from a signal of
/// its own widget (a combo's activated -> document change -> selection -> setItem) disconnects and
/// hides the old editors and deletes them later (deleteLater), and setItem with the shown item only
/// refreshes the values.
class FieldForm : public QWidget
{
    Q_OBJECT
public:
    explicit FieldForm(TopologyDocument *document, QWidget *parent = nullptr);
    ~FieldForm() override;

    /// Shows ref's fields; a null ref empties the form.
    void setItem(const ItemRef &ref);
    ItemRef item() const { return m_ref; }
    /// Applies text to a field as if typed (numbers in C locale); false and an inline error if
    /// refused. Used by the editors, and by tests.
    bool editField(const QString &key, const QString &text);
    /// The inline error shown now ("" if none).
    QString errorText() const;
    /// The editor of a field (QLineEdit, QPlainTextEdit, QSpinBox, QCheckBox or QComboBox), and
    /// the label that shows its refusal reason; null if the form has no such field.
    QWidget *editor(const QString &key) const;
    QLabel *errorLabel(const QString &key) const;
    /// Whether the field's row is shown (false for a field of another model, or no such field).
    bool isFieldShown(const QString &key) const;

private:
    struct Row
    {
        BoundField field;
        QWidget *editor = nullptr;
        QLabel *hint = nullptr;  ///< human-readable value ("2 GB"), Real fields only
        QLabel *error = nullptr; ///< the refusal reason, right under the editor
        QWidget *label = nullptr;
        QWidget *cell = nullptr;
    };

    void rebuild();
    void refreshValues();
    QWidget *createEditor(const BoundField &field);
    void showError(const QString &error, const QString &key);
    void discardRows();

    TopologyDocument *m_document;
    ItemRef m_ref;
    QFormLayout *m_layout;
    QString m_error;
    QList<Row> m_rows;
};

/// value with an SI prefix and unit, e.g. formatSi(2e9, "B") = "2 GB", (9e11, "FLOP/s") =
/// "900 GFLOP/s"; "" for unitless values.
QString formatSi(double value, const QString &unit);

/// A field value as its editor shows it: coordinates (x_m, y_m) to 0.1 m ("313.7", "260"), every other
/// number at full round-trip precision (formatFieldNumber), so an unedited value is never changed.
QString formatFieldForEditor(const FieldInfo &info, double value);

} // namespace collapipe
