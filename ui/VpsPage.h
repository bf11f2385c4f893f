#pragma once

#include "TablePage.h"

class QMenu;
class QPushButton;

namespace chom {

// The VPS fleet: add, edit, delete (refused while a server hosts sites) and
// lifecycle status changes (provisioning → active → maintenance, ...).
class VpsPage : public TablePage
{
    Q_OBJECT
public:
    explicit VpsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("VPS Fleet"); }
    void refresh() override;
    void createNew() override;
    void deleteSelected() override;
    void editSelected();
    void setSelectedStatus(VpsStatus status);

protected:
    void load() override;
    void onSelectionChanged() override;

private:
    void showContextMenu(const QPoint& pos);
    void fillStatusMenu(QMenu* menu);

    QPushButton* m_edit;
    QPushButton* m_status;
    QPushButton* m_delete;
    QMenu* m_statusMenu;
};

} // namespace chom
