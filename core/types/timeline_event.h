// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

/// One activity of one round on one resource (issue [2/6]; in core/types since issue [3/7]). The Gantt, the store
/// and the trainer's execution order all use these.
namespace collapipe {

enum class EventKind {
    Embed,           ///< CU embedding of a micro-batch
    Forward,         ///< segment forward of a micro-batch on a device
    Backward,        ///< segment backward
    SendActivation,  ///< forward payload over a link
    SendGradient,    ///< backward payload over a link
    DecoderForward,  ///< decoder / head (and any encoder edge tail) forward at the edge
    DecoderBackward, ///< the same backward (incl. loss)
    Upload,          ///< D2E upload of the cluster's encoder
    Aggregate        ///< federated aggregation at the edge
};

enum class ResourceKind {
    ControlUnit,
    Device,
    Link,
    EdgeServer
};

/// Node ids used in links: devices are ≥ 0 (index into Cluster::devices).
inline constexpr int kControlUnitNode = -1;
inline constexpr int kEdgeServerNode = -2;

struct ResourceId
{
    ResourceKind kind = ResourceKind::Device;
    int from = 0; ///< the device (Device), or the link's sender node
    int to = 0;   ///< the link's receiver node (Link only)

    friend bool operator==(const ResourceId &, const ResourceId &) = default;
};

struct TimelineEvent
{
    int cluster = 0;
    ResourceId resource;
    EventKind kind = EventKind::Forward;
    int microbatch = -1; ///< −1 for per-round events (upload, aggregate)
    int stage = -1;      ///< pipeline stage index j (0-based) for Forward/Backward/sends
    double startS = 0.0;
    double endS = 0.0;
};

} // namespace collapipe
