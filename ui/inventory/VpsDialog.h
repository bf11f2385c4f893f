#pragma once

#include "Domain.h"
#include "ui/widgets/FormDialog.h"

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace chom {

class AppContext;

// Add or edit a VPS: connection (host name, IP, SSH port and user), where it
// runs (provider, region), its size and lifecycle status.
class VpsDialog : public FormDialog
{
    Q_OBJECT
public:
    VpsDialog(AppContext& ctx, std::optional<Vps> existing, QWidget* parent = nullptr);

Q_SIGNALS:
    void saved(const QString& hostname);

protected:
    bool validate() override;
    void save() override;

private:
    Vps collect() const;

    AppContext& m_ctx;
    std::optional<Vps> m_existing;
    QLineEdit* m_host;
    QLineEdit* m_ip;
    QLineEdit* m_port;
    QLineEdit* m_user;
    QComboBox* m_provider;
    QLineEdit* m_region;
    QSpinBox* m_cpu;
    QSpinBox* m_ram;
    QSpinBox* m_disk;
    QComboBox* m_status;
    QLabel* m_hostError;
    QLabel* m_ipError;
    QLabel* m_portError;
    QLabel* m_userError;
};

} // namespace chom
