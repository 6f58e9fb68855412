#include "case/CaseNotes.h"

namespace ds {

const char* noteFieldKey(NoteField f)
{
    switch (f) {
    case NoteField::Title: return "title";
    case NoteField::CaseId: return "case_id";
    case NoteField::Analyst: return "analyst";
    case NoteField::Summary: return "summary";
    case NoteField::FreeText: return "free_text";
    }
    return "";
}

QString noteFieldLabel(NoteField f)
{
    switch (f) {
    case NoteField::Title: return QStringLiteral("Title");
    case NoteField::CaseId: return QStringLiteral("Case id");
    case NoteField::Analyst: return QStringLiteral("Analyst");
    case NoteField::Summary: return QStringLiteral("Summary");
    case NoteField::FreeText: return QStringLiteral("Notes");
    }
    return {};
}

QString CaseNotes::value(NoteField f) const
{
    switch (f) {
    case NoteField::Title: return title;
    case NoteField::CaseId: return caseId;
    case NoteField::Analyst: return analyst;
    case NoteField::Summary: return summary;
    case NoteField::FreeText: return freeText;
    }
    return {};
}

void CaseNotes::set(NoteField f, const QString& v)
{
    switch (f) {
    case NoteField::Title: title = v; break;
    case NoteField::CaseId: caseId = v; break;
    case NoteField::Analyst: analyst = v; break;
    case NoteField::Summary: summary = v; break;
    case NoteField::FreeText: freeText = v; break;
    }
}

} // namespace ds
