#include "fetch.hpp"

#include "curl_util.hpp"
#include "failure.hpp"

namespace residency::worker {

namespace {

std::string lower_prefix(std::string_view s, std::size_t n)
{
    std::string out(s.substr(0, n));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view scheme_of(std::string_view url)
{
    std::size_t colon = url.find("://");
    if (colon == std::string_view::npos || colon == 0)
        return {};
    for (char c : url.substr(0, colon))
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
              c == '.'))
            return {};
    return url.substr(0, colon);
}

std::string megabytes(std::int64_t bytes)
{
    double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    std::int64_t whole = static_cast<std::int64_t>(mb);
    if (static_cast<double>(whole) == mb)
        return std::to_string(whole) + " MB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string url_for_log(std::string_view url)
{
    std::string_view scheme = scheme_of(url);
    if (scheme.empty())
        return "(not a URL)";
    std::string s = lower_prefix(scheme, scheme.size());
    if (s == "file")
        return "file://";
    std::string_view rest = url.substr(scheme.size() + 3);
    std::size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    return s + "://" + std::string(authority);
}

std::string fetch_audio(const std::string& url, const FetchLimits& limits, const CancelCheck& cancelled)
{
    std::string scheme = lower_prefix(scheme_of(url), scheme_of(url).size());
    bool file = scheme == "file";
    if (!(scheme == "http" || scheme == "https" || (file && limits.allow_file_urls)))
        throw JobFailure(FailureCode::unreachable, "the recording's address cannot be fetched by the evaluator",
                         "scheme " + (scheme.empty() ? std::string("(none)") : scheme) + " is not fetched");

    CurlBody body;
    body.limit = static_cast<std::size_t>(limits.max_bytes);
    CurlHandle h = curl_handle(body, cancelled, limits.timeout_s);
    curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, limits.allow_file_urls ? "http,https,file" : "http,https");
    curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));

    CURLcode rc = curl_easy_perform(h.get());
    const std::string too_large = "the recording is larger than " + megabytes(limits.max_bytes);
    if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_WRITE_ERROR && body.over))
        throw JobFailure(FailureCode::too_large, too_large, "over " + std::to_string(limits.max_bytes) + " bytes");
    if (rc == CURLE_ABORTED_BY_CALLBACK && cancelled && cancelled())
        throw worker_stopped();
    if (rc == CURLE_OPERATION_TIMEDOUT)
        throw JobFailure(FailureCode::unreachable, "the recording could not be downloaded in time",
                         std::string("timeout: ") + curl_easy_strerror(rc));
    if (rc != CURLE_OK)
        throw JobFailure(FailureCode::unreachable, "the recording could not be downloaded",
                         std::string("curl: ") + curl_easy_strerror(rc));
    if (!file) {
        long status = 0;
        curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status >= 300)
            throw JobFailure(FailureCode::unreachable,
                             "the recording could not be downloaded (HTTP " + std::to_string(status) + ")",
                             "HTTP status " + std::to_string(status));
    }
    return std::move(body.data);
}

}  // namespace residency::worker
