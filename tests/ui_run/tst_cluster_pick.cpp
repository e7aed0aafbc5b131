// SPDX-License-Identifier: MIT
// The plots bar's "devices of clusters" field (parseClusterPick): ids, numbers and ranges as the
// scenario's cluster ids spell them, and one error naming the token it could not read.
#include "ui/plots/cluster_pick.h"

#include <QTest>

using namespace collapipe;

namespace {

/// "c1".."c<n>" as `collapipe generate` names clusters.
QStringList numberedIds(int n, int first = 1)
{
    QStringList ids;
    for (int c = first; c < first + n; ++c) {
        ids << QStringLiteral("c%1").arg(c);
    }
    return ids;
}

QSet<int> indices(std::initializer_list<int> list)
{
    return QSet<int>(list.begin(), list.end());
}

QSet<int> span(int from, int to)
{
    QSet<int> s;
    for (int i = from; i <= to; ++i) {
        s.insert(i);
    }
    return s;
}

} // namespace

class TestClusterPick : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsIdsNumbersAndRanges_data()
    {
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QSet<int>>("expected");
        const QStringList hundred = numberedIds(100);
        QTest::newRow("empty") << hundred << QString() << QSet<int>();
        QTest::newRow("one id, any case") << hundred << QStringLiteral("C17") << indices({16});
        QTest::newRow("numbers and a list")
            << hundred << QStringLiteral("1-5, 8") << (span(0, 4) | indices({7}));
        QTest::newRow("id range ..") << hundred << QStringLiteral("c1..c4") << span(0, 3);
        QTest::newRow("id range -") << hundred << QStringLiteral("c1-c4") << span(0, 3);
        QTest::newRow("en dash, spaces") << hundred << QStringLiteral("c2 – c3") << span(1, 2);
        QTest::newRow("reversed") << hundred << QStringLiteral("c4..c1") << span(0, 3);
        QTest::newRow("mixed ends") << hundred << QStringLiteral("c98-100") << span(97, 99);
        QTest::newRow("spaces, semicolons")
            << hundred << QStringLiteral(" c1;c3  c5 ") << indices({0, 2, 4});
        QTest::newRow("overlapping") << hundred << QStringLiteral("1-3, 2..4") << span(0, 3);
        QTest::newRow("numbered from 0")
            << numberedIds(10, 0) << QStringLiteral("0-2") << span(0, 2);
        QTest::newRow("range past the last")
            << numberedIds(3) << QStringLiteral("1-5") << span(0, 2);
        const QStringList campus{
            QStringLiteral("library"), QStringLiteral("lecture"), QStringLiteral("cafe")};
        QTest::newRow("named ids") << campus << QStringLiteral("cafe, library") << indices({0, 2});
        QTest::newRow("named range") << campus << QStringLiteral("library..cafe") << span(0, 2);
        const QStringList hyphenated{
            QStringLiteral("lab-a"), QStringLiteral("lab-b"), QStringLiteral("lab-c")};
        QTest::newRow("hyphenated id") << hyphenated << QStringLiteral("lab-b") << indices({1});
        QTest::newRow("hyphenated range")
            << hyphenated << QStringLiteral("lab-a..lab-b") << span(0, 1);
        QTest::newRow("hyphenated range -")
            << hyphenated << QStringLiteral("lab-b-lab-c") << span(1, 2);
    }

    void readsIdsNumbersAndRanges()
    {
        QFETCH(QStringList, ids);
        QFETCH(QString, text);
        QFETCH(QSet<int>, expected);
        const ClusterPick pick = parseClusterPick(text, ids);
        QVERIFY2(pick.ok(), qPrintable(pick.error));
        QCOMPARE(pick.clusters, expected);
    }

    void namesTheBadToken_data()
    {
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("token");
        const QStringList hundred = numberedIds(100);
        QTest::newRow("unknown id") << hundred << QStringLiteral("c1, x9") << QStringLiteral("x9");
        QTest::newRow("past the last id")
            << hundred << QStringLiteral("c200") << QStringLiteral("c200");
        QTest::newRow("empty range")
            << hundred << QStringLiteral("101-200") << QStringLiteral("101-200");
        QTest::newRow("open range") << hundred << QStringLiteral("c1..") << QStringLiteral("c1..");
        QTest::newRow("unknown number")
            << numberedIds(3) << QStringLiteral("9") << QStringLiteral("9");
        QTest::newRow("device id") << hundred << QStringLiteral("c1-d4") << QStringLiteral("c1-d4");
        QTest::newRow("negative") << hundred << QStringLiteral("-3") << QStringLiteral("-3");
        const QStringList twoKinds{QStringLiteral("a1"), QStringLiteral("b1")};
        QTest::newRow("ambiguous number") << twoKinds << QStringLiteral("1") << QStringLiteral("1");
        const QStringList campus{
            QStringLiteral("library"), QStringLiteral("lecture"), QStringLiteral("c3")};
        QTest::newRow("name to number")
            << campus << QStringLiteral("library..3") << QStringLiteral("library..3");
    }

    void namesTheBadToken()
    {
        QFETCH(QStringList, ids);
        QFETCH(QString, text);
        QFETCH(QString, token);
        const ClusterPick pick = parseClusterPick(text, ids);
        QVERIFY(!pick.ok());
        QVERIFY2(pick.error.contains(QLatin1Char('"') + token + QLatin1Char('"')),
            qPrintable(pick.error));
        QVERIFY(pick.clusters.isEmpty()); // nothing half-picked
    }

    /// The error shows what the ids look like, so the user can correct the token.
    void errorListsTheIds()
    {
        QVERIFY(parseClusterPick(QStringLiteral("x"), numberedIds(3))
                    .error.contains(QStringLiteral("c1, c2, c3")));
        QVERIFY(parseClusterPick(QStringLiteral("x"), numberedIds(100))
                    .error.contains(QStringLiteral("c1 … c100")));
    }
};

QTEST_MAIN(TestClusterPick)
#include "tst_cluster_pick.moc"
