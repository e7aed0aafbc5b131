// SPDX-License-Identifier: MIT
#include "core/store/csv_field.h"

namespace collapipe {

namespace {

template <typename Text, typename Char> Text quoted(const Text &text, Char quote)
{
    Text out = text;
    out.replace(quote, Text(2, quote));
    return Text(1, quote) + out + Text(1, quote);
}

} // namespace

QString csvField(const QString &text)
{
    for (const QChar c : text) {
        if (c == QLatin1Char(',') || c == QLatin1Char('"') || c == QLatin1Char('\r')
            || c == QLatin1Char('\n')) {
            return quoted(text, QLatin1Char('"'));
        }
    }
    return text;
}

QByteArray csvField(const QByteArray &utf8)
{
    for (const char c : utf8) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            return quoted(utf8, '"');
        }
    }
    return utf8;
}

} // namespace collapipe
