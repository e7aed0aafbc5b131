// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/timeline_event.h"

#include <QString>

/// The strings the store writes for timeline enums (events.kind, events.resource_kind). They are
/// part of the file format and of `collapipe export`: never rename one, only add.
namespace collapipe {

const char *eventKindKey(EventKind kind);
bool parseEventKind(const QString &key, EventKind *kind);
const char *resourceKindKey(ResourceKind kind);
bool parseResourceKind(const QString &key, ResourceKind *kind);

} // namespace collapipe
