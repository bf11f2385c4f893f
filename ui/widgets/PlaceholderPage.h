#pragma once

#include "ui/widgets/Page.h"

namespace chom {

// A page whose feature is not in this version yet. Says what it will do and
// shows no invented figures.
class PlaceholderPage : public Page
{
    Q_OBJECT
public:
    PlaceholderPage(AppContext& ctx, const QString& title, const QString& explanation,
                    const QString& details = {}, QWidget* parent = nullptr);

    QString title() const override { return m_title; }

private:
    QString m_title;
};

} // namespace chom
