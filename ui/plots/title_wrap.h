// SPDX-License-Identifier: MIT
#pragma once

#include <QFont>
#include <QString>
#include <QStringList>

namespace collapipe {

/// A plot title laid out for `width` pixels of `font`: every line of `title` that is wider is
/// broken into lines that fit, between words, never inside one (issue: at 1280 × 800 the live
/// panels cut their titles, "Energy queues Q(t) [J], - - bud…"). Breaks go where a reader pauses:
/// after a comma by preference, never inside brackets, and never next to a symbol that stands
/// for a line style ("- -", "—,", "···"), before a one-letter word ("budget Ē") or after a
/// number ("20 ms"), so a legend hint stays with its words and a value with its unit. A word wider than `width` gets a line of its own (it is not cut).
/// The result joined with spaces in place of the inserted line breaks is `title` again.
QString wrapTitle(const QString &title, const QFont &font, int width);

/// The lines of a wrapped title (its text split at line breaks).
QStringList titleLines(const QString &text);

} // namespace collapipe
