#include "workspace/Scope.h"

namespace ds {

QString pivotKindName(PivotKind k)
{
    switch (k) {
    case PivotKind::None: return {};
    case PivotKind::Ip: return QStringLiteral("IP");
    case PivotKind::Network: return QStringLiteral("Network");
    case PivotKind::UserAgent: return QStringLiteral("User agent");
    case PivotKind::Model: return QStringLiteral("Model");
    case PivotKind::Template: return QStringLiteral("Template");
    case PivotKind::PaymentFingerprint: return QStringLiteral("Payment fingerprint");
    case PivotKind::EmailDomain: return QStringLiteral("E-mail domain");
    case PivotKind::Account: return QStringLiteral("Account");
    }
    return {};
}

SearchQuery SearchQuery::parse(const QString& query)
{
    SearchQuery q;
    QStringList free;
    // Tokens split on spaces; a double-quoted run stays one token so `"step by step"` works.
    QStringList tokens;
    QString cur;
    bool quoted = false;
    for (QChar c : query) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            continue;
        }
        if (c.isSpace() && !quoted) {
            if (!cur.isEmpty())
                tokens << cur;
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.isEmpty())
        tokens << cur;
    for (const QString& t : tokens) {
        const qsizetype colon = t.indexOf(QLatin1Char(':'));
        const QString key = colon > 0 ? t.left(colon).toLower() : QString();
        const QString value = colon > 0 ? t.mid(colon + 1) : t;
        if (key == QLatin1String("ip") && !value.isEmpty())
            q.ips << value;
        else if (key == QLatin1String("account") && !value.isEmpty())
            q.accounts << value;
        else if (key == QLatin1String("template") && !value.isEmpty())
            q.templates << value.toLower();
        else if (key == QLatin1String("model") && !value.isEmpty())
            q.models << value;
        else
            free << t; // an IPv6 address or "foo:bar" in a prompt stays free text
    }
    q.terms = free;
    q.text = free.join(QLatin1Char(' '));
    return q;
}

bool ViewScope::hasRequestCondition() const
{
    const bool requestPivot = pivot.kind == PivotKind::Ip || pivot.kind == PivotKind::Network
                              || pivot.kind == PivotKind::UserAgent || pivot.kind == PivotKind::Model
                              || pivot.kind == PivotKind::Template;
    return hasTime() || requestPivot || !search.ips.isEmpty() || !search.templates.isEmpty()
           || !search.models.isEmpty() || !search.text.isEmpty();
}

void SqlFragment::andWith(const SqlFragment& other)
{
    if (other.isEmpty())
        return;
    sql = sql.isEmpty() ? other.sql : QStringLiteral("(%1) AND (%2)").arg(sql, other.sql);
    params += other.params;
}

namespace scopesql {

QString escapeLike(const QString& s)
{
    QString out;
    out.reserve(s.size());
    for (QChar c : s) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

QString networkPrefix(const QString& ip)
{
    if (ip.contains(QLatin1Char(':'))) {
        const QStringList groups = ip.split(QLatin1Char(':'));
        return groups.mid(0, 3).join(QLatin1Char(':')) + QLatin1Char(':');
    }
    const qsizetype dot = ip.lastIndexOf(QLatin1Char('.'));
    return dot > 0 ? ip.left(dot + 1) : ip;
}

namespace {

QString intList(const std::vector<std::int64_t>& ids)
{
    // Integers we produced ourselves, so listing them in the SQL text is safe.
    QString s;
    s.reserve(static_cast<qsizetype>(ids.size() * 8));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i)
            s += QLatin1Char(',');
        s += QString::number(ids[i]);
    }
    return s.isEmpty() ? QStringLiteral("NULL") : s;
}

SqlFragment ipEquals(const QString& value)
{
    // "ip:10.1.2.*" or "ip:10.1.2.0/24" search a network; a plain value one address.
    if (value.endsWith(QLatin1Char('*')))
        return {QStringLiteral("r.ip IN (SELECT id FROM ip WHERE value LIKE ? ESCAPE '\\')"),
                {escapeLike(value.chopped(1)) + QLatin1Char('%')}};
    if (value.contains(QLatin1Char('/')))
        return {QStringLiteral("r.ip IN (SELECT id FROM ip WHERE value LIKE ? ESCAPE '\\')"),
                {escapeLike(networkPrefix(value.section(QLatin1Char('/'), 0, 0))) + QLatin1Char('%')}};
    return {QStringLiteral("r.ip = (SELECT id FROM ip WHERE value = ?)"), {value}};
}

SqlFragment templateEquals(const QString& hex)
{
    bool ok = false;
    const quint64 h = hex.toULongLong(&ok, 16);
    // Hashes are stored as the signed reinterpretation of the 64-bit value.
    return {QStringLiteral(DS_TEMPLATE_KEY_SQL " = ?"), {ok ? static_cast<qint64>(h) : qint64(0)}};
}

SqlFragment anyOf(const QStringList& values, SqlFragment (*one)(const QString&))
{
    SqlFragment out;
    for (const QString& v : values) {
        const SqlFragment f = one(v);
        out.sql += (out.sql.isEmpty() ? QString() : QStringLiteral(" OR ")) + QLatin1Char('(') + f.sql + QLatin1Char(')');
        out.params += f.params;
    }
    return out;
}

SqlFragment pivotOnRequest(const Pivot& p)
{
    switch (p.kind) {
    case PivotKind::Ip: return {QStringLiteral("r.ip = (SELECT id FROM ip WHERE value = ?)"), {p.value}};
    case PivotKind::Network:
        return {QStringLiteral("r.ip IN (SELECT id FROM ip WHERE value LIKE ? ESCAPE '\\')"),
                {escapeLike(networkPrefix(p.value)) + QLatin1Char('%')}};
    case PivotKind::UserAgent: return {QStringLiteral("r.user_agent = (SELECT id FROM user_agent WHERE value = ?)"), {p.value}};
    case PivotKind::Model: return {QStringLiteral("r.model = (SELECT id FROM model WHERE value = ?)"), {p.value}};
    case PivotKind::Template: return templateEquals(p.value);
    default: return {};
    }
}

SqlFragment pivotOnAccount(const Pivot& p, const QString& accountCol)
{
    switch (p.kind) {
    case PivotKind::PaymentFingerprint:
        return {accountCol + QStringLiteral(" IN (SELECT id FROM account WHERE payment_fingerprint = "
                                            "(SELECT id FROM payment_fingerprint WHERE value = ?))"),
                {p.value}};
    case PivotKind::EmailDomain:
        return {accountCol + QStringLiteral(" IN (SELECT id FROM account WHERE email_domain = "
                                            "(SELECT id FROM email_domain WHERE value = ?))"),
                {p.value}};
    case PivotKind::Account:
        return {accountCol + QStringLiteral(" = (SELECT id FROM account WHERE account_id = ?)"), {p.value}};
    default: return {};
    }
}

SqlFragment searchAccounts(const SearchQuery& s, const QString& accountCol)
{
    SqlFragment f;
    for (const QString& a : s.accounts) {
        const bool prefix = a.endsWith(QLatin1Char('*'));
        f.sql += (f.sql.isEmpty() ? QString() : QStringLiteral(" OR "))
                 + (prefix ? accountCol + QStringLiteral(" IN (SELECT id FROM account WHERE account_id LIKE ? ESCAPE '\\')")
                           : accountCol + QStringLiteral(" = (SELECT id FROM account WHERE account_id = ?)"));
        f.params << (prefix ? escapeLike(a.chopped(1)) + QLatin1Char('%') : a);
    }
    return f;
}

// Request-level conditions only (no account restriction), shared by both builders.
SqlFragment requestOnly(const ViewScope& scope)
{
    SqlFragment f;
    if (scope.hasTime())
        f.andWith({QStringLiteral("r.ts >= ? AND r.ts < ?"), {qint64(*scope.fromMs), qint64(*scope.toMs)}});
    f.andWith(pivotOnRequest(scope.pivot));
    f.andWith(anyOf(scope.search.ips, &ipEquals));
    f.andWith(anyOf(scope.search.templates, &templateEquals));
    f.andWith(anyOf(scope.search.models, [](const QString& m) {
        return SqlFragment{QStringLiteral("r.model = (SELECT id FROM model WHERE value = ?)"), {m}};
    }));
    // Every free term must occur in the prompt (case-insensitive for ASCII, as LIKE is).
    for (const QString& term : scope.search.terms)
        f.andWith({QStringLiteral("r.id IN (SELECT id FROM request_text WHERE ds_text(prompt) LIKE ? ESCAPE '\\')"),
                   {QLatin1Char('%') + escapeLike(term) + QLatin1Char('%')}});
    return f;
}

} // namespace

SqlFragment requestCondition(const ViewScope& scope)
{
    SqlFragment f = requestOnly(scope);
    if (scope.accountsRestricted)
        f.andWith({QStringLiteral("r.account IN (%1)").arg(intList(scope.accounts)), {}});
    f.andWith(pivotOnAccount(scope.pivot, QStringLiteral("r.account")));
    f.andWith(searchAccounts(scope.search, QStringLiteral("r.account")));
    return f;
}

SqlFragment accountCondition(const ViewScope& scope)
{
    SqlFragment f;
    if (scope.accountsRestricted)
        f.andWith({QStringLiteral("a.id IN (%1)").arg(intList(scope.accounts)), {}});
    f.andWith(pivotOnAccount(scope.pivot, QStringLiteral("a.id")));
    f.andWith(searchAccounts(scope.search, QStringLiteral("a.id")));
    const SqlFragment req = requestOnly(scope);
    if (!req.isEmpty())
        f.andWith({QStringLiteral("a.id IN (SELECT r.account FROM request r WHERE %1)").arg(req.sql), req.params});
    return f;
}

} // namespace scopesql
} // namespace ds
