#pragma once

#include <QString>
#include <QVector>

namespace chom {

// All domains of a model in one contiguous buffer, so a substring search over
// 100k rows is one linear scan of a few MB instead of 100k scattered heap
// reads (which dominated the per-keystroke cost).
class DomainSearchIndex
{
public:
    template <typename Rows> void rebuild(const Rows& rows)
    {
        m_text.clear();
        m_offsets.clear();
        m_offsets.reserve(rows.size() + 1);
        qsizetype total = 0;
        for (const auto& r : rows)
            total += r.domain.size() + 1;
        m_text.reserve(total);
        for (const auto& r : rows) {
            m_offsets.append(m_text.size());
            m_text.append(r.domain);
            m_text.append(QLatin1Char('\n'));
        }
        m_offsets.append(m_text.size());
        m_valid = true;
    }
    void invalidate() { m_valid = false; }
    bool valid() const { return m_valid; }

    // marks[row] = 1 for rows whose domain contains `needle` (lower-case, no '\n').
    void match(const QString& needle, QVector<char>& marks) const;

private:
    QString m_text;
    QVector<qsizetype> m_offsets;
    bool m_valid = false;
};

} // namespace chom
