// SPDX-License-Identifier: MIT
// The fuzz harnesses without libFuzzer: feeds every file of the given corpus folders to the
// harness's LLVMFuzzerTestOneInput, so each committed corpus (seeds and every crash input that
// was fixed) is a regression test in the normal builds. Usage: fuzz_<name>_corpus DIR...
#include "tests/fuzz/fuzz_check.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList dirs = app.arguments().mid(1);
    if (dirs.isEmpty()) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
        return 2;
    }
    int files = 0;
    for (const QString &dir : dirs) {
        QStringList paths;
        QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            paths << it.next();
        }
        paths.sort();
        for (const QString &path : paths) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
                return 1;
            }
            const QByteArray data = file.readAll();
            const QByteArray name = path.toLocal8Bit();
            collapipe::fuzz::g_currentInput = name.constData();
            LLVMFuzzerTestOneInput(
                reinterpret_cast<const std::uint8_t *>(data.constData()), std::size_t(data.size()));
            ++files;
        }
    }
    collapipe::fuzz::g_currentInput = nullptr;
    if (files == 0) {
        std::fprintf(stderr, "no corpus files in %s\n", qPrintable(dirs.join(QLatin1Char(' '))));
        return 1;
    }
    std::printf("%d corpus files, no crash, every invariant held\n", files);
    return 0;
}
