#include "ui/shell/DemoSeeder.h"

#include "inventory/Core.h"
#include "store/DemoData.h"
#include "ui/shell/AppContext.h"

#include <QLocale>

namespace chom {
namespace {

struct SeedResult
{
    bool ok = false;
    bool generated = false;
    QString message;
};

} // namespace

DemoSeeder::DemoSeeder(AppContext& ctx, QObject* parent) : QObject(parent), m_ctx(ctx)
{
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &DemoSeeder::poll);
}

void DemoSeeder::start(int siteCount)
{
    m_siteCount = siteCount;
    m_phase = std::make_shared<std::atomic<int>>(0);
    m_clock.start();
    m_poll.start();
    m_ctx.run<SeedResult>(
        this,
        [phase = m_phase, siteCount](Core& c) {
            SeedResult r;
            auto fill = DemoData(c.store()).fillIfEmpty(siteCount, [&phase] { phase->store(1); });
            if (!fill) {
                r.message = fill.errorMessage();
            } else if (!fill->seeded) {
                r.ok = true;
                r.message = QObject::tr("The store already holds data; --demo left it unchanged.");
            } else {
                const DemoSummary& sum = fill->summary;
                r.ok = r.generated = true;
                const QLocale loc;
                r.message = QObject::tr("Demo data ready: %1 sites, %2 tenants, %3 servers.")
                                .arg(loc.toString(sum.sites), loc.toString(sum.tenants),
                                     loc.toString(sum.vps));
                c.notifier().notify(ChangeNotifier::Entity::All);
            }
            phase->store(2);
            return r;
        },
        [this](SeedResult r) {
            m_poll.stop();
            Q_EMIT finished(r.ok, r.message);
        });
}

void DemoSeeder::poll()
{
    if (!m_phase || m_phase->load() != 1)
        return;
    Q_EMIT progress(tr("Generating demo data: %1 sites… %2 s")
                        .arg(QLocale().toString(m_siteCount))
                        .arg(m_clock.elapsed() / 1000));
}

} // namespace chom
