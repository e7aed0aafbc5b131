// SPDX-License-Identifier: MIT
// Datasets, tokenizer and batches (issue [4/6] "Datasets").
#include "core/trainer/subword_tokenizer.h"
#include "core/trainer/text_dataset.h"

#include <QTemporaryDir>
#include <QTest>

using namespace collapipe;

class TextDatasetTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenizerRoundTrip();
    void bundledSets_data();
    void bundledSets();
    void batches();
    void missingDatasetNamesPaths();
    void envOverrideAndBadRow();
    void subwordMerges_data();
    void subwordMerges();
    void subwordBadMerge();
    void bundledSubwords();
};

void TextDatasetTest::tokenizerRoundTrip()
{
    for (int c = 32; c < 127; ++c) {
        const int id = tokenizer::encodeChar(char(c));
        QVERIFY(id >= 4 && id < tokenizer::kVocabNeeded);
        const char back = tokenizer::decodeToken(id);
        QCOMPARE(back, (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : char(c));
    }
    QCOMPARE(tokenizer::encodeChar('\t'), tokenizer::kUnk);
    QCOMPARE(tokenizer::decodeToken(tokenizer::kEos), '\0');
}

void TextDatasetTest::bundledSets_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("seq2seq");
    QTest::addColumn<int>("train");
    QTest::newRow("fortunes") << QStringLiteral("fortunes") << false << 2260;
    QTest::newRow("dates") << QStringLiteral("dates") << true << 6000;
}

void TextDatasetTest::bundledSets()
{
    QFETCH(QString, name);
    QFETCH(bool, seq2seq);
    QFETCH(int, train);
    TextDataset ds;
    QString err;
    QVERIFY2(loadTextDataset(name, &ds, &err), qPrintable(err));
    QCOMPARE(ds.seq2seq, seq2seq);
    QCOMPARE(ds.train.size(), train);
    QVERIFY(ds.val.size() > 0 && ds.test.size() > 0);
    if (seq2seq) {
        QCOMPARE(ds.maxTargetChars, 10);
    } else {
        QCOMPARE(ds.numClasses(), 4);
    }
}

void TextDatasetTest::batches()
{
    TextDataset ds;
    QString err;
    QVERIFY2(loadTextDataset(QStringLiteral("dates"), &ds, &err), qPrintable(err));
    const TokenBatch b = makeBatch(ds, ds.train, {0, 1, 2}, 8, 11);
    QCOMPARE(b.size, 3);
    QCOMPARE(int(b.src.size()), 24);
    QCOMPARE(b.decIn[0], tokenizer::kBos);
    // decTarget is decIn shifted left by one, ending with EOS.
    for (int t = 0; t < 10; ++t) {
        QCOMPARE(b.decTarget[size_t(t)], b.decIn[size_t(t + 1)]);
    }
    QCOMPARE(b.decTarget[10], tokenizer::kEos);
    QCOMPARE(b.lossTerms(), 33);
    const TokenBatch s = b.slice(1, 2);
    QCOMPARE(s.size, 2);
    QCOMPARE(s.decIn[0], b.decIn[11]);
    QVERIFY(b.srcValid[0] <= 8);
}

void TextDatasetTest::missingDatasetNamesPaths()
{
    TextDataset ds;
    QString err;
    QVERIFY(!loadTextDataset(QStringLiteral("nope"), &ds, &err));
    QVERIFY2(err.contains(QStringLiteral("'nope'")), qPrintable(err));
    for (const QString &p : datasetSearchPaths()) {
        QVERIFY2(err.contains(p), qPrintable(err));
    }
}

void TextDatasetTest::envOverrideAndBadRow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir(dir.path()).mkdir(QStringLiteral("tiny"));
    const auto write = [&](const QString &file, const QByteArray &text) {
        QFile f(dir.path() + QStringLiteral("/tiny/") + file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write(QStringLiteral("labels.txt"), "a\nb\n");
    write(QStringLiteral("train.tsv"), "0\thello\n1\tworld\n");
    write(QStringLiteral("val.tsv"), "0\thi\n");
    write(QStringLiteral("test.tsv"), "5\tbad label\n");
    qputenv("COLLAPIPE_DATASET_DIR", dir.path().toLocal8Bit());
    TextDataset ds;
    QString err;
    QVERIFY(!loadTextDataset(QStringLiteral("tiny"), &ds, &err));
    QVERIFY2(err.contains(QStringLiteral("test.tsv:1")) && err.contains(QStringLiteral("'5'")),
        qPrintable(err));
    write(QStringLiteral("test.tsv"), "1\tok\n");
    QVERIFY2(loadTextDataset(QStringLiteral("tiny"), &ds, &err), qPrintable(err));
    QCOMPARE(ds.folder, dir.path() + QStringLiteral("/tiny"));
    qunsetenv("COLLAPIPE_DATASET_DIR");
}

using Merges = std::vector<std::pair<QByteArray, QByteArray>>;
using Ids = std::vector<int>;

void TextDatasetTest::subwordMerges_data()
{
    // Merges: 0 "t"+"h" → 73, 1 "th"+"e" → 74, 2 " "+"the" → 75, 3 "e"+"m" → 76.
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Ids>("want");
    const int sp = tokenizer::encodeChar(' '), t = tokenizer::encodeChar('t'),
              h = tokenizer::encodeChar('h'), e = tokenizer::encodeChar('e'),
              m = tokenizer::encodeChar('m');
    QTest::newRow("no merges = characters") << 0 << QByteArray("The") << Ids{t, h, e};
    QTest::newRow("one merge") << 1 << QByteArray("The") << Ids{73, e};
    QTest::newRow("word start") << 4 << QByteArray("The theme") << Ids{74, 75, m, e};
    // Rank order: "e"+"m" (rank 3) must not fire before "th"+"e" (rank 1) in " theme".
    QTest::newRow("rank order") << 4 << QByteArray("them") << Ids{74, m};
    QTest::newRow("no cross-word merge") << 4 << QByteArray("t he") << Ids{t, sp, h, e};
    QTest::newRow("double space") << 4 << QByteArray("a  the")
                                  << Ids{tokenizer::encodeChar('a'), sp, 75};
}

void TextDatasetTest::subwordMerges()
{
    QFETCH(int, count);
    QFETCH(QByteArray, text);
    QFETCH(Ids, want);
    const Merges merges{{"t", "h"}, {"th", "e"}, {" ", "the"}, {"e", "m"}};
    std::vector<std::vector<int>> ids;
    QString err;
    QVERIFY2(subwordEncode(merges, count, {text}, &ids, &err), qPrintable(err));
    QCOMPARE(ids.at(0), want);
}

void TextDatasetTest::subwordBadMerge()
{
    std::vector<std::vector<int>> ids;
    QString err;
    QVERIFY(!subwordEncode(Merges{{"t", "h"}, {"x", "he"}}, 2, {QByteArray("the")}, &ids, &err));
    QVERIFY2(err.contains(QStringLiteral("merges.txt:2")) && err.contains(QStringLiteral("'he'")),
        qPrintable(err));
}

void TextDatasetTest::bundledSubwords()
{
    TextDataset ds;
    QString err;
    QVERIFY2(loadTextDataset(QStringLiteral("fortunes"), &ds, &err), qPrintable(err));
    QVERIFY(ds.merges.size() >= 256);
    QCOMPARE(applySubwords(&ds, tokenizer::kVocabNeeded, &err), 0); // characters only
    QVERIFY(ds.train.sourceIds.empty());
    QCOMPARE(applySubwords(&ds, tokenizer::kVocabNeeded + 256, &err), 256);
    QCOMPARE(int(ds.test.sourceIds.size()), ds.test.size());
    size_t ids = 0, chars = 0;
    for (int i = 0; i < ds.train.size(); ++i) {
        for (int id : ds.train.sourceIds[size_t(i)]) {
            QVERIFY(id >= 4 && id < tokenizer::kVocabNeeded + 256);
        }
        ids += ds.train.sourceIds[size_t(i)].size();
        chars += size_t(ds.train.source[size_t(i)].size());
    }
    // 256 merges shorten the train texts by more than a third (measured: see README).
    QVERIFY2(double(ids) < 0.67 * double(chars), qPrintable(QString::number(double(ids) / chars)));
    const TokenBatch b = makeBatch(ds, ds.test, {0}, 8, 0);
    QCOMPARE(b.src[0], ds.test.sourceIds[0][0]);
}

QTEST_GUILESS_MAIN(TextDatasetTest)
#include "tst_text_dataset.moc"
