#pragma once

#include <QString>

#include <exception>

namespace ds {

// The one rule for background work that fails: whatever a job throws (a database error, a case that
// cannot be opened, running out of memory, anything else) becomes one sentence in its result, and
// the application goes on. This is that sentence, for the exception `error` holds ("the machine ran
// out of memory"). Any thread.
QString failureText(std::exception_ptr error);

} // namespace ds
