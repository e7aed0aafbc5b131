// SPDX-License-Identifier: MIT
#pragma once

#include "core/pipeline/pipeline_recursion.h"

#include <vector>

/// Internal to core/pipeline: the positions of one micro-batch's chain (pipeline_recursion.h) with
/// their durations, resources and event kinds, for a schedule's layout. Split from the recursion
/// so each file has one job: this one says what the chain is, pipeline_recursion.cpp times it.
namespace collapipe::chain {

enum class OpClass {
    Embed,
    D2d,
    D2e,
    Forward,
    Backward,
    Decoder
};

/// What sits at one position of a micro-batch's chain (header: the chain), computed once per
/// call from the chain times and the schedule's layout.
struct Slot
{
    double dur = 0.0;
    OpClass klass = OpClass::Embed;
    int pred = -1;              ///< chain predecessor position (−1: none)
    int wSucc = -1;             ///< position of the W that follows this B (split backward only)
    int link = -1;              ///< link direction index (linkIndex()) of a link op; −1 otherwise
    bool perMicrobatch = false; ///< CU / edge op: the resource serves micro-batches in order
    bool local = false; ///< a hop between two chunks on one device: free, no resource, no event
    int stage = -1;     ///< event's device stage (a send names its receiver, or the sender
                        ///< next to the edge / CU, as the timeline always did); −1: none
    int chunk = 0;      ///< the chunk of that stage's virtual stage
    OpKind op = OpKind::Forward;
    EventKind event = EventKind::Embed;
    ResourceId resource;
};

/// Every position of the chain.
struct ChainSlots
{
    std::vector<Slot> slots;
    int linkCount = 0; ///< link directions are numbered 0 … linkCount − 1
};

/// The schedule's shape as the recursion needs it: P positions per micro-batch, where each op is.
struct Layout
{
    ScheduleKind kind = ScheduleKind::OneFOneB;
    int S = 0;
    int M = 0;
    int v = 1;
    bool split = false;
    int V() const { return v * S; }
    int P() const { return 4 * V() + 4 + (split ? V() : 0); }
    int fwdPos(int k) const { return 2 + 2 * k; }
    int bwdPos(int k) const { return 2 * V() + 4 + 2 * (V() - 1 - k); }
    int wPos(int k) const { return 4 * V() + 4 + k; }
    /// stageOfVirtual() inlined: this runs per chain position on the evaluator's hot path.
    int deviceOf(int k) const
    {
        if (kind == ScheduleKind::ZeroBubbleV) {
            return k < S ? k : 2 * S - 1 - k;
        }
        return k % S;
    }
    /// virtualStage() inlined.
    int virtualOf(int stage, int chunk) const
    {
        if (kind == ScheduleKind::ZeroBubbleV) {
            return chunk == 0 ? stage : 2 * S - 1 - stage;
        }
        return chunk * S + stage;
    }
    int chunkOf(int k) const
    {
        if (kind == ScheduleKind::ZeroBubbleV) {
            return k < S ? 0 : 1;
        }
        return k / S;
    }
};

/// Fills `w` for `chain` and `l` (reuses its buffers).
void buildSlots(ChainSlots &w, const ChainTimes &chain, const Layout &l);

/// Only the durations of buildSlots() (`dur[pos]` = its slots[pos].dur, the same expressions, so
/// the same bits), for a shape whose other fields are known (issue #15: a repeated shape of the
/// exact evaluator needs nothing else; `dur` must hold l.P() values).
void fillDurations(double *dur, const ChainTimes &chain, const Layout &l);

} // namespace collapipe::chain
