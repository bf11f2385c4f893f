#include "ui/inventory/VpsDialog.h"

#include "inventory/Core.h"
#include "inventory/Validation.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>

namespace chom {

VpsDialog::VpsDialog(AppContext& ctx, std::optional<Vps> existing, QWidget* parent)
    : FormDialog(parent), m_ctx(ctx), m_existing(std::move(existing)), m_host(new QLineEdit),
      m_ip(new QLineEdit), m_port(new QLineEdit), m_user(new QLineEdit), m_provider(new QComboBox),
      m_region(new QLineEdit), m_cpu(new QSpinBox), m_ram(new QSpinBox), m_disk(new QSpinBox),
      m_status(new QComboBox)
{
    setObjectName(QStringLiteral("vpsDialog"));
    setWindowTitle(m_existing ? tr("Edit VPS") : tr("Add VPS"));
    m_host->setObjectName(QStringLiteral("hostnameEdit"));
    m_host->setPlaceholderText(QStringLiteral("web-01.example.net"));
    m_ip->setObjectName(QStringLiteral("ipEdit"));
    m_ip->setPlaceholderText(QStringLiteral("203.0.113.10"));
    m_port->setObjectName(QStringLiteral("portEdit"));
    m_user->setObjectName(QStringLiteral("sshUserEdit"));
    m_provider->setObjectName(QStringLiteral("providerCombo"));
    m_provider->setEditable(true);
    m_provider->addItems({QStringLiteral("hetzner"), QStringLiteral("digitalocean"),
                          QStringLiteral("vultr"), QStringLiteral("linode"), QStringLiteral("ovh"),
                          QStringLiteral("custom")});
    m_region->setObjectName(QStringLiteral("regionEdit"));
    m_region->setMaxLength(50);
    m_region->setPlaceholderText(tr("e.g. fsn1"));
    m_cpu->setObjectName(QStringLiteral("cpuSpin"));
    m_cpu->setRange(1, 128);
    m_cpu->setSuffix(tr(" vCPU"));
    m_ram->setObjectName(QStringLiteral("ramSpin"));
    m_ram->setRange(512, 524288);
    m_ram->setSingleStep(512);
    m_ram->setSuffix(QStringLiteral(" MB"));
    m_disk->setObjectName(QStringLiteral("diskSpin"));
    m_disk->setRange(10, 10000);
    m_disk->setSuffix(QStringLiteral(" GB"));
    m_status->setObjectName(QStringLiteral("statusCombo"));
    m_status->addItems(allVpsStatuses());

    m_hostError = addField(tr("&Host name:"), m_host, QStringLiteral("hostnameError"));
    m_ipError = addField(tr("&IP address:"), m_ip, QStringLiteral("ipError"));
    m_portError = addField(tr("SSH &port:"), m_port, QStringLiteral("portError"));
    m_userError = addField(tr("SSH &user:"), m_user, QStringLiteral("sshUserError"));
    addField(tr("P&rovider:"), m_provider);
    addField(tr("R&egion:"), m_region);
    addField(tr("&CPU:"), m_cpu);
    addField(tr("&Memory:"), m_ram);
    addField(tr("&Disk:"), m_disk);
    addField(tr("&Status:"), m_status);

    const Vps v = m_existing.value_or(Vps{});
    m_host->setText(v.hostname);
    m_ip->setText(v.ipAddress);
    m_port->setText(QString::number(v.sshPort));
    m_user->setText(v.sshUser);
    m_provider->setCurrentText(v.provider);
    m_region->setText(v.region);
    m_cpu->setValue(v.specCpu);
    m_ram->setValue(v.specMemoryMb);
    m_disk->setValue(v.specDiskGb);
    m_status->setCurrentText(toString(v.status));
    finishLayout(m_existing ? tr("Save") : tr("Add VPS"));

    for (QLineEdit* e : {m_host, m_ip, m_port, m_user})
        connect(e, &QLineEdit::textChanged, this, &VpsDialog::revalidate);
    m_host->setFocus();
}

bool VpsDialog::validate()
{
    bool ok = true;
    // Empty fields keep OK disabled without shouting before the operator types.
    const auto check = [&ok](QLineEdit* e, QLabel* err, const QString& message) {
        setMessage(err, e->text().isEmpty() ? QString() : message);
        ok = ok && message.isEmpty() && !e->text().isEmpty();
    };
    const auto host = validation::normalizeHostname(m_host->text());
    QString hostProblem = host.errorMessage();
    if (host) {
        for (const Vps& other : m_ctx.inventory().vpsModel()->rows()) {
            if (other.hostname == host.value() && (!m_existing || other.id != m_existing->id))
                hostProblem = tr("A VPS named %1 already exists.").arg(host.value());
        }
    }
    check(m_host, m_hostError, hostProblem);
    check(m_ip, m_ipError, validation::normalizeIpAddress(m_ip->text()).errorMessage());
    check(m_port, m_portError, validation::validatePortText(m_port->text()).errorMessage());
    // Same rule as VpsService: a POSIX-style login name.
    static const QRegularExpression user(QStringLiteral("^[a-z_][a-z0-9_-]{0,31}$"));
    check(m_user, m_userError,
          user.match(m_user->text()).hasMatch()
              ? QString()
              : tr("\"%1\" is not a valid SSH user name.").arg(m_user->text().left(40)));
    return ok;
}

Vps VpsDialog::collect() const
{
    Vps v = m_existing.value_or(Vps{});
    v.hostname = m_host->text().trimmed();
    v.ipAddress = m_ip->text().trimmed();
    v.sshPort = m_port->text().trimmed().toInt();
    v.sshUser = m_user->text();
    v.provider = m_provider->currentText().trimmed();
    v.region = m_region->text().trimmed();
    v.specCpu = m_cpu->value();
    v.specMemoryMb = m_ram->value();
    v.specDiskGb = m_disk->value();
    v.status = vpsStatusFromString(m_status->currentText()).value_or(VpsStatus::Provisioning);
    return v;
}

void VpsDialog::save()
{
    const Vps v = collect();
    m_ctx.run<Status>(
        this,
        [v, create = !m_existing](Core& c) -> Status {
            if (!create)
                return c.vps().update(v);
            auto id = c.vps().create(v);
            return id ? okStatus() : Status(id.error());
        },
        [this, host = v.hostname](Status st) {
            if (st)
                Q_EMIT saved(host);
            saveFinished(st.errorMessage());
        });
}

} // namespace chom
