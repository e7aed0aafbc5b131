// SPDX-License-Identifier: MIT
#pragma once

#include "core/types/round_record.h"

#include <memory>

namespace collapipe {

/// One finished round shared by everything that shows it (issue [7/7] "The Studio keeps up with
/// the engine"): a round of 1,000 devices carries ~75,000 timeline events (~5 MB), and the run
/// hub, its history, the round-view throttle and the Gantt each used to copy it. Immutable once
/// made, so any number of views may hold it; the last holder frees it.
using SharedRound = std::shared_ptr<const RoundRecord>;

/// A shared round moved from `record` (no copy of its events).
inline SharedRound shareRound(RoundRecord &&record)
{
    return std::make_shared<const RoundRecord>(std::move(record));
}

/// A shared round copied from `record` (callers that keep their own).
inline SharedRound shareRoundCopy(const RoundRecord &record)
{
    return std::make_shared<const RoundRecord>(record);
}

} // namespace collapipe
