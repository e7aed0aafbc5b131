// SPDX-License-Identifier: MIT
// Learning really happens (issue [4/6] "Must show"): short pipelined, federated runs on each
// bundled dataset, on several seeds, scored on the held-out TEST split against the majority
// baseline and a bag-of-characters logistic regression computed here; every seed must beat both
// by the stated margin. dates: token accuracy and exact match. fortunes: accuracy, the model
// reading subword tokens (512 byte-pair merges learnt on the train split), the LR every character
// of each text. The recipes were chosen on the validation split (core/trainer/README.md,
// "Learning"); the test split only scores them.
#include "core/trainer/federated_trainer.h"
#include "core/trainer/text_dataset.h"
#include "tests/sanitizer_build.h"
#include "tests/trainer/bag_of_chars.h"
#include "tests/trainer/trainer_fixtures.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>

using namespace collapipe;

namespace {
// fortunes, this recipe on seeds 7–14, test accuracy 0.797–0.820 (mean 0.809) against LR 0.773
// and majority 0.357: margins 0.025–0.048. A rounding change in the kernels moves a run to
// another draw of that spread (it moved the old recipe's seeds by up to 0.07), so the bound sits
// below the worst seed measured, yet still fails a model that only matches the LR.
constexpr double kFortunesMargin = 0.02;
// dates, 500 rounds on seeds 7–12: token accuracy 0.943–0.998, exact match 0.684–0.978,
// against the LR's 0.784 / 0.015 and the majority's 0.509.
constexpr double kDatesMargin = 0.10;
constexpr TransformerDims kFortunesDims{64, 4, 128, 48, 0}; ///< vocab: see kFortunesMerges
constexpr int kFortunesMerges = 512;
constexpr int kFortunesRounds = 400;
constexpr int kFortunesWarmup = 20;
constexpr int kDatesRounds = 500;

// Reduced mode: sanitizer builds (ASan + UBSan, where the kernels run ~10x slower: the full test
// took 479 s there) or COLLAPIPE_LEARNING_REDUCED=1. One seed per dataset, REDUCED_* rounds, and
// the bar is the majority baseline plus a margin, not the LR: the LR margins need the full
// schedules, and ASan's code rounds differently enough to move a seed within the spread above
// (seed 7 ended at 0.789 against the LR bar of 0.793). It still fails a model that does not learn,
// and it puts every line of the training path under the sanitizers. Measured in a Release build
// with COLLAPIPE_LEARNING_REDUCED=1 on seeds 7-11 (the seed spread stands in for the rounding
// spread between builds): fortunes, 100 rounds (warm-up 20, cosine to 0), test accuracy
// 0.707-0.744 on seeds 7-10 against majority 0.357; dates, 300 rounds, token accuracy
// 0.766-0.962 (seed 7: 0.937) against majority 0.509 (at 150 rounds only 0.638-0.718, too close
// to a bar worth having). The bars, 0.607 and 0.659, sit >= 0.10 below every seed measured.
constexpr int kReducedFortunesRounds = 100;
constexpr int kReducedDatesRounds = 300;
constexpr double kReducedFortunesMargin = 0.25;
constexpr double kReducedDatesMargin = 0.15;

bool reducedMode()
{
    return test::kSanitizerBuild || qEnvironmentVariableIntValue("COLLAPIPE_LEARNING_REDUCED") == 1;
}

QList<int> seedsOr7(std::initializer_list<int> full)
{
    return reducedMode() ? QList<int>{7} : QList<int>(full);
}

/// Two clusters of two devices, each with a two-stage 1F1B pipeline, for `rounds` rounds.
bool train(FederatedTrainer &t, const Scenario &s, int rounds, QString *err)
{
    Decision d;
    for (size_t c = 0; c < s.topology.clusters.size(); ++c) {
        ClusterDecision cd;
        cd.microbatches = 4;
        const int mid = s.model.encoderBlocks / 2;
        cd.stages
            = {StageDecision{0, 0, mid - 1}, StageDecision{1, mid, s.model.encoderBlocks - 1}};
        d.clusters.push_back(cd);
    }
    const std::vector<std::vector<StageOp>> ops(
        d.clusters.size(), scheduleStageOps(PipelineSchedule::OneFOneB, 2, 4));
    for (int r = 0; r < rounds; ++r) {
        TrainRoundResult res;
        if (!t.trainRound(d, ops, &res, err)) {
            return false;
        }
    }
    return true;
}

/// Linear warm-up, then cosine decay to 0. Some seeds sit on a 0.69–0.75 plateau for 100+ rounds;
/// the old 200 rounds without warm-up ended two seeds of 7–14 there, 400 with it none (on
/// validation). The decayed end point is stable where a constant rate swings by ±0.03 per round.
double fortunesRate(double peak, int round, int rounds)
{
    if (round < kFortunesWarmup) {
        return peak * (round + 1) / kFortunesWarmup;
    }
    const double progress = (round - kFortunesWarmup) / double(rounds - kFortunesWarmup);
    return peak * 0.5 * (1.0 + std::cos(3.14159265358979 * progress));
}

double majorityAccuracy(const std::vector<int> &train, const std::vector<int> &test)
{
    std::map<int, int> counts;
    for (int y : train) {
        ++counts[y];
    }
    const int majority = std::max_element(counts.begin(), counts.end(), [](auto a, auto b) {
        return a.second < b.second;
    })->first;
    return double(std::count(test.begin(), test.end(), majority)) / double(test.size());
}
} // namespace

class TrainerLearning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fortunesBeatsBaselines_data();
    void fortunesBeatsBaselines();
    void datesBeatsBaselines_data();
    void datesBeatsBaselines();

private:
    TextDataset fortunes_, dates_;
    double fortunesMajority_ = 0, fortunesLr_ = 0;
    double datesMajorityTok_ = 0, datesLrTok_ = 0, datesLrExact_ = 0;
};

/// Baselines once, fit on train, scored on test.
void TrainerLearning::initTestCase()
{
    QString err;
    QVERIFY2(loadTextDataset(QStringLiteral("fortunes"), &fortunes_, &err), qPrintable(err));
    QVERIFY2(loadTextDataset(QStringLiteral("dates"), &dates_, &err), qPrintable(err));

    // fortunes: the LR sees every character of each text (up to 400), at least as much text as
    // the model's 48 tokens: the stricter comparison.
    const TextDataset &f = fortunes_;
    fortunesMajority_ = majorityAccuracy(f.train.labels, f.test.labels);
    const bool reduced = reducedMode();
    if (reduced) {
        qInfo("REDUCED MODE (%s): seed 7 only, fortunes %d rounds, dates %d rounds, asserted "
              "against the majority baseline + %.2f / + %.2f; the LR margins are asserted in "
              "Release builds",
            test::kSanitizerBuild ? "sanitizer build" : "COLLAPIPE_LEARNING_REDUCED=1",
            kReducedFortunesRounds, kReducedDatesRounds, kReducedFortunesMargin,
            kReducedDatesMargin);
    }
    if (!reduced) { // the LR baselines are not needed in the reduced mode
        const auto pred = test::logisticRegression(test::bagOfChars(f.train.source, 400),
            f.train.labels, f.numClasses(), test::bagOfChars(f.test.source, 400));
        int right = 0;
        for (int i = 0; i < f.test.size(); ++i) {
            right += f.test.labels[size_t(i)] == pred[size_t(i)] ? 1 : 0;
        }
        fortunesLr_ = double(right) / f.test.size();
    }

    // dates, per target position (ISO dates all have 10 characters + EOS): the majority
    // character, and a bag-of-characters LR over the source predicting that position.
    const TextDataset &ds = dates_;
    const int positions = ds.maxTargetChars + 1;
    const auto charAt = [](const QByteArray &t, int p) {
        return p < t.size() ? tokenizer::encodeChar(t[p]) : tokenizer::kEos;
    };
    const test::MatD xTrain = reduced ? test::MatD() : test::bagOfChars(ds.train.source, 32);
    const test::MatD xTest = reduced ? test::MatD() : test::bagOfChars(ds.test.source, 32);
    int majRight = 0, lrRight = 0, lrExact = 0, total = 0;
    std::vector<int> allRight(static_cast<size_t>(ds.test.size()), 1);
    for (int p = 0; p < positions; ++p) {
        std::map<int, int> classOf; // token → dense class id at this position
        std::vector<int> y;
        std::map<int, int> counts;
        for (const QByteArray &t : ds.train.target) {
            const int tok = charAt(t, p);
            classOf.emplace(tok, int(classOf.size()));
            y.push_back(classOf[tok]);
            ++counts[tok];
        }
        const int majority = std::max_element(counts.begin(), counts.end(), [](auto a, auto b) {
            return a.second < b.second;
        })->first;
        const auto predP = reduced
            ? std::vector<int>(size_t(ds.test.size()), -1)
            : test::logisticRegression(xTrain, y, int(classOf.size()), xTest);
        for (int i = 0; i < ds.test.size(); ++i) {
            const int want = charAt(ds.test.target[size_t(i)], p);
            const auto it = classOf.find(want);
            const bool ok = it != classOf.end() && it->second == predP[size_t(i)];
            majRight += want == majority ? 1 : 0;
            lrRight += ok ? 1 : 0;
            allRight[size_t(i)] &= ok ? 1 : 0;
            ++total;
        }
    }
    for (int v : allRight) {
        lrExact += v;
    }
    datesMajorityTok_ = double(majRight) / total;
    datesLrTok_ = double(lrRight) / total;
    datesLrExact_ = double(lrExact) / ds.test.size();
    qInfo("baselines (test): fortunes majority %.3f, bag-of-chars LR %.3f | dates majority token "
          "acc %.3f, LR token acc %.3f, LR exact %.3f",
        fortunesMajority_, fortunesLr_, datesMajorityTok_, datesLrTok_, datesLrExact_);
}

void TrainerLearning::fortunesBeatsBaselines_data()
{
    QTest::addColumn<int>("seed");
    // 7 is the fixtures' seed; 12 and 14 were the two worst seeds of the old recipe.
    for (int seed : seedsOr7({7, 12, 14})) {
        QTest::addRow("seed %d", seed) << seed;
    }
}

void TrainerLearning::fortunesBeatsBaselines()
{
    QFETCH(int, seed);
    QString err;
    Scenario s = test::smallScenario(ModelFamily::Bert, 2, 2, 2);
    s.model.numClasses = fortunes_.numClasses();
    // 48 subword tokens from 512 byte-pair merges (vocab 73 + 512; datasets/fortunes/README.md).
    s.model.trainer = {kFortunesDims.dModel, kFortunesDims.heads, kFortunesDims.dFf,
        kFortunesDims.seqLen, tokenizer::kVocabNeeded + kFortunesMerges};
    s.training.batchSize = 32;
    s.training.learningRate = 3e-3;
    s.training.weightDecay = 0.1;
    s.training.threads = 2;
    s.training.seed = std::uint64_t(seed);

    QElapsedTimer timer;
    timer.start();
    FederatedTrainer t;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    const int rounds = reducedMode() ? kReducedFortunesRounds : kFortunesRounds;
    for (int r = 0; r < rounds; ++r) {
        t.setLearningRate(fortunesRate(s.training.learningRate, r, rounds));
        QVERIFY2(train(t, s, 1, &err), qPrintable(err));
    }
    const EvalResult e = t.evaluate(true);
    qInfo("fortunes seed %d, test (%d samples): model %.3f (loss %.3f, %d rounds, %.1f s) | "
          "majority %.3f | bag-of-chars LR %.3f",
        seed, e.samples, e.accuracy, e.loss, rounds, timer.elapsed() / 1000.0, fortunesMajority_,
        fortunesLr_);
    if (reducedMode()) {
        QVERIFY2(e.accuracy >= fortunesMajority_ + kReducedFortunesMargin,
            qPrintable(QStringLiteral("model %1 vs majority %2 + %3")
                           .arg(e.accuracy)
                           .arg(fortunesMajority_)
                           .arg(kReducedFortunesMargin)));
        return;
    }
    QVERIFY(e.accuracy >= fortunesMajority_ + kFortunesMargin);
    QVERIFY2(e.accuracy >= fortunesLr_ + kFortunesMargin,
        qPrintable(
            QStringLiteral("model %1 vs bag-of-chars LR %2").arg(e.accuracy).arg(fortunesLr_)));
}

void TrainerLearning::datesBeatsBaselines_data()
{
    QTest::addColumn<int>("seed");
    // 10 and 11 stalled below the LR with the old 250 rounds.
    for (int seed : seedsOr7({7, 10, 11})) {
        QTest::addRow("seed %d", seed) << seed;
    }
}

void TrainerLearning::datesBeatsBaselines()
{
    QFETCH(int, seed);
    QString err;
    Scenario s = test::smallScenario(ModelFamily::Transformer, 2, 2, 2);
    s.model.trainer = {32, 4, 64, 32, 80};
    s.model.decoderBlocks = 1;
    s.training.batchSize = 32;
    s.training.learningRate = 5e-3;
    s.training.threads = 2;
    s.training.seed = std::uint64_t(seed);

    QElapsedTimer timer;
    timer.start();
    FederatedTrainer t;
    QVERIFY2(t.init(s, &err), qPrintable(err));
    const int rounds = reducedMode() ? kReducedDatesRounds : kDatesRounds;
    QVERIFY2(train(t, s, rounds, &err), qPrintable(err));
    const EvalResult e = t.evaluate(true);
    qInfo("dates seed %d, test (%d samples): model token acc %.3f, exact %.3f (loss %.3f, %d "
          "rounds, %.1f s) | majority token acc %.3f | bag-of-chars LR token acc %.3f, exact %.3f",
        seed, e.samples, e.tokenAccuracy, e.exactMatch, e.loss, rounds, timer.elapsed() / 1000.0,
        datesMajorityTok_, datesLrTok_, datesLrExact_);
    if (reducedMode()) {
        QVERIFY2(e.tokenAccuracy >= datesMajorityTok_ + kReducedDatesMargin,
            qPrintable(QStringLiteral("model token acc %1 vs majority %2 + %3")
                           .arg(e.tokenAccuracy)
                           .arg(datesMajorityTok_)
                           .arg(kReducedDatesMargin)));
        return;
    }
    QVERIFY(e.tokenAccuracy >= std::max(datesMajorityTok_, datesLrTok_) + kDatesMargin);
    QVERIFY(e.exactMatch >= datesLrExact_ + kDatesMargin);
}

QTEST_GUILESS_MAIN(TrainerLearning)
#include "tst_trainer_learning.moc"
