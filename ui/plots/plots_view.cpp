// SPDX-License-Identifier: MIT
#include "ui/plots/plots_view.h"

#include "core/scenario/scenario.h"
#include "ui/export/plot_export.h"
#include "ui/plots/cluster_pick.h"
#include "ui/plots/energy_plot.h"
#include "ui/plots/latency_plot.h"
#include "ui/plots/loss_plot.h"
#include "ui/plots/memory_plot.h"
#include "ui/plots/plot_hub.h"
#include "ui/plots/queue_plot.h"

#include <QActionGroup>
#include <QComboBox>
#include <QCompleter>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QStringListModel>
#include <QVBoxLayout>

namespace collapipe {

namespace plots_view {

/// The y-axis scale entries of a panel that offers a log axis (energy): automatic, linear, log.
void addValueScaleActions(RoundPlot *plot, QMenu *menu)
{
    if (!plot->offersLogScale()) {
        return;
    }
    QMenu *scale = menu->addMenu(QObject::tr("y axis"));
    auto *group = new QActionGroup(scale);
    const std::pair<RoundPlot::ValueScale, QString> choices[]
        = {{RoundPlot::ValueScale::Auto,
               QObject::tr("Automatic (log when max > %1 × min)").arg(RoundPlot::kLogSpanRatio)},
            {RoundPlot::ValueScale::Linear, QObject::tr("Linear")},
            {RoundPlot::ValueScale::Log, QObject::tr("Logarithmic")}};
    for (const auto &[value, text] : choices) {
        QAction *action = scale->addAction(text);
        action->setCheckable(true);
        action->setChecked(plot->valueScale() == value);
        group->addAction(action);
        QObject::connect(
            action, &QAction::triggered, plot, [plot, value] { plot->setValueScale(value); });
    }
}

/// The bar's usage hint: the longest of its forms that fits the room it gets (the full text
/// at 1600 px, shorter ones at 1280 px, "tips (hover)" at the least), never cut; the full
/// text is always the tooltip.
class FittingHint : public QLabel
{
public:
    explicit FittingHint(QStringList forms, QWidget *parent = nullptr)
        : QLabel(parent)
        , m_forms(std::move(forms))
    {
        setToolTip(m_forms.front());
        setText(m_forms.back());
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        const int room = contentsRect().width();
        const QFontMetrics metrics(font());
        QString shown = m_forms.back();
        for (const QString &form : m_forms) {
            if (metrics.horizontalAdvance(form) <= room) {
                shown = form;
                break;
            }
        }
        if (shown != text()) {
            setText(shown);
        }
    }

private:
    QStringList m_forms;
};

} // namespace plots_view

using plots_view::addValueScaleActions;

PlotsView::~PlotsView()
{
    // Shown as a window of its own (a floating dock, a test), this widget's window is closed by
    // ~QWidget, after this destructor: the focused line edit then emits editingFinished into a
    // half-destroyed object (UBSan: a downcast to a type the object no longer has). Cut the
    // line edits' connections to this first.
    m_pick->disconnect(this);
}

PlotsView::PlotsView(QWidget *parent)
    : QWidget(parent)
    , m_hub(new PlotHub(this))
    , m_queue(new QueuePlot)
    , m_latency(new LatencyPlot)
    , m_memory(new MemoryPlot)
    , m_loss(new LossPlot)
    , m_energy(new EnergyPlot)
    , m_axis(new QComboBox)
    , m_pick(new QLineEdit)
    , m_pickError(new QLabel)
    , m_clusterIds(new QStringListModel(this))
{
    m_axis->addItem(tr("round"), static_cast<int>(XAxisMode::Round));
    m_axis->addItem(tr("simulated time"), static_cast<int>(XAxisMode::SimTime));
    m_axis->setToolTip(tr("x axis of every panel: round index t or the simulated clock (s)"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("x axis:")));
    bar->addWidget(m_axis);
    m_pick->setObjectName(QStringLiteral("plotClusterPick"));
    m_pick->setPlaceholderText(tr("devices of clusters…"));
    m_pick->setClearButtonEnabled(true);
    m_pick->setMaximumWidth(180);
    m_pick->setToolTip(tr("Many devices: energy, queue and memory panels draw the mean, the max "
                          "and the min–max band of all devices. Clusters typed here add a line "
                          "per device of those clusters: ids, numbers and ranges, e.g. "
                          "\"c1..c4, c8\" or \"1-5, 8\"."));
    auto *completer = new QCompleter(m_clusterIds, m_pick);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_pick->setCompleter(completer);
    m_pick->setEnabled(false);
    connect(m_pick, &QLineEdit::editingFinished, this, [this] { pickClusters(m_pick->text()); });
    bar->addWidget(m_pick);
    m_pickError->setObjectName(QStringLiteral("plotClusterPickError"));
    m_pickError->setStyleSheet(QStringLiteral("color: #b00020"));
    m_pickError->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_pickError->hide();
    bar->addWidget(m_pickError, 2);
    auto *hint = new plots_view::FittingHint(
        {tr("click or drag a plot to select a round · wheel zooms · double-click follows the "
            "data · right-click exports (energy: log y)"),
            tr("click: round · wheel: zoom · right-click: export · more on hover"),
            tr("click: round · wheel: zoom · hover: more"), tr("click: round · hover: more"),
            tr("tips")});
    hint->setObjectName(QStringLiteral("plotsHint"));
    hint->setStyleSheet(QStringLiteral("color: gray"));
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the dock
    bar->addWidget(hint, 1);

    auto *grid = new QGridLayout;
    grid->setSpacing(2);
    grid->addWidget(m_latency, 0, 0);
    grid->addWidget(m_queue, 0, 1);
    grid->addWidget(m_memory, 1, 0);
    grid->addWidget(m_energy, 1, 1);
    grid->addWidget(m_loss, 2, 0, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    for (RoundPlot *p : panels()) {
        m_hub->addPanel(p);
        installPlotExportMenu(p, [p](QMenu *menu) { addValueScaleActions(p, menu); });
    }
    connect(m_hub, &PlotHub::scenarioChanged, this, [this](const Scenario &scenario) {
        QStringList ids;
        for (const Cluster &c : scenario.topology.clusters) {
            ids << c.id;
        }
        m_clusterIds->setStringList(ids);
        m_pick->setEnabled(m_energy->aggregatesDevices());
        m_pick->clear(); // setScenario() dropped the picked series
        m_pickError->hide();
    });
    connect(m_axis, &QComboBox::currentIndexChanged, this,
        [this] { m_hub->setXAxisMode(static_cast<XAxisMode>(m_axis->currentData().toInt())); });
}

int PlotsView::pickClusters(const QString &text)
{
    if (m_pick->text() != text) {
        m_pick->setText(text); // the bar shows what is picked when the pick comes from elsewhere
    }
    const ClusterPick pick = parseClusterPick(text, m_clusterIds->stringList());
    m_pickError->setText(pick.error);
    m_pickError->setToolTip(pick.error);
    m_pickError->setVisible(!pick.ok());
    if (!pick.ok()) {
        return -1; // the panels keep the last pick that could be read
    }
    const QSet<int> &picked = pick.clusters;
    for (RoundPlot *p : {static_cast<RoundPlot *>(m_energy), static_cast<RoundPlot *>(m_queue),
             static_cast<RoundPlot *>(m_memory)}) {
        p->setPickedClusters(picked, &m_hub->history().records());
    }
    return static_cast<int>(picked.size());
}

QString PlotsView::pickError() const
{
    return m_pickError->isHidden() ? QString() : m_pickError->text();
}

QList<RoundPlot *> PlotsView::panels() const
{
    return {m_latency, m_queue, m_memory, m_energy, m_loss};
}

} // namespace collapipe
