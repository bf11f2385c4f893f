#include "ui/widgets/TablePage.h"
#include "ui/widgets/PlainLabel.h"

#include "RowTableModel.h"
#include "ui/widgets/StateDelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace chom {
namespace {
// Same values for every RowTableModel<T>.
constexpr int kIdRole = RowTableModel<Site>::IdRole;
constexpr int kSortRole = RowTableModel<Site>::SortRole;
} // namespace

TablePage::TablePage(AppContext& ctx, const QString& title, const QString& subtitle,
                     const QString& noun, QWidget* parent)
    : Page(ctx, parent), m_view(new QTableView), m_actions(nullptr), m_filter(new QLineEdit),
      m_count(plainLabel()), m_noun(noun)
{
    m_proxy.setSortRole(kSortRole);
    m_proxy.setFilterKeyColumn(-1);
    m_proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy.setSortCaseSensitivity(Qt::CaseInsensitive);

    m_view->setModel(&m_proxy);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(28);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setSortingEnabled(true);

    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter %1").arg(noun));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(320);
    m_count->setObjectName(QStringLiteral("countLabel"));

    auto* col = new QVBoxLayout(this);
    m_column = col;
    col->setContentsMargins(24, 20, 24, 16);
    col->setSpacing(12);
    m_actions = addHeader(col, title, subtitle);
    col->addWidget(m_filter);
    col->addWidget(m_view, 1);
    col->addWidget(m_count);

    connect(m_filter, &QLineEdit::textChanged, &m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(&m_proxy, &QAbstractItemModel::rowsInserted, this, &TablePage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::rowsRemoved, this, &TablePage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::modelReset, this, &TablePage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::layoutChanged, this, &TablePage::updateCount);
    updateCount();
}

void TablePage::setSourceModel(QAbstractItemModel* model, std::initializer_list<int> stateColumns)
{
    m_proxy.setSourceModel(model);
    auto* states = new StateDelegate(m_view);
    for (int c : stateColumns)
        m_view->setItemDelegateForColumn(c, states);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { onSelectionChanged(); });
    // Upserts replace rows under the selection: re-evaluate the buttons.
    connect(model, &QAbstractItemModel::dataChanged, this, [this] { onSelectionChanged(); });
    updateCount();
}

void TablePage::setStretchColumn(int column)
{
    m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Stretch);
}

QPushButton* TablePage::addButton(const QString& text, const QString& objectName, bool primary)
{
    auto* b = new QPushButton(text);
    b->setObjectName(objectName);
    b->setProperty("primary", primary);
    m_actions->addWidget(b);
    return b;
}

QHBoxLayout* TablePage::actionRow()
{
    if (!m_actionRow) {
        m_actionRow = new QHBoxLayout;
        m_actionRow->setSpacing(8);
        m_actionRow->addStretch(1); // widgets go before it, left-aligned
        m_column->insertLayout(1, m_actionRow);
    }
    return m_actionRow;
}

Id TablePage::selectedId() const
{
    const QModelIndex idx = m_view->currentIndex();
    if (!idx.isValid() || !m_view->selectionModel()->isRowSelected(idx.row(), idx.parent()))
        return 0;
    return idx.siblingAtColumn(0).data(kIdRole).value<Id>();
}

void TablePage::updateCount()
{
    const QLocale loc;
    const int total = m_proxy.sourceModel() ? m_proxy.sourceModel()->rowCount() : 0;
    m_count->setText(
        tr("%1 of %2 %3").arg(loc.toString(m_proxy.rowCount()), loc.toString(total), m_noun));
}

} // namespace chom

namespace chom {
void TablePage::addActionWidget(QWidget* widget)
{
    m_actions->addWidget(widget);
}

void TablePage::addBelow(QWidget* widget, int stretch)
{
    m_column->insertWidget(m_column->count() - 1, widget, stretch);
}
} // namespace chom
