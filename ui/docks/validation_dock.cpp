// SPDX-License-Identifier: MIT
#include "ui/docks/validation_dock.h"

#include "ui/model/topology_document.h"
#include "ui/model/validation_model.h"

#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace collapipe {

ValidationDock::ValidationDock(TopologyDocument *document, QWidget *parent)
    : QDockWidget(tr("Validation"), parent)
    , m_document(document)
    , m_model(new ValidationModel(document, this))
    , m_summary(new QLabel)
    , m_list(new QListView)
{
    setObjectName(QStringLiteral("validationDock"));
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_list->setModel(m_model);
    m_list->setWordWrap(true);
    m_list->setAlternatingRowColors(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_list, 1);
    // Problems are sentences ("clusters[1].devices[3].memory_bytes: must be > 0 (got -5)"): a
    // column narrower than ~45 characters wraps each into a tower of words.
    body->setMinimumWidth(fontMetrics().averageCharWidth() * 45);
    setWidget(body);
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &index) {
        Q_EMIT problemActivated(m_model->itemAt(index.row()));
    });
    connect(document, &TopologyDocument::problemsChanged, this, &ValidationDock::updateSummary);
    updateSummary();
}

void ValidationDock::updateSummary()
{
    const int n = static_cast<int>(m_document->problems().size());
    m_summary->setText(n == 0 ? tr("<span style='color:#2e7d32'>✔ The scenario is valid.</span>")
                              : tr("<span style='color:#b71c1c'>%n problem(s) — click one to "
                                   "select the item it names.</span>",
                                  nullptr, n));
}

} // namespace collapipe
