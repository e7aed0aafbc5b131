// SPDX-License-Identifier: MIT
// The fp32 element-wise kernels (core/trainer/kernels.*) against double-precision formulas, and
// the gemm entry point against a naive triple loop, on every transpose combination.
#include "core/trainer/gemm.h"
#include "core/trainer/kernels.h"

#include <QTest>

#include <cmath>
#include <random>
#include <vector>

using namespace collapipe;

class TrainerKernels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void expMatchesLibm();
    void geluMatchesDouble();
    void softmaxMatchesDouble();
    void gemmMatchesNaive();
};

void TrainerKernels::expMatchesLibm()
{
    double worst = 0;
    for (double x = -80.0; x <= 80.0; x += 0.0137) {
        const double want = std::exp(double(float(x)));
        const double got = double(kernels::expApprox(float(x)));
        worst = std::max(worst, std::abs(got - want) / want);
    }
    qInfo("exp: max relative error %.3g on [-80, 80]", worst);
    QVERIFY(worst < 5e-7);
    QVERIFY(kernels::expApprox(-1000.0f) < 1e-37f); // clamped, not NaN or negative
    QVERIFY(std::isfinite(kernels::expApprox(1000.0f)));
}

void TrainerKernels::geluMatchesDouble()
{
    std::vector<float> x;
    for (double v = -12.0; v <= 12.0; v += 0.003) {
        x.push_back(float(v));
    }
    x.insert(x.end(), {0.0f, 1e-6f, -1e-6f, 40.0f, -40.0f});
    std::vector<float> dy(x.size(), 1.0f), y(x.size()), dx(x.size());
    kernels::geluForward(x.data(), y.data(), x.size());
    kernels::geluBackward(x.data(), dy.data(), dx.data(), x.size());
    const double k = std::sqrt(2.0 / M_PI);
    double worstY = 0, worstD = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double v = x[i];
        const double t = std::tanh(k * (v + 0.044715 * v * v * v));
        const double wantY = 0.5 * v * (1 + t);
        const double wantD = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);
        // Absolute error scaled by max(1, |x|): GELU(x) ≈ x for large x, ≈ 0 for very negative.
        worstY = std::max(worstY, std::abs(y[i] - wantY) / std::max(1.0, std::abs(v)));
        worstD = std::max(worstD, std::abs(dx[i] - wantD));
    }
    qInfo("gelu: max error forward %.3g, backward %.3g", worstY, worstD);
    QVERIFY(worstY < 1e-6);
    // The derivative's float rounding: 1 − t² cancels near x ≈ −4 and is amplified by
    // 0.5·|x|·du/dx ≈ 9, so ~1e-7 in t becomes ~2e-6 (Eigen's float tanh path does the same).
    QVERIFY(worstD < 5e-6);
}

void TrainerKernels::softmaxMatchesDouble()
{
    std::mt19937 rng(3);
    std::normal_distribution<float> nd(0.0f, 4.0f);
    for (int n : {1, 5, 8, 13, 48, 64, 67}) {
        std::vector<float> p(size_t(n) + 3, 123.0f); // sentinel after the row
        for (int i = 0; i < n; ++i) {
            p[size_t(i)] = nd(rng);
        }
        std::vector<double> want(p.begin(), p.begin() + n);
        const double scale = 0.25;
        double mx = want[0], sum = 0;
        for (double v : want) {
            mx = std::max(mx, v);
        }
        for (double &v : want) {
            v = std::exp((v - mx) * scale);
            sum += v;
        }
        kernels::softmaxRow(p.data(), n, float(scale));
        for (int i = 0; i < n; ++i) {
            QVERIFY2(std::abs(p[size_t(i)] - want[size_t(i)] / sum) < 1e-6,
                qPrintable(QStringLiteral("n %1 i %2").arg(n).arg(i)));
        }
        QCOMPARE(p[size_t(n)], 123.0f);
    }
}

void TrainerKernels::gemmMatchesNaive()
{
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const int m = 7, n = 13, k = 19, ld = 24; // padded rows: leading dimensions ≠ widths
    for (int ta = 0; ta < 2; ++ta) {
        for (int tb = 0; tb < 2; ++tb) {
            std::vector<float> a(size_t(ld) * ld), b(size_t(ld) * ld), c(size_t(ld) * ld);
            for (float *v : {a.data(), b.data(), c.data()}) {
                for (int i = 0; i < ld * ld; ++i) {
                    v[i] = u(rng);
                }
            }
            std::vector<float> c0 = c;
            ops::gemm<float>(ta, tb, m, n, k, 0.5f, a.data(), ld, b.data(), ld, 2.0f, c.data(), ld);
            for (int i = 0; i < ld; ++i) {
                for (int j = 0; j < ld; ++j) {
                    double want = c0[size_t(i * ld + j)];
                    if (i < m && j < n) {
                        double dot = 0;
                        for (int q = 0; q < k; ++q) {
                            const double av = ta ? a[size_t(q * ld + i)] : a[size_t(i * ld + q)];
                            const double bv = tb ? b[size_t(j * ld + q)] : b[size_t(q * ld + j)];
                            dot += av * bv;
                        }
                        want = 2.0 * want + 0.5 * dot;
                    }
                    QVERIFY2(std::abs(c[size_t(i * ld + j)] - want) < 1e-5,
                        qPrintable(
                            QStringLiteral("ta %1 tb %2 (%3,%4)").arg(ta).arg(tb).arg(i).arg(j)));
                }
            }
        }
    }
    qInfo("gemm backend: %s", ops::gemmBackendName());
}

QTEST_GUILESS_MAIN(TrainerKernels)
#include "tst_trainer_kernels.moc"
