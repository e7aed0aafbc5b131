// SPDX-License-Identifier: MIT
#include "ui/plots/cluster_pick.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace collapipe {

namespace cluster_pick {

/// An id split into a prefix and its trailing number ("c17" → "c", 17); number −1 when the id
/// does not end in digits.
struct NumberedId
{
    QString prefix;
    qint64 number = -1;
};

NumberedId splitTrailingNumber(const QString &id)
{
    qsizetype digits = id.size();
    while (digits > 0 && id.at(digits - 1).isDigit()) {
        --digits;
    }
    NumberedId n{id.left(digits).toLower(), -1};
    bool ok = false;
    const qint64 value = id.mid(digits).toLongLong(&ok);
    if (digits < id.size() && ok) {
        n.number = value;
    }
    return n;
}

/// One end of a range: a cluster id (index ≥ 0) or a bare number (index −1, no prefix).
struct Endpoint
{
    int index = -1;
    NumberedId numbered;
    bool barePrefix = false; ///< a bare number: any prefix
};

class Reader
{
public:
    explicit Reader(const QStringList &ids)
        : m_ids(ids)
    {
        for (int i = 0; i < ids.size(); ++i) {
            m_byId.insert(ids[i].toLower(), i);
            m_numbered.push_back(splitTrailingNumber(ids[i]));
        }
    }

    /// Adds the clusters `token` names to `out`; false (and `error` set) when it names none.
    bool read(const QString &token, QSet<int> *out, QString *error) const
    {
        if (const auto it = m_byId.constFind(token.toLower()); it != m_byId.constEnd()) {
            out->insert(it.value());
            return true;
        }
        // A range: every split at "..", "–", "—" or "-" whose two sides are ends (ids with a
        // hyphen of their own, "lab-a..lab-c", find the split that works).
        static const QRegularExpression separator(QStringLiteral("\\.\\.|[-–—]"));
        for (auto m = separator.globalMatch(token); m.hasNext();) {
            const QRegularExpressionMatch match = m.next();
            const auto lo = endpoint(token.left(match.capturedStart()));
            const auto hi = endpoint(token.mid(match.capturedEnd()));
            if (lo && hi) {
                return range(token, *lo, *hi, out, error);
            }
        }
        if (const auto bare = endpoint(token); bare && bare->barePrefix) {
            return range(token, *bare, *bare, out, error);
        }
        *error = tr("no cluster \"%1\" (ids: %2)").arg(token, idSummary());
        return false;
    }

private:
    static QString tr(const char *text) { return QCoreApplication::translate("ClusterPick", text); }

    std::optional<Endpoint> endpoint(const QString &text) const
    {
        if (text.isEmpty()) {
            return std::nullopt;
        }
        if (const auto it = m_byId.constFind(text.toLower()); it != m_byId.constEnd()) {
            return Endpoint{it.value(), m_numbered[std::size_t(it.value())], false};
        }
        bool ok = false;
        const qint64 number = text.toLongLong(&ok);
        if (ok && number >= 0 && text.at(0).isDigit()) {
            return Endpoint{-1, NumberedId{QString(), number}, true};
        }
        return std::nullopt;
    }

    bool range(const QString &token, const Endpoint &a, const Endpoint &b, QSet<int> *out,
        QString *error) const
    {
        const bool numbered = a.numbered.number >= 0 && b.numbered.number >= 0
            && (a.barePrefix || b.barePrefix || a.numbered.prefix == b.numbered.prefix);
        if (!numbered) {
            if (a.index < 0 || b.index < 0) {
                *error = tr("\"%1\": a range needs two cluster ids or two numbers").arg(token);
                return false;
            }
            // Ids without numbers: the clusters between them in scenario order.
            for (int i = std::min(a.index, b.index); i <= std::max(a.index, b.index); ++i) {
                out->insert(i);
            }
            return true;
        }
        const QString prefix = a.barePrefix ? b.numbered.prefix : a.numbered.prefix;
        const bool anyPrefix = a.barePrefix && b.barePrefix;
        const qint64 lo = std::min(a.numbered.number, b.numbered.number);
        const qint64 hi = std::max(a.numbered.number, b.numbered.number);
        QSet<int> found;
        QSet<QString> prefixes;
        for (int i = 0; i < int(m_numbered.size()); ++i) {
            const NumberedId &n = m_numbered[std::size_t(i)];
            if (n.number >= lo && n.number <= hi && (anyPrefix || n.prefix == prefix)) {
                found.insert(i);
                prefixes.insert(n.prefix);
            }
        }
        if (found.isEmpty()) {
            *error = (lo == hi ? tr("no cluster numbered \"%1\" (ids: %2)")
                               : tr("no cluster in \"%1\" (ids: %2)"))
                         .arg(token, idSummary());
            return false;
        }
        if (prefixes.size() > 1) {
            QStringList names(prefixes.begin(), prefixes.end());
            names.sort();
            *error = tr("\"%1\" is ambiguous: ids of several kinds (%2…) end in these numbers; "
                        "write the id, e.g. %3%4")
                         .arg(token, names.join(QStringLiteral("…, ")), names.front())
                         .arg(lo);
            return false;
        }
        out->unite(found);
        return true;
    }

    /// "c1, c2, c3" or, for many clusters, "c1 … c100".
    QString idSummary() const
    {
        if (m_ids.isEmpty()) {
            return tr("none");
        }
        if (m_ids.size() <= 4) {
            return m_ids.join(QStringLiteral(", "));
        }
        return QStringLiteral("%1 … %2").arg(m_ids.front(), m_ids.back());
    }

    const QStringList &m_ids;
    QHash<QString, int> m_byId;
    std::vector<NumberedId> m_numbered;
};

} // namespace cluster_pick

ClusterPick parseClusterPick(const QString &text, const QStringList &ids)
{
    // "c1 .. c4" and "1 - 5" are one range: close the gaps around range marks first.
    static const QRegularExpression spacedRange(QStringLiteral("\\s*(\\.\\.|[–—]|-)\\s*"));
    QString normalized = text;
    normalized.replace(spacedRange, QStringLiteral("\\1"));
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    const cluster_pick::Reader reader(ids);
    ClusterPick pick;
    for (const QString &token : normalized.split(separators, Qt::SkipEmptyParts)) {
        if (!reader.read(token, &pick.clusters, &pick.error)) {
            pick.clusters.clear();
            return pick;
        }
    }
    return pick;
}

} // namespace collapipe
