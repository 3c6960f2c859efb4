// One job: a claimed session, evaluated and recorded, or failed with a
// reason. Worker::process() never throws for what a session holds: every
// problem with the recording, the transcript or the result ends as
// fail_evaluation(session, "<code>: <sentence>").
#include "evaluation_result.hpp"
#include "failure.hpp"
#include "fetch.hpp"
#include "log.hpp"
#include "recording.hpp"
#include "worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace residency::worker {

namespace {

using Clock = std::chrono::steady_clock;

struct Response {
    bool found = false;
    std::optional<std::string> content;
    std::optional<std::string> audio_url;
    std::optional<double> audio_duration_s;
};

long ms_since(Clock::time_point start)
{
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

std::string one_decimal(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
        s.resize(s.size() - 2);
    return s;
}

std::string three_decimals(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// The scorer, with the candidate's previous evaluation of the same question,
// as evaluate_session passes it (residency.previous_result), in one statement.
constexpr const char* score_sql = R"(
SELECT residency.score($1::uuid, $2::text, $3::text, $4::numeric,
    residency.previous_result($5::uuid, $1::uuid, $2::text, $6::uuid))::text)";

}  // namespace

void Worker::process(const Claimed& session)
{
    const auto started = Clock::now();
    const CancelCheck cancelled = [this] { return stop_.grace_over(config_.shutdown_grace_s); };
    log_event(LogLevel::info, "claimed", {{"worker", index_}, {"session_id", session.session_id}});

    Response response;
    std::optional<SpeechReport> speech;
    nlohmann::json extra = nlohmann::json::object();  // for the completed/failed line
    std::optional<JobFailure> failure;
    try {
        try {
            with_db([&] {
                Rows r = conn_->exec(
                    "SELECT content, audio_url, audio_duration_s FROM residency.drill_responses WHERE session_id = $1",
                    {session.session_id});
                response.found = r.count() > 0;
                if (response.found) {
                    response.content = r.optional_text(0, 0);
                    response.audio_url = r.optional_text(0, 1);
                    if (!r.is_null(0, 2))
                        response.audio_duration_s = std::strtod(r.text(0, 2).c_str(), nullptr);
                }
            });
        } catch (const DbError& e) {
            if (e.connection_lost())
                throw;
            throw JobFailure(FailureCode::internal, "the answer could not be read", e.what());
        }
        if (!response.found || (!response.content && !response.audio_url))
            throw JobFailure(FailureCode::internal, "the answer could not be found", "no drill_responses row");

        std::string text;
        std::optional<double> duration_s;
        if (response.audio_url) {
            // a recording: it is what is evaluated, even beside a transcript
            extra["source"] = url_for_log(*response.audio_url);
            HeardRecording heard = hear_recording(*response.audio_url, config_, *recognizer_, cancelled);
            extra["duration_s"] = std::round(heard.speech.metrics.duration_s * 100) / 100;
            extra["recognizer_ms"] = heard.recognizer_ms;
            extra["rtf"] = std::round(heard.real_time_factor * 1000) / 1000;
            text = heard.speech.transcript.text;
            duration_s = heard.speech.metrics.duration_s;
            speech = std::move(heard.speech);
        } else {
            text = *response.content;
        }

        nlohmann::json score;
        try {
            with_db([&] {
                Rows r = conn_->exec(score_sql, {session.pack_id, session.question_id, text,
                                                 duration_s ? Param(three_decimals(*duration_s)) : Param(),
                                                 session.user_id, session.session_id});
                score = nlohmann::json::parse(r.text(0, 0), nullptr, false);
            });
        } catch (const DbError& e) {
            if (e.connection_lost())
                throw;
            // PT413 (too costly), PT404 (the pack or question is gone): the
            // database's refusal; anything else is ours
            bool refusal = e.sqlstate().compare(0, 2, "PT") == 0 || e.sqlstate().compare(0, 2, "22") == 0;
            throw JobFailure(refusal ? FailureCode::rejected : FailureCode::internal,
                             "the answer could not be scored (" + std::string(e.what()) + ")",
                             "residency.score: " + e.sqlstate() + " " + e.what());
        }
        nlohmann::json result = evaluation_result(std::move(score), speech ? &*speech : nullptr, ms_since(started));

        try {
            with_db([&] {
                conn_->exec(
                    "SELECT id FROM residency_api.record_evaluation($1::uuid, $2::jsonb)",
                    {session.session_id, result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
            });
        } catch (const DbError& e) {
            if (e.connection_lost())
                throw;
            if (e.sqlstate() == "PT409") {
                // No longer PROCESSING: recorded by a statement whose answer
                // a lost connection took (COMPLETED), or failed as stale.
                std::string status;
                with_db([&] {
                    Rows r =
                        conn_->exec("SELECT status FROM residency.drill_sessions WHERE id = $1", {session.session_id});
                    status = r.count() > 0 ? r.text(0, 0) : "gone";
                });
                bool recorded = status == "COMPLETED";
                ++(recorded ? stats_.completed : stats_.failed);
                log_event(recorded ? LogLevel::info : LogLevel::warn, recorded ? "completed" : "failed",
                          {{"worker", index_},
                           {"session_id", session.session_id},
                           {"ms", ms_since(started)},
                           {"code", recorded ? nlohmann::json() : nlohmann::json("rejected")},
                           {"detail", "record_evaluation: " + std::string(e.what()) + "; the session is " + status}});
                return;
            }
            if (e.sqlstate() != "22023")
                throw JobFailure(FailureCode::internal, "the evaluation could not be recorded",
                                 "record_evaluation: " + e.sqlstate() + " " + e.what());
            // Rule E3: a recording's evaluation has its length, give or take
            // max(1 s, 5%). The database decided; this only words it.
            double recorded = result.value("duration_s", 0.0);
            if (speech && response.audio_duration_s &&
                std::fabs(recorded - *response.audio_duration_s) > std::max(1.0, 0.05 * *response.audio_duration_s))
                throw JobFailure(FailureCode::rejected,
                                 "the recording is " + one_decimal(speech->metrics.duration_s) +
                                     " s long but the app reported " + one_decimal(*response.audio_duration_s) + " s",
                                 "record_evaluation: " + std::string(e.what()) + " (" + e.detail() + ")");
            throw JobFailure(FailureCode::rejected,
                             "the evaluation could not be recorded (" + std::string(e.what()) + ")",
                             "record_evaluation: " + std::string(e.what()) + " (" + e.detail() + ")");
        }
        ++stats_.completed;
        log_event(LogLevel::info, "completed",
                  {{"worker", index_},
                   {"session_id", session.session_id},
                   {"ms", ms_since(started)},
                   {"kind", speech ? "recording" : "text"},
                   {"source", extra.value("source", nlohmann::json())},
                   {"duration_s", extra.value("duration_s", nlohmann::json())},
                   {"words", result.value("words", nlohmann::json())},
                   {"overall_score", result.value("overall_score", nlohmann::json())},
                   {"recognizer_ms", extra.value("recognizer_ms", nlohmann::json())},
                   {"rtf", extra.value("rtf", nlohmann::json())}});
    } catch (const JobFailure& f) {
        failure = f;
    } catch (const DbError& e) {
        if (e.connection_lost())
            throw;  // stopping, or --once gave up: the session is left to fail_stale_processing
        failure = JobFailure(FailureCode::internal, "the evaluation failed", e.sqlstate() + " " + e.what());
    } catch (const std::bad_alloc&) {
        failure = JobFailure(FailureCode::internal, "the evaluation failed", "out of memory");
    } catch (const std::exception& e) {
        failure = JobFailure(FailureCode::internal, "the evaluation failed", e.what());
    }
    if (!failure)
        return;
    ++stats_.failed;
    try {
        with_db([&] {
            conn_->exec("SELECT status FROM residency_api.fail_evaluation($1::uuid, $2)",
                        {session.session_id, failure->reason()});
        });
    } catch (const DbError& e) {
        if (e.connection_lost())
            throw;
        // PT409: no longer PROCESSING (failed as stale meanwhile)
        log_event(LogLevel::error, "error",
                  {{"worker", index_},
                   {"session_id", session.session_id},
                   {"sqlstate", e.sqlstate()},
                   {"error", std::string("fail_evaluation: ") + e.what()}});
    }
    log_event(LogLevel::warn, "failed",
              {{"worker", index_},
               {"session_id", session.session_id},
               {"ms", ms_since(started)},
               {"code", std::string(to_string(failure->code()))},
               {"reason", failure->reason()},
               {"detail", failure->detail()},
               {"source", extra.value("source", nlohmann::json())}});
}

}  // namespace residency::worker
