#pragma once

#include <QString>

namespace ds {

// The analyst's case notes, shown on the report cover and in its notes section. Plain value: any thread.
enum class NoteField { Title, CaseId, Analyst, Summary, FreeText };
constexpr int kNoteFieldCount = 5;

struct CaseNotes
{
    QString title, caseId, analyst, summary, freeText;

    QString value(NoteField f) const;
    void set(NoteField f, const QString& v);
};

// Key of the field in case_note and in JSON ("title", "case_id", "analyst", "summary", "free_text").
const char* noteFieldKey(NoteField f);
QString noteFieldLabel(NoteField f);

} // namespace ds
