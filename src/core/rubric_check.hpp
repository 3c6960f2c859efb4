// Rule P1 for a content pack's optional "rubric" object, written against a
// JSON View (json_view.hpp) like the rest of P1. Every problem carries its
// JSON path, e.g. $.rubric.thresholds.Pace.pass_lo. The fields and their
// meaning are in docs/scoring.md; rubric_with_overrides() (rubric.cpp)
// applies a rubric that passed.
#pragma once
#include "pure.hpp"

#include "interrupt.hpp"
#include "json_view.hpp"
#include "limits.hpp"
#include "rubric.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace residency {

std::string normalize_phrase(std::string_view phrase);  // scorer.cpp

namespace rubric_check {

inline constexpr std::string_view check_names[] = {"Length",    "Pace",      "Fillers",  "Wording",
                                                   "Ownership", "Structure", "Substance"};
inline constexpr std::string_view kind_names[] = {"behavioral", "situational", "motivation"};
// Structure parts a rubric may name (each has a fix text "structure.<part>").
inline constexpr std::string_view part_names[] = {"context", "action",    "result", "lesson",   "clarify", "options",
                                                  "act",     "follow_up", "claim",  "evidence", "fit"};

// Numeric fields of thresholds.<section>: name, minimum, maximum, integer.
struct NumberField {
    const char* name;
    double min;
    double max;
    bool integer;
};
struct Section {
    const char* name;
    std::vector<NumberField> fields;
};
const std::vector<Section>& threshold_sections();
// Fields of a section that must be non-decreasing, in that order.
const std::vector<std::pair<const char*, std::vector<const char*>>>& threshold_orders();
// The compiled-in value of thresholds.<section>.<field>.
double default_threshold(std::string_view section, std::string_view field);

// Lexicon names and whether they are an object (term -> alternative).
inline constexpr std::pair<const char*, bool> lexicon_names[] = {
    {"filler_core", false},    {"filler_discourse", false}, {"hedges", false},    {"flagged_terms", true},
    {"i_words", false},        {"we_words", false},         {"you_words", false}, {"plan_frames", false},
    {"irregular_past", false}, {"detail_words", false},     {"stopwords", false}};
inline constexpr std::size_t max_lexicon_entries = 1000;
inline constexpr std::size_t max_phrase_chars = 100;
// Bytes of all the phrases a rubric adds to every question's automaton
// (lexicons but stopwords, flagged terms, structure cues of every kind):
// each question's automaton holds them, at about 20 bytes of memory each.
inline constexpr std::size_t max_rubric_phrase_bytes = 64 * 1024;
inline constexpr std::size_t max_template_chars = 400;
// No check may weigh more than this share of the score (weight_shares()):
// of a spoken answer's weights, and of a typed answer's, which has no Pace
// and so gives the others larger shares.
inline constexpr int max_weight_share_percent = 40;
inline constexpr int max_typed_weight_share_percent = 50;
inline constexpr std::size_t pace_index = 1;  // Pace, not scored for typed answers

template <class View>
struct Checker {
    std::vector<JsonProblem>& problems;
    std::size_t phrase_bytes = 0;  // of the phrases that go into the automaton
    void problem(const JsonPath& p, std::string m) { problems.push_back({p.str(), std::move(m)}); }

    bool object(const View& v, const JsonPath& p)
    {
        if (v.type() == JsonType::object)
            return true;
        problem(p, "must be an object, not " + describe_json(v));
        return false;
    }
    template <class Known>
    void keys(const View& obj, const JsonPath& path, const Known& known, const char* what)
    {
        obj.for_each_key([&](std::string_view key) {
            if (std::find(std::begin(known), std::end(known), key) == std::end(known))
                problem(path.key(key), std::string("is not a known ") + what);
        });
    }
    std::optional<std::string_view> text(const View& v, const JsonPath& p, std::size_t max_chars)
    {
        if (v.type() != JsonType::string) {
            problem(p, "must be a string, not " + describe_json(v));
            return std::nullopt;
        }
        std::string_view s = v.string();
        if (is_blank(s)) {
            problem(p, "must not be empty");
            return std::nullopt;
        }
        if (s.size() > max_chars) {
            problem(p, "is longer than " + std::to_string(max_chars) + " bytes");
            return std::nullopt;
        }
        return s;
    }
    std::optional<double> number(const View& v, const JsonPath& p, double min, double max, bool integer)
    {
        if (v.type() != JsonType::number) {
            problem(p, "must be a number, not " + describe_json(v));
            return std::nullopt;
        }
        double x = v.number();
        if (integer && !v.integral()) {
            problem(p, "must be an integer, found " + v.excerpt(30));
            return std::nullopt;
        }
        if (!(x >= min && x <= max)) {
            problem(p, "must be from " + format_number(min) + " to " + format_number(max) + ", found " + v.excerpt(30));
            return std::nullopt;
        }
        return x;
    }
    // "{name}" placeholders of a template must be among `allowed`.
    void placeholders(std::string_view text, const JsonPath& p, const std::vector<std::string>& allowed)
    {
        std::size_t i = 0;
        while ((i = text.find('{', i)) != std::string_view::npos) {
            std::size_t close = text.find('}', i);
            if (close == std::string_view::npos)
                break;
            std::string_view name = text.substr(i + 1, close - i - 1);
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string list;
                for (const auto& a : allowed)
                    list += (list.empty() ? "{" : ", {") + a + "}";
                problem(p, "uses {" + std::string(name) + "}; this text may use " + (list.empty() ? "none" : list));
            }
            i = close + 1;
        }
    }
    // A lexicon phrase, a structure cue or a flagged term: some words, not
    // too many (each is a path through the question's automaton).
    void phrase_words(std::string_view phrase, const JsonPath& p)
    {
        std::string normal = normalize_phrase(phrase);
        if (normal.empty()) {
            problem(p, "has no word to match");
            return;
        }
        std::size_t words = 1 + static_cast<std::size_t>(std::count(normal.begin(), normal.end(), ' '));
        if (words > max_phrase_words)
            problem(p, "has " + std::to_string(words) + " words; a phrase may have at most " +
                           std::to_string(max_phrase_words));
    }
    void phrase(const View& v, const JsonPath& p, bool matched)
    {
        if (std::optional<std::string_view> s = text(v, p, max_phrase_chars)) {
            phrase_words(*s, p);
            phrase_bytes += matched ? s->size() : 0;
        }
    }
    // `matched`: the phrases go into the automaton (not the stopwords).
    void phrases(const View& v, const JsonPath& p, bool matched = true)
    {
        if (v.type() != JsonType::array) {
            problem(p, "must be an array of phrases, not " + describe_json(v));
            return;
        }
        if (v.size() > max_lexicon_entries)
            problem(p, "holds more than " + std::to_string(max_lexicon_entries) + " phrases");
        for (std::size_t i = 0; i < v.size() && i < max_lexicon_entries; ++i) {
            if (i % 256 == 255)
                poll_interrupts();
            phrase(v.at(i), p.index(i), matched);
        }
    }
    // A weights object: any subset of the 7 checks, integers 0..100.
    void weights(const View& v, const JsonPath& p)
    {
        if (!object(v, p))
            return;
        keys(v, p, check_names, "check (Length, Pace, Fillers, Wording, Ownership, Structure, Substance)");
        for (std::string_view name : check_names)
            if (std::optional<View> w = v.find(name))
                number(*w, p.key(name), 0, 100, true);
    }
    // A weight set as the scorer applies it (merged with what it starts
    // from) must let no single check decide the score: each check at most
    // max_weight_share_percent of the weights of spoken answers (all 7),
    // max_typed_weight_share_percent of those of typed ones (Pace does not
    // count) and of a set that gives Pace no weight, and some weight at all.
    void weight_shares(const std::array<int, check_count>& w, const JsonPath& p)
    {
        for (bool typed : {false, true}) {
            int sum = 0;
            for (std::size_t k = 0; k < check_count; ++k)
                sum += typed && k == pace_index ? 0 : w[k];
            const char* answers = typed ? "typed answers (Pace does not count)" : "spoken answers";
            if (sum <= 0) {
                problem(p, std::string("gives no weight to any check of ") + answers);
                return;
            }
            std::size_t top = check_count;  // the heaviest check that counts
            for (std::size_t k = 0; k < check_count; ++k)
                if (!(typed && k == pace_index) && (top == check_count || w[k] > w[top]))
                    top = k;
            // A weight set without Pace has no Pace for spoken answers either.
            const bool without_pace = typed || w[pace_index] == 0;
            const int max_share = without_pace ? max_typed_weight_share_percent : max_weight_share_percent;
            if (100 * w[top] > max_share * sum) {
                problem(p, "gives " + std::string(check_names[top]) + " " + std::to_string(w[top]) + " of " +
                               std::to_string(sum) + " for " + answers + " (" +
                               std::to_string((100 * w[top] + sum / 2) / sum) + "%); no check may weigh more than " +
                               std::to_string(max_share) + "% of the score");
                return;
            }
        }
    }
};

// The weights object `o` (validated) applied to `w`, as
// rubric_with_overrides() applies it.
template <class View>
void apply_weights(std::array<int, check_count>& w, const View& o)
{
    for (std::size_t k = 0; k < check_count; ++k)
        if (std::optional<View> x = o.find(check_names[k]); x && x->type() == JsonType::number)
            w[k] = static_cast<int>(x->number());
}

// A copy of a (small, validated) JSON value, for rubric_with_overrides().
template <class View>
Json to_json(const View& v)
{
    switch (v.type()) {
    case JsonType::null:
        return Json(nullptr);
    case JsonType::boolean:
        return Json(v.boolean());
    case JsonType::number:
        if (v.integral() && std::fabs(v.number()) < 9.0e15)
            return Json(static_cast<std::int64_t>(v.number()));
        return Json(v.number());
    case JsonType::string:
        return Json(std::string(v.string()));
    case JsonType::array: {
        Json out = Json::array();
        for (std::size_t i = 0; i < v.size(); ++i)
            out.push_back(to_json(v.at(i)));
        return out;
    }
    case JsonType::object: {
        Json out = Json::object();
        v.for_each_key([&](std::string_view key) {
            if (std::optional<View> x = v.find(key))
                out[std::string(key)] = to_json(*x);
        });
        return out;
    }
    }
    return Json(nullptr);
}

}  // namespace rubric_check

// Rule P1 on a pack's "rubric" object. `categories` are the pack's
// $.metadata.categories (rubric.kinds names them).
template <class View>
void check_rubric(const View& rubric, const JsonPath& path, const std::vector<std::string_view>& categories,
                  std::vector<JsonProblem>& problems)
{
    using namespace rubric_check;
    Checker<View> c{problems};
    if (!c.object(rubric, path))
        return;
    static constexpr std::string_view top[] = {"version",   "weights", "kind_weights", "thresholds", "lexicons",
                                               "structure", "kinds",   "notes",        "fixes",      "practice"};
    c.keys(rubric, path, top, "rubric key (see docs/scoring.md)");

    if (std::optional<View> v = rubric.find("version"))
        c.text(*v, path.key("version"), 40);
    const std::size_t before_weights = problems.size();
    std::optional<View> weights = rubric.find("weights");
    if (weights)
        c.weights(*weights, path.key("weights"));
    std::optional<View> kind_weights = rubric.find("kind_weights");
    if (kind_weights && c.object(*kind_weights, path.key("kind_weights"))) {
        JsonPath kw = path.key("kind_weights");
        c.keys(*kind_weights, kw, kind_names, "kind (behavioral, situational, motivation)");
        for (std::string_view kind : kind_names)
            if (std::optional<View> w = kind_weights->find(kind))
                c.weights(*w, kw.key(kind));
    }
    if (problems.size() == before_weights) {
        // Merged as rubric_with_overrides() merges them: the weights over
        // the defaults; a kind's over that kind's compiled-in weights, else
        // over the (merged) weights.
        const Rubric& d = default_rubric();
        std::array<int, check_count> base = d.weights;
        if (weights) {
            apply_weights(base, *weights);
            c.weight_shares(base, path.key("weights"));
        }
        if (kind_weights) {
            JsonPath kw = path.key("kind_weights");
            for (std::size_t k = 0; k < std::size(kind_names); ++k)
                if (std::optional<View> w = kind_weights->find(kind_names[k])) {
                    auto own = d.kind_weights.find(static_cast<QuestionKind>(k));
                    std::array<int, check_count> merged = own != d.kind_weights.end() ? own->second : base;
                    apply_weights(merged, *w);
                    c.weight_shares(merged, kw.key(kind_names[k]));
                }
        }
    }

    if (std::optional<View> v = rubric.find("thresholds"); v && c.object(*v, path.key("thresholds"))) {
        JsonPath th = path.key("thresholds");
        std::vector<std::string_view> sections;
        for (const Section& s : threshold_sections())
            sections.push_back(s.name);
        c.keys(*v, th, sections, "threshold section");
        for (const Section& s : threshold_sections()) {
            std::optional<View> sec = v->find(s.name);
            if (!sec || !c.object(*sec, th.key(s.name)))
                continue;
            JsonPath sp = th.key(s.name);
            std::vector<std::string_view> names;
            for (const NumberField& f : s.fields)
                names.push_back(f.name);
            c.keys(*sec, sp, names, "threshold");
            for (const NumberField& f : s.fields)
                if (std::optional<View> x = sec->find(f.name))
                    c.number(*x, sp.key(f.name), f.min, f.max, f.integer);
        }
        // The limits must stay in order once merged with the defaults.
        for (const auto& [section, fields] : threshold_orders()) {
            std::optional<View> sec = v->find(section);
            if (!sec || sec->type() != JsonType::object)
                continue;
            std::vector<double> values;
            for (const char* f : fields) {
                std::optional<View> x = sec->find(f);
                values.push_back(x && x->type() == JsonType::number ? x->number() : default_threshold(section, f));
            }
            if (!std::is_sorted(values.begin(), values.end())) {
                std::string order;
                for (const char* f : fields)
                    order += (order.empty() ? "" : " <= ") + std::string(f);
                c.problem(th.key(section), "must keep " + order + " (with the defaults for what it leaves out)");
            }
        }
    }

    if (std::optional<View> v = rubric.find("lexicons"); v && c.object(*v, path.key("lexicons"))) {
        JsonPath lp = path.key("lexicons");
        std::vector<std::string_view> names;
        for (const auto& [name, is_object] : lexicon_names)
            names.push_back(name);
        c.keys(*v, lp, names, "lexicon");
        for (const auto& [name, is_object] : lexicon_names) {
            std::optional<View> lex = v->find(name);
            if (!lex)
                continue;
            if (!is_object) {
                c.phrases(*lex, lp.key(name), std::string_view(name) != "stopwords");
                continue;
            }
            JsonPath terms = lp.key(name);
            if (!c.object(*lex, terms))
                continue;
            std::size_t count = 0;
            lex->for_each_key([&](std::string_view term) {
                if (++count % 256 == 0)
                    poll_interrupts();
                JsonPath tp = terms.key(term);
                c.phrase_words(term, tp);
                c.phrase_bytes += term.size();
                if (std::optional<View> alt = lex->find(term))
                    c.text(*alt, tp, max_phrase_chars);
            });
        }
    }

    if (std::optional<View> v = rubric.find("structure"); v && c.object(*v, path.key("structure"))) {
        JsonPath st = path.key("structure");
        c.keys(*v, st, kind_names, "kind (behavioral, situational, motivation)");
        for (std::string_view kind : kind_names) {
            std::optional<View> parts = v->find(kind);
            if (!parts)
                continue;
            JsonPath kp = st.key(kind);
            if (parts->type() != JsonType::array || parts->size() == 0 || parts->size() > 8) {
                c.problem(kp, "must be an array of 1 to 8 parts");
                continue;
            }
            int required = 0;
            for (std::size_t i = 0; i < parts->size(); ++i) {
                View part = parts->at(i);
                JsonPath pp = kp.index(i);
                if (!c.object(part, pp))
                    continue;
                static constexpr std::string_view part_keys[] = {"name", "required", "weight", "cues"};
                c.keys(part, pp, part_keys, "part key (name, required, weight, cues)");
                std::optional<View> name = part.find("name");
                if (!name)
                    c.problem(pp.key("name"), "is required");
                else if (std::optional<std::string_view> n = c.text(*name, pp.key("name"), 40)) {
                    if (std::find(std::begin(part_names), std::end(part_names), *n) == std::end(part_names))
                        c.problem(pp.key("name"), "is not a known part (context, action, result, lesson, clarify, "
                                                  "options, act, follow_up, claim, evidence, fit)");
                }
                std::optional<View> req = part.find("required");
                if (req && req->type() != JsonType::boolean)
                    c.problem(pp.key("required"), "must be true or false");
                else if (req && req->boolean())
                    ++required;
                if (std::optional<View> w = part.find("weight"))
                    c.number(*w, pp.key("weight"), 0, 100, true);
                else
                    c.problem(pp.key("weight"), "is required");
                if (std::optional<View> cues = part.find("cues"))
                    c.phrases(*cues, pp.key("cues"));
                else
                    c.problem(pp.key("cues"), "is required");
            }
            if (required == 0)
                c.problem(kp, "needs at least one required part");
        }
    }

    if (std::optional<View> v = rubric.find("kinds"); v && c.object(*v, path.key("kinds"))) {
        JsonPath kp = path.key("kinds");
        v->for_each_key([&](std::string_view category) {
            if (std::find(categories.begin(), categories.end(), category) == categories.end())
                c.problem(kp.key(category), "is not one of $.metadata.categories");
            std::optional<View> kind = v->find(category);
            if (kind && (kind->type() != JsonType::string || std::find(std::begin(kind_names), std::end(kind_names),
                                                                       kind->string()) == std::end(kind_names)))
                c.problem(kp.key(category), "must be behavioral, situational or motivation");
        });
    }

    if (c.phrase_bytes > max_rubric_phrase_bytes)
        c.problem(path, "its lexicons, flagged terms and structure cues hold " + std::to_string(c.phrase_bytes) +
                            " bytes of phrases; a rubric may hold at most " + std::to_string(max_rubric_phrase_bytes) +
                            " (every question's automaton holds them all)");

    auto texts = [&](const char* key, const std::map<std::string, std::vector<std::string>>& known) {
        std::optional<View> v = rubric.find(key);
        if (!v || !c.object(*v, path.key(key)))
            return;
        JsonPath tp = path.key(key);
        v->for_each_key([&](std::string_view id) {
            auto it = known.find(std::string(id));
            if (it == known.end()) {
                c.problem(tp.key(id), "is not a known text id (docs/scoring.md lists them)");
                return;
            }
            if (std::optional<View> t = v->find(id))
                if (std::optional<std::string_view> s = c.text(*t, tp.key(id), max_template_chars))
                    c.placeholders(*s, tp.key(id), it->second);
        });
    };
    texts("notes", note_templates());
    texts("fixes", fix_templates());
    texts("practice", practice_templates());
}

}  // namespace residency
