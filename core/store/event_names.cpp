// SPDX-License-Identifier: MIT
#include "core/store/event_names.h"

#include <array>
#include <utility>

namespace collapipe {

namespace {

constexpr std::array<std::pair<EventKind, const char *>, 9> kEventKinds{{
    {EventKind::Embed, "embed"},
    {EventKind::Forward, "forward"},
    {EventKind::Backward, "backward"},
    {EventKind::SendActivation, "send_activation"},
    {EventKind::SendGradient, "send_gradient"},
    {EventKind::DecoderForward, "decoder_forward"},
    {EventKind::DecoderBackward, "decoder_backward"},
    {EventKind::Upload, "upload"},
    {EventKind::Aggregate, "aggregate"},
}};

constexpr std::array<std::pair<ResourceKind, const char *>, 4> kResourceKinds{{
    {ResourceKind::ControlUnit, "control_unit"},
    {ResourceKind::Device, "device"},
    {ResourceKind::Link, "link"},
    {ResourceKind::EdgeServer, "edge_server"},
}};

template <typename Enum, std::size_t N>
const char *keyOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[e, key] : table) {
        if (e == value) {
            return key;
        }
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
bool parse(const std::array<std::pair<Enum, const char *>, N> &table, const QString &key, Enum *out)
{
    for (const auto &[e, name] : table) {
        if (key == QLatin1String(name)) {
            *out = e;
            return true;
        }
    }
    return false;
}

} // namespace

const char *eventKindKey(EventKind kind)
{
    return keyOf(kEventKinds, kind);
}

bool parseEventKind(const QString &key, EventKind *kind)
{
    return parse(kEventKinds, key, kind);
}

const char *resourceKindKey(ResourceKind kind)
{
    return keyOf(kResourceKinds, kind);
}

bool parseResourceKind(const QString &key, ResourceKind *kind)
{
    return parse(kResourceKinds, key, kind);
}

} // namespace collapipe
