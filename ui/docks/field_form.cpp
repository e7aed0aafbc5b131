// SPDX-License-Identifier: MIT
#include "ui/docks/field_form.h"

#include "ui/model/topology_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSpinBox>

#include <algorithm>
#include <climits>
#include <cmath>

namespace collapipe {

QString formatSi(double value, const QString &unit)
{
    if (unit.isEmpty() || !std::isfinite(value) || unit.startsWith(QLatin1String("dB"))) {
        return QString();
    }
    static const struct
    {
        double scale;
        const char *prefix;
    } prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    for (const auto &p : prefixes) {
        if (std::abs(value) >= p.scale) {
            return QStringLiteral("%1 %2%3").arg(
                QLocale().toString(value / p.scale, 'g', 4), QLatin1String(p.prefix), unit);
        }
    }
    return QStringLiteral("%1 %2").arg(QLocale().toString(value, 'g', 4), unit);
}

QString formatFieldForEditor(const FieldInfo &info, double value)
{
    if (info.key == QLatin1String("x_m") || info.key == QLatin1String("y_m")) {
        // A dragged position is 313.708279066397 m; a tenth of a metre is what anyone can see.
        return formatFieldNumber(std::round(value * 10.0) / 10.0);
    }
    return formatFieldNumber(value);
}

namespace {

/// A multi-line text field (descriptions) that reports "editing finished" on focus out, like
/// QLineEdit::editingFinished.
class MultiLineEdit : public QPlainTextEdit
{
public:
    using QPlainTextEdit::QPlainTextEdit;
    std::function<void()> onEditingFinished;

protected:
    void focusOutEvent(QFocusEvent *event) override
    {
        QPlainTextEdit::focusOutEvent(event);
        if (onEditingFinished && document()->isModified()) {
            document()->setModified(false);
            onEditingFinished();
        }
    }
};

const char *const kErrorFrame = "border: 2px solid #b71c1c;";

} // namespace

FieldForm::~FieldForm()
{
    // Shown as a window of its own (a floating dock, a test), this widget's window is closed by
    // ~QWidget, after this destructor: the focused line edit then emits editingFinished into a
    // half-destroyed object. Cut the line edits' connections to this first.
    for (QLineEdit *edit : findChildren<QLineEdit *>()) {
        edit->disconnect(this);
    }
}

FieldForm::FieldForm(TopologyDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_layout(new QFormLayout)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_layout);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addStretch();
    connect(document, &TopologyDocument::propertyChanged, this, [this](const ItemRef &ref) {
        if (ref == m_ref) {
            refreshValues();
        }
    });
    connect(document, &TopologyDocument::itemMoved, this, [this](const ItemRef &ref) {
        if (ref == m_ref) {
            refreshValues();
        }
    });
    connect(document, &TopologyDocument::clusterConnected, this, [this] { refreshValues(); });
    // Removing an edge server changes which servers a cluster's combo offers.
    connect(document, &TopologyDocument::itemRemoved, this, [this] {
        if (!m_ref.isNull() && !m_document->contains(m_ref)) {
            setItem(ItemRef{});
        } else {
            refreshValues();
        }
    });
    connect(document, &TopologyDocument::itemAdded, this, [this] { refreshValues(); });
    connect(document, &TopologyDocument::scenarioReset, this, [this] {
        if (!m_ref.isNull() && !m_document->contains(m_ref)) {
            setItem(ItemRef{});
        } else {
            refreshValues();
        }
    });
}

void FieldForm::setItem(const ItemRef &ref)
{
    if (ref == m_ref && (ref.isNull() || !m_rows.isEmpty())) {
        // The same item again (e.g. the scene re-selecting after a rebuild): keep the editors,
        // which may be in the middle of emitting the signal that led here.
        refreshValues();
        return;
    }
    m_ref = ref;
    rebuild();
}

QString FieldForm::errorText() const
{
    return m_error;
}

QWidget *FieldForm::editor(const QString &key) const
{
    for (const Row &row : m_rows) {
        if (row.field.info.key == key) {
            return row.editor;
        }
    }
    return nullptr;
}

bool FieldForm::isFieldShown(const QString &key) const
{
    for (const Row &row : m_rows) {
        if (row.field.info.key == key) {
            return !row.label->isHidden();
        }
    }
    return false;
}

QLabel *FieldForm::errorLabel(const QString &key) const
{
    for (const Row &row : m_rows) {
        if (row.field.info.key == key) {
            return row.error;
        }
    }
    return nullptr;
}

void FieldForm::discardRows()
{
    // Deleting an editor now would free a widget that may be on the call stack (its signal led
    // here): cut it off from the form, hide it, and let the event loop delete it.
    for (const Row &row : std::as_const(m_rows)) {
        disconnect(row.editor, nullptr, this, nullptr);
        if (auto *multi = dynamic_cast<MultiLineEdit *>(row.editor)) {
            multi->onEditingFinished = nullptr;
        }
    }
    while (m_layout->rowCount() > 0) {
        const QFormLayout::TakeRowResult taken = m_layout->takeRow(0);
        for (QLayoutItem *item : {taken.labelItem, taken.fieldItem}) {
            if (!item) {
                continue;
            }
            if (QWidget *widget = item->widget()) {
                widget->hide();
                widget->deleteLater();
            }
            delete item;
        }
    }
    m_rows.clear();
}

void FieldForm::rebuild()
{
    discardRows();
    m_error.clear();
    if (m_ref.isNull()) {
        return;
    }
    for (const BoundField &field : boundFields(m_ref)) {
        Row row;
        row.field = field;
        row.editor = createEditor(field);
        row.editor->setToolTip(fieldToolTip(field.info));
        // The cell: the editor (and its human-readable hint), the refusal reason right under it.
        row.cell = new QWidget(this);
        auto *v = new QVBoxLayout(row.cell);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(1);
        auto *h = new QHBoxLayout;
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(row.editor, 3);
        if (field.info.kind == FieldKind::Real && !field.info.unit.isEmpty()) {
            row.hint = new QLabel(row.cell);
            row.hint->setStyleSheet(QStringLiteral("color: #555;"));
            h->addWidget(row.hint, 2);
        }
        v->addLayout(h);
        row.error = new QLabel(row.cell);
        row.error->setObjectName(QStringLiteral("fieldError"));
        row.error->setWordWrap(true);
        row.error->setStyleSheet(QStringLiteral("color: #b71c1c; font-weight: bold;"));
        row.error->hide();
        v->addWidget(row.error);
        const QString label = field.info.unit.isEmpty()
            ? field.info.label
            : QStringLiteral("%1 [%2]").arg(field.info.label, field.info.unit);
        auto *labelWidget = new QLabel(label, this);
        labelWidget->setToolTip(fieldToolTip(field.info));
        row.label = labelWidget;
        m_layout->addRow(labelWidget, row.cell);
        m_rows.append(row);
    }
    refreshValues();
}

QWidget *FieldForm::createEditor(const BoundField &field)
{
    const QString key = field.info.key;
    switch (field.info.kind) {
    case FieldKind::Bool: {
        auto *box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, [this, key](bool on) {
            editField(key, on ? QStringLiteral("1") : QStringLiteral("0"));
        });
        return box;
    }
    case FieldKind::Enum: {
        auto *box = new QComboBox(this);
        box->addItems(field.info.enumValues);
        connect(box, &QComboBox::currentIndexChanged, this,
            [this, key](int index) { editField(key, QString::number(index)); });
        return box;
    }
    case FieldKind::Integer: {
        auto *spin = new QSpinBox(this);
        auto toInt = [](double v) {
            return static_cast<int>(std::clamp(v, double(INT_MIN), double(INT_MAX)));
        };
        const FieldInfo &f = field.info;
        const int lo = f.minBound == Bound::None
            ? INT_MIN
            : toInt(f.minBound == Bound::Exclusive ? std::floor(f.minValue) + 1
                                                   : std::ceil(f.minValue));
        const int hi = f.maxBound == Bound::None
            ? INT_MAX
            : toInt(f.maxBound == Bound::Exclusive ? std::ceil(f.maxValue) - 1
                                                   : std::floor(f.maxValue));
        spin->setRange(lo, hi);
        spin->setKeyboardTracking(false);
        connect(spin, &QSpinBox::valueChanged, this,
            [this, key](int value) { editField(key, QString::number(value)); });
        return spin;
    }
    case FieldKind::String:
    case FieldKind::Real: {
        if (key == QLatin1String("edge_server_id")) {
            // Which server serves a cluster is a choice among the existing servers.
            auto *box = new QComboBox(this);
            connect(box, &QComboBox::activated, this, [this, box] {
                const ItemRef ref = m_ref;
                if (!m_document->connectCluster(ref.id, box->currentText())) {
                    showError(tr("edge_server_id: no edge server %1").arg(box->currentText()),
                        QStringLiteral("edge_server_id"));
                }
            });
            return box;
        }
        if (key == QLatin1String("description")) {
            auto *edit = new MultiLineEdit(this);
            edit->setTabChangesFocus(true);
            edit->setMinimumHeight(fontMetrics().lineSpacing() * 5);
            edit->setMaximumHeight(fontMetrics().lineSpacing() * 8);
            edit->onEditingFinished = [this, key, edit] { editField(key, edit->toPlainText()); };
            return edit;
        }
        auto *edit = new QLineEdit(this);
        // Ids are the handles every view keeps; they are shown, not edited here.
        edit->setReadOnly(key == QLatin1String("id"));
        connect(edit, &QLineEdit::editingFinished, this, [this, key, edit] {
            if (!edit->isReadOnly() && edit->isModified()) {
                edit->setModified(false);
                editField(key, edit->text());
            }
        });
        return edit;
    }
    }
    return new QWidget(this);
}

bool FieldForm::editField(const QString &key, const QString &text)
{
    for (const Row &row : std::as_const(m_rows)) {
        if (row.field.info.key != key) {
            continue;
        }
        QVariant value = text;
        if (row.field.info.kind != FieldKind::String) {
            bool ok = false;
            const double number = QLocale::c().toDouble(text.trimmed(), &ok);
            value = ok ? QVariant(number) : QVariant(text);
        }
        QString error;
        const ItemRef ref = m_ref; // setProperty may lead to setItem (never to a rebuild of ref)
        if (!m_document->setProperty(ref, key, value, &error)) {
            showError(error, key);
            refreshValues(); // the field shows the stored value again; the reason says what was refused
            return false;
        }
        showError(QString(), QString());
        refreshValues();
        return true;
    }
    return false;
}

void FieldForm::showError(const QString &error, const QString &key)
{
    m_error = error;
    for (const Row &row : std::as_const(m_rows)) {
        const bool here = !error.isEmpty() && row.field.info.key == key;
        row.error->setText(here ? error : QString());
        row.error->setVisible(here);
        row.editor->setStyleSheet(here ? QLatin1String(kErrorFrame) : QString());
        row.editor->setToolTip(here ? QStringLiteral("<b style='color:#b71c1c'>%1</b><br>%2")
                                          .arg(error.toHtmlEscaped(), fieldToolTip(row.field.info))
                                    : fieldToolTip(row.field.info));
    }
}

void FieldForm::refreshValues()
{
    const Scenario &scenario = m_document->scenario();
    for (const Row &row : std::as_const(m_rows)) {
        // A field the item's current state does not read (another mobility or availability
        // model's) is hidden; it keeps its value, so switching back shows it again.
        const bool shown = !row.field.relevant || row.field.relevant(scenario);
        if (row.label->isHidden() == shown) {
            m_layout->setRowVisible(row.cell, shown);
        }
        const QVariant value = row.field.get(scenario);
        if (!value.isValid()) {
            continue;
        }
        const QSignalBlocker blocker(row.editor);
        if (auto *edit = qobject_cast<QLineEdit *>(row.editor)) {
            const QString text = row.field.info.kind == FieldKind::String
                ? value.toString()
                : formatFieldForEditor(row.field.info, value.toDouble());
            if (edit->text() != text) {
                edit->setText(text);
            }
            edit->setModified(false);
        } else if (auto *multi = qobject_cast<QPlainTextEdit *>(row.editor)) {
            if (multi->toPlainText() != value.toString()) {
                multi->setPlainText(value.toString());
            }
            multi->document()->setModified(false);
        } else if (auto *spin = qobject_cast<QSpinBox *>(row.editor)) {
            spin->setValue(static_cast<int>(value.toDouble()));
        } else if (auto *check = qobject_cast<QCheckBox *>(row.editor)) {
            check->setChecked(value.toDouble() != 0.0);
        } else if (auto *combo = qobject_cast<QComboBox *>(row.editor)) {
            if (row.field.info.key == QLatin1String("edge_server_id")) {
                QStringList servers;
                for (const EdgeServer &server : scenario.topology.edgeServers) {
                    servers.append(server.id);
                }
                if (!servers.contains(value.toString())) {
                    servers.append(value.toString()); // a dangling id stays visible (and flagged)
                }
                QStringList shown;
                for (int i = 0; i < combo->count(); ++i) {
                    shown.append(combo->itemText(i));
                }
                if (shown != servers) { // never clear a combo that has not changed
                    combo->clear();
                    combo->addItems(servers);
                }
                combo->setCurrentText(value.toString());
            } else {
                combo->setCurrentIndex(static_cast<int>(value.toDouble()));
            }
        }
        if (row.hint) {
            row.hint->setText(formatSi(value.toDouble(), row.field.info.unit));
        }
    }
}

} // namespace collapipe
