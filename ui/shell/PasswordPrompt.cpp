#include "ui/shell/PasswordPrompt.h"

#include <QApplication>
#include <QInputDialog>

namespace chom {

void showPasswordPrompt(const QString& title, const QString& label, PromptAnswer answer)
{
    auto* dialog = new QInputDialog(QApplication::activeWindow());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("passphrasePrompt"));
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextEchoMode(QLineEdit::Password);
    QObject::connect(dialog, &QInputDialog::accepted, dialog,
                     [dialog, answer] { answer(dialog->textValue()); });
    QObject::connect(dialog, &QInputDialog::rejected, dialog, [answer] { answer(std::nullopt); });
    QObject::connect(dialog, &QObject::destroyed, [answer] { answer(std::nullopt); });
    dialog->open();
}

std::optional<QString> askMasterPassphrase(const QString& hint)
{
    return askAndWait(QCoreApplication::instance(), [hint](PromptAnswer answer) {
        showPasswordPrompt(QApplication::translate("chom::PasswordPrompt", "Secrets file"),
                           hint + QApplication::translate(
                                      "chom::PasswordPrompt",
                                      "Master passphrase of the encrypted secrets file\n(chosen "
                                      "now if the file does not exist yet):"),
                           std::move(answer));
    });
}

} // namespace chom
