#pragma once

#include "ingest/ByteSource.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace ds {

// The format sniff reads a fixed sample; a first record longer than it may name
// what it is only after the cut (an accounts record whose notes come first).
// Returns `sample` (the bytes read so far, a UTF-8 byte-order mark removed)
// followed by the source's next bytes up to the end of its first line (the
// break excluded) or `cap` bytes in all, whichever comes first. `giveBack`: the source was given
// the sample back (ByteSource::unread) and is given everything read here the
// same way, so the import still reads the file from its start. The sniff's thread.
std::string readOnFirstRecord(ByteSource& src, std::string_view sample, bool giveBack, std::size_t cap);

} // namespace ds
