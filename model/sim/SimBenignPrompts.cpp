#include "sim/SimBenignPrompts.h"

#include "sim/SimTemplate.h"

#include <array>

namespace ds {

namespace {

template<std::size_t N>
const char* any(SimRng& rng, const std::array<const char*, N>& a)
{
    return a[rng.below(N)];
}

constexpr std::array<const char*, 10> kOpeners = {"", "", "", "Hey, ", "Quick question: ", "Hi! ", "Please help: ",
                                                  "I need some help. ", "Hello. ", "Question - "};
constexpr std::array<const char*, 9> kClosers = {"", "", "", " Thanks!", " Keep it short please.",
                                                 " Explain it simply.", " Thank you in advance.",
                                                 " Please answer in a few paragraphs.", " Bullet points are fine."};
constexpr std::array<const char*, 12> kChatFollowUps = {
    "Can you make it shorter?", "Thanks. Can you give me an example?", "What would you recommend then?",
    "Ok, and what about the costs?", "Can you explain the second point in more detail?", "Please rewrite that in a more "
    "formal tone.", "Is there a simpler way?", "Could you turn this into a checklist?", "Why is that?",
    "What are the downsides?", "Can you translate it into German?", "That's not quite what I meant. I need it for work."};
constexpr std::array<const char*, 12> kCodeFollowUps = {
    "It throws an error on empty input. Can you fix it?", "Now write unit tests for it.",
    "Can you make it faster? The list has 10 million items.", "Translate that to TypeScript please.",
    "How would I deploy this?", "What's the time complexity?", "Can you add type hints and docstrings?",
    "It works, thanks. How do I handle the edge case where the file does not exist?",
    "Refactor it into smaller functions.", "Why did you use a dict there?", "Doesn't compile: undefined variable.",
    "Add logging and error handling."};
constexpr std::array<const char*, SimBenignPrompts::kPersonalTemplates> kPersonal = {
    "Summarize the following text in 3 bullet points:\n\n{text}",
    "Fix the grammar and spelling in this paragraph, keep my tone:\n\n{text}",
    "Explain this code to a junior developer, line by line:\n\n```python\n{code}```",
    "Write a concise commit message for this change:\n\n```python\n{code}```",
    "Turn this into a polite e-mail to my manager:\n\n{text}",
    "Give me 5 interview questions about this topic: {text}"};

} // namespace

void SimBenignPrompts::varyNumbers(SimRng& rng, std::string& s) const
{
    for (char& c : s)
        if (c >= '1' && c <= '9' && rng.chance(0.3))
            c = static_cast<char>('1' + rng.below(9));
}

void SimBenignPrompts::chat(SimRng& rng, std::string& out) const
{
    const std::size_t start = out.size();
    out += any(rng, kOpeners);
    out += rng.pick(m_c.chat);
    out += any(rng, kClosers);
    if (rng.chance(0.2)) {
        std::string tail = out.substr(start);
        varyNumbers(rng, tail);
        out.replace(start, std::string::npos, tail);
    }
}

void SimBenignPrompts::coding(SimRng& rng, std::string& out) const
{
    const double r = rng.uniform();
    if (r < 0.45) {
        out += any(rng, kOpeners);
        out += rng.pick(m_c.devQuestions);
    } else if (r < 0.75) {
        const SimCorpus::Instruction& in = rng.pick(m_c.codegen);
        out += in.instruction;
        if (!in.input.empty() && rng.chance(0.7)) {
            out += "\n\n";
            out += in.input;
        }
    } else if (r < 0.88) {
        static constexpr std::array<const char*, 5> kAsk = {
            "Why does this fail on an empty list?", "Can you finish this function for me?",
            "Is there a bug in this?", "How would you test this?", "Rewrite this more idiomatically."};
        out += any(rng, kAsk);
        out += "\n\n```python\n";
        out += rng.pick(m_c.humaneval);
        out += "```";
    } else {
        const SimCorpus::Instruction& in = rng.pick(m_c.selfInstruct);
        out += in.instruction;
        if (!in.input.empty()) {
            out += "\n\n";
            out += in.input;
        }
    }
}

void SimBenignPrompts::personalTemplate(SimRng& rng, int index, std::string& out) const
{
    simFillTemplate(out, kPersonal[static_cast<std::size_t>(index) % kPersonal.size()],
                    [&](std::string_view slot, std::string& o) {
                        if (slot == "code")
                            o += rng.pick(m_c.humaneval);
                        else
                            o += rng.pick(m_c.chat);
                    });
}

void SimBenignPrompts::followUp(SimRng& rng, bool coding, std::string& out) const
{
    out += "\n\n";
    out += coding ? any(rng, kCodeFollowUps) : any(rng, kChatFollowUps);
}

void SimBenignPrompts::batchRecord(SimRng& rng, int templateIndex, std::string& out) const
{
    static constexpr std::array<const char*, 8> kTickets = {
        "I was charged twice for my subscription this month. Order {n}. Please refund the duplicate.",
        "The dashboard has been down since {n}:00 UTC, all our users see error 502.",
        "How do I change the e-mail address on my account? I no longer have access to the old one.",
        "It would be great if the export supported Parquet files as well as CSV.",
        "My invoice {n} shows the wrong VAT number, can you reissue it?",
        "Login fails with 'invalid token' after the update to version {v}.",
        "Can I move my team of {n} seats to the annual plan mid-cycle?",
        "The API returns timeouts for requests above {n} KB since yesterday."};
    static constexpr std::array<const char*, 5> kDocs = {
        "INVOICE {n}\nSupplier: {name} GmbH\nDate: 2026-01-{d}\nNet amount: {n}.00 EUR\nVAT 19%\nDue in 30 days.",
        "Purchase order {n} from {name} Ltd, delivery to warehouse {d}, {n} units of part SKU-{n}.",
        "Employment contract between {name} and the employee, start date 2026-03-{d}, salary {n} per year.",
        "Shipping notice: parcel {n} for {name}, weight {d} kg, carrier DHL, expected 2026-02-{d}.",
        "Lease agreement {n}: tenant {name}, monthly rent {n} USD, term {d} months."};
    static constexpr std::array<const char*, 6> kProducts = {
        "Stainless steel water bottle, {n} ml, keeps drinks cold for {d} hours. Dishwasher safe.",
        "Wireless noise-cancelling headphones with {d}-hour battery life and USB-C charging.",
        "Ergonomic office chair, adjustable armrests, lumbar support, supports up to {n} kg.",
        "Organic green tea, {d} bags, harvested in spring, light and grassy taste.",
        "Trail running shoes, size {d}, waterproof membrane, {n} g per shoe.",
        "Smart thermostat with app control, learns your schedule in {d} days."};
    static constexpr std::array<const char*, 10> kNames = {"Keller", "Okafor", "Lindqvist", "Moreau", "Tanaka",
                                                           "Novak", "Silva", "Brennan", "Haddad", "Kowalski"};
    const char* t = templateIndex % 3 == 0 ? any(rng, kTickets) : templateIndex % 3 == 1 ? any(rng, kDocs) : any(rng, kProducts);
    simFillTemplate(out, t, [&](std::string_view slot, std::string& o) {
        if (slot == "n")
            o += std::to_string(rng.range(10, 99999));
        else if (slot == "d")
            o += std::to_string(rng.range(1, 28));
        else if (slot == "v")
            o += "4." + std::to_string(rng.range(0, 20)) + "." + std::to_string(rng.range(0, 9));
        else
            o += any(rng, kNames);
    });
}

void SimBenignPrompts::batchSlot(SimRng& rng, std::string_view slot, int templateIndex, std::string& out) const
{
    static constexpr std::array<const char*, 3> kFields = {"invoice_number, date, total, supplier",
                                                           "party_names, start_date, amount",
                                                           "order_id, quantity, sku, destination"};
    static constexpr std::array<const char*, 5> kLangs = {"German", "French", "Spanish", "Japanese", "Italian"};
    if (slot == "record")
        batchRecord(rng, templateIndex, out);
    else if (slot == "field")
        out += kFields[static_cast<std::size_t>(templateIndex) % kFields.size()];
    else if (slot == "lang")
        out += any(rng, kLangs);
    else
        out += std::to_string(rng.range(100000, 999999));
}

} // namespace ds
