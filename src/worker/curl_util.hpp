// libcurl in RAII, shared by fetching recordings and the HTTP recognizer.
#pragma once

#include "audio.hpp"

#include <curl/curl.h>

#include <memory>
#include <string>

namespace residency::worker {

// curl_global_init, once per process; main() calls it before any thread.
void curl_global_once();

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

// A response body, collected up to a limit: past it the transfer stops
// (CURLE_WRITE_ERROR) and over is set.
struct CurlBody {
    std::string data;
    std::size_t limit = 0;
    bool over = false;
};

// A new handle: no signals (threads), the body into `body`, the transfer
// aborted (CURLE_ABORTED_BY_CALLBACK) when cancelled() says so, an overall
// timeout and a connect timeout (the smaller of 15 s and the timeout).
CurlHandle curl_handle(CurlBody& body, const CancelCheck& cancelled, double timeout_s);

}  // namespace residency::worker
