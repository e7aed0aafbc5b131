// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"

#include <memory>
#include <vector>

/// The channel of one round (spec §2.2): linear power gains (path loss × fading, no antenna gain)
/// for every link a decision could use. Filled by core/channel, read by cost and optimizer.
namespace collapipe {

/// The D2D links of a cluster too large to tabulate (issue [7/7]: (K+1)² gains and distances
/// are 160 GB at K = 100,000): each gain and distance is computed when asked, with the same
/// bits as the table would hold. Node indexing as ClusterChannel.
class D2dLinks
{
public:
    virtual ~D2dLinks() = default;
    virtual double gain(int from, int to) const = 0;
    virtual double distance(int from, int to) const = 0;
};

/// Node index inside a cluster: devices 0..K−1, then the control unit at K.
struct ClusterChannel
{
    int deviceCount = 0;              ///< K
    std::vector<double> d2dGain;      ///< (K+1)×(K+1) row-major, [from][to]; diagonal unused
    std::vector<double> d2dDistanceM; ///< same layout, metres
    std::vector<double> d2eGain;      ///< K+1: node → its edge server
    std::vector<double> d2eDistanceM; ///< K+1
    /// K+1: path loss only (no fading), for transfers that span many coherence times and are
    /// charged at the ergodic rate (core/MODEL.md "Long transfers"). Empty = use d2eGain.
    std::vector<double> d2eMeanGain;
    /// Clusters served by this cluster's edge server (they share its D2E band, compute and
    /// memory equally; core/MODEL.md). 0 = unknown: the cost module counts them itself, which
    /// is O(clusters) per evaluation — the channel model fills it once.
    int edgeSharing = 0;
    /// K+1 node positions this round (devices, then the control unit): the scenario's, or where
    /// mobility has taken them (core/channel/node_mobility.h). Empty in hand-built states.
    std::vector<Position> positions;
    /// Set (and d2dGain, d2dDistanceM left empty) for a cluster of more than
    /// kTabulatedD2dNodes nodes without Gauss–Markov D2D fading (core/channel/channel_model.h):
    /// memory linear in K. Shared by the copies of one round's state; immutable.
    std::shared_ptr<const D2dLinks> d2dLinks;

    int controlUnitNode() const { return deviceCount; }
    double gain(int from, int to) const
    {
        return d2dLinks ? d2dLinks->gain(from, to) : d2dGain[from * (deviceCount + 1) + to];
    }
    double distance(int from, int to) const
    {
        return d2dLinks ? d2dLinks->distance(from, to)
                        : d2dDistanceM[from * (deviceCount + 1) + to];
    }
    double meanD2eGain(int node) const
    {
        return d2eMeanGain.empty() ? d2eGain[node] : d2eMeanGain[node];
    }
};

struct ChannelState
{
    int round = 0;
    std::vector<ClusterChannel> clusters; ///< same order as Topology::clusters
};

} // namespace collapipe
