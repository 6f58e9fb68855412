#pragma once

#include "sim/SimRandom.h"
#include "sim/SimRequest.h"

namespace ds {

// Decides what the provider's side of a request looked like: billed tokens,
// whether the answer hit max_tokens, called a tool or refused, the latency and
// the HTTP status, from the kind of answer asked for and the model. Stateless:
// any thread, with the caller's generator.
class SimResponseModel
{
public:
    // `pressure` in [0, 1]: how close the account runs to its rate limit (raises 429s).
    static void fill(SimRequest& r, SimRng& rng, double pressure = 0.0);
};

} // namespace ds
