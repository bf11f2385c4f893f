#pragma once

#include "base/Async.h"
#include "sites/CoherencyFindingModel.h"
#include "sites/SiteCoherency.h"
#include "ui/widgets/TablePage.h"

class QLabel;
class QPushButton;

namespace chom {

// The coherency report: what the last check found on each VPS (sites
// missing or unknown, served while disabled, drifted configs, missing users
// and databases, certificates, orphans), the hosts it could not check, a
// "Check now", and the one repair it offers: re-render the drifted configs
// after confirmation. Everything else is for review; nothing is deleted.
class CoherencyPage : public TablePage
{
    Q_OBJECT
public:
    explicit CoherencyPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Coherency"); }
    void refresh() override;
    void checkNow();
    // Asks for confirmation, then re-renders the selected findings' sites
    // (all the re-renderable ones when none is selected).
    void healDrifted();

    CoherencyFindingModel* model() { return &m_model; }
    const CoherencyReport& report() const { return m_report; }

Q_SIGNALS:
    void reportLoaded();

protected:
    void load() override { refresh(); }
    void onSelectionChanged() override;

private:
    void showReport(CoherencyReport r);
    QVector<Id> healTargets(QStringList* domains);
    void startHeal(const QVector<Id>& sites);

    CoherencyFindingModel m_model;
    CoherencyReport m_report;
    QPushButton* m_check;
    QPushButton* m_heal;
    QLabel* m_summary;
    async::SingleFlight m_refresh;
};

} // namespace chom
