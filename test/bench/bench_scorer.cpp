// B2 in-process (DESIGN.md section 6): the built-in scorer on generated
// 300-word answers, one core. Run by scripts/bench.sh; by hand:
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRESIDENCY_BENCH=ON
//   cmake --build build-bench --target residency_bench && build-bench/residency_bench
#include "content_pack.hpp"
#include "scorer.hpp"
#include "tokenizer.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Sentences of spoken answers, strong and weak; an answer is a
// deterministic draw of them until it has 300 words.
const char* const sentences[] = {
    "During my third-year surgery rotation at Mercy Hospital, a nurse and I disagreed about a pain dose.",
    "I asked her to walk me through her concerns, and I listened without interrupting.",
    "I reviewed the chart and I paged the senior resident within ten minutes.",
    "Um, so, I think we kind of figured it out as a team in the end, you know.",
    "As a result, the patient's pain score dropped from 8 to 3 within two hours.",
    "I learned to ask before I assume, and now I check in with nurses early.",
    "Basically we had a situation where, like, everyone was busy and stuff.",
    "My role was to coordinate the discharge plan with the family and the case manager.",
    "I would first clarify what happened, then weigh patient safety against autonomy, and escalate to the attending.",
    "I guess it was fine, maybe, but I am not sure what I would do differently.",
};

std::vector<std::string> answers(int count)
{
    std::vector<std::string> out;
    std::uint32_t seed = 12345;
    for (int a = 0; a < count; ++a) {
        std::string text;
        while (residency::count_words(text) < 300) {
            seed = seed * 1103515245u + 12345u;
            text += sentences[(seed >> 16) % (sizeof sentences / sizeof *sentences)];
            text += ' ';
        }
        out.push_back(text);
    }
    return out;
}

residency::QuestionSpec question()
{
    std::ifstream file(RESIDENCY_SOURCE_DIR "/packs/default.json");
    std::stringstream text;
    text << file.rdbuf();
    residency::PackValidation v = residency::validate_content_pack(residency::Json::parse(text.str()));
    const residency::Question& q = *v.pack.find_question("conf-nurse-conflict");
    return residency::QuestionSpec{q.id, q.category, q.expected_duration_s, q.evaluation_criteria, q.kind};
}

void BM_Tokenize300(benchmark::State& state)
{
    std::vector<std::string> in = answers(64);
    std::size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(residency::tokenize(in[i++ % in.size()]));
    state.SetItemsProcessed(state.iterations());
}

// The scorer's own path: the words into one reused buffer, no string each.
void BM_TokenizeWords300(benchmark::State& state)
{
    std::vector<std::string> in = answers(64);
    residency::Words words;
    std::size_t i = 0;
    for (auto _ : state) {
        residency::tokenize(in[i++ % in.size()], words);
        benchmark::DoNotOptimize(words.spans.data());
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_CountWords300(benchmark::State& state)
{
    std::vector<std::string> in = answers(64);
    std::size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(residency::count_words(in[i++ % in.size()]));
    state.SetItemsProcessed(state.iterations());
}

void BM_Score300(benchmark::State& state)
{
    residency::Scorer scorer(residency::default_rubric());
    residency::QuestionSpec q = question();
    std::vector<std::string> in = answers(64);
    std::optional<double> duration;
    if (state.range(0) != 0)
        duration = 130;  // spoken; else typed
    std::size_t i = 0;
    for (auto _ : state) {
        residency::ScoreResult r = scorer.score(q, in[i++ % in.size()], duration, nullptr, residency::Limits{});
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_Score300Json(benchmark::State& state)
{
    residency::Scorer scorer(residency::default_rubric());
    residency::QuestionSpec q = question();
    std::vector<std::string> in = answers(64);
    std::size_t i = 0;
    for (auto _ : state) {
        std::string json = scorer.score(q, in[i++ % in.size()], 130.0, nullptr, residency::Limits{}).to_json_text();
        benchmark::DoNotOptimize(json);
    }
    state.SetItemsProcessed(state.iterations());
}

// Writing a result as JSON text, alone.
void BM_ToJson300(benchmark::State& state)
{
    residency::Scorer scorer(residency::default_rubric());
    residency::QuestionSpec q = question();
    std::vector<residency::ScoreResult> results;
    for (const std::string& a : answers(16))
        results.push_back(scorer.score(q, a, 130.0, nullptr, residency::Limits{}));
    std::size_t i = 0;
    for (auto _ : state) {
        std::string json = results[i++ % results.size()].to_json_text();
        benchmark::DoNotOptimize(json);
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_Tokenize300);
BENCHMARK(BM_TokenizeWords300);
BENCHMARK(BM_CountWords300);
BENCHMARK(BM_Score300)->Arg(1)->Arg(0)->ArgName("spoken");
BENCHMARK(BM_Score300Json);
BENCHMARK(BM_ToJson300);
BENCHMARK_MAIN();
