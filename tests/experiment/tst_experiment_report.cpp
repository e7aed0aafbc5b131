// SPDX-License-Identifier: MIT
// `collapipe report` end to end through the real binary (issue [5/7] "Analysis"): the bundled
// experiment run into a fresh database, then its three CSV files with their headers and row
// counts; bad input (DIR is a file, unknown experiment or metric) refused naming the field.
#include "core/store/run_store.h"
#include "core/store/sqlite_db.h"
#include "tests/cli_run/cli_process.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace collapipe::testing;

namespace {

/// report.pdf of the test subset, measured with two figures a page: 4 pages (4 figures since
/// the part without axes got its per-policy figure, issue 17).
constexpr qsizetype kMaxReportPages = 4;

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

/// The test subset: tests/experiment/data/reproduce-mini (a base part and a one-axis part of
/// paper.json, 5 policies, 2 seeds, 3 rounds), with --quick on top as a user would run it.
QStringList reproduceArgs(const QString &out)
{
    return {QStringLiteral("reproduce"), QStringLiteral("--quick"), QStringLiteral("-o"), out,
        QStringLiteral("--experiments"),
        QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/reproduce-mini"),
        QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--quiet")};
}

/// The claims table of a report page (between its <table id="claims"> and </table>).
QString claimsTable(const QString &html)
{
    const qsizetype from = html.indexOf(QStringLiteral("<table id=\"claims\""));
    const qsizetype to = html.indexOf(QStringLiteral("</table>"), from);
    return from < 0 || to < 0 ? QString() : html.mid(from, to - from);
}

QStringList csvLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestExperimentReport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("exp.sqlite"));
        // 2 local-iteration values x 2 zipped bandwidth pairs x 3 policies x 2 seeds = 24 points.
        const CliResult r = runCli({QStringLiteral("experiment"),
                                       QStringLiteral(COLLAPIPE_SOURCE_DIR
                                           "/resources/experiments/iterations-and-bandwidth.json"),
                                       QStringLiteral("--db"), m_db, QStringLiteral("--quiet")},
            240000);
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r).constData());
    }

    void writesThreeCsvFiles()
    {
        const QString out = m_dir.filePath(QStringLiteral("report"));
        const CliResult r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--metrics"), QStringLiteral("mean_latency_s,mean_energy_j")});
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r).constData());
        QVERIFY2(r.out.contains(QStringLiteral("24 completed point(s), 2 axis(es)")),
            describe(r).constData());

        // Two axes (the zipped bandwidth pair is one): 4 settings x 3 policies per axis and
        // metric = 12 rows; 2 axes x 2 metrics -> 48.
        const QStringList axis = csvLines(out + QStringLiteral("/axis_curves.csv"));
        QVERIFY(!axis.isEmpty());
        QCOMPARE(axis.front(),
            QStringLiteral("metric,axis,axis_value,other_axes,policy,n,mean,sd,"
                           "ci95_low,ci95_high,ci95_half_width,note"));
        QCOMPARE(axis.size(), 1 + 48);
        for (qsizetype i = 1; i < axis.size(); ++i) {
            QCOMPARE(axis[i].split(QLatin1Char(','))[5], QStringLiteral("2")); // two seeds each
        }
        // The bandwidth curve of dssda at 1 local iteration has both bandwidth pairs.
        const QStringList curve
            = axis.filter(QStringLiteral("mean_latency_s,d2d.bandwidth_hz+d2e.bandwidth_hz,"));
        QCOMPARE(curve.filter(QStringLiteral(",training.local_iterations=1,dssda,")).size(), 2);
        QVERIFY2(curve.front().startsWith(QStringLiteral(
                     "mean_latency_s,d2d.bandwidth_hz+d2e.bandwidth_hz,5e+06/1e+07,")),
            qPrintable(curve.front()));
        // 1 axis pair x 4 cells x 2 metrics.
        const QStringList regime = csvLines(out + QStringLiteral("/regime_map.csv"));
        QVERIFY(!regime.isEmpty());
        QCOMPARE(regime.front(),
            QStringLiteral("metric,better,x_axis,x_value,y_axis,y_value,other_axes,best_policy,"
                           "best_mean,runner_up,runner_up_mean,relative_margin,policies"));
        QCOMPARE(regime.size(), 1 + 8);
        // 3 policies x 4 settings.
        const QStringList pareto = csvLines(out + QStringLiteral("/pareto.csv"));
        QVERIFY(!pareto.isEmpty());
        QCOMPARE(pareto.front(),
            QStringLiteral("policy,setting,n,mean_latency_s,mean_energy_j,on_front"));
        QCOMPARE(pareto.size(), 1 + 12);
        // Training off: no accuracy, so the time-to-accuracy files hold only their header.
        QCOMPARE(csvLines(out + QStringLiteral("/time_to_accuracy.csv")).size(), 1);
        QCOMPARE(csvLines(out + QStringLiteral("/accuracy_over_time.csv")).size(), 1);

        // Figures: 2 metrics x 2 axes curves, 2 regime maps (one axis pair), the Pareto plane;
        // no time-to-accuracy figure without accuracy. Each as PNG, SVG and PDF.
        QVERIFY2(r.out.contains(QStringLiteral("7 figure(s) as png, svg, pdf (21 files)")),
            describe(r).constData());
        const QStringList stems{QStringLiteral("curve-mean_latency_s-vs-training.local_iterations"),
            QStringLiteral("curve-mean_latency_s-vs-d2d.bandwidth_hz+d2e.bandwidth_hz"),
            QStringLiteral("curve-mean_energy_j-vs-training.local_iterations"),
            QStringLiteral("curve-mean_energy_j-vs-d2d.bandwidth_hz+d2e.bandwidth_hz"),
            QStringLiteral("regime-mean_latency_s-d2d.bandwidth_hz+d2e.bandwidth_hz-training.local_"
                           "iterations"),
            QStringLiteral(
                "regime-mean_energy_j-d2d.bandwidth_hz+d2e.bandwidth_hz-training.local_iterations"),
            QStringLiteral("pareto")};
        for (const QString &stem : stems) {
            for (const char *suffix : {".png", ".svg", ".pdf"}) {
                const QString path = out + QLatin1Char('/') + stem + QLatin1String(suffix);
                QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(path));
            }
            // 7 in x 4.5 in at 300 dpi.
            const QImage png(out + QLatin1Char('/') + stem + QStringLiteral(".png"));
            QCOMPARE(png.size(), QSize(2100, 1350));
        }
        QVERIFY(!QFile::exists(out + QStringLiteral("/time-to-accuracy.png")));
    }

    /// Without XDG_RUNTIME_DIR (root in CI, cron) QtGui used to print a warning on stderr for
    /// every verb that draws figures.
    void noRuntimeDirectoryWarning()
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        process.setProcessEnvironment(env);
        const QString out = m_dir.filePath(QStringLiteral("report-no-runtime-dir"));
        process.start(collapipeBinary(),
            {QStringLiteral("report"), m_db, QStringLiteral("-o"), out, QStringLiteral("--metrics"),
                QStringLiteral("mean_latency_s")});
        const CliResult r = finishCli(process);
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r).constData());
        QVERIFY2(!r.err.contains(QStringLiteral("XDG_RUNTIME_DIR")), describe(r).constData());
    }

    void refusesBadFigureFormat()
    {
        const QString out = m_dir.filePath(QStringLiteral("badformat"));
        const CliResult r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--figures"), QStringLiteral("png,gif")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--figures: unknown format 'gif'")),
            describe(r).constData());
        QVERIFY(!QFile::exists(out));
        const CliResult t = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--target-accuracy"), QStringLiteral("1.5")});
        QCOMPARE(t.exitCode, 2);
        QVERIFY2(t.err.contains(QStringLiteral("--target-accuracy: expected a number in (0, 1]")),
            describe(t).constData());
        QVERIFY(!QFile::exists(out));
    }

    void refusesDirThatIsAFile()
    {
        const QString file = m_dir.filePath(QStringLiteral("a-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep");
        f.close();
        const CliResult r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--output")), describe(r).constData());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep"));
    }

    void namesTheBadField()
    {
        const QString out = m_dir.filePath(QStringLiteral("bad"));
        CliResult r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--experiment"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--experiment: no experiment 'nope'")),
            describe(r).constData());
        r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--metrics"), QStringLiteral("mean_latency_s,speed")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--metrics: unknown metric 'speed'")),
            describe(r).constData());
        r = runCli({QStringLiteral("report"), m_db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--output")), describe(r).constData());
        QVERIFY(!QFile::exists(out)); // nothing written on bad input
    }

    void reproduceWritesReportAndResumes()
    {
        const QString out = m_dir.filePath(QStringLiteral("reproduce"));
        QElapsedTimer clock;
        clock.start();
        CliResult r = runCli(reproduceArgs(out), 240000);
        const qint64 firstMs = clock.elapsed();
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r).constData());
        QVERIFY2(
            r.out.contains(QStringLiteral("30 point(s) run, 0 resumed")), describe(r).constData());

        const QString html = readText(out + QStringLiteral("/report.html"));
        const QString table = claimsTable(html);
        QVERIFY2(!table.isEmpty(), qPrintable(html.left(2000)));
        QCOMPARE(table.count(QStringLiteral("<tr class=\"claim\">")), 3); // one row per claim
        for (const char *claim : {"48.98 %", "15.09 %", "memory cut by more than half"}) {
            QVERIFY2(table.contains(QLatin1String(claim)), claim);
        }
        // Every figure the shared figure code drew (a Pareto front per part, the latency along
        // the D2D bandwidth, the latency per policy of the part without axes) is embedded as a PNG and linked as PNG and SVG; the machine,
        // commit and time lines; the CSVs linked and written.
        QStringList drawn;
        QDirIterator it(out + QStringLiteral("/figures"), {QStringLiteral("*.png")}, QDir::Files,
            QDirIterator::Subdirectories);
        while (it.hasNext()) {
            drawn << it.next();
        }
        QCOMPARE(drawn.size(), 4);
        QCOMPARE(html.count(QStringLiteral("<div class=\"figure\">")), 4);
        QCOMPARE(html.count(QStringLiteral("<img src=\"data:image/png;base64,")), 4);
        QVERIFY(
            html.contains(QStringLiteral("href=\"figures/01-base/policies-mean_latency_s.svg\"")));
        QVERIFY(html.contains(QStringLiteral(
            "href=\"figures/02-bandwidth/curve-mean_latency_s-vs-d2d.bandwidth_hz.svg\"")));
        for (const char *meta : {"<b>Machine:</b>", "<b>Program:</b>", "commit ", "<b>Run:</b>"}) {
            QVERIFY2(html.contains(QLatin1String(meta)), meta);
        }
        QVERIFY(html.contains(QStringLiteral("href=\"csv/02-bandwidth/axis_curves.csv\"")));
        QVERIFY(csvLines(out + QStringLiteral("/csv/02-bandwidth/axis_curves.csv")).size() > 1);

        // Each figure's size is given whole (width and height in the PNG's proportions): with the
        // width alone report.pdf reserved a blank band above every figure, one figure a page.
        static const QRegularExpression img(
            QStringLiteral("<img src=\"data:image/png;base64,[^\"]*\" width=\"(\\d+)\" "
                           "height=\"(\\d+)\""));
        int sized = 0;
        for (auto m = img.globalMatch(html); m.hasNext(); ++sized) {
            const QRegularExpressionMatch one = m.next();
            const double ratio = one.captured(2).toDouble() / one.captured(1).toDouble();
            QVERIFY2(std::abs(ratio - 4.5 / 7.0) < 0.01, qPrintable(one.captured(0).right(40)));
        }
        QCOMPARE(sized, 4);

        QFile pdf(out + QStringLiteral("/report.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray pdfBytes = pdf.readAll();
        QVERIFY(pdfBytes.startsWith("%PDF-"));
        QVERIFY2(pdfBytes.size() > 20000, qPrintable(QString::number(pdfBytes.size()))); // raster
        pdf.close();
        // Two figures share a page: the claims (2 pages), then 4 figures and their text.
        static const QRegularExpression pageObject(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
        const qsizetype pages = QString::fromLatin1(pdfBytes).count(pageObject);
        qInfo("report.pdf: %lld pages", static_cast<long long>(pages));
        QVERIFY2(pages >= 2 && pages <= kMaxReportPages, qPrintable(QString::number(pages)));
        const QStringList claims = csvLines(out + QStringLiteral("/claims.csv"));
        QCOMPARE(claims.size(), 1 + 3);
        QVERIFY(claims[1].startsWith(QStringLiteral("latency,0.4898")));

        // Again: every point is resumed from the database, the claims are the same.
        clock.restart();
        r = runCli(reproduceArgs(out), 240000);
        const qint64 secondMs = clock.elapsed();
        QVERIFY2(r.exitCode == 0 && !r.crashed, describe(r).constData());
        QVERIFY2(
            r.out.contains(QStringLiteral("0 point(s) run, 30 resumed")), describe(r).constData());
        QCOMPARE(csvLines(out + QStringLiteral("/claims.csv")), claims);
        QCOMPARE(claimsTable(readText(out + QStringLiteral("/report.html"))), table);
        qInfo("reproduce on the test subset: first run %lld ms, resumed run %lld ms", firstMs,
            secondMs);
    }

    void reproduceRefusesBadFlags()
    {
        const QString out = m_dir.filePath(QStringLiteral("reproduce-bad"));
        const std::pair<QStringList, const char *> cases[] = {
            {{QStringLiteral("--jobs"), QStringLiteral("0")}, "--jobs"},
            {{QStringLiteral("--jobs"), QStringLiteral("many")}, "'many'"},
            {{QStringLiteral("--fast")}, "'fast'"},
            {{QStringLiteral("--experiments"), m_dir.filePath(QStringLiteral("none"))},
                "--experiments"},
            {{QStringLiteral("extra")}, "'extra'"},
        };
        for (const auto &[extra, named] : cases) {
            const CliResult r = runCli(
                QStringList{QStringLiteral("reproduce"), QStringLiteral("-o"), out} + extra);
            QVERIFY2(
                r.exitCode == 2 && r.err.contains(QLatin1String(named)), describe(r).constData());
        }
        const CliResult r = runCli({QStringLiteral("reproduce"), QStringLiteral("--quick")});
        QVERIFY2(
            r.exitCode == 2 && r.err.contains(QStringLiteral("--output")), describe(r).constData());
        QVERIFY(!QFile::exists(out)); // nothing written on bad input
    }

    void reproduceStopsOnALockedDatabase()
    {
        // Another writer holds the database's write lock past the busy timeout: one point
        // fails naming the lock, no other part runs, and no report of missing points is made.
        const QString out = m_dir.filePath(QStringLiteral("locked-reproduce"));
        const QString db = m_dir.filePath(QStringLiteral("locked-reproduce.sqlite"));
        QString error;
        std::unique_ptr<collapipe::RunStore> holder = collapipe::RunStore::open(db, &error);
        QVERIFY2(holder, qPrintable(error));
        QVERIFY(holder->db().exec("BEGIN IMMEDIATE", &error));
        QStringList args = reproduceArgs(out);
        args << QStringLiteral("--db") << db;
        const CliResult r = runCli(args, 120000);
        QVERIFY(holder->db().exec("ROLLBACK", &error));
        QVERIFY2(r.exitCode == 2 && r.err.contains(QLatin1String("the database refused a run"))
                && r.err.contains(QLatin1String("locked by another writer")),
            describe(r).constData());
        QVERIFY(!QFile::exists(out + QStringLiteral("/report.html")));
    }

    void reportsFromTheExperimentFile()
    {
        // `collapipe report EXPERIMENT_OR_DB`: given the experiment file, its points are read
        // from --db (the experiment id is the file's, so no --experiment is needed).
        const QString file = QStringLiteral(
            COLLAPIPE_SOURCE_DIR "/resources/experiments/iterations-and-bandwidth.json");
        const QString out = m_dir.filePath(QStringLiteral("from-file"));
        CliResult r = runCli({QStringLiteral("report"), file, QStringLiteral("--db"), m_db,
            QStringLiteral("-o"), out, QStringLiteral("--figures=none")});
        QVERIFY2(r.exitCode == 0 && r.out.contains(QLatin1String("24 completed point(s)")),
            describe(r).constData());
        QCOMPARE(csvLines(out + QStringLiteral("/pareto.csv")).size(), 1 + 12);
        // A database without that experiment's runs is named, with what to run.
        const QString other = m_dir.filePath(QStringLiteral("other.sqlite"));
        r = runCli({QStringLiteral("experiment"),
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/other.json"),
            QStringLiteral("--db"), other, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        r = runCli({QStringLiteral("report"), file, QStringLiteral("--db"), other,
            QStringLiteral("-o"), m_dir.filePath(QStringLiteral("none"))});
        QVERIFY2(r.exitCode == 2 && r.err.contains(other)
                && r.err.contains(QLatin1String("holds no run of experiment")),
            describe(r).constData());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("none"))));
        // A bad experiment file is named as `collapipe experiment` names it.
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"experiment_version": 1, "scenario": ")" COLLAPIPE_SOURCE_DIR
                R"(/tests/cli_run/data/tiny.json", "rounds": 0})");
        f.close();
        r = runCli({QStringLiteral("report"), bad, QStringLiteral("--db"), m_db,
            QStringLiteral("-o"), m_dir.filePath(QStringLiteral("none"))});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QLatin1String("rounds: must be >= 1 (got 0)")),
            describe(r).constData());
    }

    // Runs last: it adds a second experiment to the database.
    void twoExperimentsNeedAnId()
    {
        const QString out = m_dir.filePath(QStringLiteral("two"));
        const QString noFigures = QStringLiteral("--figures=none"); // CSV is what this checks
        CliResult r
            = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out, noFigures});
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        const QString id = r.out.section(QLatin1Char(' '), 1, 1).chopped(1); // "experiment ID: ..."
        QVERIFY2(id.size() >= 8, qPrintable(r.out));
        r = runCli({QStringLiteral("experiment"),
            QStringLiteral(COLLAPIPE_SOURCE_DIR "/tests/experiment/data/other.json"),
            QStringLiteral("--db"), m_db, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--experiment: ")) && r.err.contains(id),
            describe(r).constData());
        r = runCli({QStringLiteral("report"), m_db, QStringLiteral("-o"), out,
            QStringLiteral("--experiment"), id, noFigures});
        QVERIFY2(r.exitCode == 0, describe(r).constData());
        QCOMPARE(csvLines(out + QStringLiteral("/pareto.csv")).size(), 1 + 12);
    }
};

QTEST_GUILESS_MAIN(TestExperimentReport)
#include "tst_experiment_report.moc"
