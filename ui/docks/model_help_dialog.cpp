// SPDX-License-Identifier: MIT
#include "ui/docks/model_help_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace collapipe {

QString ModelHelpDialog::findModelFile(QStringList *searched)
{
    const QString exeDir = QCoreApplication::applicationDirPath();
    const QStringList candidates{
        QDir(exeDir).filePath(QStringLiteral("../share/collapipe/MODEL.md")),
        QStringLiteral(COLLAPIPE_DATA_DIR "/MODEL.md"),
        QStringLiteral(COLLAPIPE_SOURCE_DIR "/core/MODEL.md"),
    };
    for (const QString &path : candidates) {
        if (QFileInfo::exists(path)) {
            return QDir::cleanPath(path);
        }
    }
    if (searched) {
        for (const QString &path : candidates) {
            searched->append(QDir::cleanPath(path));
        }
    }
    return QString();
}

ModelHelpDialog::ModelHelpDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("The CollaPipe model"));
    resize(860, 760);
    auto *browser = new QTextBrowser;
    browser->setOpenExternalLinks(true);
    QStringList searched;
    const QString path = findModelFile(&searched);
    QFile file(path);
    if (!path.isEmpty() && file.open(QIODevice::ReadOnly)) {
        browser->setMarkdown(QString::fromUtf8(file.readAll()));
        browser->setSearchPaths({QFileInfo(path).absolutePath()});
    } else {
        browser->setMarkdown(tr("# MODEL.md not found\n\nThe model description is installed as "
                                "`share/collapipe/MODEL.md`. Looked in:\n\n")
            + QStringLiteral("- `") + searched.join(QStringLiteral("`\n- `"))
            + QStringLiteral("`\n"));
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(browser);
    layout->addWidget(buttons);
}

} // namespace collapipe
