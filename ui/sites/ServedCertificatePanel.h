#pragma once

#include "Domain.h"
#include "sites/ServedCertificate.h"

#include <QGroupBox>
#include <QStringList>

#include <optional>

class QFormLayout;
class QLabel;

namespace chom {

// The "Served certificate" section of the site details: what a TLS probe
// saw for the site's name, set from outside (the panel probes nothing),
// compared with the record: a different expiry, names that do not cover the
// domain, an untrusted or expired certificate are warned about in red.
class ServedCertificatePanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit ServedCertificatePanel(QWidget* parent = nullptr);

    void setRecord(const Site& site); // what the served certificate is compared with
    void setServed(const ServedCertificate& cert);
    QStringList warnings() const { return m_warnings; }
    // "in 12 days", "today", "3 days ago".
    static QString daysLeft(qint64 fromSecs, qint64 toSecs);

private:
    void render();
    QStringList compare(const ServedCertificate& c) const;
    QLabel* addValue(const QString& label, const QString& objectName);

    std::optional<Site> m_site;
    std::optional<ServedCertificate> m_cert;
    QStringList m_warnings;
    QLabel* m_state;
    QWidget* m_details;
    QFormLayout* m_form;
    QLabel* m_issuer;
    QLabel* m_names;
    QLabel* m_from;
    QLabel* m_to;
    QLabel* m_trusted;
    QLabel* m_match;
    QLabel* m_warning;
};

} // namespace chom
