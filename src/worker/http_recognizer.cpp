// HttpRecognizer::transcribe(): the multipart POST. The answer is read by
// parse_verbose_json() (verbose_json.cpp).
#include "http_recognizer.hpp"

#include "curl_util.hpp"
#include "failure.hpp"

#include <chrono>
#include <memory>
#include <new>
#include <thread>

namespace residency::worker {

namespace {

struct MimeDeleter {
    void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

constexpr const char* unavailable = "the speech recognizer failed; please try again later";

void add_field(curl_mime* mime, const char* name, const std::string& value)
{
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, name);
    curl_mime_data(part, value.c_str(), value.size());
}

}  // namespace

Transcript HttpRecognizer::transcribe(const Audio& audio, const CancelCheck& cancelled)
{
    const std::string wav = to_wav(audio);
    CurlBody body;
    body.limit = 16 * 1024 * 1024;
    CurlHandle h = curl_handle(body, cancelled, config_.timeout_s);

    std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(h.get()));
    curl_mimepart* file = curl_mime_addpart(mime.get());
    curl_mime_name(file, "file");
    curl_mime_filename(file, "audio.wav");
    curl_mime_type(file, "audio/wav");
    curl_mime_data(file, wav.data(), wav.size());
    add_field(mime.get(), "model", config_.model);
    add_field(mime.get(), "response_format", "verbose_json");
    add_field(mime.get(), "timestamp_granularities[]", "word");

    std::unique_ptr<curl_slist, SlistDeleter> headers(curl_slist_append(nullptr, "Accept: application/json"));
    if (!headers)
        throw std::bad_alloc();
    // no "Expect: 100-continue": servers that ignore it would cost a second
    if (!curl_slist_append(headers.get(), "Expect:"))
        throw std::bad_alloc();
    if (!config_.api_key.empty()) {
        // appended to the same list, which keeps its head
        std::string auth = "Authorization: Bearer " + config_.api_key;
        if (!curl_slist_append(headers.get(), auth.c_str()))
            throw std::bad_alloc();
    }

    curl_easy_setopt(h.get(), CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.get(), CURLOPT_MIMEPOST, mime.get());
    curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());

    // A service that is briefly down or busy (no connection, 429, 5xx) gets
    // two more tries, 1 s and 3 s later; then the job fails (recognizer).
    constexpr int attempts = 3;
    for (int attempt = 1;; ++attempt) {
        body.data.clear();
        CURLcode rc = curl_easy_perform(h.get());
        if (rc == CURLE_ABORTED_BY_CALLBACK && cancelled && cancelled())
            throw worker_stopped();
        if (rc == CURLE_WRITE_ERROR && body.over)
            throw JobFailure(FailureCode::recognizer, unavailable, "the answer is larger than 16 MB");
        long status = 0;
        std::string why;
        if (rc != CURLE_OK) {
            why = std::string("curl: ") + curl_easy_strerror(rc);
        } else {
            curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
            if (status == 200)
                return parse_verbose_json(body.data);
            why = "HTTP status " + std::to_string(status);
            try {
                parse_verbose_json(body.data);
            } catch (const JobFailure& f) {
                why += " (" + f.detail() + ")";
            }
        }
        bool transient = rc != CURLE_OK ? rc != CURLE_OPERATION_TIMEDOUT : (status == 429 || status >= 500);
        if (!transient || attempt == attempts)
            throw JobFailure(FailureCode::recognizer, unavailable,
                             why + (attempt > 1 ? ", after " + std::to_string(attempt) + " tries" : ""));
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(attempt == 1 ? 1 : 3);
        while (std::chrono::steady_clock::now() < until) {
            if (cancelled && cancelled())
                throw worker_stopped();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

}  // namespace residency::worker
