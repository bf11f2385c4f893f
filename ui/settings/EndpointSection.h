#pragma once

#include "observability/MetricsTypes.h"
#include "observability/ObservabilityHealth.h"

#include <QGroupBox>
#include <QMap>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;

namespace chom {

class AppContext;

// One observability endpoint on the Settings page: URL, auth (none / bearer /
// basic, with user and secret fields as needed), CA file, timeout, "Test"
// (a health probe of this endpoint only, showing the response time or the
// error) and "Save" (validation errors inline next to their field; the secret
// written to the SecretStore on a worker, never to QSettings).
class EndpointSection : public QGroupBox
{
    Q_OBJECT
public:
    EndpointSection(AppContext& ctx, metrics::EndpointConfig::Kind kind, QNetworkAccessManager* nam,
                    QWidget* parent = nullptr);

    metrics::EndpointConfig::Kind kind() const { return m_kind; }
    // The config as entered (secret = the field: empty keeps the stored one).
    metrics::EndpointConfig config() const;
    void reload(); // from QSettings (the secret is not read)
    // Validates and saves; false when validation failed (errors shown inline).
    // The result of a secret write arrives later through saved()/message().
    bool save();
    void test();
    bool isBusy() const { return m_saving || m_testing; }
    metrics::ObservabilityHealth& health() { return *m_health; }

Q_SIGNALS:
    void message(const QString& text, bool isError);
    void saved(metrics::EndpointConfig::Kind kind);
    void tested(const metrics::EndpointHealth& result);

private:
    QLabel* addErrorLabel(const QString& field);
    void showErrors(const QMap<QString, QString>& errors);
    void updateAuthFields();
    void chooseCaFile();
    void finishSave(const QString& error);
    void probe(const metrics::EndpointConfig& config);

    AppContext& m_ctx;
    metrics::EndpointConfig::Kind m_kind;
    metrics::ObservabilityHealth* m_health;
    QLineEdit* m_url;
    QComboBox* m_auth;
    QLineEdit* m_user;
    QLineEdit* m_secret;
    QLineEdit* m_caFile;
    QSpinBox* m_timeout;
    QPushButton* m_test;
    QPushButton* m_save;
    QLabel* m_result;
    QLabel* m_userLabel;
    QLabel* m_secretLabel;
    QMap<QString, QLabel*> m_errors; // field -> inline error label
    bool m_saving = false;
    bool m_testing = false;
};

} // namespace chom
