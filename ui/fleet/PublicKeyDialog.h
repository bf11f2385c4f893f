#pragma once

#include <QDialog>

namespace chom {

// Shows a public key read-only with a Copy button (to paste into a server's
// authorized_keys or a provider's console).
class PublicKeyDialog : public QDialog
{
    Q_OBJECT
public:
    PublicKeyDialog(const QString& publicKey, const QString& path, QWidget* parent = nullptr);
};

} // namespace chom
