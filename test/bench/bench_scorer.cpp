// B2 in-process (docs/benchmarks.md): the built-in scorer on generated
// 300-word answers, one core. Run by scripts/bench.sh; by hand:
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DRESIDENCY_BENCH=ON
//   cmake --build build-bench --target residency_bench && build-bench/residency_bench
// Also: compiling a question's automaton at 5,000 / 10,000 / 20,000 prefix
// keywords (linear growth), and P1 on a 2,000-question pack (B3's, in-process).
#include "content_pack.hpp"
#include "phrase_matcher.hpp"
#include "rubric.hpp"
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
    residency::PackValidation v =
        residency::validate_content_pack(residency::Json::parse(text.str()), residency::Limits{});
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

// Compiling a question's automaton: the compiled-in rubric's phrases plus
// N prefix keywords (the limit raised for it: P1 lets a question hold at
// most 32 x 25). Linear in N: compare N = 5,000, 10,000, 20,000.
std::vector<std::string> prefix_keywords(std::int64_t n)
{
    std::vector<std::string> out;
    std::uint32_t seed = 42;
    for (std::int64_t i = 0; i < n; ++i) {
        std::string w;
        seed = seed * 1103515245u + 12345u;
        const std::uint32_t length = 4 + (seed >> 16) % 6;
        for (std::uint32_t k = 0; k < length; ++k) {
            seed = seed * 1103515245u + 12345u;
            w += static_cast<char>('a' + (seed >> 16) % 26);
        }
        out.push_back(w + "*");
    }
    return out;
}

void BM_CompilePrefixKeywords(benchmark::State& state)
{
    const std::vector<std::string> rubric =
        residency::rubric_phrases(residency::default_rubric(), residency::QuestionKind::behavioral);
    const std::vector<std::string> keywords = prefix_keywords(state.range(0));
    for (auto _ : state) {
        residency::PhraseMatcher m;
        for (const std::string& p : rubric)
            m.add(p);
        for (const std::string& k : keywords)
            m.add(k);
        m.compile(residency::PhraseMatcher::unlimited - 1);
        benchmark::DoNotOptimize(m.nodes());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

// P1 on a generated pack of 2,000 questions shaped like B3's
// (test/bench/setup.sql), as nlohmann values: the in-process part of B3.
void BM_ValidatePack2000(benchmark::State& state)
{
    const char* const categories[] = {"Motivation",           "Teamwork",   "Conflict",    "Ethics & Professionalism",
                                      "Resilience & Failure", "Leadership", "Patient Care"};
    const char* const kinds[] = {"behavioral", "situational", "motivation"};
    residency::Json questions = residency::Json::array();
    for (int i = 1; i <= 2000; ++i)
        questions.push_back(
            {{"id", "q" + std::to_string(i)},
             {"category", categories[i % 7]},
             {"prompt", "Tell me about a time you had to balance patient safety against team pressure (" +
                            std::to_string(i) + ")."},
             {"expected_duration_s", 60 + i % 90},
             {"evaluation_criteria",
              {"Describes the situation and their own role [kw: rotation, shift, role]",
               "Explains the concrete actions they took [kw: paged, asked, escalat*]",
               "States the outcome with a concrete detail [kw: result, outcome, patient]"}},
             {"kind", kinds[i % 3]}});
    const residency::Json pack = {{"version", "1.0.0"},
                                  {"metadata",
                                   {{"title", "Benchmark pack"},
                                    {"description", "Generated for benchmarks B1 and B3"},
                                    {"categories", categories}}},
                                  {"questions", questions}};
    for (auto _ : state) {
        residency::PackValidation v = residency::validate_content_pack(pack, residency::Limits{});
        if (!v.ok())
            state.SkipWithError("the pack should pass");
        benchmark::DoNotOptimize(v);
    }
    state.SetItemsProcessed(state.iterations() * 2000);
}

}  // namespace

BENCHMARK(BM_CompilePrefixKeywords)->Arg(5000)->Arg(10000)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValidatePack2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tokenize300);
BENCHMARK(BM_TokenizeWords300);
BENCHMARK(BM_CountWords300);
BENCHMARK(BM_Score300)->Arg(1)->Arg(0)->ArgName("spoken");
BENCHMARK(BM_Score300Json);
BENCHMARK(BM_ToJson300);
BENCHMARK_MAIN();
