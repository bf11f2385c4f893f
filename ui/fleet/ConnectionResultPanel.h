#pragma once

#include "fleet/FleetService.h"

#include <QFrame>
#include <QHash>

class QVBoxLayout;

namespace chom {

class AppContext;

// Non-modal "Test connection" results, one banner per host: the category in
// words and the message; for an unknown host key the fingerprint and "Trust
// this key"; for a changed one both fingerprints and "Replace trusted key…"
// (confirmed by typing the hostname). Trusting runs off the GUI thread and
// accepts exactly the key the banner showed: if the server presents another
// one by then, nothing is trusted.
class ConnectionResultPanel : public QFrame
{
    Q_OBJECT
public:
    explicit ConnectionResultPanel(AppContext& ctx, QWidget* parent = nullptr);

    void showResult(const ConnectionTest& result);
    void showPending(Id vpsId, const QString& hostname);
    // The fingerprint shown for this host's unknown or changed key, or empty.
    QString shownFingerprint(Id vpsId) const { return m_shown.value(vpsId); }
    void trust(Id vpsId); // the shown key; nothing without one
    void confirmReplace(Id vpsId);
    static QString categoryText(const QString& category);

Q_SIGNALS:
    // message: the pinned fingerprint when ok, else why nothing was trusted.
    void trusted(chom::Id vpsId, bool ok, const QString& message);

private:
    QFrame* rowFor(Id vpsId);

    AppContext& m_ctx;
    QVBoxLayout* m_rows;
    QHash<Id, QFrame*> m_byHost;
    QHash<Id, QString> m_shown; // fingerprint each banner offers to trust
};

} // namespace chom
