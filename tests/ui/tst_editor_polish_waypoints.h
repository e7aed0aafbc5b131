// SPDX-License-Identifier: MIT
#pragma once

namespace collapipe::test {

/// Issue [6/7]: a waypoint path edited on the canvas through its handles. QTest checks: a
/// failure marks the calling test function failed.
void checkWaypointHandles();

} // namespace collapipe::test
