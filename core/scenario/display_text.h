// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// Text that came from a user (ids, names, keys, values, stored messages) is shown on one line:
/// every message is "one problem per line" and every table cell one row high, so a value holding
/// a newline must not be able to forge a second problem line or break a table (issue [2/7] item
/// 10). The CLI, the validator, the store's messages and the UI all escape through this one
/// function.
namespace collapipe {

/// `text` with every control character escaped: "\n", "\r", "\t" as those two-character
/// sequences, any other C0/C1 control, DEL and the Unicode line/paragraph separators
/// (U+2028/U+2029) as "\xHH" or "\uHHHH". Everything else, backslashes included, is unchanged, so
/// ordinary text (paths, units, non-ASCII names) reads as typed.
QString escapeControlCharacters(const QString &text);

} // namespace collapipe
