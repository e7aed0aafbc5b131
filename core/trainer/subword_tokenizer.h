// SPDX-License-Identifier: MIT
#pragma once

#include "core/trainer/text_dataset.h"

/// Optional byte-pair (subword) vocabulary for classification sets (datasets/<name>/merges.txt,
/// learnt on the train split by the dataset's script). Pre-tokenization as in that script:
/// lower case, then words with their leading space attached (" the"); merges never cross a word.
/// Ids: 0–72 as the character tokenizer, then one id per new piece in merge order. A prefix of
/// the merge list is itself a valid smaller BPE, so `model.trainer.vocab_size` chooses how many
/// merges are used: min(#merges, vocabSize − 73); a vocabulary of 73 means plain characters.
namespace collapipe {

/// Token ids of `text` with the first `mergeCount` merges of `merges` (≤ their count). False +
/// message naming merges.txt's line if a merge refers to a piece no earlier merge made.
bool subwordEncode(const std::vector<std::pair<QByteArray, QByteArray>> &merges, int mergeCount,
    const std::vector<QByteArray> &texts, std::vector<std::vector<int>> *ids, QString *error);

/// Fills sourceIds of every split of a classification set with merges.txt's vocabulary cut to
/// vocabSize ids (see above). No-op for a set without merges or for vocabSize ≤ 73. Returns
/// the number of merges used, or −1 with *error set.
int applySubwords(TextDataset *ds, int vocabSize, QString *error);

} // namespace collapipe
