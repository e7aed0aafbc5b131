// SPDX-License-Identifier: MIT
#pragma once

#include "core/scenario/scenario.h"
#include "core/trainer/token_batch.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

/// The bundled text datasets (datasets/<name>/, see datasets/README.md) and the character-level
/// tokenizer. A dataset folder holds train.tsv, val.tsv, test.tsv; with labels.txt it is a
/// classification set (`label<TAB>text`), without it a seq2seq set (`source<TAB>target`).
namespace collapipe {

/// Character tokenizer: PAD 0, BOS 1, EOS 2, UNK 3, then printable ASCII 32..126 with
/// upper case folded to lower case (69 symbols) → ids 4..72.
namespace tokenizer {
inline constexpr int kPad = 0;
inline constexpr int kBos = 1;
inline constexpr int kEos = 2;
inline constexpr int kUnk = 3;
inline constexpr int kVocabNeeded = kCharacterVocabSize;
int encodeChar(char c);
char decodeToken(int id); ///< '\0' for specials
} // namespace tokenizer

struct TextSplit
{
    std::vector<QByteArray> source;
    /// Sources as subword ids (see applySubwords()); empty = character tokens on the fly.
    std::vector<std::vector<int>> sourceIds;
    std::vector<int> labels;        ///< classification
    std::vector<QByteArray> target; ///< seq2seq
    int size() const { return int(source.size()); }
};

struct TextDataset
{
    QString name;
    QString folder;
    bool seq2seq = false;
    QStringList labelNames; ///< classification
    int maxTargetChars = 0; ///< seq2seq: longest target over all splits
    /// Byte-pair merges from the folder's optional merges.txt (learnt on the train split), in
    /// the order learnt; ids 73, 74, … go to each new piece (see subword_tokenizer.h).
    std::vector<std::pair<QByteArray, QByteArray>> merges;
    TextSplit train, val, test;

    int numClasses() const { return int(labelNames.size()); }
};

/// Folders searched, in order: $COLLAPIPE_DATASET_DIR, <exe dir>/../share/collapipe/datasets,
/// the source tree's datasets/ (compile-time path).
QStringList datasetSearchPaths();

/// Loads datasets/<name>. False + a message naming the dataset and every path tried, or the
/// file and line of a malformed row.
bool loadTextDataset(const QString &name, TextDataset *out, QString *error);

/// Tokenizes split rows `indices` into a batch: sources (split.sourceIds when filled, else
/// characters) truncated/padded to srcLen; for seq2seq
/// decIn = BOS + target, decTarget = target + EOS, both padded to tgtLen.
TokenBatch makeBatch(const TextDataset &ds, const TextSplit &split, const std::vector<int> &indices,
    int srcLen, int tgtLen);

/// One index list per cluster. IID: shuffled and dealt evenly. Dirichlet: per class, shares
/// p ~ Dir(α) over clusters (spec §10-M non-IID); every shard gets ≥ 1 sample.
std::vector<std::vector<int>> makeShards(
    const TextDataset &ds, int clusters, bool dirichlet, double alpha, std::uint64_t seed);

} // namespace collapipe
