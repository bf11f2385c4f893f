#include "DomainSearchIndex.h"

#include <algorithm>

namespace chom {

void DomainSearchIndex::match(const QString& needle, QVector<char>& marks) const
{
    const int rows = m_offsets.size() - 1;
    marks.fill(0, qMax(rows, 0));
    if (rows <= 0 || needle.isEmpty())
        return;
    const QStringView text(m_text);
    qsizetype pos = text.indexOf(needle);
    while (pos >= 0) {
        const auto it = std::upper_bound(m_offsets.begin(), m_offsets.end(), pos);
        const int row = int(it - m_offsets.begin()) - 1;
        marks[row] = 1;
        pos = text.indexOf(needle, m_offsets[row + 1]); // next row
    }
}

} // namespace chom
