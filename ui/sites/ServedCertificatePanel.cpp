#include "ui/sites/ServedCertificatePanel.h"

#include "RowTableModel.h"
#include "ui/widgets/PlainLabel.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace chom {
namespace {

constexpr qint64 kDay = 24 * 3600;
// A recorded expiry within this of the served one is the same date, rounded.
constexpr qint64 kExpirySlackSecs = 3600;

QString yesNo(bool v)
{
    return v ? QCoreApplication::translate("chom::ServedCertificatePanel", "yes")
             : QCoreApplication::translate("chom::ServedCertificatePanel", "no");
}

} // namespace

ServedCertificatePanel::ServedCertificatePanel(QWidget* parent)
    : QGroupBox(tr("Served certificate"), parent), m_state(plainLabel()), m_details(new QWidget),
      m_form(new QFormLayout(m_details)), m_warning(plainLabel())
{
    setObjectName(QStringLiteral("servedCertificate"));
    m_state->setObjectName(QStringLiteral("certState"));
    m_state->setProperty("role", QStringLiteral("fieldHint"));
    m_state->setWordWrap(true);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_issuer = addValue(tr("Issuer:"), QStringLiteral("certIssuer"));
    m_names = addValue(tr("Names:"), QStringLiteral("certNames"));
    m_from = addValue(tr("Valid from:"), QStringLiteral("certFrom"));
    m_to = addValue(tr("Valid to:"), QStringLiteral("certTo"));
    m_trusted = addValue(tr("Trusted:"), QStringLiteral("certTrusted"));
    m_match = addValue(tr("Names match:"), QStringLiteral("certNamesMatch"));
    m_warning->setObjectName(QStringLiteral("certWarning"));
    m_warning->setProperty("role", QStringLiteral("fieldError"));
    m_warning->setWordWrap(true);
    auto* col = new QVBoxLayout(this);
    col->addWidget(m_state);
    col->addWidget(m_details);
    col->addWidget(m_warning);
    render();
}

QLabel* ServedCertificatePanel::addValue(const QString& label, const QString& objectName)
{
    QLabel* v = plainLabel();
    v->setObjectName(objectName);
    v->setWordWrap(true);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->addRow(label, v);
    return v;
}

void ServedCertificatePanel::setRecord(const Site& site)
{
    m_site = site;
    render();
}

void ServedCertificatePanel::setServed(const ServedCertificate& cert)
{
    m_cert = cert;
    render();
}

QString ServedCertificatePanel::daysLeft(qint64 fromSecs, qint64 toSecs)
{
    const qint64 days = (toSecs - fromSecs) / kDay;
    if (toSecs < fromSecs)
        return tr("expired %1 days ago").arg(qMax<qint64>(1, -days));
    if (days == 0)
        return tr("expires today");
    return tr("%1 days left").arg(days);
}

void ServedCertificatePanel::render()
{
    m_details->setVisible(m_cert && m_cert->reachable);
    if (!m_cert)
        m_state->setText(tr("Not probed yet."));
    else if (!m_cert->reachable)
        m_state->setText(
            tr("No certificate from %1: %2")
                .arg(m_cert->address, m_cert->error.isEmpty() ? m_cert->errorCode : m_cert->error));
    else
        m_state->setText(tr("As served by %1 for %2.").arg(m_cert->address, m_cert->domain));
    m_warnings = m_cert ? compare(*m_cert) : QStringList();
    m_warning->setText(m_warnings.join(QLatin1Char('\n')));
    m_warning->setVisible(!m_warnings.isEmpty());
    if (!m_cert || !m_cert->reachable)
        return;
    const ServedCertificate& c = *m_cert;
    m_issuer->setText(c.issuer);
    m_names->setText(c.names.join(QStringLiteral(", ")));
    m_from->setText(formatTime(c.notBefore.toSecsSinceEpoch()));
    m_to->setText(tr("%1 (%2)").arg(
        formatTime(c.notAfter.toSecsSinceEpoch()),
        daysLeft(QDateTime::currentSecsSinceEpoch(), c.notAfter.toSecsSinceEpoch())));
    m_trusted->setText(yesNo(c.trusted));
    m_match->setText(yesNo(c.namesMatch));
}

QStringList ServedCertificatePanel::compare(const ServedCertificate& c) const
{
    if (!c.reachable)
        return m_site && m_site->sslEnabled
                   ? QStringList{tr("SSL is on for the site, but no certificate could be read.")}
                   : QStringList();
    QStringList out;
    const qint64 served = c.notAfter.toSecsSinceEpoch();
    if (!c.namesMatch)
        out << tr("The served certificate does not cover %1 (it names %2).")
                   .arg(m_site ? m_site->domain : c.domain, c.names.join(QStringLiteral(", ")));
    if (served < QDateTime::currentSecsSinceEpoch())
        out << tr("The served certificate has expired.");
    if (!c.trusted)
        out << tr("The served certificate is not trusted: its chain does not verify.");
    if (m_site && !m_site->sslEnabled)
        out << tr("SSL is off in the record, but the server serves a certificate.");
    else if (m_site && !m_site->sslExpiresAt)
        out << tr("The record has no SSL expiry; the served certificate expires %1.")
                   .arg(formatDate(served));
    else if (m_site && qAbs(m_site->sslExpiresAt - served) > kExpirySlackSecs)
        out << tr("The served certificate expires %1, but the record says %2.")
                   .arg(formatTime(served), formatTime(m_site->sslExpiresAt));
    return out;
}

} // namespace chom
