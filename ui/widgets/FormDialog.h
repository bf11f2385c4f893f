#pragma once

#include <QDialog>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QPushButton;

namespace chom {

// Base of the add/edit dialogs: labelled fields with a red message under
// each, OK enabled only while everything validates, and an asynchronous save
// whose service error is shown in the dialog, which then stays open so
// nothing typed is lost. Opened with open(): no nested event loop.
class FormDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FormDialog(QWidget* parent = nullptr);

    QPushButton* okButton() const;
    QString serviceError() const;
    bool isSaving() const { return m_saving; }

protected:
    // Adds a row; `errorName` names the error label tests look up.
    QLabel* addField(const QString& label, QWidget* field, const QString& errorName = {});
    QLabel* addHint(QWidget* field, const QString& objectName); // grey line under a field
    void finishLayout(const QString& okText);
    static void setMessage(QLabel* label, const QString& message); // empty hides it

    void revalidate();
    virtual bool validate() = 0;                    // updates error labels, returns true when valid
    virtual void save() = 0;                        // starts the write; must end in saveFinished()
    void saveFinished(const QString& errorMessage); // empty = saved, closes the dialog

private:
    void submit();

    QFormLayout* m_form;
    QLabel* m_serviceError;
    QDialogButtonBox* m_buttons;
    QString m_okText;
    bool m_saving = false;
};

} // namespace chom
