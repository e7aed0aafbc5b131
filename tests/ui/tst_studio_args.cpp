// SPDX-License-Identifier: MIT
// Issue #16 "[7/7] Scale", the first hour: `collapipe-studio --help`, `--version` and a bad option
// answer without a display (before, the options were read after QApplication was made, which
// needs one: without DISPLAY it printed Qt's "could not connect to display" and aborted). Runs the
// real binary with DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset.
#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

class TestStudioArgs : public QObject
{
    Q_OBJECT

    struct Result
    {
        int exitCode = -1;
        bool crashed = false;
        QString out;
        QString err;
    };

    static Result run(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) {
            env.remove(QString::fromLatin1(name));
        }
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(COLLAPIPE_BINARY_DIR "/app/collapipe-studio"), args);
        Result r;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            r.err = QStringLiteral("did not finish");
            return r;
        }
        r.crashed = process.exitStatus() != QProcess::NormalExit;
        r.exitCode = process.exitCode();
        r.out = QString::fromLocal8Bit(process.readAllStandardOutput());
        r.err = QString::fromLocal8Bit(process.readAllStandardError());
        return r;
    }

    static QByteArray describe(const Result &r)
    {
        return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
            .arg(r.exitCode)
            .arg(r.crashed ? QStringLiteral(" (crashed)") : QString())
            .arg(r.out, r.err)
            .toLocal8Bit();
    }

private Q_SLOTS:
    void helpNeedsNoDisplay_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
        QTest::newRow("-h") << QStringList{QStringLiteral("-h")};
        // Qt's own window-system options are not the Studio's to refuse.
        QTest::newRow("-platform xcb --help") << QStringList{
            QStringLiteral("-platform"), QStringLiteral("xcb"), QStringLiteral("--help")};
    }
    void helpNeedsNoDisplay()
    {
        QFETCH(QStringList, args);
        const Result r = run(args);
        QVERIFY2(!r.crashed && r.exitCode == 0, describe(r).constData());
        QVERIFY2(r.out.startsWith(QStringLiteral("Usage: collapipe-studio [options] file")),
            describe(r).constData());
        QVERIFY2(r.out.contains(QStringLiteral("--screenshot <png>")), describe(r).constData());
        QVERIFY2(r.out.contains(QStringLiteral("file")), describe(r).constData());
        QVERIFY2(r.err.isEmpty(), describe(r).constData());
    }

    void versionNeedsNoDisplay()
    {
        for (const QString &option : {QStringLiteral("--version"), QStringLiteral("-v")}) {
            const Result r = run({option});
            QVERIFY2(!r.crashed && r.exitCode == 0, describe(r).constData());
            static const QRegularExpression version(
                QStringLiteral("^collapipe-studio \\d+\\.\\d+(\\.\\d+)?\\n$"));
            QVERIFY2(version.match(r.out).hasMatch(), describe(r).constData());
            QVERIFY2(r.err.isEmpty(), describe(r).constData());
        }
    }

    void badOptionIsNamedWithoutADisplay_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown") << QStringList{QStringLiteral("--frobnicate")}
                                 << QStringLiteral("frobnicate");
        QTest::newRow("unknown before a file") << QStringList{QStringLiteral("--zoom=2"),
            QStringLiteral("default.json")} << QStringLiteral("zoom");
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("--screenshot")} << QStringLiteral("screenshot");
    }
    void badOptionIsNamedWithoutADisplay()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Result r = run(args);
        QVERIFY2(!r.crashed && r.exitCode == 2, describe(r).constData());
        QVERIFY2(r.err.contains(named), describe(r).constData());
        QVERIFY2(r.err.contains(QStringLiteral("--help")), describe(r).constData());
        QVERIFY2(!r.err.contains(QStringLiteral("display")), describe(r).constData());
        QVERIFY2(r.out.isEmpty(), describe(r).constData());
    }
};

QTEST_GUILESS_MAIN(TestStudioArgs)
#include "tst_studio_args.moc"
