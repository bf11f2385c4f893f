#pragma once

#include "ByteFormat.h"

#include "Domain.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QVector>

namespace chom {

// Holds rows of T keyed by T::id. Upserts from the store emit per-row
// dataChanged when few rows change and a reset when many do, so a bulk
// refresh costs one re-layout, not thousands. mergeAll() needs a
// `bool sameRow(const T&, const T&)` found by argument-dependent lookup
// (InventoryModels.h has them for tenants and VPS).
template <typename T> class RowTableModel : public QAbstractTableModel
{
public:
    enum Roles
    {
        IdRole = Qt::UserRole + 1,
        SortRole
    };

    // Above this many changed ids upsert() does nothing and mergeAll()
    // resets (the same bound as ChangeFeed::kMaxIds).
    static constexpr int kMaxUpsertIds = 200;

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : m_rows.size();
    }

    const T& rowAt(int row) const { return m_rows.at(row); }
    const QVector<T>& rows() const { return m_rows; }
    int rowOf(Id id) const { return m_index.value(id, -1); }

    void setRows(QVector<T> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        reindex();
        endResetModel();
    }

    // Replaces rows with the given ids (present in `fresh`) and removes those
    // ids missing from it.
    void upsert(const QVector<Id>& ids, const QVector<T>& fresh)
    {
        if (ids.size() > kMaxUpsertIds) {
            return; // callers reload wholesale for big batches
        }
        QHash<Id, const T*> byId;
        for (const T& r : fresh)
            byId.insert(r.id, &r);
        for (Id id : ids) {
            const int row = rowOf(id);
            const T* now = byId.value(id, nullptr);
            if (row >= 0 && now) {
                m_rows[row] = *now;
                Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
            } else if (row >= 0) {
                beginRemoveRows({}, row, row);
                m_rows.remove(row);
                reindex();
                endRemoveRows();
            } else if (now) {
                beginInsertRows({}, m_rows.size(), m_rows.size());
                m_rows.append(*now);
                m_index.insert(now->id, m_rows.size() - 1);
                endInsertRows();
            }
        }
    }

    // Applies a fresh full list as per-row upserts (only rows sameRow() says
    // changed, new ones appended, missing ones removed), so views keep their
    // selection and scroll position; an empty model, or more than
    // kMaxUpsertIds changed rows, takes the list with one reset instead.
    void mergeAll(QVector<T> fresh)
    {
        if (rowCount() == 0) {
            setRows(std::move(fresh));
            return;
        }
        QVector<Id> ids;
        QVector<T> changed;
        QSet<Id> seen;
        seen.reserve(fresh.size());
        for (const T& r : fresh) {
            seen.insert(r.id);
            const int row = rowOf(r.id);
            if (row < 0 || !sameRow(rowAt(row), r)) {
                ids << r.id;
                changed << r;
            }
        }
        for (const T& r : m_rows) {
            if (!seen.contains(r.id))
                ids << r.id;
        }
        if (ids.size() > kMaxUpsertIds)
            setRows(std::move(fresh));
        else if (!ids.isEmpty())
            upsert(ids, changed);
    }

protected:
    void refreshAll()
    {
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(m_rows.size() - 1, columnCount() - 1));
    }

private:
    void reindex()
    {
        m_index.clear();
        m_index.reserve(m_rows.size());
        for (int i = 0; i < m_rows.size(); ++i)
            m_index.insert(m_rows[i].id, i);
    }

    QVector<T> m_rows;
    QHash<Id, int> m_index;
};

QString formatTime(qint64 secs); // local "yyyy-MM-dd HH:mm", "—" for 0
QString formatDate(qint64 secs); // local "yyyy-MM-dd", "—" for 0

} // namespace chom
