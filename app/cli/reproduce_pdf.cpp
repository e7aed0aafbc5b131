// SPDX-License-Identifier: MIT
#include "reproduce_pdf.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace collapipe::cli {

bool writeReportPdf(const QString &path, const QString &html,
    const std::vector<std::pair<QString, QByteArray>> &figures, QString *error)
{
    QTextDocument doc;
    for (const auto &[name, png] : figures) {
        const QImage image = QImage::fromData(png, "PNG");
        if (image.isNull()) {
            *error = QStringLiteral("figure %1: the PNG could not be read").arg(name);
            return false;
        }
        doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
    }
    doc.setHtml(html);
    const QString partial = path + QStringLiteral(".part");
    {
        QPdfWriter writer(partial);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
        writer.setResolution(96);
        writer.setTitle(QStringLiteral("CollaPipe reproduction"));
        writer.setCreator(QStringLiteral("collapipe reproduce"));
        doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
        doc.print(&writer);
    }
    QFile::remove(path);
    if (!QFileInfo::exists(partial) || !QFile::rename(partial, path)) {
        QFile::remove(partial);
        *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace collapipe::cli
