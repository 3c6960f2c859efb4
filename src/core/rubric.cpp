#include "rubric.hpp"

#include "rubric_check.hpp"

#include <algorithm>

namespace residency {

std::string_view check_name(Check c)
{
    static constexpr std::string_view names[] = {"Length",    "Pace",      "Fillers",  "Wording",
                                                 "Ownership", "Structure", "Substance"};
    return names[static_cast<int>(c)];
}

namespace {

using Placeholders = std::map<std::string, std::vector<std::string>>;

// Notes state what was observed in the answer, never a guess about the person.
const std::map<std::string, std::string> default_notes = {
    {"length.pass", "{seconds} s for a ~{expected} s question ({percent}% of the target)."},
    {"length.short", "{seconds} s for a ~{expected} s question: {percent}% of the target."},
    {"length.long", "{seconds} s for a ~{expected} s question: {percent}% of the target."},
    {"length.few_words", "Only {word_count}: too few for a full answer to a ~{expected} s question."},
    {"pace.pass",
     "{wpm} wpm, within the {pass_lo}-{pass_hi} wpm interviewers rated well (best {ideal_lo}-{ideal_hi})."},
    {"pace.fast", "{wpm} wpm, faster than the {ideal_lo}-{ideal_hi} wpm interviewers rated highest."},
    {"pace.slow", "{wpm} wpm, slower than the {ideal_lo}-{ideal_hi} wpm interviewers rated highest."},
    {"pace.typed", "Typed answer: pace not scored."},
    {"pace.short", "Too short to judge pace ({seconds} s, {word_count}): not scored."},
    {"fillers.pass", "Fillers: {count} ({rate} per 100 words)."},
    {"fillers.flag", "Fillers: {count} ({rate} per 100 words); most often {top}."},
    {"wording.pass", "Hedges: {hedges} ({rate} per 100 words)."},
    {"wording.hedges", "Hedges: {hedges} ({rate} per 100 words), e.g. {examples}."},
    {"wording.term", "'{term}' may land badly with patients or faculty; try '{alternative}'."},
    {"ownership.pass", "'I' x{i} vs 'we' x{we}."},
    {"ownership.flag", "'we' x{we} vs 'I' x{i}: your own part is hard to see."},
    {"ownership.actions", "'I' x{i} vs 'we' x{we}; things you did ('I asked', 'I paged'): {actions}."},
    {"ownership.plan_pass", "Statements of what you would do ('I would...'): {frames}."},
    {"ownership.plan_flag", "Statements of what you would do ('I would...'): {frames}."},
    {"ownership.you", "'you' x{you} ({rate} per 100 words) where the answer is about you."},
    {"structure.pass", "To the point: {seconds} s for a ~{expected} s question; filler words such as 'like' and "
                       "words said twice: {clutter} per 100 words."},
    {"structure.long", "{seconds} s for a ~{expected} s question ({percent}% of it): the point gets lost in the "
                       "length."},
    {"structure.cluttered", "Filler words such as 'like' and words said twice: {clutter} per 100 words{examples}."},
    {"substance.pass", "Covers {hit} of {total} key points; concrete details: {details}."},
    {"substance.flag", "Covers {hit} of {total} key points; not yet: '{missing}'. Concrete details: {details}."},
    {"substance.details", "Covers {hit} of {total} key points; concrete details (numbers, times, names): {details}."},
    {"short", "Only {word_count}: too short to evaluate."},
};

const Placeholders note_placeholders = {
    {"length.pass", {"seconds", "expected", "percent", "words", "word_count"}},
    {"length.short", {"seconds", "expected", "percent", "words", "word_count"}},
    {"length.long", {"seconds", "expected", "percent", "words", "word_count"}},
    {"length.few_words", {"seconds", "expected", "percent", "words", "word_count"}},
    {"pace.pass", {"wpm", "ideal_lo", "ideal_hi", "pass_lo", "pass_hi"}},
    {"pace.fast", {"wpm", "ideal_lo", "ideal_hi", "pass_lo", "pass_hi"}},
    {"pace.slow", {"wpm", "ideal_lo", "ideal_hi", "pass_lo", "pass_hi"}},
    {"pace.typed", {}},
    {"pace.short", {"seconds", "words", "word_count"}},
    {"fillers.pass", {"count", "rate", "top"}},
    {"fillers.flag", {"count", "rate", "top"}},
    {"wording.pass", {"hedges", "rate", "examples"}},
    {"wording.hedges", {"hedges", "rate", "examples"}},
    {"wording.term", {"term", "alternative"}},
    {"ownership.pass", {"i", "we", "actions"}},
    {"ownership.flag", {"i", "we", "actions"}},
    {"ownership.actions", {"i", "we", "actions"}},
    {"ownership.plan_pass", {"frames"}},
    {"ownership.plan_flag", {"frames"}},
    {"ownership.you", {"you", "rate"}},
    {"structure.pass", {"seconds", "expected", "percent", "clutter", "examples", "found", "missing"}},
    {"structure.long", {"seconds", "expected", "percent", "clutter", "examples", "found", "missing"}},
    {"structure.cluttered", {"seconds", "expected", "percent", "clutter", "examples", "found", "missing"}},
    {"substance.pass", {"hit", "total", "details", "missing"}},
    {"substance.flag", {"hit", "total", "details", "missing"}},
    {"substance.details", {"hit", "total", "details", "missing"}},
    {"short", {"words", "word_count"}},
};

// What to change: one concrete instruction per FLAGged check.
const std::map<std::string, std::string> default_fixes = {
    {"length.short", "Give the whole answer: your point, one example of what you did, and how it ended."},
    {"length.long", "Stop once you have made your point and given one example: ~{expected} s at most."},
    {"length.few_words", "Answer in full sentences: your point, what you did, how it ended."},
    {"pace.fast", "Put a full stop after each step of the story and take one breath before the next."},
    {"pace.slow", "Decide your three beats before you start, so you are not composing mid-sentence."},
    {"fillers", "Swap '{top1}' for a one-beat silent pause: silence sounds like thinking."},
    {"wording.hedges", "State what you did as fact: 'I think I kind of talked to her' becomes 'I spoke with her.'"},
    {"wording.term", "Use '{alternative}' instead of '{term}'."},
    {"ownership.past", "Keep the team, name your part: 'We changed the plan; I paged the senior and proposed the "
                       "new dose.'"},
    {"ownership.plan", "Say what you would do, in the first person: 'First I would..., then I would...'."},
    {"ownership.self", "Speak about yourself: 'I chose...', 'I found...' rather than 'you' in general."},
    {"structure.context", "Open with one sentence: when, where, and your role."},
    {"structure.action", "Give 2-3 specific steps you took, each starting with 'I'."},
    {"structure.result", "End with the outcome, for the patient or the team, ideally with a number, then one line on "
                         "what you learned."},
    {"structure.lesson", "Close with one line on what you learned or now do differently."},
    {"structure.clarify", "Start by saying what you would find out first, and from whom."},
    {"structure.options", "Name the options and what is at stake for each (safety, autonomy, honesty) before you "
                          "choose."},
    {"structure.act", "Commit to a first action: 'I would...'."},
    {"structure.follow_up", "Finish with the follow-up: whom you would inform or escalate to, and how you would "
                            "check the outcome."},
    {"structure.claim", "Lead with your answer in one sentence: what draws you, or who you are."},
    {"structure.evidence", "Back it with one concrete experience: where, what you did, what it showed you."},
    {"structure.fit", "Close by linking it to this specialty or program and where you are heading."},
    {"structure.long", "Say your answer in the first sentence, give one example, then stop: aim for ~{target} s."},
    {"structure.cluttered", "When you lose the thread, pause and start the sentence again, once, instead of 'like' "
                            "or saying a word twice."},
    {"substance", "Add one sentence on '{missing}', and one concrete detail: a number, a timeframe or the setting."},
    {"substance.details", "Add concrete details: a number, a timeframe, the setting or who was involved."},
    {"improved", "{check}: {before} -> {after}."},
    {"stretch.length", "Stretch: land closer to ~{expected} s by trimming the set-up."},
    {"stretch.pace", "Stretch: vary your pace; slow down for the key sentence."},
    {"stretch.fillers", "Stretch: replace the remaining fillers with short pauses."},
    {"stretch.wording", "Stretch: drop the last hedges; state your actions as facts."},
    {"stretch.ownership", "Stretch: start one more action sentence with 'I'."},
    {"stretch.structure", "Stretch: end with one sentence on what you now do differently."},
    {"stretch.substance", "Stretch: add one more concrete detail: a number, a name or a timeframe."},
    {"maintain", "Keep this shape next time: context, your actions, the result, one lesson, in about {expected} s."},
};

const Placeholders fix_placeholders = [] {
    Placeholders p;
    for (const auto& [id, text] : default_fixes)
        p[id] = {"expected", "top1", "term", "alternative", "missing", "check", "before", "after", "target"};
    return p;
}();

// One habit to practise: the rule of the top-ranked FLAGged check.
const std::map<std::string, std::string> default_practice = {
    {"length", "Aim for ~{expected} s: context 20%, your actions 60%, result and lesson 20%."},
    {"pace.fast", "One breath per sentence: pause at every full stop."},
    {"pace.slow", "Know your last line before you say your first."},
    {"fillers", "Pause, don't fill: close your mouth at every comma."},
    {"wording", "Facts first: say what you did, not what you think you did."},
    {"ownership", "One 'I' verb per step: every action sentence starts with 'I'."},
    {"structure", "Point, example, stop: say your answer first, back it with one example, then end."},
    {"substance", "One number per story: include at least one count, time or outcome measure."},
    {"maintain", "Rehearse the same shape on a new question: context, actions, result, lesson."},
};

const Placeholders practice_placeholders = [] {
    Placeholders p;
    for (const auto& [id, text] : default_practice)
        p[id] = {"expected"};
    return p;
}();

Rubric make_default()
{
    Rubric r;
    // Hesitations (um, uhm, ummm, uh, ah, er, erm, hm, mm...) are recognised
    // by their spelling, whatever the lexicon (scorer_signals.cpp); a pack
    // may list more core fillers. Of the discourse markers, only 'like'
    // tracks what judges call fillers (docs/scoring.md, Evidence).
    r.filler_core = {};
    r.filler_discourse = {"like"};
    // The hedges judges held against an answer, or at least not for it
    // (docs/scoring.md, Evidence): "I think", "kind of", "probably", "maybe"
    // and "a little bit" went with higher ratings, so they are not counted.
    r.hedges_lexicon = {"i guess", "sort of", "hopefully", "somewhat", "i suppose", "more or less"};
    // A starter list; a clinical reviewer should own it (docs/scoring.md).
    r.flagged_terms = {{"noncompliant", "not yet able to follow the plan"},
                       {"non-compliant", "not yet able to follow the plan"},
                       {"drug abuser", "person who uses drugs"},
                       {"drug seeker", "patient asking for pain relief"},
                       {"drug-seeking", "asking for pain relief"},
                       {"addict", "person with a substance use disorder"},
                       {"junkie", "person who uses drugs"},
                       {"frequent flyer", "patient with frequent visits"},
                       {"frequent flier", "patient with frequent visits"},
                       {"bed blocker", "patient awaiting placement"},
                       {"the diabetic", "the patient with diabetes"},
                       {"a diabetic", "a patient with diabetes"},
                       {"crazy", "distressing"},
                       {"psycho", "a patient in crisis"},
                       {"retarded", "a person with an intellectual disability"},
                       {"obviously", "(leave it out)"},
                       {"everyone knows", "(leave it out)"}};
    r.i_words = {"i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself", "mine", "im", "ive"};
    r.we_words = {"we", "we're", "we've", "we'd", "we'll", "us", "our", "ours", "ourselves"};
    r.you_words = {"you", "your", "you're", "yourself", "you've"};
    r.plan_frames = {
        "i would",     "i'd",           "i will",       "i'll",      "my first step", "my next step",       "first i",
        "my priority", "i am going to", "i'm going to", "i need to", "i should",      "i want to make sure"};
    r.irregular_past = {"went",   "told",    "took",  "made",  "spoke",  "gave",       "saw",    "felt",   "knew",
                        "began",  "brought", "ran",   "wrote", "sat",    "led",        "met",    "kept",   "held",
                        "found",  "left",    "sent",  "got",   "did",    "said",       "stood",  "sought", "taught",
                        "chose",  "drew",    "drove", "built", "caught", "understood", "paid",   "put",    "heard",
                        "became", "came",    "spent", "lost",  "won",    "fought",     "stayed", "rode",   "woke"};
    r.detail_words = {"two",         "three",      "four",   "five",     "six",       "seven",      "eight",
                      "nine",        "ten",        "eleven", "twelve",   "fifteen",   "twenty",     "thirty",
                      "forty",       "fifty",      "sixty",  "seventy",  "eighty",    "ninety",     "hundred",
                      "thousand",    "million",    "dozen",  "half",     "percent",   "minutes",    "hours",
                      "days",        "weeks",      "months", "years",    "overnight", "monday",     "tuesday",
                      "wednesday",   "thursday",   "friday", "saturday", "sunday",    "january",    "february",
                      "march",       "april",      "june",   "july",     "august",    "september",  "october",
                      "november",    "december",   "second", "third",    "fourth",    "third-year", "fourth-year",
                      "second-year", "first-year", "pgy-1",  "pgy-2",    "pgy-3"};
    r.stopwords = {"about",    "after",    "again",   "also",      "another", "because",  "been",      "before",
                   "being",    "between",  "both",    "clear",     "clearly", "could",    "describes", "does",
                   "each",     "explains", "from",    "gives",     "have",    "into",     "more",      "most",
                   "much",     "other",    "over",    "shows",     "some",    "such",     "than",      "that",
                   "their",    "them",     "then",    "there",     "these",   "they",     "this",      "those",
                   "through",  "under",    "very",    "what",      "when",    "where",    "which",     "while",
                   "with",     "would",    "your",    "candidate", "answer",  "mentions", "states",    "names",
                   "specific", "concrete", "example", "examples"};

    using P = Rubric::Part;
    r.structure[QuestionKind::behavioral] = {
        P{"context",
          true,
          25,
          {"during",
           "rotation*",
           "clerkship*",
           "my role",
           "i was responsible",
           "i was the",
           "i was working",
           "i was on",
           "the goal",
           "at the time",
           "when i was",
           "one night",
           "one day",
           "one morning",
           "last year",
           "situation",
           "as a medical student",
           "as a student",
           "as an intern",
           "as a resident",
           "as a third-year",
           "as a fourth-year",
           "i was a"}},
        P{"action", true, 40, {"i decided",     "i asked",     "i called",    "i paged",     "i spoke",
                               "i talked",      "i explained", "i told",      "i suggested", "i proposed",
                               "i reviewed",    "i checked",   "i organized", "i made sure", "i took",
                               "i reached out", "i met",       "i escalated", "then i",      "i started",
                               "i set up",      "i went",      "i offered",   "i listened",  "i apologized",
                               "i contacted",   "i arranged",  "i created",   "i led",       "i stepped"}},
        P{"result", true, 25, {"as a result", "in the end",   "ultimately",     "resulted in", "which led to",
                               "led to",      "the outcome",  "outcome",        "by the end",  "afterwards",
                               "afterward",   "eventually",   "was discharged", "improved",    "we were able",
                               "i was able",  "successfully", "turned out",     "in the end",  "the result"}},
        P{"lesson",
          false,
          10,
          {"i learned", "i've learned", "taught me", "lesson", "next time", "going forward", "since then", "now i",
           "i realized", "i now", "in the future", "reflect*", "takeaway", "i would do differently"}},
    };
    r.structure[QuestionKind::situational] = {
        P{"clarify",
          true,
          20,
          {"find out", "gather", "clarify", "ask", "understand", "assess", "more information", "talk to", "speak with",
           "check", "confirm", "listen", "first i would", "make sure i understand", "learn more"}},
        P{"options", true, 25, {"option*",    "on one hand",   "on the other hand", "alternatively",   "either",
                                "weigh",      "balance",       "consider*",         "the risk",        "risks",
                                "benefit*",   "autonomy",      "beneficence",       "non-maleficence", "justice",
                                "principle*", "pros and cons", "i could",           "we could",        "trade-off"}},
        P{"act",
          true,
          35,
          {"i would", "i'd", "i will", "my first step", "the first thing", "i'll", "i am going to", "i'm going to"}},
        P{"follow_up",
          true,
          20,
          {"follow up",
           "follow-up",
           "afterwards",
           "afterward",
           "after that",
           "check back",
           "check in",
           "debrief",
           "escalat*",
           "report*",
           "document*",
           "attending",
           "chief resident",
           "program director",
           "supervisor",
           "going forward",
           "in the future",
           "revisit",
           "make sure it does not happen",
           "prevent"}},
    };
    r.structure[QuestionKind::motivation] = {
        P{"claim",
          true,
          30,
          {"i want",
           "i'm drawn",
           "i am drawn",
           "i chose",
           "i love",
           "i'm passionate",
           "i am passionate",
           "i'm interested",
           "i am interested",
           "what draws me",
           "i see myself",
           "my goal",
           "i'm applying",
           "i am applying",
           "attracted",
           "excited",
           "i enjoy",
           "i've always",
           "i am someone",
           "i'm someone",
           "i am a",
           "i'm a",
           "my biggest",
           "my greatest",
           "weakness",
           "my style",
           "leadership style",
           "i would describe",
           "i describe myself",
           "i tend to",
           "i believe"}},
        P{"evidence",
          true,
          40,
          {"for example", "for instance", "when i", "during my", "rotation*", "research", "project", "experience",
           "volunteer*", "i worked", "i saw", "i had the chance", "clerkship*", "i spent", "i led", "i started"}},
        P{"fit", true, 30, {"your program",  "this program", "your residency", "this residency", "fit",
                            "mentorship",    "curriculum",   "training",       "in the future",  "long term",
                            "long-term",     "my career",    "career",         "contribute",     "bring",
                            "community",     "that's why",   "which is why",   "align*",         "this specialty",
                            "the specialty", "residency",    "resident",       "as an intern",   "intern year",
                            "future"}},
    };
    r.notes = default_notes;
    r.fixes = default_fixes;
    r.practice = default_practice;
    return r;
}

}  // namespace

// Where each threshold lives in a Rubric, by section and field name.
double* threshold_slot(Rubric& r, std::string_view section, std::string_view field)
{
    auto band = [&](Band& b) -> double* {
        if (field == "zero_lo")
            return &b.zero_lo;
        if (field == "pass_lo")
            return &b.pass_lo;
        if (field == "ideal_lo")
            return &b.ideal_lo;
        if (field == "ideal_hi")
            return &b.ideal_hi;
        if (field == "pass_hi")
            return &b.pass_hi;
        if (field == "zero_hi")
            return &b.zero_hi;
        return nullptr;
    };
    if (section == "Length") {
        if (field == "typed_wpm")
            return &r.typed_wpm;
        return band(r.length);
    }
    if (section == "Pace") {
        if (field == "min_seconds")
            return &r.pace_min_seconds;
        return band(r.pace);
    }
    if (section == "Fillers") {
        if (field == "ideal")
            return &r.fillers.ideal;
        if (field == "pass")
            return &r.fillers.pass;
        if (field == "zero")
            return &r.fillers.zero;
        if (field == "core_weight")
            return &r.filler_core_weight;
        if (field == "discourse_weight")
            return &r.filler_discourse_weight;
        if (field == "stutter_weight")
            return &r.filler_stutter_weight;
    }
    if (section == "Wording") {
        if (field == "ideal")
            return &r.hedges.ideal;
        if (field == "pass")
            return &r.hedges.pass;
        if (field == "zero")
            return &r.hedges.zero;
    }
    if (section == "Ownership") {
        if (field == "zero")
            return &r.i_share.zero;
        if (field == "pass")
            return &r.i_share.pass;
        if (field == "ideal")
            return &r.i_share.ideal;
        if (field == "max_you_per_100_words")
            return &r.max_you_per_100;
    }
    if (section == "Structure") {
        if (field == "concise_ideal")
            return &r.concise.ideal;
        if (field == "concise_pass")
            return &r.concise.pass;
        if (field == "concise_zero")
            return &r.concise.zero;
        if (field == "clutter_ideal")
            return &r.clutter.ideal;
        if (field == "clutter_pass")
            return &r.clutter.pass;
        if (field == "clutter_zero")
            return &r.clutter.zero;
    }
    if (section == "overall") {
        if (field == "intercept")
            return &r.overall_intercept;
        if (field == "slope")
            return &r.overall_slope;
    }
    if (section == "Substance") {
        if (field == "coverage_full")
            return &r.coverage_full;
        if (field == "coverage_floor")
            return &r.coverage_floor;
    }
    return nullptr;
}

int* integer_slot(Rubric& r, std::string_view section, std::string_view field)
{
    if (section == "Length" && field == "min_words")
        return &r.length_min_words;
    if (section == "Pace" && field == "min_words")
        return &r.pace_min_words;
    if (section == "Wording" && field == "flagged_term_cap")
        return &r.flagged_term_cap;
    if (section == "Ownership") {
        if (field == "min_i_words")
            return &r.min_i_words;
        if (field == "min_actions")
            return &r.min_i_actions;
        if (field == "plan_min_frames")
            return &r.plan_min_frames;
        if (field == "cap")
            return &r.ownership_cap;
    }
    if (section == "Substance") {
        if (field == "details_full")
            return &r.details_full;
        if (field == "cap")
            return &r.substance_cap;
    }
    if (section == "overall") {
        if (field == "short_words")
            return &r.short_words;
        if (field == "short_cap")
            return &r.short_cap;
        if (field == "empty_cap")
            return &r.empty_cap;
    }
    return nullptr;
}

std::vector<std::string> strings(const Json& array)
{
    std::vector<std::string> out;
    for (const Json& v : array)
        if (v.is_string())
            out.push_back(v.get<std::string>());
    return out;
}

void apply_weights(std::array<int, check_count>& w, const Json& o)
{
    for (std::size_t k = 0; k < check_count; ++k) {
        auto it = o.find(std::string(check_name(static_cast<Check>(k))));
        if (it != o.end() && it->is_number())
            w[k] = it->get<int>();
    }
}

const Rubric& default_rubric()
{
    static const Rubric rubric = make_default();
    return rubric;
}

Rubric rubric_with_overrides(const Json& o)
{
    Rubric r = default_rubric();
    if (!o.is_object())
        return r;
    if (auto v = o.find("version"); v != o.end() && v->is_string())
        r.version = v->get<std::string>();
    if (auto v = o.find("weights"); v != o.end() && v->is_object())
        apply_weights(r.weights, *v);
    if (auto v = o.find("kind_weights"); v != o.end() && v->is_object())
        for (auto it = v->begin(); it != v->end(); ++it)
            if (auto kind = parse_question_kind(it.key()); kind && it->is_object()) {
                std::array<int, check_count> w = r.kind_weights.count(*kind) ? r.kind_weights[*kind] : r.weights;
                apply_weights(w, *it);
                r.kind_weights[*kind] = w;
            }
    if (auto v = o.find("thresholds"); v != o.end() && v->is_object())
        for (auto sec = v->begin(); sec != v->end(); ++sec)
            if (sec->is_object())
                for (auto f = sec->begin(); f != sec->end(); ++f) {
                    if (!f->is_number())
                        continue;
                    if (double* d = threshold_slot(r, sec.key(), f.key()))
                        *d = f->get<double>();
                    else if (int* i = integer_slot(r, sec.key(), f.key()))
                        *i = f->get<int>();
                }
    if (auto v = o.find("lexicons"); v != o.end() && v->is_object()) {
        const std::pair<const char*, std::vector<std::string>*> lists[] = {
            {"filler_core", &r.filler_core},   {"filler_discourse", &r.filler_discourse},
            {"hedges", &r.hedges_lexicon},     {"i_words", &r.i_words},
            {"we_words", &r.we_words},         {"you_words", &r.you_words},
            {"plan_frames", &r.plan_frames},   {"irregular_past", &r.irregular_past},
            {"detail_words", &r.detail_words}, {"stopwords", &r.stopwords}};
        for (const auto& [name, list] : lists)
            if (auto l = v->find(name); l != v->end() && l->is_array())
                *list = strings(*l);
        if (auto l = v->find("flagged_terms"); l != v->end() && l->is_object()) {
            r.flagged_terms.clear();
            for (auto it = l->begin(); it != l->end(); ++it)
                if (it->is_string())
                    r.flagged_terms.emplace_back(it.key(), it->get<std::string>());
        }
    }
    if (auto v = o.find("structure"); v != o.end() && v->is_object())
        for (auto it = v->begin(); it != v->end(); ++it) {
            auto kind = parse_question_kind(it.key());
            if (!kind || !it->is_array())
                continue;
            std::vector<Rubric::Part> parts;
            for (const Json& p : *it)
                if (p.is_object())
                    parts.push_back(Rubric::Part{p.value("name", std::string()), p.value("required", false),
                                                 p.value("weight", 0),
                                                 p.contains("cues") ? strings(p["cues"]) : std::vector<std::string>{}});
            r.structure[*kind] = std::move(parts);
        }
    if (auto v = o.find("kinds"); v != o.end() && v->is_object())
        for (auto it = v->begin(); it != v->end(); ++it)
            if (it->is_string())
                if (auto kind = parse_question_kind(it->get<std::string>()))
                    r.kinds[it.key()] = *kind;
    const std::pair<const char*, std::map<std::string, std::string>*> texts[] = {
        {"notes", &r.notes}, {"fixes", &r.fixes}, {"practice", &r.practice}};
    for (const auto& [name, map] : texts)
        if (auto v = o.find(name); v != o.end() && v->is_object())
            for (auto it = v->begin(); it != v->end(); ++it)
                if (it->is_string())
                    (*map)[it.key()] = it->get<std::string>();
    return r;
}

namespace rubric_check {

const std::vector<Section>& threshold_sections()
{
    // Caps hold a score below the PASS line (70), or they would cap nothing
    // a FLAG did not already; "short" must stay short.
    constexpr double max_cap = 69, max_short_words = 200;
    static const std::vector<Section> sections = {
        {"Length",
         {{"zero_lo", 0, 100, false},
          {"pass_lo", 0, 100, false},
          {"ideal_lo", 0, 100, false},
          {"ideal_hi", 0, 100, false},
          {"pass_hi", 0, 100, false},
          {"zero_hi", 0, 100, false},
          {"min_words", 0, 10000, true},
          {"typed_wpm", 1, 1000, false}}},
        {"Pace",
         {{"zero_lo", 0, 1000, false},
          {"pass_lo", 0, 1000, false},
          {"ideal_lo", 0, 1000, false},
          {"ideal_hi", 0, 1000, false},
          {"pass_hi", 0, 1000, false},
          {"zero_hi", 0, 1000, false},
          {"min_seconds", 0, 3600, false},
          {"min_words", 0, 10000, true}}},
        {"Fillers",
         {{"ideal", 0, 100, false},
          {"pass", 0, 100, false},
          {"zero", 0, 100, false},
          {"core_weight", 0, 10, false},
          {"discourse_weight", 0, 10, false},
          {"stutter_weight", 0, 10, false}}},
        {"Wording",
         {{"ideal", 0, 100, false},
          {"pass", 0, 100, false},
          {"zero", 0, 100, false},
          {"flagged_term_cap", 0, max_cap, true}}},
        {"Ownership",
         {{"zero", 0, 1, false},
          {"pass", 0, 1, false},
          {"ideal", 0, 1, false},
          {"min_i_words", 0, 100, true},
          {"min_actions", 0, 100, true},
          {"plan_min_frames", 1, 100, true},
          {"max_you_per_100_words", 0, 100, false},
          {"cap", 0, max_cap, true}}},
        {"Structure",
         {{"concise_ideal", 0.05, 10, false},
          {"concise_pass", 0.05, 10, false},
          {"concise_zero", 0.05, 10, false},
          {"clutter_ideal", 0, 100, false},
          {"clutter_pass", 0, 100, false},
          {"clutter_zero", 0, 100, false}}},
        {"Substance",
         {{"coverage_full", 0.01, 1, false},
          {"details_full", 1, 100, true},
          {"coverage_floor", 0, 1, false},
          {"cap", 0, max_cap, true}}},
        {"overall",
         {{"short_words", 0, max_short_words, true},
          {"short_cap", 0, max_cap, true},
          {"empty_cap", 0, max_cap, true},
          // a positive slope keeps the overall score monotone in the checks
          {"intercept", -100, 100, false},
          {"slope", 0.05, 5, false}}},
    };
    return sections;
}

const std::vector<std::pair<const char*, std::vector<const char*>>>& threshold_orders()
{
    static const std::vector<std::pair<const char*, std::vector<const char*>>> orders = {
        {"Length", {"zero_lo", "pass_lo", "ideal_lo", "ideal_hi", "pass_hi", "zero_hi"}},
        {"Pace", {"zero_lo", "pass_lo", "ideal_lo", "ideal_hi", "pass_hi", "zero_hi"}},
        {"Fillers", {"ideal", "pass", "zero"}},
        {"Wording", {"ideal", "pass", "zero"}},
        {"Ownership", {"zero", "pass", "ideal"}},
        {"Structure", {"concise_ideal", "concise_pass", "concise_zero"}},
        {"Structure", {"clutter_ideal", "clutter_pass", "clutter_zero"}},
    };
    return orders;
}

double default_threshold(std::string_view section, std::string_view field)
{
    Rubric r = default_rubric();
    if (double* d = threshold_slot(r, section, field))
        return *d;
    if (int* i = integer_slot(r, section, field))
        return *i;
    return 0;
}

}  // namespace rubric_check

const std::map<std::string, std::vector<std::string>>& note_templates()
{
    return note_placeholders;
}
const std::map<std::string, std::vector<std::string>>& fix_templates()
{
    return fix_placeholders;
}
const std::map<std::string, std::vector<std::string>>& practice_templates()
{
    return practice_placeholders;
}

}  // namespace residency
