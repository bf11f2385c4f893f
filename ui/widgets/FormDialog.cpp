#include "ui/widgets/FormDialog.h"
#include "ui/widgets/PlainLabel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace chom {

FormDialog::FormDialog(QWidget* parent)
    : QDialog(parent), m_form(new QFormLayout), m_serviceError(plainLabel()),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_form->setVerticalSpacing(10);
    m_serviceError->setObjectName(QStringLiteral("serviceError"));
    m_serviceError->setWordWrap(true);
    m_serviceError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_serviceError->hide();
    m_buttons->setObjectName(QStringLiteral("buttons"));
    okButton()->setProperty("primary", true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &FormDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QPushButton* FormDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString FormDialog::serviceError() const
{
    return m_serviceError->isHidden() ? QString() : m_serviceError->text();
}

QLabel* FormDialog::addField(const QString& label, QWidget* field, const QString& errorName)
{
    // Field + its messages in one cell so a hidden message takes no space.
    auto* cell = new QWidget;
    auto* col = new QVBoxLayout(cell);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(3);
    col->addWidget(field);
    auto* err = plainLabel();
    err->setProperty("role", QStringLiteral("fieldError"));
    err->setObjectName(errorName);
    err->setWordWrap(true);
    err->hide();
    col->addWidget(err);
    m_form->addRow(label, cell);
    if (auto* l = qobject_cast<QLabel*>(m_form->labelForField(cell)))
        l->setBuddy(field);
    return err;
}

QLabel* FormDialog::addHint(QWidget* field, const QString& objectName)
{
    auto* hint = plainLabel();
    hint->setObjectName(objectName);
    hint->setProperty("role", QStringLiteral("fieldHint"));
    hint->setWordWrap(true);
    hint->hide();
    if (auto* col = qobject_cast<QVBoxLayout*>(field->parentWidget()->layout()))
        col->addWidget(hint);
    return hint;
}

void FormDialog::finishLayout(const QString& okText)
{
    m_okText = okText;
    okButton()->setText(okText);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(20, 18, 20, 14);
    outer->setSpacing(12);
    outer->addLayout(m_form);
    outer->addWidget(m_serviceError);
    outer->addStretch(1);
    outer->addWidget(m_buttons);
    setMinimumWidth(460);
    revalidate();
}

void FormDialog::setMessage(QLabel* label, const QString& message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

void FormDialog::revalidate()
{
    const bool ok = validate();
    okButton()->setEnabled(ok && !m_saving);
}

void FormDialog::submit()
{
    if (m_saving || !validate())
        return;
    m_saving = true;
    setMessage(m_serviceError, {});
    okButton()->setEnabled(false);
    okButton()->setText(tr("Saving…"));
    save();
}

void FormDialog::saveFinished(const QString& errorMessage)
{
    m_saving = false;
    okButton()->setText(m_okText);
    if (errorMessage.isEmpty()) {
        accept();
        return;
    }
    setMessage(m_serviceError, errorMessage);
    revalidate();
}

} // namespace chom
