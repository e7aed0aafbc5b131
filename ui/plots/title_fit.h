// SPDX-License-Identifier: MIT
#pragma once

#include <QFont>
#include <QString>

namespace collapipe {

/// A plot title on one line in `width` pixels of `font`, shortened where a reader pauses and
/// never inside a word (issue #16: at 1280 × 800 the narrow panels cut their titles mid-word,
/// "Energy queues Q(t) [J], - - bud…"). The whole title when it fits; else it drops its last
/// clauses after a comma (outside brackets), keeping what the plot shows and its unit:
/// "Energy queues Q(t) [J]"; else whole words and "…". The plot shows the whole title as its
/// tooltip. One line always: a title whose height followed the width fed back into the
/// panel's minimum height and the plots dock's scroll bar, resizing without end.
QString fitTitleText(const QString &title, const QFont &font, int width);

} // namespace collapipe
