// Writing the result: its details (every metric behind each verdict), and
// the whole result as JSON events (ScoreResult::write, for the Postgres
// layer's jsonb) or text (to_json_text), both from the one write_result().
#include "scorer_internal.hpp"

#include "json_writer.hpp"

namespace residency {
namespace scoring {

void write_details(ScoreResult& out, const Summary& summary, const std::array<JsonEvents, check_count>& check_details,
                   const Rubric& r, const Scorer::Compiled& c, const QuestionSpec& q)
{
    JsonEvents& w = out.details;
    std::size_t events = 64, bytes = 512;
    for (const JsonEvents& d : check_details)
        events += d.events(), bytes += d.text_size();
    w.reserve(events, bytes);
    w.begin_object().field("rubric_version", r.version).field("kind", to_string(c.kind)).field("question_id", q.id);
    w.key("weights").begin_object();
    for (const CheckResult& cr : out.checks)
        w.field(check_name(cr.check), cr.weight);
    w.end_object();
    // The overall score, explained: what each check adds to the predicted
    // rating (slope x its share of the weights x its score), the intercept,
    // and the caps that applied.
    int weight_total = 0;
    for (const CheckResult& cr : out.checks)
        weight_total += cr.weight;
    w.key("overall").begin_object().field("weighted_mean", summary.mean, 2);
    w.field("intercept", r.overall_intercept, 2).field("slope", r.overall_slope, 3);
    w.field("predicted", summary.predicted, 2).key("contributions").begin_object();
    for (const CheckResult& cr : out.checks)
        w.field(check_name(cr.check),
                weight_total > 0 ? r.overall_slope * cr.weight * cr.score / static_cast<double>(weight_total) : 0.0, 2);
    w.end_object().key("caps").begin_array();
    for (const std::string& cap : summary.caps)
        w.value(cap);
    w.end_array().end_object();
    w.key("improvement");
    summary.improvement.empty() ? w.null() : w.append(summary.improvement);
    for (const CheckResult& cr : out.checks)
        w.key(check_name(cr.check)).append(check_details[static_cast<std::size_t>(cr.check)]);
    w.end_object();
}

}  // namespace scoring

namespace {

// ScoreResult::write() for any sink type: to_json_text() instantiates it
// for the text sink, whose calls are then direct; both are this one body.
template <class Sink>
void write_result(const ScoreResult& r, Sink& sink)
{
    char buf[32];
    auto number = [&](std::size_t n) { n ? sink.number(std::string_view(buf, n)) : sink.null(); };
    sink.begin_object();
    sink.key("duration_s");
    number(fixed_decimal_text(r.duration_s, 1, buf));
    sink.key("duration_estimated");
    sink.boolean(r.duration_estimated);
    sink.key("words");
    number(integer_text(r.words, buf));
    sink.key("wpm");
    number(fixed_decimal_text(r.wpm, 1, buf));
    sink.key("overall_score");
    number(integer_text(r.overall_score, buf));
    sink.key("categories");
    sink.begin_array();
    for (const CheckResult& cr : r.checks) {
        sink.begin_object();
        sink.key("name");
        sink.string(check_name(cr.check));
        sink.key("passFlag");
        sink.string(cr.pass ? "PASS" : "FLAG");
        sink.key("note");
        sink.string(cr.note);
        sink.key("score");
        number(integer_text(cr.score, buf));
        sink.end_object();
    }
    sink.end_array();
    sink.key("what_changed");
    sink.begin_array();
    for (const std::string& item : r.what_changed)
        sink.string(item);
    sink.end_array();
    sink.key("practice_rule");
    sink.string(r.practice_rule);
    sink.key("model_used");
    sink.string(r.model_used);
    sink.key("details");
    r.details.write(sink);
    sink.end_object();
}

}  // namespace

void ScoreResult::write(JsonSink& sink) const
{
    write_result(*this, sink);
}

std::string ScoreResult::to_json_text() const
{
    JsonTextSink sink(details.text_size() + 2048);
    write_result(*this, sink);
    return sink.take();
}

}  // namespace residency
