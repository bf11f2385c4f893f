#pragma once

#include "Domain.h"

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLabel;

namespace chom {

// Create Site, step 3: what the server runs for the site (type, PHP
// version) and whether it is served over HTTPS.
class SiteStackPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit SiteStackPage(QWidget* parent = nullptr);

    SiteType type() const;
    QString phpVersion() const; // recorded for an HTML site too, unused there
    bool sslEnabled() const;
    static QString typeLabel(SiteType t);

private:
    void onTypeChanged();

    QComboBox* m_type;
    QComboBox* m_php;
    QLabel* m_phpNote;
    QCheckBox* m_ssl;
};

} // namespace chom
