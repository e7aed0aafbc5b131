// SPDX-License-Identifier: MIT
#include "ui/lab/lab_tensor_panel.h"

#include "ui/lab/lab_heat_map.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace collapipe {

LabTensorPanel::LabTensorPanel(QWidget *parent)
    : QWidget(parent)
    , m_which(new QComboBox)
    , m_header(new QLabel)
    , m_detail(new QLabel)
    , m_map(new LabHeatMap)
{
    setObjectName(QStringLiteral("labTensorPanel"));
    m_which->setObjectName(QStringLiteral("labTensorSchedule"));
    m_which->setToolTip(tr("Whose current op the panel shows"));
    m_which->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_which->setMinimumContentsLength(8);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(new QLabel(tr("Tensor of")));
    top->addWidget(m_which, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_header);
    layout->addWidget(m_detail);
    layout->addWidget(m_map, 1);
    m_map->setToolTip(tr("Mean |value| of each block of the tensor (pooled to fit), white = 0, "
                         "darkest = the largest block mean (the number at the scale's top)"));
    connect(m_which, &QComboBox::activated, this, &LabTensorPanel::scheduleChanged);
    showMessage(QString(),
        tr("Press Next ▶: the op of each step runs in the real trainer and "
           "its output tensor shows here."));
}

void LabTensorPanel::setSchedules(const QStringList &names)
{
    const QString current = m_which->currentText();
    m_which->clear();
    m_which->addItems(names);
    const int keep = names.indexOf(current);
    m_which->setCurrentIndex(keep >= 0 ? keep : 0);
}

int LabTensorPanel::currentSchedule() const
{
    return m_which->currentIndex();
}

void LabTensorPanel::showTensor(
    const QString &schedule, const LabEvent &op, int chunks, const LabOpTensor &tensor)
{
    m_shown = tensor;
    m_header->setVisible(true);
    m_header->setText(tr("%1: %2 of micro-batch %3%4 on S%5")
                          .arg(schedule, opName(op.op))
                          .arg(op.microbatch)
                          .arg(chunks > 1 ? tr(", chunk %1").arg(op.chunk) : QString())
                          .arg(op.stage));
    m_detail->setText(tr("%1\nshape %2 × %3 (%4 × %5)\nFrobenius norm %6\nlargest |value| %7")
                          .arg(tensor.what)
                          .arg(tensor.rows)
                          .arg(tensor.columns)
                          .arg(tensor.rowAxis, tensor.columnAxis)
                          .arg(tensor.frobenius, 0, 'g', 4)
                          .arg(tensor.maxAbs, 0, 'g', 3));
    m_map->setTensor(tensor);
}

void LabTensorPanel::showMessage(const QString &header, const QString &message)
{
    m_shown.reset();
    m_header->setText(header);
    m_header->setVisible(!header.isEmpty());
    m_detail->setText(message);
    m_map->clear();
}

QString LabTensorPanel::headerText() const
{
    return m_header->text();
}

QString LabTensorPanel::detailText() const
{
    return m_detail->text();
}

} // namespace collapipe
