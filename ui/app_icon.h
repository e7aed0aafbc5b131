// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QString>

namespace collapipe {

/// The Studio icon, painted in code (the same drawing as resources/icons/collapipe-studio.svg;
/// Debian's Qt has no SVG image plugin by default, so the window icon does not load the SVG).
QIcon appIcon();

/// The project version (CMake PROJECT_VERSION).
QString studioVersion();

} // namespace collapipe
