#include "ui/fleet/PublicKeyDialog.h"
#include "ui/widgets/PlainLabel.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chom {

PublicKeyDialog::PublicKeyDialog(const QString& publicKey, const QString& path, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("publicKeyDialog"));
    setWindowTitle(tr("Public key"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto* col = new QVBoxLayout(this);
    auto* label =
        plainLabel(tr("Add this key to ~/.ssh/authorized_keys on each server.\n%1").arg(path));
    label->setWordWrap(true);
    col->addWidget(label);
    auto* text = new QPlainTextEdit(publicKey.trimmed());
    text->setObjectName(QStringLiteral("publicKeyText"));
    text->setReadOnly(true);
    text->setMinimumWidth(520);
    col->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyKeyButton"));
    connect(copy, &QPushButton::clicked, this,
            [publicKey] { QApplication::clipboard()->setText(publicKey.trimmed()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    col->addWidget(buttons);
}

} // namespace chom
