#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <cstdint>
#include <optional>
#include <vector>

namespace ds {

// What a pivot is on: a value shared by requests or accounts.
enum class PivotKind { None, Ip, Network, UserAgent, Model, Template, PaymentFingerprint, EmailDomain, Account };
QString pivotKindName(PivotKind k);

// "Everything that shares this value": the kind and the value as the analyst saw it.
// For Template the value is the skeleton hash as 16 hex digits. Plain value type: any thread.
struct Pivot
{
    PivotKind kind = PivotKind::None;
    QString value;
    bool isActive() const { return kind != PivotKind::None; }
    bool operator==(const Pivot&) const = default;
};

// The search box's query: `ip:`, `account:`, `template:`, `model:` terms and free
// text searched in prompts. Plain value type: any thread.
struct SearchQuery
{
    QStringList ips, accounts, templates, models;
    QStringList terms; // free-text words or quoted phrases, all required
    QString text;      // the terms joined, for display
    static SearchQuery parse(const QString& query);
    bool isEmpty() const { return ips.isEmpty() && accounts.isEmpty() && templates.isEmpty() && models.isEmpty() && text.isEmpty(); }
    bool operator==(const SearchQuery&) const = default;
};

// The part of the data every view shows: a time range brushed on the timeline,
// a set of accounts (a cluster or a graph selection), a pivot and a search.
// Plain value type: built on the GUI thread, copied to workers.
struct ViewScope
{
    std::optional<std::int64_t> fromMs, toMs; // half-open [from, to)
    bool accountsRestricted = false;
    std::vector<std::int64_t> accounts;        // account.id values when restricted
    QString accountsLabel;                     // e.g. "cluster C3", for banners
    Pivot pivot;
    SearchQuery search;
    QString accountFilter; // the accounts view's indicator filter (workspace/AccountFilter.h)

    bool hasTime() const { return fromMs.has_value() && toMs.has_value(); }
    // True when a request-level condition applies (time, request fields, prompt text).
    bool hasRequestCondition() const;
    bool operator==(const ViewScope&) const = default;
};

// A piece of SQL with its positional parameters, so values never enter SQL text.
struct SqlFragment
{
    QString sql;
    QVariantList params;
    bool isEmpty() const { return sql.isEmpty(); }
    void andWith(const SqlFragment& other);
};

// A request's prompt template: its fingerprint (ds-skeleton-v1, text/TemplateFingerprint.h), the one identity
// the Templates tab groups by, a pivot filters on, the labels and the report name and the STIX export shares.
#define DS_TEMPLATE_KEY_SQL "r.skeleton_hash"

// Builds WHERE conditions for a scope. `r` and `a` are the aliases of request and account.
namespace scopesql {
// Condition on request rows `r` (time, accounts, pivot, search); empty when none.
SqlFragment requestCondition(const ViewScope& scope);
// Condition on account rows `a`; request-level parts become `a.id IN (SELECT r.account ...)`.
SqlFragment accountCondition(const ViewScope& scope);
// The /24 (IPv4) or /48 (IPv6) network of an address, as a text prefix ("203.0.113." / "2001:db8:1:").
QString networkPrefix(const QString& ip);
// Escapes LIKE wildcards with '\\' (use with ESCAPE '\\').
QString escapeLike(const QString& s);
} // namespace scopesql

} // namespace ds
