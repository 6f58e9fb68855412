#include "sim/SimScenario.h"

#include "core/Timestamp.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace ds {

namespace {

template<typename V> void visitFields(V& v, SimSessionProfile& p);
template<typename V> void visitFields(V& v, SimBatchProfile& p);
template<typename V> void visitFields(V& v, SimEvaluatorProfile& p);
template<typename V> void visitFields(V& v, SimNatProfile& p);
template<typename V> void visitFields(V& v, SimResellerProfile& p);
template<typename V> void visitFields(V& v, SimClassroomProfile& p);
template<typename V> void visitFields(V& v, SimBenignConfig& b);
template<typename V> void visitFields(V& v, SimAdversaryConfig& a);
template<typename V> void visitFields(V& v, SimCampaignConfig& c);
template<typename V> void visitFields(V& v, SimScenario& s);

// Reads knobs from a JSON object into a struct; remembers keys it did not know.
class JsonReader
{
public:
    JsonReader(const QJsonObject& o, QString path, QString* error) : m_o(o), m_path(std::move(path)), m_error(error) {}

    void field(const char* key, double& v) { if (auto j = get(key); j.isDouble()) v = j.toDouble(); else bad(key, j, "a number"); }
    void field(const char* key, int& v) { if (auto j = get(key); j.isDouble()) v = j.toInt(); else bad(key, j, "an integer"); }
    void field(const char* key, std::int64_t& v)
    {
        if (auto j = get(key); j.isDouble()) v = static_cast<std::int64_t>(j.toDouble()); else bad(key, j, "an integer");
    }
    void field(const char* key, QString& v) { if (auto j = get(key); j.isString()) v = j.toString(); else bad(key, j, "a string"); }
    void field(const char* key, QStringList& v)
    {
        const QJsonValue j = get(key);
        if (!j.isArray())
            return bad(key, j, "an array of strings");
        v.clear();
        for (const QJsonValue& e : j.toArray())
            v.append(e.toString());
    }
    void field(const char* key, std::vector<int>& v)
    {
        const QJsonValue j = get(key);
        if (!j.isArray())
            return bad(key, j, "an array of integers");
        v.clear();
        for (const QJsonValue& e : j.toArray())
            v.push_back(e.toInt());
    }
    void field(const char* key, std::vector<double>& v)
    {
        const QJsonValue j = get(key);
        if (!j.isArray())
            return bad(key, j, "an array of numbers");
        v.clear();
        for (const QJsonValue& e : j.toArray())
            v.push_back(e.toDouble());
    }
    void field(const char* key, SimRange& r)
    {
        const QJsonValue j = get(key);
        if (!j.isArray() || j.toArray().size() != 2)
            return bad(key, j, "[low, high]");
        r = {j.toArray()[0].toDouble(), j.toArray()[1].toDouble()};
        if (r.hi < r.lo)
            fail(QStringLiteral("%1.%2: high is below low").arg(m_path, QLatin1String(key)));
    }
    void time(const char* key, std::int64_t& ms)
    {
        const QJsonValue j = get(key);
        if (j.isUndefined())
            return;
        const auto t = timestamp::parseAny(j.toString().toStdString());
        if (!t)
            return fail(QStringLiteral("%1.%2: not an RFC 3339 time").arg(m_path, QLatin1String(key)));
        ms = *t;
    }
    template<typename T>
    void object(const char* key, T& v)
    {
        const QJsonValue j = get(key);
        if (j.isUndefined())
            return;
        if (!j.isObject())
            return bad(key, j, "an object");
        JsonReader sub(j.toObject(), m_path + QLatin1Char('.') + QLatin1String(key), m_error);
        visitFields(sub, v);
        sub.finish();
    }
    void campaigns(const char* key, std::vector<SimCampaignConfig>& list)
    {
        const QJsonValue j = get(key);
        if (j.isUndefined())
            return;
        if (!j.isArray())
            return bad(key, j, "an array of campaigns");
        list.clear();
        int i = 0;
        for (const QJsonValue& e : j.toArray()) {
            const QJsonObject co = e.toObject();
            SimCampaignConfig c = simDefaultCampaign(co.value(QStringLiteral("kind")).toString());
            if (c.kind.isEmpty()) {
                fail(QStringLiteral("%1.campaigns[%2].kind must be reasoning, agentic or coding").arg(m_path).arg(i));
                return;
            }
            JsonReader sub(co, QStringLiteral("%1.campaigns[%2]").arg(m_path).arg(i++), m_error);
            visitFields(sub, c);
            sub.finish();
            list.push_back(std::move(c));
        }
    }
    // A list of objects of one kind, each starting from its defaults.
    template<typename T>
    void objects(const char* key, std::vector<T>& list)
    {
        const QJsonValue j = get(key);
        if (j.isUndefined())
            return;
        if (!j.isArray())
            return bad(key, j, "an array of objects");
        list.clear();
        int i = 0;
        for (const QJsonValue& e : j.toArray()) {
            T item;
            JsonReader sub(e.toObject(), QStringLiteral("%1.%2[%3]").arg(m_path, QLatin1String(key)).arg(i++), m_error);
            visitFields(sub, item);
            sub.finish();
            list.push_back(std::move(item));
        }
    }
    void finish()
    {
        for (auto it = m_o.begin(); it != m_o.end(); ++it)
            if (!m_seen.contains(it.key()))
                fail(QStringLiteral("%1: unknown key \"%2\"").arg(m_path, it.key()));
    }

private:
    QJsonValue get(const char* key)
    {
        const QString k = QLatin1String(key);
        m_seen.insert(k);
        const QJsonValue j = m_o.value(k);
        m_lastMissing = j.isUndefined();
        return j;
    }
    void bad(const char* key, const QJsonValue&, const char* what)
    {
        if (!m_lastMissing)
            fail(QStringLiteral("%1.%2 must be %3").arg(m_path, QLatin1String(key), QLatin1String(what)));
    }
    void fail(const QString& msg)
    {
        if (m_error && m_error->isEmpty())
            *m_error = msg;
    }

    QJsonObject m_o;
    QString m_path;
    QString* m_error;
    QSet<QString> m_seen;
    bool m_lastMissing = false;
};

// Writes every knob of a struct into a JSON object.
class JsonWriter
{
public:
    QJsonObject o;

    void field(const char* key, double v) { o.insert(QLatin1String(key), v); }
    void field(const char* key, int v) { o.insert(QLatin1String(key), v); }
    void field(const char* key, std::int64_t v) { o.insert(QLatin1String(key), static_cast<qint64>(v)); }
    void field(const char* key, const QString& v) { o.insert(QLatin1String(key), v); }
    void field(const char* key, const QStringList& v) { o.insert(QLatin1String(key), QJsonArray::fromStringList(v)); }
    void field(const char* key, const std::vector<int>& v)
    {
        QJsonArray a;
        for (int x : v)
            a.append(x);
        o.insert(QLatin1String(key), a);
    }
    void field(const char* key, const std::vector<double>& v)
    {
        QJsonArray a;
        for (double x : v)
            a.append(x);
        o.insert(QLatin1String(key), a);
    }
    void field(const char* key, const SimRange& r) { o.insert(QLatin1String(key), QJsonArray{r.lo, r.hi}); }
    void time(const char* key, std::int64_t ms) { o.insert(QLatin1String(key), timestamp::toIso(ms)); }
    template<typename T>
    void object(const char* key, T& v)
    {
        JsonWriter sub;
        visitFields(sub, v);
        o.insert(QLatin1String(key), sub.o);
    }
    void campaigns(const char* key, std::vector<SimCampaignConfig>& list)
    {
        QJsonArray a;
        for (SimCampaignConfig& c : list) {
            JsonWriter sub;
            visitFields(sub, c);
            a.append(sub.o);
        }
        o.insert(QLatin1String(key), a);
    }
    template<typename T>
    void objects(const char* key, std::vector<T>& list)
    {
        QJsonArray a;
        for (T& item : list) {
            JsonWriter sub;
            visitFields(sub, item);
            a.append(sub.o);
        }
        o.insert(QLatin1String(key), a);
    }
};

// One list of knob names for reading and writing, so the two cannot drift apart.
template<typename V>
void visitFields(V& v, SimSessionProfile& p)
{
    v.field("accounts", p.accounts);
    v.field("active_day_share", p.activeDayShare);
    v.field("weekend_factor", p.weekendFactor);
    v.field("sessions_per_day", p.sessionsPerDay);
    v.field("requests_per_session", p.requestsPerSession);
    v.field("gap_median_seconds", p.gapMedianSeconds);
    v.field("local_hours", p.localHours);
    v.field("sdk_share", p.sdkShare);
    v.field("coding_share", p.codingShare);
    v.field("template_user_share", p.templateUserShare);
    v.field("follow_up_share", p.followUpShare);
    v.field("new_model_adopter_share", p.newModelAdopterShare);
}

template<typename V>
void visitFields(V& v, SimBatchProfile& p)
{
    v.field("accounts", p.accounts);
    v.field("requests_per_hour", p.requestsPerHour);
    v.field("utc_hours", p.utcHours);
    v.field("gap_cv", p.gapCv);
    v.field("templates", p.templates);
    v.field("system_prompt", p.systemPrompt);
}

template<typename V>
void visitFields(V& v, SimEvaluatorProfile& p)
{
    v.field("accounts", p.accounts);
    v.field("runs_per_account", p.runsPerAccount);
    v.field("requests_per_minute", p.requestsPerMinute);
    v.field("new_model_run_share", p.newModelRunShare);
    v.field("templates", p.templates);
}

template<typename V>
void visitFields(V& v, SimNatProfile& p)
{
    v.field("groups", p.groups);
    v.field("accounts_per_group", p.accountsPerGroup);
    v.field("addresses_per_group", p.addressesPerGroup);
    v.field("developer_share", p.developerShare);
}

template<typename V>
void visitFields(V& v, SimResellerProfile& p)
{
    v.field("resellers", p.resellers);
    v.field("customers_per_reseller", p.customersPerReseller);
    v.field("pool_subnets", p.poolSubnets);
    v.field("developer_share", p.developerShare);
    v.field("user_agent", p.userAgent);
}

template<typename V>
void visitFields(V& v, SimClassroomProfile& p)
{
    v.field("classes", p.classes);
    v.field("students_per_class", p.studentsPerClass);
    v.field("exercises", p.exercises);
    v.field("addresses_per_class", p.addressesPerClass);
    v.object("sessions", p.sessions);
}

template<typename V>
void visitFields(V& v, SimBenignConfig& b)
{
    v.object("casual", b.casual);
    v.object("developer", b.developer);
    v.object("enterprise_batch", b.batch);
    v.object("evaluator", b.evaluator);
    v.object("nat", b.nat);
    v.object("reseller", b.reseller);
    v.object("classroom", b.classroom);
    v.object("homework", b.homework);
    v.object("power_user", b.powerUser);
}

template<typename V>
void visitFields(V& v, SimAdversaryConfig& a)
{
    v.field("name", a.name);
    v.field("accounts", a.accounts);
    v.field("start_day", a.startDay);
    v.field("end_day", a.endDay);
    v.field("requests_per_account", a.requestsPerAccount);
    v.field("account_age_days", a.accountAgeDays);
    v.field("ips_per_account", a.ipsPerAccount);
    v.field("sdk_share", a.sdkShare);
    v.field("cohorts", a.cohorts);
    v.field("active_days", a.activeDays);
    v.field("active_day_share", a.activeDayShare);
    v.field("sessions_per_day", a.sessionsPerDay);
    v.field("gap_median_seconds", a.gapMedianSeconds);
    v.field("local_hours", a.localHours);
    v.field("raw_share", a.rawShare);
    v.field("camouflage_share", a.camouflageShare);
    v.field("samples_per_task", a.samplesPerTask);
    v.field("agentic_share", a.agenticShare);
    v.field("reseller_share", a.resellerShare);
    v.field("chase_share", a.chaseShare);
    v.field("chase_delay_hours", a.chaseDelayHours);
    v.field("models", a.models);
    v.field("max_tokens", a.maxTokens);
}

template<typename V>
void visitFields(V& v, SimCampaignConfig& c)
{
    v.field("name", c.name);
    v.field("kind", c.kind);
    v.field("accounts", c.accounts);
    v.field("requests", c.requests);
    v.field("workers", c.workers);
    v.field("start_day", c.startDay);
    v.field("end_day", c.endDay);
    v.field("signup_waves", c.signupWaves);
    v.field("signup_lead_hours", c.signupLeadHours);
    v.field("handoff_gap_minutes", c.handoffGapMinutes);
    v.field("throwaway_email_share", c.throwawayEmailShare);
    v.field("throwaway_domains", c.throwawayDomains);
    v.field("payment_groups", c.paymentGroups);
    v.field("payment_shared_share", c.paymentSharedShare);
    v.field("residential_share", c.residentialShare);
    v.field("residential_pool", c.residentialPool);
    v.field("datacenter_subnets", c.datacenterSubnets);
    v.field("ip_rotate_share", c.ipRotateShare);
    v.field("user_agents", c.userAgents);
    v.field("user_agent_rotate_share", c.userAgentRotateShare);
    v.field("rate_limit_rpm", c.rateLimitRpm);
    v.field("burst_utilisation", c.burstUtilisation);
    v.field("burst_size", c.burstSize);
    v.field("gap_cv", c.gapCv);
    v.field("camouflage_share", c.camouflageShare);
    v.field("chase_share", c.chaseShare);
    v.field("chase_delay_hours", c.chaseDelayHours);
    v.field("reseller_share", c.resellerShare);
    v.field("cloud_share", c.cloudShare);
    v.field("models", c.models);
    v.field("max_tokens", c.maxTokens);
    v.field("system_prompts", c.systemPrompts);
    v.field("templates", c.templates);
    v.field("wrapper_edits", c.wrapperEdits);
}

template<typename V>
void visitFields(V& v, SimScenario& s)
{
    v.field("name", s.name);
    v.field("description", s.description);
    v.time("start", s.startMs);
    v.field("days", s.days);
    v.field("models", s.models);
    v.field("model_weights", s.modelWeights);
    v.field("released_model", s.releasedModel);
    v.field("release_day", s.releaseDay);
    v.object("benign", s.benign);
    v.campaigns("campaigns", s.campaigns);
    v.objects("adversaries", s.adversaries);
}

QString validate(const SimScenario& s)
{
    if (s.days <= 0 || s.days > 366)
        return QStringLiteral("days must be in (0, 366]");
    if (s.models.isEmpty() || static_cast<std::size_t>(s.models.size()) != s.modelWeights.size())
        return QStringLiteral("models and model_weights must be non-empty and of equal length");
    for (const SimCampaignConfig& c : s.campaigns) {
        if (c.accounts < 1 || c.workers < 1 || c.requests < 1)
            return QStringLiteral("campaign %1: accounts, workers and requests must be positive").arg(c.name);
        if (c.startDay < 0 || c.endDay > s.days || c.endDay <= c.startDay)
            return QStringLiteral("campaign %1: 0 <= start_day < end_day <= days").arg(c.name);
        if (c.templates.isEmpty() || c.models.isEmpty() || c.userAgents.isEmpty() || c.maxTokens.empty())
            return QStringLiteral("campaign %1: templates, models, user_agents and max_tokens must not be empty").arg(c.name);
        if (c.rateLimitRpm < 1 || c.residentialPool < 1 || c.datacenterSubnets < 1)
            return QStringLiteral("campaign %1: rate_limit_rpm, residential_pool and datacenter_subnets must be positive").arg(c.name);
    }
    for (const SimAdversaryConfig& a : s.adversaries) {
        if (a.accounts < 1 || a.cohorts < 1)
            return QStringLiteral("adversary %1: accounts and cohorts must be positive").arg(a.name);
        if (a.startDay < 0 || a.endDay > s.days || a.endDay <= a.startDay)
            return QStringLiteral("adversary %1: 0 <= start_day < end_day <= days").arg(a.name);
        if (a.requestsPerAccount.lo < 1 || a.ipsPerAccount.lo < 1 || a.activeDays.lo <= 0 || a.samplesPerTask.lo < 1)
            return QStringLiteral("adversary %1: requests_per_account, ips_per_account, active_days and samples_per_task "
                                  "must be positive").arg(a.name);
        if (a.maxTokens.empty() || a.localHours.lo < 0 || a.localHours.hi > 24)
            return QStringLiteral("adversary %1: max_tokens must not be empty, local_hours within [0, 24]").arg(a.name);
        for (double share : {a.rawShare, a.camouflageShare, a.agenticShare, a.resellerShare, a.chaseShare, a.sdkShare,
                             a.activeDayShare})
            if (share < 0 || share > 1)
                return QStringLiteral("adversary %1: shares must be within [0, 1]").arg(a.name);
        if (a.camouflageShare >= 1)
            return QStringLiteral("adversary %1: camouflage_share must be below 1").arg(a.name);
    }
    if (s.benign.classroom.classes > 0 && (s.benign.classroom.exercises < 1 || s.benign.classroom.addressesPerClass < 1))
        return QStringLiteral("classroom: exercises and addresses_per_class must be positive");
    if (s.benign.batch.templates.isEmpty() || s.benign.evaluator.templates.isEmpty())
        return QStringLiteral("enterprise_batch and evaluator need templates");
    return {};
}

int scaled(int n, double scale, int minimum)
{
    if (n <= 0)
        return 0;
    return std::max(minimum, static_cast<int>(std::lround(n * scale)));
}

} // namespace

SimScenario SimScenario::fromJson(const QJsonObject& o, QString* error)
{
    SimScenario s = defaults();
    QString err;
    JsonReader r(o, QStringLiteral("scenario"), &err);
    visitFields(r, s);
    r.finish();
    if (err.isEmpty())
        err = validate(s);
    if (error)
        *error = err;
    return s;
}

QJsonObject SimScenario::toJson() const
{
    JsonWriter w;
    SimScenario copy = *this;
    visitFields(w, copy);
    return w.o;
}

void SimScenario::applyScale(double scale)
{
    if (scale == 1.0)
        return;
    // Hard negatives and reseller/NAT groups keep at least one of each, so every role stays present.
    benign.casual.accounts = scaled(benign.casual.accounts, scale, 1);
    benign.developer.accounts = scaled(benign.developer.accounts, scale, 1);
    // A pipeline cannot be split below one account: slow it down instead, so volumes keep their proportions.
    const double batchExact = benign.batch.accounts * scale;
    benign.batch.accounts = scaled(benign.batch.accounts, scale, 1);
    if (benign.batch.accounts > 0 && batchExact < benign.batch.accounts)
        benign.batch.requestsPerHour *= batchExact / benign.batch.accounts;
    benign.evaluator.accounts = scaled(benign.evaluator.accounts, scale, 1);
    benign.nat.groups = scaled(benign.nat.groups, scale, 1);
    benign.reseller.customersPerReseller = scaled(benign.reseller.customersPerReseller, scale, 3);
    benign.nat.accountsPerGroup = scaled(benign.nat.accountsPerGroup, std::sqrt(scale), 3);
    benign.classroom.classes = scaled(benign.classroom.classes, scale, 1);
    benign.classroom.studentsPerClass = scaled(benign.classroom.studentsPerClass, std::sqrt(scale), 3);
    benign.homework.accounts = scaled(benign.homework.accounts, scale, 1);
    benign.powerUser.accounts = scaled(benign.powerUser.accounts, scale, 1);
    for (SimAdversaryConfig& a : adversaries)
        a.accounts = scaled(a.accounts, scale, 4); // per-account volume is a habit; the operation grows in accounts
    for (SimCampaignConfig& c : campaigns) {
        c.accounts = scaled(c.accounts, scale, 2);
        c.workers = std::min(c.accounts, scaled(c.workers, scale, 1));
        c.requests = std::max<std::int64_t>(c.accounts, std::llround(static_cast<double>(c.requests) * scale));
    }
}

QStringList SimScenario::builtinNames()
{
    return {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("demo"), QStringLiteral("campaign"),
            QStringLiteral("adversarial")};
}

SimScenario SimScenario::load(const QString& nameOrPath, QString* error)
{
    const QString path = builtinNames().contains(nameOrPath)
                             ? QStringLiteral(":/sim/scenarios/%1.json").arg(nameOrPath)
                             : nameOrPath;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("no scenario \"%1\" (built in: %2)").arg(nameOrPath, builtinNames().join(QStringLiteral(", ")));
        return {};
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1: not a JSON object (%2)").arg(path, pe.errorString());
        return {};
    }
    return fromJson(doc.object(), error);
}

} // namespace ds
