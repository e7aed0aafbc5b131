// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

namespace collapipe {

/// Help ▸ Model: core/MODEL.md (the model the simulator implements) rendered from Markdown.
/// Looks in the installed share folder, next to the executable, then the source tree; says where
/// it looked when the file is missing.
class ModelHelpDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ModelHelpDialog(QWidget *parent = nullptr);

    /// The MODEL.md found, or "" (then *searched lists the places tried).
    static QString findModelFile(QStringList *searched = nullptr);
};

} // namespace collapipe
