#pragma once

#include "InventoryModels.h"
#include "base/Async.h"
#include "ui/widgets/TablePage.h"

#include <QTimer>

class QComboBox;
class QPushButton;

namespace chom {

class OperationDetailPane;

// Running, queued, finished and failed operations (newest first) with
// progress bars, a status filter, the selected one's steps and live output,
// Cancel (while it runs) and Retry (failed or interrupted fleet operations).
class OperationsPage : public TablePage
{
    Q_OBJECT
public:
    static constexpr int kLimit = 500;

    explicit OperationsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Operations"); }
    void refresh() override;
    void cancelSelected();
    void retrySelected();
    void setStatusFilter(const QString& status); // empty = all
    // Selects the operation (its steps and output below) once it is listed.
    void revealOperation(Id id);
    OperationDetailPane* detail() const { return m_detail; }

protected:
    void load() override { refresh(); }
    void onSelectionChanged() override;

private:
    void applyFilter();
    std::optional<Operation> selectedOperation() const;
    bool retryable(const Operation& op);

    OperationTableModel m_model;
    QVector<Operation> m_all;
    QString m_status;
    Id m_reveal = 0; // to select when the journal next lists it
    QComboBox* m_filterBox;
    QPushButton* m_cancel;
    QPushButton* m_retry;
    OperationDetailPane* m_detail;
    QTimer m_coalesce;
    async::SingleFlight m_refresh;
};

} // namespace chom
