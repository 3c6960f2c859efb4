#include "curl_util.hpp"

#include <algorithm>
#include <mutex>
#include <new>

namespace residency::worker {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* opaque)
{
    auto* body = static_cast<CurlBody*>(opaque);
    std::size_t n = size * count;
    if (body->data.size() + n > body->limit) {
        body->over = true;
        return 0;  // stops the transfer
    }
    body->data.append(data, n);
    return n;
}

int progress(void* opaque, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const CancelCheck* cancelled = static_cast<const CancelCheck*>(opaque);
    return (*cancelled && (*cancelled)()) ? 1 : 0;
}

}  // namespace

void curl_global_once()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHandle curl_handle(CurlBody& body, const CancelCheck& cancelled, double timeout_s)
{
    curl_global_once();
    CurlHandle h(curl_easy_init());
    if (!h)
        throw std::bad_alloc();
    long timeout_ms = static_cast<long>(std::max(1.0, timeout_s * 1000));
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 15000L));
    curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h.get(), CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(h.get(), CURLOPT_XFERINFODATA, const_cast<CancelCheck*>(&cancelled));
    curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "residency-worker");
    return h;
}

}  // namespace residency::worker
