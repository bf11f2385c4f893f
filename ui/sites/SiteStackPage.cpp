#include "ui/sites/SiteStackPage.h"

#include "ui/widgets/PlainLabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace chom {

SiteStackPage::SiteStackPage(QWidget* parent)
    : QWizardPage(parent), m_type(new QComboBox), m_php(new QComboBox), m_phpNote(plainLabel()),
      m_ssl(new QCheckBox(tr("Serve the site over HTTPS (SSL certificate)")))
{
    setObjectName(QStringLiteral("stackPage"));
    setTitle(tr("Type and PHP"));
    setSubTitle(tr("What the server sets up for the site."));
    m_type->setObjectName(QStringLiteral("typeCombo"));
    for (SiteType t : {SiteType::Html, SiteType::Php, SiteType::WordPress, SiteType::Laravel})
        m_type->addItem(typeLabel(t), toString(t));
    m_type->setCurrentIndex(m_type->findData(toString(SiteType::WordPress)));
    m_php->setObjectName(QStringLiteral("phpCombo"));
    m_php->addItems(supportedPhpVersions());
    m_php->setCurrentText(QStringLiteral("8.2"));
    m_phpNote->setObjectName(QStringLiteral("phpNote"));
    m_phpNote->setProperty("role", QStringLiteral("fieldHint"));
    m_phpNote->setWordWrap(true);
    m_ssl->setObjectName(QStringLiteral("sslCheck"));
    m_ssl->setChecked(true);

    auto* form = new QFormLayout;
    form->addRow(tr("T&ype:"), m_type);
    form->addRow(tr("&PHP version:"), m_php);
    form->addRow(QString(), m_phpNote);
    form->addRow(QString(), m_ssl);
    auto* col = new QVBoxLayout(this);
    col->addLayout(form);
    col->addStretch(1);
    connect(m_type, &QComboBox::currentIndexChanged, this, &SiteStackPage::onTypeChanged);
    onTypeChanged();
}

QString SiteStackPage::typeLabel(SiteType t)
{
    switch (t) {
    case SiteType::Html:
        return tr("HTML (static files)");
    case SiteType::Php:
        return tr("PHP");
    case SiteType::WordPress:
        return tr("WordPress");
    case SiteType::Laravel:
        return tr("Laravel");
    }
    return toString(t);
}

void SiteStackPage::onTypeChanged()
{
    const bool html = type() == SiteType::Html;
    m_php->setEnabled(!html);
    m_phpNote->setText(html ? tr("An HTML site runs no PHP.")
                            : tr("The server refuses a PHP version it does not have installed "
                                 "and names the ones it has."));
}

SiteType SiteStackPage::type() const
{
    return siteTypeFromString(m_type->currentData().toString()).value_or(SiteType::WordPress);
}

QString SiteStackPage::phpVersion() const
{
    return m_php->currentText();
}

bool SiteStackPage::sslEnabled() const
{
    return m_ssl->isChecked();
}

} // namespace chom
