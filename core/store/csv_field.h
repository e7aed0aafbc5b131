// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

/// The one CSV field encoder of the project (RFC 4180 §2): every CSV writer (run export, the
/// Studio's table and compare exports) goes through it, so all of them quote alike.
namespace collapipe {

/// `text` as one CSV field: quoted when it holds a comma, a double quote, CR or LF (so a device
/// id "d\r4" stays one field of one record), with inner quotes doubled; unchanged otherwise.
QString csvField(const QString &text);
/// The same for UTF-8 bytes.
QByteArray csvField(const QByteArray &utf8);

} // namespace collapipe
