// SPDX-License-Identifier: MIT
#pragma once

/// Leaving out runPipeline()'s latency split (pipeline_recursion.h) for callers that read only
/// the makespan (issue #15).
namespace collapipe {

namespace pipeline_detail {
bool &splitSkipFlag(); ///< this thread's PipelineSplitSkip state
} // namespace pipeline_detail

/// While one lives on a thread, runPipeline() there leaves PipelineRun::split zero; the makespan
/// (and any events) are the same bits. For callers that read the makespan alone
/// (exactObjective() without a cost: issue #15, the critical-path walk was ~1 % of a heavy-churn
/// round's instructions). Nests; timeSchedule() always splits.
class PipelineSplitSkip
{
public:
    PipelineSplitSkip();
    ~PipelineSplitSkip();
    PipelineSplitSkip(const PipelineSplitSkip &) = delete;
    PipelineSplitSkip &operator=(const PipelineSplitSkip &) = delete;

private:
    bool m_previous = false;
};

} // namespace collapipe
