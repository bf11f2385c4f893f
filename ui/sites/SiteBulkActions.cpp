#include "ui/sites/SiteBulkActions.h"

#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "fleet/FleetService.h"
#include "runtime/Runtime.h"
#include "ui/shell/AppContext.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace chom {

namespace {

QString actionLabel(SiteBulk::Action a)
{
    switch (a) {
    case SiteBulk::Action::Enable:
        return SiteBulkActions::tr("Enable");
    case SiteBulk::Action::Disable:
        return SiteBulkActions::tr("Disable");
    case SiteBulk::Action::SslRenew:
        return SiteBulkActions::tr("Renew SSL");
    case SiteBulk::Action::CacheClear:
        return SiteBulkActions::tr("Clear cache");
    case SiteBulk::Action::Php:
        break;
    }
    return SiteBulkActions::tr("Change PHP");
}

} // namespace

SiteBulkActions::SiteBulkActions(AppContext& ctx, QWidget* parent)
    : QObject(parent), m_ctx(ctx), m_parent(parent)
{
}

bool SiteBulkActions::popupForSelection(const QTableView* view, const SiteFilterProxy& proxy,
                                        const SiteTableModel& model, const QPoint& pos)
{
    const QModelIndex at = view->indexAt(pos);
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    if (rows.size() < 2 || !view->selectionModel()->isRowSelected(at.row(), at.parent()))
        return false;
    QVector<Site> sites;
    for (const QModelIndex& r : rows)
        sites << model.rowAt(proxy.mapToSource(r).row());
    popup(view->viewport()->mapToGlobal(pos), sites);
    return true;
}

void SiteBulkActions::popup(const QPoint& globalPos, const QVector<Site>& sites)
{
    // popup(), not exec(): no nested event loop.
    auto* menu = new QMenu(m_parent);
    menu->setObjectName(QStringLiteral("siteBulkMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    addTo(menu, sites);
    menu->addSeparator();
    menu->addAction(tr("Copy domains"), this, [sites] {
        QStringList domains;
        for (const Site& s : sites)
            domains << s.domain;
        QGuiApplication::clipboard()->setText(domains.join(QLatin1Char('\n')));
    });
    menu->popup(globalPos);
}

void SiteBulkActions::addTo(QMenu* menu, const QVector<Site>& sites)
{
    int placed = 0, php = 0, ssl = 0;
    for (const Site& s : sites) {
        placed += s.vpsId != 0;
        php += s.vpsId != 0 && s.type != SiteType::Html;
        ssl += s.vpsId != 0 && s.sslEnabled;
    }
    menu->addSection(tr("%n selected site(s)", nullptr, int(sites.size())));
    const auto add = [&](const QString& text, const QString& name, int count, auto&& slot) {
        QAction* a = menu->addAction(text, this, slot);
        a->setObjectName(name);
        a->setEnabled(count > 0);
        return a;
    };
    add(tr("Enable on their VPS"), QStringLiteral("bulkEnable"), placed,
        [this, sites] { run(SiteBulk::Action::Enable, sites); });
    add(tr("Disable on their VPS…"), QStringLiteral("bulkDisable"), placed,
        [this, sites] { confirmDisable(sites); });
    add(tr("Renew SSL certificates"), QStringLiteral("bulkSslRenew"), ssl,
        [this, sites] { run(SiteBulk::Action::SslRenew, sites); });
    add(tr("Clear caches"), QStringLiteral("bulkCacheClear"), placed,
        [this, sites] { run(SiteBulk::Action::CacheClear, sites); });
    add(tr("Change PHP version…"), QStringLiteral("bulkPhp"), php,
        [this, sites] { askPhp(sites); });
}

// Unplaced sites are left out (nothing to act on); for SSL, the sites
// without it; for PHP, the static ones. What is left runs as one operation.
void SiteBulkActions::run(SiteBulk::Action action, const QVector<Site>& sites, const QString& php)
{
    SiteBulk::Request r;
    r.action = action;
    r.php = php;
    int skipped = 0;
    for (const Site& s : sites) {
        const bool fits = s.vpsId != 0 && (action != SiteBulk::Action::SslRenew || s.sslEnabled) &&
                          (action != SiteBulk::Action::Php || s.type != SiteType::Html);
        if (fits)
            r.siteIds << s.id;
        else
            ++skipped;
    }
    QString what = tr("%1 on %n site(s)", nullptr, int(r.siteIds.size())).arg(actionLabel(action));
    if (skipped)
        what += tr(" (%n left out: not placed, or the action does not apply)", nullptr, skipped);
    start(r, what);
}

void SiteBulkActions::confirmDisable(const QVector<Site>& sites)
{
    // open(), not exec(): no nested event loop.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Disable sites"),
                                tr("Stop serving %n site(s)? Their files, databases and "
                                   "certificates stay; Enable serves them again.",
                                   nullptr, int(sites.size())),
                                QMessageBox::Cancel, m_parent);
    box->setObjectName(QStringLiteral("bulkDisableConfirm"));
    box->addButton(tr("Disable"), QMessageBox::AcceptRole)
        ->setObjectName(QStringLiteral("bulkDisableAccept"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this,
            [this, sites] { run(SiteBulk::Action::Disable, sites); });
    box->open();
}

void SiteBulkActions::askPhp(const QVector<Site>& sites)
{
    auto* dialog = new QInputDialog(m_parent);
    dialog->setObjectName(QStringLiteral("bulkPhpDialog"));
    dialog->setWindowTitle(tr("Change PHP version"));
    dialog->setLabelText(tr("Move the selected PHP sites to PHP:"));
    dialog->setComboBoxItems(supportedPhpVersions());
    dialog->setTextValue(QStringLiteral("8.3"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this, sites](const QString& v) { run(SiteBulk::Action::Php, sites, v); });
    dialog->open();
}

void SiteBulkActions::start(const SiteBulk::Request& request, const QString& what)
{
    if (request.siteIds.isEmpty()) {
        Q_EMIT notice(tr("Nothing to do: %1.").arg(what), Page::Notice::Error);
        return;
    }
    m_ctx.startOperation(
        this,
        [rt = &m_ctx.runtime(), request](FleetService&) -> Result<Id> {
            SiteBulk* bulk = rt->bulk();
            if (!bulk)
                return Runtime::noFleet();
            return bulk->start(request);
        },
        [this, what](Result<Id> op) {
            if (!op) {
                Q_EMIT notice(tr("%1: %2").arg(what, op.errorMessage()), Page::Notice::Error);
                return;
            }
            Q_EMIT notice(tr("%1: operation #%2 started.").arg(what).arg(op.value()),
                          Page::Notice::Info);
            Q_EMIT operationRequested(op.value());
        });
}

} // namespace chom
