#include "phrase_matcher.hpp"

#include "error.hpp"
#include "interrupt.hpp"

#include <algorithm>

namespace residency {

namespace {

// a * b and a + b, stopping at the largest value instead of wrapping.
std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b)
{
    if (a != 0 && b > PhraseMatcher::unlimited / a)
        return PhraseMatcher::unlimited;
    return a * b;
}
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b)
{
    return b > PhraseMatcher::unlimited - a ? PhraseMatcher::unlimited : a + b;
}

// How often the build loops poll for interrupts: every this many steps
// (each a hash probe or a few array writes, a few ns).
constexpr std::uint32_t poll_every = 4096;

// The children of the automaton's nodes while it is built: (node, symbol)
// -> child, open addressing with linear probing. Node 0 (the root) is never
// a key, so key 0 marks an empty slot.
class EdgeTable {
public:
    EdgeTable() : keys_(1024, 0), values_(1024, 0) {}

    std::uint32_t find(std::uint32_t node, std::uint32_t symbol) const
    {
        const std::uint64_t key = pack(node, symbol);
        for (std::size_t i = slot(key);; i = (i + 1) & mask()) {
            if (keys_[i] == key)
                return values_[i];
            if (keys_[i] == 0)
                return 0;
        }
    }
    void insert(std::uint32_t node, std::uint32_t symbol, std::uint32_t child)
    {
        if (2 * (size_ + 1) > keys_.size())
            grow();
        place(pack(node, symbol), child);
        ++size_;
    }

private:
    static std::uint64_t pack(std::uint32_t node, std::uint32_t symbol)
    {
        return static_cast<std::uint64_t>(node) << 32 | symbol;
    }
    std::size_t mask() const { return keys_.size() - 1; }
    std::size_t slot(std::uint64_t key) const
    {
        key ^= key >> 31;  // splitmix64's finaliser
        key *= 0x7fb5d329728ea185u;
        key ^= key >> 27;
        key *= 0x81dadef4bc2dd44du;
        key ^= key >> 33;
        return static_cast<std::size_t>(key) & mask();
    }
    void place(std::uint64_t key, std::uint32_t value)
    {
        std::size_t i = slot(key);
        while (keys_[i] != 0)
            i = (i + 1) & mask();
        keys_[i] = key;
        values_[i] = value;
    }
    void grow()
    {
        std::vector<std::uint64_t> keys(2 * keys_.size(), 0);
        std::vector<std::uint32_t> values(2 * values_.size(), 0);
        keys.swap(keys_);
        values.swap(values_);
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] != 0)
                place(keys[i], values[i]);
    }

    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> values_;
    std::size_t size_ = 0;
};

[[noreturn]] void throw_too_costly(std::uint64_t expansions, std::uint64_t limit)
{
    std::string figure = expansions == PhraseMatcher::unlimited ? "more than " + std::to_string(expansions - 1)
                                                                : std::to_string(expansions);
    throw Error(sqlstate::payload_too_large, "question too costly to score",
                "Its phrase automaton (the rubric's lexicons and structure cues and the question's criteria "
                "keywords, with every prefix spelled out) would hold " +
                    figure + " patterns; the limit is " + std::to_string(limit) +
                    " (residency.max_question_expansions).",
                "Use fewer prefix keywords (words ending in *) in the question's evaluation criteria, or ask an "
                "administrator to raise residency.max_question_expansions.");
}

}  // namespace

int PhraseMatcher::add(std::string_view phrase)
{
    const std::size_t before = elements_.size();
    for_each_word(phrase, [&](std::string_view w, bool prefix) { elements_.push_back({std::string(w), prefix}); });
    if (elements_.size() == before)
        return -1;
    compiled_ = false;
    prepared_ = false;
    phrase_end_.push_back(static_cast<std::uint32_t>(elements_.size()));
    return static_cast<int>(phrase_end_.size() - 1);
}

std::uint32_t PhraseMatcher::intern(Element& e)
{
    auto& table = e.prefix ? prefixes_ : words_;
    auto [it, inserted] = table.emplace(std::string_view(e.word), next_symbol_);
    if (inserted) {
        add_chars(e.word, next_symbol_, e.prefix);
        ++next_symbol_;
    }
    e.symbol = it->second;
    return it->second;
}

void PhraseMatcher::add_chars(std::string_view text, std::uint32_t symbol, bool prefix)
{
    std::uint32_t node = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::uint32_t next = node == 0 ? char_root_[c] : chars_[node].child;
        if (node != 0)
            while (next != 0 && chars_[next].label != c)
                next = chars_[next].sibling;
        if (next == 0) {
            next = static_cast<std::uint32_t>(chars_.size());
            CharNode n;
            n.label = c;
            if (node == 0) {
                char_root_[c] = next;
            } else {
                n.sibling = chars_[node].child;
                chars_[node].child = next;
            }
            chars_.push_back(n);
        }
        node = next;
    }
    (prefix ? chars_[node].prefix : chars_[node].word) = symbol;
    if (char_of_.size() <= symbol)
        char_of_.resize(symbol + 1, 0);
    char_of_[symbol] = node;
}

void PhraseMatcher::number_vocabulary()
{
    // Depth first over the character trie: a node's own symbols, then its
    // subtree's, so every subtree's symbols are one range. The stack holds
    // nodes to enter, and nodes to leave (marked by the top bit).
    constexpr std::uint32_t leave = std::uint32_t{1} << 31;
    alternatives_.clear();
    alternatives_.reserve(next_symbol_);
    std::vector<std::uint32_t> stack;
    for (int b = 255; b >= 0; --b)
        if (char_root_[b] != 0)
            stack.push_back(char_root_[b]);
    std::uint32_t steps = 0;
    while (!stack.empty()) {
        if (++steps % poll_every == 0)
            poll_interrupts();
        const std::uint32_t v = stack.back();
        stack.pop_back();
        if (v & leave) {
            chars_[v & ~leave].last = static_cast<std::uint32_t>(alternatives_.size());
            continue;
        }
        CharNode& c = chars_[v];
        c.first = static_cast<std::uint32_t>(alternatives_.size());
        if (c.word)
            alternatives_.push_back(c.word);
        if (c.prefix)
            alternatives_.push_back(c.prefix);
        stack.push_back(v | leave);
        for (std::uint32_t child = c.child; child != 0; child = chars_[child].sibling)
            stack.push_back(child);
    }
}

std::uint32_t PhraseMatcher::alternatives_first(const Element& e) const
{
    return chars_[char_of_[e.symbol]].first;
}

std::uint32_t PhraseMatcher::alternatives_count(const Element& e) const
{
    if (!e.prefix)
        return 1;
    const CharNode& c = chars_[char_of_[e.symbol]];
    return c.last - c.first;
}

void PhraseMatcher::prepare()
{
    words_.clear();
    prefixes_.clear();
    next_symbol_ = 1;
    chars_.assign(1, CharNode{});
    std::fill(std::begin(char_root_), std::end(char_root_), 0u);
    char_of_.assign(1, 0);
    // Symbols are assigned in phrase order, so they do not depend on the
    // hash tables' iteration order: the automaton is the same every time.
    for (std::size_t k = 0; k < elements_.size(); ++k) {
        if (k % poll_every == poll_every - 1)
            poll_interrupts();
        intern(elements_[k]);
    }
    number_vocabulary();
    phrase_expansions_.assign(phrase_end_.size(), 0);
    expansions_ = 0;
    for (std::size_t p = 0, k = 0; p < phrase_end_.size(); ++p) {
        std::uint64_t product = 1;
        for (; k < phrase_end_[p]; ++k)
            product = saturating_mul(product, alternatives_count(elements_[k]));
        phrase_expansions_[p] = product;
        expansions_ = saturating_add(expansions_, product);
    }
    prepared_ = true;
}

std::uint64_t PhraseMatcher::expansions()
{
    if (!prepared_ && !compiled_)
        prepare();
    return expansions_;
}

std::uint64_t PhraseMatcher::expansions(std::uint32_t pattern)
{
    if (!prepared_ && !compiled_)
        prepare();
    return pattern < phrase_expansions_.size() ? phrase_expansions_[pattern] : 0;
}

void PhraseMatcher::compile(std::uint64_t max_expansions)
{
    if (!prepared_)
        prepare();
    if (expansions_ > max_expansions || expansions_ == unlimited)
        throw_too_costly(expansions_, max_expansions);
    build();
    flatten_chars();
    release_build_state();
    compiled_ = true;
}

void PhraseMatcher::build()
{
    // The trie of every pattern, one node per distinct sequence of symbols
    // that begins a pattern. Node 0 is the root.
    std::vector<std::uint32_t> parent(1, 0), label(1, 0), depth(1, 0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;  // (node, pattern), patterns in increasing order
    EdgeTable edges;
    root_next_.assign(next_symbol_, 0);
    std::uint32_t steps = 0;
    auto child = [&](std::uint32_t node, std::uint32_t symbol) -> std::uint32_t {
        return node == 0 ? root_next_[symbol] : edges.find(node, symbol);
    };
    auto child_or_new = [&](std::uint32_t node, std::uint32_t symbol) -> std::uint32_t {
        if (++steps % poll_every == 0)
            poll_interrupts();
        if (std::uint32_t c = child(node, symbol))
            return c;
        if (parent.size() >= std::numeric_limits<std::uint32_t>::max())
            throw_too_costly(unlimited, unlimited - 1);
        const auto c = static_cast<std::uint32_t>(parent.size());
        parent.push_back(node);
        label.push_back(symbol);
        depth.push_back(depth[node] + 1);
        if (node == 0)
            root_next_[symbol] = c;
        else
            edges.insert(node, symbol, c);
        return c;
    };

    // Every combination of each phrase's alternatives, walked as a tree so
    // that combinations sharing their first symbols share those steps.
    std::vector<const std::uint32_t*> alts;
    std::vector<std::uint32_t> count, pick, at;
    for (std::uint32_t p = 0; p < phrase_end_.size(); ++p) {
        const Element* phrase = elements_.data() + (p == 0 ? 0 : phrase_end_[p - 1]);
        const std::size_t m = elements_.data() + phrase_end_[p] - phrase;
        alts.resize(m);
        count.resize(m);
        for (std::size_t k = 0; k < m; ++k) {
            const Element& e = phrase[k];
            alts[k] = e.prefix ? alternatives_.data() + alternatives_first(e) : &e.symbol;
            count[k] = alternatives_count(e);
        }
        pick.assign(m, 0);    // the alternative chosen at each depth
        at.assign(m + 1, 0);  // at[k]: the node reached by the first k choices
        std::size_t k = 0;
        while (true) {
            if (pick[k] == count[k]) {
                if (k == 0)
                    break;
                ++pick[--k];
                continue;
            }
            std::uint32_t c = child_or_new(at[k], alts[k][pick[k]]);
            if (k + 1 == m) {
                ends.emplace_back(c, p);
                ++pick[k];
            } else {
                at[k + 1] = c;
                pick[++k] = 0;
            }
        }
    }
    const std::size_t n = parent.size();

    // Children side by side, sorted by symbol: bucketed by symbol, then
    // (stably) by parent.
    std::vector<std::uint32_t> by_symbol_start(next_symbol_ + 1, 0);
    for (std::size_t c = 1; c < n; ++c)
        ++by_symbol_start[label[c] + 1];
    for (std::size_t s = 0; s < next_symbol_; ++s)
        by_symbol_start[s + 1] += by_symbol_start[s];
    std::vector<std::uint32_t> by_symbol(n > 0 ? n - 1 : 0);
    for (std::size_t c = 1; c < n; ++c)
        by_symbol[by_symbol_start[label[c]]++] = static_cast<std::uint32_t>(c);
    std::vector<std::uint32_t> first(n + 1, 0);
    for (std::size_t c = 1; c < n; ++c)
        ++first[parent[c] + 1];
    for (std::size_t v = 0; v < n; ++v)
        first[v + 1] += first[v];
    edge_symbols_.assign(n > 0 ? n - 1 : 0, 0);
    edge_targets_.assign(n > 0 ? n - 1 : 0, 0);
    {
        std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
        for (std::uint32_t c : by_symbol) {
            std::uint32_t slot = fill[parent[c]]++;
            edge_symbols_[slot] = label[c];
            edge_targets_[slot] = c;
        }
    }
    std::vector<std::uint32_t>().swap(by_symbol);
    std::vector<std::uint32_t>().swap(by_symbol_start);

    // Patterns ending at each node, in the order they were added.
    std::vector<std::uint32_t> outputs_first(n + 1, 0);
    for (const auto& [node, pattern] : ends)
        ++outputs_first[node + 1];
    for (std::size_t v = 0; v < n; ++v)
        outputs_first[v + 1] += outputs_first[v];
    outputs_.assign(ends.size(), 0);
    {
        std::vector<std::uint32_t> fill(outputs_first.begin(), outputs_first.end() - 1);
        for (const auto& [node, pattern] : ends)
            outputs_[fill[node]++] = pattern;
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(ends);

    // Failure links, breadth first (a node's fail is shallower than it).
    std::vector<std::uint32_t> fail(n, 0), output_link(n, 0);
    std::vector<std::uint32_t> order;
    order.reserve(n);
    order.push_back(0);
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i % poll_every == poll_every - 1)
            poll_interrupts();
        const std::uint32_t v = order[i];
        for (std::uint32_t e = first[v]; e < first[v + 1]; ++e) {
            const std::uint32_t c = edge_targets_[e];
            order.push_back(c);
            if (v == 0)
                continue;  // depth 1: fail to the root
            const std::uint32_t s = edge_symbols_[e];
            std::uint32_t f = fail[v];
            while (f != 0 && child(f, s) == 0)
                f = fail[f];
            std::uint32_t target = child(f, s);
            fail[c] = target != c ? target : 0;
            std::uint32_t fl = fail[c];
            output_link[c] = outputs_first[fl + 1] > outputs_first[fl] ? fl : output_link[fl];
        }
    }

    // The most matches one symbol can report: the outputs along a node's
    // output links (each shallower than the node: already summed).
    max_outputs_ = 0;
    {
        std::vector<std::uint32_t> chain(n, 0);
        for (std::uint32_t v : order) {
            chain[v] = outputs_first[v + 1] - outputs_first[v] + (output_link[v] ? chain[output_link[v]] : 0);
            max_outputs_ = std::max<std::size_t>(max_outputs_, chain[v]);
        }
    }
    flat_nodes_.resize(n);
    for (std::size_t v = 0; v < n; ++v)
        flat_nodes_[v] = {first[v],       first[v + 1] - first[v], fail[v],
                          output_link[v], outputs_first[v],        outputs_first[v + 1] - outputs_first[v],
                          depth[v]};
}

void PhraseMatcher::flatten_chars()
{
    flat_chars_.clear();
    char_labels_.clear();
    char_targets_.clear();
    flat_chars_.reserve(chars_.size());
    char_labels_.resize(chars_.size() > 0 ? chars_.size() - 1 : 0);
    char_targets_.resize(char_labels_.size());
    std::uint32_t first = 0;
    for (const CharNode& c : chars_) {
        std::uint32_t count = 0;
        for (std::uint32_t child = c.child; child != 0; child = chars_[child].sibling)
            ++count;
        // in the order the children were added (the list is newest first)
        std::uint32_t at = first + count;
        for (std::uint32_t child = c.child; child != 0; child = chars_[child].sibling) {
            --at;
            char_labels_[at] = chars_[child].label;
            char_targets_[at] = child;
        }
        flat_chars_.push_back({first, count, c.word, c.prefix});
        first += count;
    }
    char_labels_.resize(first);  // the root's children are in char_root_, not here
    char_targets_.resize(first);
}

void PhraseMatcher::release_build_state()
{
    // The build structures are not read again (compile() starts afresh):
    // a backend keeps one matcher per question it scored.
    std::vector<CharNode>().swap(chars_);
    std::vector<std::uint32_t>().swap(char_of_);
    std::vector<std::uint32_t>().swap(alternatives_);
    std::unordered_map<std::string_view, std::uint32_t>().swap(words_);
    std::unordered_map<std::string_view, std::uint32_t>().swap(prefixes_);
    prepared_ = false;
}

std::size_t PhraseMatcher::memory_bytes() const
{
    std::size_t bytes = sizeof(*this);
    bytes += elements_.capacity() * sizeof(Element) + phrase_end_.capacity() * sizeof(std::uint32_t);
    for (const Element& e : elements_)
        if (e.word.capacity() > 15)  // beyond the short-string buffer
            bytes += e.word.capacity() + 1;
    bytes += phrase_expansions_.capacity() * sizeof(std::uint64_t);
    bytes += root_next_.capacity() * sizeof(std::uint32_t);
    bytes += flat_chars_.capacity() * sizeof(FlatChar);
    bytes += char_labels_.capacity() + char_targets_.capacity() * sizeof(std::uint32_t);
    bytes += flat_nodes_.capacity() * sizeof(FlatNode);
    bytes += (edge_symbols_.capacity() + edge_targets_.capacity() + outputs_.capacity()) * sizeof(std::uint32_t);
    return bytes;
}

std::uint32_t PhraseMatcher::symbol(std::string_view token) const
{
    // Walk the token through the trie: its own symbol if it is a lexicon
    // word, else the longest lexicon prefix it starts with, else 0.
    if (token.empty())
        return 0;
    std::uint32_t node = char_root_[static_cast<unsigned char>(token[0])];
    if (node == 0)
        return 0;
    std::uint32_t longest_prefix = flat_chars_[node].prefix;
    for (std::size_t i = 1; i < token.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(token[i]);
        const FlatChar& at = flat_chars_[node];
        const unsigned char* labels = char_labels_.data() + at.first;
        std::uint32_t k = 0;
        while (k < at.count && labels[k] != c)
            ++k;
        if (k == at.count)
            return longest_prefix;
        node = char_targets_[at.first + k];
        if (flat_chars_[node].prefix != 0)
            longest_prefix = flat_chars_[node].prefix;
    }
    return flat_chars_[node].word != 0 ? flat_chars_[node].word : longest_prefix;
}

namespace {

// The child of a node with many children (one prefix standing for many
// words), by bisection without branches: out of find()'s loop, which scans
// the usual few (a scan of a few dozen beats mispredicted halvings).
[[gnu::noinline]] std::uint32_t wide_child(const std::uint32_t* symbols, const std::uint32_t* targets,
                                           std::uint32_t count, std::uint32_t s)
{
    const std::uint32_t* base = symbols;
    for (std::uint32_t n = count; n > 1;) {
        const std::uint32_t half = n / 2;
        base = base[half] <= s ? base + half : base;
        n -= half;
    }
    return *base == s ? targets[base - symbols] : 0;
}

constexpr std::uint32_t scan_max = 64;  // children scanned; more are bisected

}  // namespace

inline std::uint32_t PhraseMatcher::child_of(std::uint32_t node, std::uint32_t s) const
{
    // The root's children are indexed, the others' few and scanned (many:
    // bisected).
    if (node == 0)
        return s < root_next_.size() ? root_next_[s] : 0;
    const FlatNode& at = flat_nodes_[node];
    if (at.count > scan_max)
        return wide_child(edge_symbols_.data() + at.first, edge_targets_.data() + at.first, at.count, s);
    for (std::uint32_t k = at.first; k < at.first + at.count; ++k)
        if (edge_symbols_[k] == s)
            return edge_targets_[k];
    return 0;
}

bool PhraseMatcher::find(const std::vector<std::uint32_t>& symbols, std::vector<Match>& out, std::size_t max_out) const
{
    // In chunks of symbols, polling for interrupts before each. A symbol
    // adds at most max_outputs_ matches, so a chunk is kept short enough
    // that `out` cannot pass max_out within it (nor grow by much more than
    // 64K matches), and the bound is checked per chunk; only when fewer
    // than max_outputs_ may still be added is it checked per match
    // (scan_checked()).
    std::uint32_t node = 0;
    const auto n = static_cast<std::uint32_t>(symbols.size());
    for (std::uint32_t i = 0; i < n;) {
        poll_interrupts();
        const std::size_t room = max_out > out.size() ? max_out - out.size() : 0;
        const std::size_t most = std::max<std::size_t>(max_outputs_, 1);
        const std::size_t fit = room / most;  // symbols that surely fit
        const bool last = fit == 0;           // fewer than max_outputs_ may still be added: check each
        // at most 1024 symbols, and at most about 64K matches, per chunk
        const std::size_t per_chunk = std::clamp<std::size_t>(65536 / most, 1, 1024);
        const auto chunk = static_cast<std::uint32_t>(last ? per_chunk : std::min(fit, per_chunk));
        const std::uint32_t end = n - i > chunk ? i + chunk : n;
        if (last) {
            if (!scan_checked(symbols.data(), i, end, node, out, max_out))
                return false;
        } else {
            scan(symbols.data(), i, end, node, out);
        }
        i = end;
    }
    return true;
}

// The automaton over symbols[i, end), from state `node_io` (and back into
// it). Kept apart from find(), whose chunking otherwise made this, the loop
// every answer runs, measurably slower.
void PhraseMatcher::scan(const std::uint32_t* symbols, std::uint32_t i, std::uint32_t end, std::uint32_t& node_io,
                         std::vector<Match>& out) const
{
    std::uint32_t node = node_io;
    for (; i < end; ++i) {
        std::uint32_t s = symbols[i];
        if (s == 0) {  // a word of no pattern: no pattern goes on through it
            node = 0;
            continue;
        }
        std::uint32_t next;
        while ((next = child_of(node, s)) == 0 && node != 0)
            node = flat_nodes_[node].fail;
        node = next;
        for (std::uint32_t o = node; o != 0; o = flat_nodes_[o].output_link) {
            const FlatNode& at = flat_nodes_[o];
            for (std::uint32_t k = 0; k < at.outputs_count; ++k)
                out.push_back({i + 1 - at.depth, at.depth, outputs_[at.outputs_first + k]});
        }
    }
    node_io = node;
}

// scan(), stopping (false) where `out` would pass max_out.
bool PhraseMatcher::scan_checked(const std::uint32_t* symbols, std::uint32_t i, std::uint32_t end,
                                 std::uint32_t& node_io, std::vector<Match>& out, std::size_t max_out) const
{
    std::uint32_t node = node_io;
    for (; i < end; ++i) {
        std::uint32_t s = symbols[i];
        if (s == 0) {
            node = 0;
            continue;
        }
        std::uint32_t next;
        while ((next = child_of(node, s)) == 0 && node != 0)
            node = flat_nodes_[node].fail;
        node = next;
        for (std::uint32_t o = node; o != 0; o = flat_nodes_[o].output_link) {
            const FlatNode& at = flat_nodes_[o];
            for (std::uint32_t k = 0; k < at.outputs_count; ++k) {
                if (out.size() >= max_out)
                    return false;
                out.push_back({i + 1 - at.depth, at.depth, outputs_[at.outputs_first + k]});
            }
        }
    }
    node_io = node;
    return true;
}

}  // namespace residency
