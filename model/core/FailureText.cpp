#include "core/FailureText.h"

#include "core/CaseDatabase.h"
#include "core/Sqlite.h"

#include <new>

namespace ds {

QString failureText(std::exception_ptr error)
{
    try {
        if (error)
            std::rethrow_exception(error);
    } catch (const std::bad_alloc&) {
        return QStringLiteral("the machine ran out of memory");
    } catch (const CaseOpenError& e) {
        return e.message();
    } catch (const DatabaseError& e) {
        return QStringLiteral("the case database failed: %1").arg(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
    }
    return QStringLiteral("an unexpected error stopped it");
}

} // namespace ds
