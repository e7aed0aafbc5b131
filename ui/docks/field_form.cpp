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

FieldForm::FieldForm(TopologyDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_layout(new QFormLayout)
    , m_error(new QLabel(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_layout);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b71c1c; font-weight: bold;"));
    m_error->hide();
    outer->addWidget(m_error);
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
    connect(document, &TopologyDocument::itemRemoved, this, [this] {
        if (!m_ref.isNull() && !m_document->contains(m_ref)) {
            setItem(ItemRef{});
        }
    });
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
    m_ref = ref;
    rebuild();
}

QString FieldForm::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

void FieldForm::rebuild()
{
    while (m_layout->rowCount() > 0) {
        m_layout->removeRow(0);
    }
    m_rows.clear();
    showError(QString(), nullptr);
    if (m_ref.isNull()) {
        return;
    }
    for (const BoundField &field : boundFields(m_ref)) {
        Row row;
        row.field = field;
        row.editor = createEditor(field);
        row.editor->setToolTip(fieldToolTip(field.info));
        QWidget *cell = row.editor;
        if (field.info.kind == FieldKind::Real && !field.info.unit.isEmpty()) {
            cell = new QWidget(this);
            auto *h = new QHBoxLayout(cell);
            h->setContentsMargins(0, 0, 0, 0);
            h->addWidget(row.editor, 3);
            row.hint = new QLabel(cell);
            row.hint->setStyleSheet(QStringLiteral("color: #555;"));
            h->addWidget(row.hint, 2);
        }
        const QString label = field.info.unit.isEmpty()
            ? field.info.label
            : QStringLiteral("%1 [%2]").arg(field.info.label, field.info.unit);
        auto *labelWidget = new QLabel(label, this);
        labelWidget->setToolTip(fieldToolTip(field.info));
        m_layout->addRow(labelWidget, cell);
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
            connect(box, &QComboBox::activated, this,
                [this, box] { m_document->connectCluster(m_ref.id, box->currentText()); });
            return box;
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
        if (!m_document->setProperty(m_ref, key, value, &error)) {
            showError(error, row.editor);
            return false;
        }
        showError(QString(), nullptr);
        refreshValues();
        return true;
    }
    return false;
}

void FieldForm::showError(const QString &error, QWidget *editor)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    for (const Row &row : std::as_const(m_rows)) {
        row.editor->setStyleSheet(
            row.editor == editor ? QStringLiteral("background: #ffcdd2;") : QString());
    }
}

void FieldForm::refreshValues()
{
    const Scenario &scenario = m_document->scenario();
    for (const Row &row : std::as_const(m_rows)) {
        const QVariant value = row.field.get(scenario);
        if (!value.isValid()) {
            continue;
        }
        const QSignalBlocker blocker(row.editor);
        if (auto *edit = qobject_cast<QLineEdit *>(row.editor)) {
            // Keep a refused text on screen so the user can correct it.
            const bool refusedHere = m_error->isVisible() && !edit->styleSheet().isEmpty();
            if (!refusedHere) {
                edit->setText(row.field.info.kind == FieldKind::String
                        ? value.toString()
                        : formatFieldNumber(value.toDouble()));
            }
        } else if (auto *spin = qobject_cast<QSpinBox *>(row.editor)) {
            spin->setValue(static_cast<int>(value.toDouble()));
        } else if (auto *check = qobject_cast<QCheckBox *>(row.editor)) {
            check->setChecked(value.toDouble() != 0.0);
        } else if (auto *combo = qobject_cast<QComboBox *>(row.editor)) {
            if (row.field.info.key == QLatin1String("edge_server_id")) {
                combo->clear();
                for (const EdgeServer &server : scenario.topology.edgeServers) {
                    combo->addItem(server.id);
                }
                const int index = combo->findText(value.toString());
                if (index < 0) {
                    combo->addItem(value.toString()); // a dangling id stays visible
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
