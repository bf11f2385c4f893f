#pragma once

#include "Domain.h"
#include "ui/widgets/Page.h"

#include <QSortFilterProxyModel>

#include <initializer_list>

class QHBoxLayout;
class QVBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace chom {

// Shared frame of the list pages (tenants, VPS, backups, operations): a
// header with actions, a quick filter, a sortable table over a RowTableModel
// and an "N of M" count. Subclasses add their actions and data.
class TablePage : public Page
{
    Q_OBJECT
public:
    TablePage(AppContext& ctx, const QString& title, const QString& subtitle, const QString& noun,
              QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() { return &m_proxy; }

protected:
    void setSourceModel(QAbstractItemModel* model, std::initializer_list<int> stateColumns);
    // The column that takes the spare width (the others keep their widths).
    void setStretchColumn(int column);
    QPushButton* addButton(const QString& text, const QString& objectName, bool primary = false);
    Id selectedId() const; // 0 when nothing is selected
    virtual void onSelectionChanged() {}
    void updateCount();
    void addBelow(QWidget* widget, int stretch = 0); // under the table
    void addActionWidget(QWidget* widget);           // in the header row
    // A second row of actions under the header, for pages with more than
    // fit beside the title at the smallest window size; widgets go in order.
    QHBoxLayout* actionRow();

private:
    QTableView* m_view;
    QSortFilterProxyModel m_proxy;
    QHBoxLayout* m_actions;
    QHBoxLayout* m_actionRow = nullptr;
    QVBoxLayout* m_column;
    QLineEdit* m_filter;
    QLabel* m_count;
    QString m_noun;
};

} // namespace chom
