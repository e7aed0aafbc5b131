// SPDX-License-Identifier: MIT
#include "ui/docks/settings_dock.h"

#include "ui/docks/field_form.h"
#include "ui/model/field_access.h"

#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace collapipe {

SettingsDock::SettingsDock(TopologyDocument *document, QWidget *parent)
    : QDockWidget(tr("Scenario settings"), parent)
    , m_scroll(new QScrollArea)
{
    setObjectName(QStringLiteral("settingsDock"));
    // One scrolling column of sections, each as tall as its fields (a tool box gives every page
    // the height left over by eight tab headers: about four rows), each one collapsible.
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    layout->setSpacing(2);
    for (const auto &section : settingsSections()) {
        auto *header = new QToolButton;
        header->setText(section.second);
        header->setCheckable(true);
        header->setChecked(true);
        header->setArrowType(Qt::DownArrow);
        header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        header->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        header->setStyleSheet(QStringLiteral("QToolButton { font-weight: bold; border: none; "
                                             "border-bottom: 1px solid palette(mid); }"));
        auto *form = new FieldForm(document);
        form->setItem({ItemKind::Settings, section.first});
        connect(header, &QToolButton::toggled, form, [header, form](bool open) {
            header->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            form->setVisible(open);
        });
        layout->addWidget(header);
        layout->addWidget(form);
        m_forms.append(form);
        m_headers.append(header);
    }
    layout->addStretch(1);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(body);
    setWidget(m_scroll);
}

void SettingsDock::showSection(const ItemRef &ref)
{
    if (ref.kind != ItemKind::Settings) {
        return;
    }
    for (int i = 0; i < m_forms.size(); ++i) {
        if (m_forms[i]->item().id == ref.id) {
            show();
            raise();
            m_headers[i]->setChecked(true);
            m_scroll->ensureWidgetVisible(m_headers[i], 0, 0);
        }
    }
}

FieldForm *SettingsDock::form(const QString &section) const
{
    for (FieldForm *form : m_forms) {
        if (form->item().id == section) {
            return form;
        }
    }
    return nullptr;
}

} // namespace collapipe
