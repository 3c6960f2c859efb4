// parse_verbose_json(): the recognizer's answer is input from another
// process, read without exceptions from the parser (nlohmann's
// accept-then-parse style, SAX-free: a depth scan first, then
// parse(..., nullptr, false)).
#include "http_recognizer.hpp"

#include "failure.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace residency::worker {

namespace {

using Json = nlohmann::json;

constexpr std::size_t max_depth = 64;

JobFailure bad_answer(std::string detail)
{
    return JobFailure(FailureCode::recognizer, "the speech recognizer failed; please try again later",
                      "verbose_json: " + std::move(detail));
}

// Nesting depth of a JSON text, strings skipped: checked before the
// recursive parser runs.
std::size_t json_depth(std::string_view text)
{
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > max_depth)
                return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

bool time_value(const Json& o, const char* key, double& out)
{
    auto it = o.find(key);
    if (it == o.end() || !it->is_number())
        return false;
    out = it->get<double>();
    return std::isfinite(out) && out >= 0;
}

std::string trim(const std::string& s)
{
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

void add_word(Transcript& out, std::string text, double start, double end)
{
    text = trim(text);
    if (text.empty())
        return;
    bool filler = is_hesitation(text);
    out.words.push_back({std::move(text), start, std::max(start, end), filler});
}

}  // namespace

Transcript parse_verbose_json(std::string_view body)
{
    if (json_depth(body) > max_depth)
        throw bad_answer("nested deeper than " + std::to_string(max_depth));
    Json doc = Json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded())
        throw bad_answer("the answer is not JSON");
    if (!doc.is_object())
        throw bad_answer(std::string("the answer is a JSON ") + doc.type_name() + ", not an object");
    if (auto e = doc.find("error"); e != doc.end() && !e->is_null()) {
        std::string message = e->is_object() && e->contains("message") && (*e)["message"].is_string()
                                  ? (*e)["message"].get<std::string>()
                                  : e->dump();
        throw bad_answer("error: " + message.substr(0, 200));
    }
    auto text = doc.find("text");
    if (text == doc.end() || !text->is_string())
        throw bad_answer(text == doc.end() ? "text is missing" : "text is not a string");

    Transcript out;
    out.text = trim(text->get<std::string>());
    if (auto words = doc.find("words"); words != doc.end() && !words->is_null()) {
        if (!words->is_array())
            throw bad_answer("words is not an array");
        for (std::size_t i = 0; i < words->size(); ++i) {
            const Json& w = (*words)[i];
            double start = 0, end = 0;
            std::string at = "words[" + std::to_string(i) + "]";
            if (!w.is_object())
                throw bad_answer(at + " is not an object");
            if (!w.contains("word") || !w["word"].is_string())
                throw bad_answer(at + ".word is missing or not a string");
            if (!time_value(w, "start", start) || !time_value(w, "end", end))
                throw bad_answer(at + ".start and .end must be numbers >= 0");
            add_word(out, w["word"].get<std::string>(), start, end);
        }
        return out;
    }
    // No word timings: each segment's words spread over the segment.
    auto segments = doc.find("segments");
    if (segments == doc.end() || !segments->is_array()) {
        if (out.text.empty())
            return out;  // nothing said: no timings needed
        throw bad_answer("neither words nor segments: no timings (is timestamp_granularities[]=word supported?)");
    }
    for (std::size_t i = 0; i < segments->size(); ++i) {
        const Json& s = (*segments)[i];
        double start = 0, end = 0;
        std::string at = "segments[" + std::to_string(i) + "]";
        if (!s.is_object() || !s.contains("text") || !s["text"].is_string())
            throw bad_answer(at + ".text is missing or not a string");
        if (!time_value(s, "start", start) || !time_value(s, "end", end))
            throw bad_answer(at + ".start and .end must be numbers >= 0");
        std::vector<std::string> tokens;
        std::string segment_text = s["text"].get<std::string>();
        for (std::size_t p = 0; p < segment_text.size();) {
            std::size_t b = segment_text.find_first_not_of(" \t\r\n", p);
            if (b == std::string::npos)
                break;
            std::size_t e = segment_text.find_first_of(" \t\r\n", b);
            tokens.push_back(segment_text.substr(b, e == std::string::npos ? std::string::npos : e - b));
            p = e == std::string::npos ? segment_text.size() : e;
        }
        double each = tokens.empty() ? 0 : std::max(0.0, end - start) / static_cast<double>(tokens.size());
        for (std::size_t k = 0; k < tokens.size(); ++k)
            add_word(out, tokens[k], start + each * static_cast<double>(k), start + each * static_cast<double>(k + 1));
    }
    return out;
}

}  // namespace residency::worker
