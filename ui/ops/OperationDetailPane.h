#pragma once

#include "Domain.h"

#include <QHash>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace chom {

class AppContext;

// The selected operation: its steps (status, error, duration) from the
// journal and its live output from OperationRunner::logLine, appended in
// batches every 50 ms and capped at 5000 lines.
class OperationDetailPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxLines = 5000;

    explicit OperationDetailPane(AppContext& ctx, QWidget* parent = nullptr);

    void showOperation(const std::optional<Operation>& op);
    void reloadSteps();
    Id operationId() const { return m_opId; }
    QTableWidget* steps() const { return m_steps; }
    QPlainTextEdit* output() const { return m_output; }
    QVector<Operation> stepRows() const { return m_stepRows; }

private:
    void onLogLine(Id opId, const QString& line);
    void flush();

    AppContext& m_ctx;
    QLabel* m_title;
    QTableWidget* m_steps;
    QPlainTextEdit* m_output;
    QTimer m_flush;
    QTimer m_stepsTimer;
    Id m_opId = 0;
    bool m_stepsBusy = false;
    QVector<Operation> m_stepRows;
    QHash<Id, QStringList> m_logs; // every operation seen this session, capped
    QStringList m_pending;         // lines of the shown operation not yet appended
};

} // namespace chom
