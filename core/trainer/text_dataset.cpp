// SPDX-License-Identifier: MIT
#include "core/trainer/text_dataset.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <numeric>
#include <random>

namespace collapipe {

namespace tokenizer {
int encodeChar(char c)
{
    if (c >= 'A' && c <= 'Z') {
        c = char(c - 'A' + 'a');
    }
    if (c < 32 || c > 126) {
        return kUnk;
    }
    // 32..64 → 4..36, then skip 'A'..'Z' (65..90): 91..126 → 37..72.
    return c <= 64 ? 4 + (c - 32) : 37 + (c - 91);
}

char decodeToken(int id)
{
    if (id >= 4 && id <= 36) {
        return char(id - 4 + 32);
    }
    if (id >= 37 && id <= 72) {
        return char(id - 37 + 91);
    }
    return '\0';
}
} // namespace tokenizer

QStringList datasetSearchPaths()
{
    QStringList paths;
    const QByteArray env = qgetenv("COLLAPIPE_DATASET_DIR");
    if (!env.isEmpty()) {
        paths << QString::fromLocal8Bit(env);
    }
    if (QCoreApplication::instance()) {
        paths << QDir::cleanPath(QCoreApplication::applicationDirPath()
            + QStringLiteral("/../share/collapipe/datasets"));
    }
    paths << QStringLiteral(COLLAPIPE_TRAINER_DATASET_DIR);
    return paths;
}

static bool readSplit(
    const QString &file, bool classification, int classes, TextSplit *out, QString *error)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open dataset file %1: %2").arg(file, f.errorString());
        return false;
    }
    int lineNo = 0;
    while (!f.atEnd()) {
        QByteArray line = f.readLine();
        ++lineNo;
        if (line.endsWith('\n')) {
            line.chop(1);
        }
        if (line.isEmpty()) {
            continue;
        }
        const int tab = line.indexOf('\t');
        if (tab <= 0 || tab == line.size() - 1) {
            *error
                = QStringLiteral("%1:%2: expected two tab-separated columns").arg(file).arg(lineNo);
            return false;
        }
        const QByteArray a = line.left(tab), b = line.mid(tab + 1);
        if (classification) {
            bool ok = false;
            const int label = a.toInt(&ok);
            if (!ok || label < 0 || label >= classes) {
                *error = QStringLiteral("%1:%2: label '%3' is not in 0..%4")
                             .arg(file)
                             .arg(lineNo)
                             .arg(QString::fromLatin1(a))
                             .arg(classes - 1);
                return false;
            }
            out->labels.push_back(label);
            out->source.push_back(b);
        } else {
            out->source.push_back(a);
            out->target.push_back(b);
        }
    }
    if (out->source.empty()) {
        *error = QStringLiteral("dataset file %1 has no rows").arg(file);
        return false;
    }
    return true;
}

bool loadTextDataset(const QString &name, TextDataset *out, QString *error)
{
    const QStringList paths = datasetSearchPaths();
    QString folder;
    for (const QString &p : paths) {
        if (QFileInfo::exists(p + QLatin1Char('/') + name + QStringLiteral("/train.tsv"))) {
            folder = p + QLatin1Char('/') + name;
            break;
        }
    }
    if (folder.isEmpty()) {
        *error = QStringLiteral("dataset '%1' not found (looked for %1/train.tsv in: %2)")
                     .arg(name, paths.join(QStringLiteral(", ")));
        return false;
    }
    TextDataset ds;
    ds.name = name;
    ds.folder = folder;
    QFile labels(folder + QStringLiteral("/labels.txt"));
    ds.seq2seq = !labels.exists();
    if (!ds.seq2seq) {
        if (!labels.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot open %1").arg(labels.fileName());
            return false;
        }
        for (const QByteArray &l : labels.readAll().split('\n')) {
            if (!l.trimmed().isEmpty()) {
                ds.labelNames << QString::fromUtf8(l.trimmed());
            }
        }
    }
    const struct
    {
        const char *file;
        TextSplit *split;
    } parts[] = {{"train", &ds.train}, {"val", &ds.val}, {"test", &ds.test}};
    for (const auto &part : parts) {
        const QString file
            = folder + QLatin1Char('/') + QLatin1String(part.file) + QStringLiteral(".tsv");
        if (!readSplit(file, !ds.seq2seq, ds.numClasses(), part.split, error)) {
            return false;
        }
        for (const QByteArray &t : part.split->target) {
            ds.maxTargetChars = std::max(ds.maxTargetChars, int(t.size()));
        }
    }
    QFile mergesFile(folder + QStringLiteral("/merges.txt"));
    if (mergesFile.exists()) {
        if (!mergesFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot open %1").arg(mergesFile.fileName());
            return false;
        }
        int lineNo = 0;
        for (QByteArray line : mergesFile.readAll().split('\n')) {
            ++lineNo;
            if (line.isEmpty()) {
                continue;
            }
            const int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.size() - 1) {
                *error = QStringLiteral("%1:%2: expected 'left<TAB>right'")
                             .arg(mergesFile.fileName())
                             .arg(lineNo);
                return false;
            }
            ds.merges.emplace_back(line.left(tab), line.mid(tab + 1));
        }
    }
    *out = std::move(ds);
    return true;
}

TokenBatch makeBatch(const TextDataset &ds, const TextSplit &split, const std::vector<int> &indices,
    int srcLen, int tgtLen)
{
    TokenBatch b;
    b.size = int(indices.size());
    b.srcLen = srcLen;
    b.src.assign(size_t(b.size) * size_t(srcLen), tokenizer::kPad);
    b.srcValid.resize(size_t(b.size));
    if (ds.seq2seq) {
        b.tgtLen = tgtLen;
        b.decIn.assign(size_t(b.size) * size_t(tgtLen), tokenizer::kPad);
        b.decTarget.assign(size_t(b.size) * size_t(tgtLen), -1);
    }
    for (int i = 0; i < b.size; ++i) {
        const int row = indices[size_t(i)];
        const QByteArray &s = split.source[size_t(row)];
        const bool sub = !split.sourceIds.empty();
        const int len = sub ? int(split.sourceIds[size_t(row)].size()) : int(s.size());
        const int n = std::max(1, std::min(len, srcLen));
        for (int t = 0; t < std::min(len, srcLen); ++t) {
            b.src[size_t(i * srcLen + t)]
                = sub ? split.sourceIds[size_t(row)][size_t(t)] : tokenizer::encodeChar(s[t]);
        }
        b.srcValid[size_t(i)] = n; // an empty source still attends to one (PAD) position
        if (!ds.seq2seq) {
            b.labels.push_back(split.labels[size_t(row)]);
            continue;
        }
        const QByteArray &tg = split.target[size_t(row)];
        const int m = std::min(int(tg.size()), tgtLen - 1);
        b.decIn[size_t(i * tgtLen)] = tokenizer::kBos;
        for (int t = 0; t < m; ++t) {
            const int id = tokenizer::encodeChar(tg[t]);
            b.decIn[size_t(i * tgtLen + t + 1)] = id;
            b.decTarget[size_t(i * tgtLen + t)] = id;
        }
        b.decTarget[size_t(i * tgtLen + m)] = tokenizer::kEos;
    }
    return b;
}

std::vector<std::vector<int>> makeShards(
    const TextDataset &ds, int clusters, bool dirichlet, double alpha, std::uint64_t seed)
{
    std::mt19937_64 rng(seed ^ 0x5eed5a4dULL);
    const int n = ds.train.size();
    std::vector<std::vector<int>> shards(static_cast<size_t>(clusters));
    if (!dirichlet || ds.seq2seq) {
        // Seq2seq has no labels: Dirichlet by label does not apply, the split is IID.
        std::vector<int> idx(static_cast<size_t>(n));
        std::iota(idx.begin(), idx.end(), 0);
        std::shuffle(idx.begin(), idx.end(), rng);
        for (int i = 0; i < n; ++i) {
            shards[size_t(i % clusters)].push_back(idx[size_t(i)]);
        }
        return shards;
    }
    for (int c = 0; c < ds.numClasses(); ++c) {
        std::vector<int> idx;
        for (int i = 0; i < n; ++i) {
            if (ds.train.labels[size_t(i)] == c) {
                idx.push_back(i);
            }
        }
        std::shuffle(idx.begin(), idx.end(), rng);
        std::gamma_distribution<double> gamma(alpha, 1.0);
        std::vector<double> p(static_cast<size_t>(clusters));
        double sum = 0.0;
        for (double &v : p) {
            v = gamma(rng);
            sum += v;
        }
        size_t start = 0;
        double acc = 0.0;
        for (int k = 0; k < clusters; ++k) {
            acc += sum > 0.0 ? p[size_t(k)] / sum : 1.0 / clusters;
            const size_t end = k == clusters - 1 ? idx.size() : size_t(acc * double(idx.size()));
            for (size_t i = start; i < std::max(start, end); ++i) {
                shards[size_t(k)].push_back(idx[i]);
            }
            start = std::max(start, end);
        }
    }
    // Every cluster needs data: move one sample from the largest shard into each empty one.
    for (auto &s : shards) {
        if (s.empty()) {
            auto &big = *std::max_element(shards.begin(), shards.end(),
                [](const auto &a, const auto &b) { return a.size() < b.size(); });
            s.push_back(big.back());
            big.pop_back();
        }
    }
    return shards;
}

} // namespace collapipe
