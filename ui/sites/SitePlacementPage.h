#pragma once

#include "Domain.h"
#include "base/Async.h"
#include "base/Result.h"

#include <QWizardPage>

#include <optional>

class QLabel;
class QListWidget;
class QRadioButton;

namespace chom {

class AppContext;

// Create Site, step 4: which VPS. Automatic placement shows the VPS it
// would choose now (chooseVps over the stored fleet, on the store thread:
// fewest sites per CPU; the provision step chooses again when it runs); or
// one picked by hand among the active ones, with their site counts.
class SitePlacementPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit SitePlacementPage(AppContext& ctx, QWidget* parent = nullptr);

    bool isAutomatic() const;
    Id chosenVpsId() const; // 0 = automatic placement
    // What the summary says: "Automatic (now web-1)" or the host name.
    QString describe() const;
    bool isComplete() const override;
    void initializePage() override;

private:
    void fillServers();
    void refreshAutomatic();
    void update();

    AppContext& m_ctx;
    QRadioButton* m_auto;
    QRadioButton* m_manual;
    QLabel* m_autoLabel;
    QListWidget* m_list;
    std::optional<Result<Vps>> m_wouldChoose; // empty while it is worked out
    async::SingleFlight m_choosing;
};

} // namespace chom
