#include "ui/widgets/Confirm.h"

#include "ui/widgets/PlainLabel.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

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

void confirmByTyping(QWidget* parent, const QString& title, const QString& text,
                     const QString& expected, const QString& actionText,
                     std::function<void()> onConfirm)
{
    auto* dlg = new QDialog(parent);
    dlg->setObjectName(QStringLiteral("confirmDialog"));
    dlg->setWindowTitle(title);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QLabel* label = plainLabel(text + QStringLiteral("\n\n") +
                               QObject::tr("Type %1 to confirm.").arg(expected));
    label->setWordWrap(true);
    auto* field = new QLineEdit;
    field->setObjectName(QStringLiteral("confirmText"));
    field->setPlaceholderText(expected);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    QPushButton* yes = buttons->addButton(actionText, QDialogButtonBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmButton"));
    yes->setEnabled(false);
    yes->setAutoDefault(false);
    auto* layout = new QVBoxLayout(dlg);
    layout->addWidget(label);
    layout->addWidget(field);
    layout->addWidget(buttons);
    QObject::connect(field, &QLineEdit::textChanged, yes,
                     [yes, expected](const QString& t) { yes->setEnabled(t == expected); });
    QObject::connect(buttons, &QDialogButtonBox::rejected, dlg, &QDialog::reject);
    QObject::connect(yes, &QPushButton::clicked, dlg,
                     [dlg, field, expected, onConfirm = std::move(onConfirm)] {
                         if (field->text() != expected)
                             return;
                         dlg->accept();
                         onConfirm();
                     });
    dlg->setWindowModality(Qt::WindowModal);
    dlg->open();
    field->setFocus();
}

} // namespace chom
