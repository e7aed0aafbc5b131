// SPDX-License-Identifier: MIT
#include "core/trainer/subword_tokenizer.h"

#include <QHash>

#include <algorithm>
#include <map>

namespace collapipe {

namespace {
/// " ?[^ ]+| " over the lower-cased text, as make_fortunes.py's chunks().
std::vector<QByteArray> chunks(const QByteArray &text)
{
    const QByteArray s = text.toLower();
    std::vector<QByteArray> out;
    int i = 0;
    while (i < s.size()) {
        int j = i;
        if (s[j] == ' ') {
            ++j;
        }
        while (j < s.size() && s[j] != ' ') {
            ++j;
        }
        out.push_back(s.mid(i, j - i));
        i = j;
    }
    return out;
}
} // namespace

bool subwordEncode(const std::vector<std::pair<QByteArray, QByteArray>> &merges, int mergeCount,
    const std::vector<QByteArray> &texts, std::vector<std::vector<int>> *ids, QString *error)
{
    // Piece string → id; pair of ids → (rank, merged id).
    QHash<QByteArray, int> pieceId;
    for (int c = 32; c <= 126; ++c) {
        const char ch = char(c);
        if (ch < 'A' || ch > 'Z') {
            pieceId.insert(QByteArray(1, ch), tokenizer::encodeChar(ch));
        }
    }
    std::map<std::pair<int, int>, std::pair<int, int>> rank;
    int next = tokenizer::kVocabNeeded;
    const int count = std::min(mergeCount, int(merges.size()));
    for (int r = 0; r < count; ++r) {
        const auto &[a, b] = merges[size_t(r)];
        const auto ia = pieceId.constFind(a), ib = pieceId.constFind(b);
        if (ia == pieceId.constEnd() || ib == pieceId.constEnd()) {
            *error = QStringLiteral("merges.txt:%1: piece '%2' is not made by an earlier line")
                         .arg(r + 1)
                         .arg(QString::fromLatin1(ia == pieceId.constEnd() ? a : b));
            return false;
        }
        // Read both ids before inserting: an insert may rehash and invalidate ia and ib.
        const std::pair<int, int> pair{ia.value(), ib.value()};
        const QByteArray ab = a + b;
        if (!pieceId.contains(ab)) {
            pieceId.insert(ab, next++);
        }
        rank.emplace(pair, std::make_pair(r, pieceId.value(ab)));
    }
    QHash<QByteArray, std::vector<int>> cache; // words repeat: encode each once
    ids->assign(texts.size(), {});
    for (size_t t = 0; t < texts.size(); ++t) {
        for (const QByteArray &w : chunks(texts[t])) {
            auto hit = cache.constFind(w);
            if (hit == cache.constEnd()) {
                std::vector<int> seq;
                for (char ch : w) {
                    seq.push_back(tokenizer::encodeChar(ch));
                }
                // Standard BPE application: merge the lowest-ranked adjacent pair until none.
                for (;;) {
                    int bestRank = count, bestAt = -1, bestId = 0;
                    for (size_t i = 0; i + 1 < seq.size(); ++i) {
                        const auto it = rank.find({seq[i], seq[i + 1]});
                        if (it != rank.end() && it->second.first < bestRank) {
                            bestRank = it->second.first;
                            bestAt = int(i);
                            bestId = it->second.second;
                        }
                    }
                    if (bestAt < 0) {
                        break;
                    }
                    seq[size_t(bestAt)] = bestId;
                    seq.erase(seq.begin() + bestAt + 1);
                }
                hit = cache.insert(w, seq);
            }
            ids->at(t).insert(ids->at(t).end(), hit->begin(), hit->end());
        }
    }
    return true;
}

int applySubwords(TextDataset *ds, int vocabSize, QString *error)
{
    const int count = std::min(int(ds->merges.size()), vocabSize - tokenizer::kVocabNeeded);
    if (ds->seq2seq || count <= 0) {
        return 0;
    }
    for (TextSplit *split : {&ds->train, &ds->val, &ds->test}) {
        if (!subwordEncode(ds->merges, count, split->source, &split->sourceIds, error)) {
            *error = QStringLiteral("dataset '%1': %2").arg(ds->name, *error);
            return -1;
        }
    }
    return count;
}

} // namespace collapipe
