// SPDX-License-Identifier: MIT
#include "ui/docks/settings_dock.h"

#include "ui/docks/field_form.h"
#include "ui/model/field_access.h"

#include <QScrollArea>
#include <QToolBox>

namespace collapipe {

SettingsDock::SettingsDock(TopologyDocument *document, QWidget *parent)
    : QDockWidget(tr("Scenario settings"), parent)
    , m_pages(new QToolBox)
{
    setObjectName(QStringLiteral("settingsDock"));
    for (const auto &section : settingsSections()) {
        auto *form = new FieldForm(document);
        form->setItem({ItemKind::Settings, section.first});
        auto *scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setWidget(form);
        m_pages->addItem(scroll, section.second);
        m_forms.append(form);
    }
    setWidget(m_pages);
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
            m_pages->setCurrentIndex(i);
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
