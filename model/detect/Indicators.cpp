#include "detect/Indicators.h"

namespace ds {

const IndicatorInfo& indicatorInfo(Indicator i)
{
    static const std::array<IndicatorInfo, kIndicatorCount> table = {{
        {"requests", "requests", "requests sent by the account"},
        {"requests_per_active_day", "requests/active day", "requests per day on which the account was active"},
        {"output_tokens", "output tokens", "completion tokens received in total"},
        {"output_tokens_per_active_day", "output tokens/active day", "completion tokens per active day"},
        {"active_days", "active days", "distinct UTC days with at least one request"},
        {"interarrival_cv", "timing irregularity", "how much the gaps between requests vary, relative to their average length (people are bursty: high; scripts: low)"},
        {"hour_entropy", "spread over the day", "how evenly requests spread over the 24 hours of the day (UTC), in bits: 4.58 is perfectly around the clock"},
        {"quiet_hours_share", "quietest 6 h share", "share of traffic in the quietest 6 consecutive hours of the day (people sleep: near 0)"},
        {"peak_per_minute", "peak requests/min", "most requests in any 60-second window"},
        {"peak_vs_limit", "peak vs rate limit", "peak requests per minute divided by the rate limit of the account's tier"},
        {"output_input_ratio", "output/input tokens", "completion tokens divided by prompt tokens"},
        {"max_tokens_hit_share", "answers cut at the limit", "share of answers stopped by the length limit the request set (max_tokens)"},
        {"mean_output_tokens", "mean output tokens", "mean completion tokens per request"},
        {"long_ask_share", "long answers asked", "share of prompts asking for long or exhaustive answers"},
        {"top_template_share", "top template share", "share of requests made from the account's most used prompt template"},
        {"templates_per_request", "templates/request", "distinct template keys divided by requests (low: few templates)"},
        {"system_prompt_share", "top system prompt share", "share of requests carrying the account's most used system prompt"},
        {"category_entropy", "task variety", "how varied the kinds of task asked are, in bits (low: narrow focus)"},
        {"cot_rate", "chain-of-thought rate", "share of prompts asking for the reasoning to be written out"},
        {"grading_rate", "grading rate", "share of prompts using the model as a rubric grader or judge"},
        {"sensitive_rewrite_rate", "sensitive rewrite rate", "share of prompts rewriting sensitive questions into safe ones"},
        {"agentic_coding_share", "agentic/coding share", "share of requests in the agentic (tool use) or coding categories"},
        {"release_chasing", "release chasing", "share of traffic moved to a newly released model adopted within the grace time"},
        {"distinct_ips", "distinct IPs", "distinct client IP addresses"},
        {"distinct_networks", "distinct networks", "distinct /24 (IPv6 /48) networks"},
        {"distinct_user_agents", "distinct user agents", "distinct User-Agent strings"},
        {"email_domain_accounts", "accounts on e-mail domain", "accounts signed up with the same non-public e-mail domain (0: public or unknown)"},
        {"age_days_at_first_use", "age at first use (days)", "days from account creation to its first request"},
        {"lockstep_share", "lockstep share", "share of the account's template-windows in which other accounts used the same template"},
        {"template_peers", "template peers", "other accounts using the account's heavy templates heavily"},
        {"templated_share", "templated share", "share of requests made from one of the account's heavily used templates"},
        {"score_harvest", "harvest score", "0..1: long outputs, max_tokens hits, long answers asked"},
        {"score_templating", "templating score", "0..1: concentration on few prompt templates"},
        {"score_elicitation", "elicitation score", "0..1: chain-of-thought, grading and sensitive-rewrite prompts"},
        {"score_automation", "automation score", "0..1: around-the-clock, paced timing"},
        {"score_narrow", "narrow focus score", "0..1: few task categories"},
        {"score_infrastructure", "infrastructure score", "0..1: many networks and user agents, young account"},
        {"score_release", "release chasing score", "0..1: traffic moved to a new model at once"},
        {"behaviour", "behaviour score", "0..1: weighted mean of the facet scores"},
        {"short_gap_log_sd", "pacing spread", "standard deviation of ln(gap) over gaps shorter than pacingMaxGapSeconds (paced scripts: low, people: high)"},
        {"harvest_class_share", "harvest-class share", "share of requests the harvest model scores harvest-class (benchmark-shaped tasks, reasoning or tool use demanded)"},
        {"harvest_class_requests", "harvest-class requests", "requests the harvest model scores harvest-class"},
        {"harvest_class_output", "harvest-class output", "mean completion tokens of the harvest-class requests that offer no tools"},
        {"harvest_class_ratio", "harvest-class output/input", "completion tokens per prompt token over the harvest-class requests that offer no tools"},
        {"shared_tasks", "shared tasks", "harvest-class tasks (sampled) that other accounts also asked within harvestTaskWindowDays"},
        {"shared_task_accounts", "accounts sharing tasks", "other accounts that asked one of those tasks within the window"},
        {"harvest_families", "harvest task families", "task categories carrying at least harvestFamilyMinShare of the harvest-class requests (one benchmark run: 1)"},
        {"score_harvest_profile", "harvest profile score", "0..1: harvest-class share, volume, output length and output/input ratio together"},
        {"harvest_class_cut_share", "harvest-class answers cut", "share of the harvest-class answers (requests without tools) stopped at the max_tokens the client set"},
    }};
    return table[static_cast<std::size_t>(i)];
}

} // namespace ds
