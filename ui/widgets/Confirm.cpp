#include "ui/widgets/Confirm.h"

#include <QMessageBox>
#include <QPushButton>

namespace chom {

void confirmDestructive(QWidget* parent, const QString& title, const QString& text,
                        const QString& actionText, std::function<void()> onConfirm)
{
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box->setTextFormat(Qt::PlainText); // names and remote text, never markup
    box->setObjectName(QStringLiteral("confirmDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* yes = box->addButton(actionText, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    QPushButton* no = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(no);
    box->setEscapeButton(no);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, yes, onConfirm = std::move(onConfirm)] {
                         if (box->clickedButton() == yes)
                             onConfirm();
                     });
    box->open();
}

} // namespace chom
