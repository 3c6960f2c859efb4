#include "phrase_matcher.hpp"

#include <algorithm>
#include <deque>

namespace residency {

int PhraseMatcher::add(std::string_view phrase)
{
    std::vector<Element> elements;
    std::size_t i = 0;
    while (i < phrase.size()) {
        while (i < phrase.size() && phrase[i] == ' ')
            ++i;
        std::size_t j = i;
        while (j < phrase.size() && phrase[j] != ' ')
            ++j;
        if (j > i) {
            std::string_view w = phrase.substr(i, j - i);
            bool prefix = w.size() > 1 && w.back() == '*';
            if (prefix)
                w.remove_suffix(1);
            elements.push_back({std::string(w), prefix});
        }
        i = j;
    }
    if (elements.empty())
        return -1;
    compiled_ = false;
    phrases_.push_back(std::move(elements));
    return static_cast<int>(phrases_.size() - 1);
}

std::uint32_t PhraseMatcher::intern(const Element& e)
{
    auto& table = e.prefix ? prefixes_ : words_;
    auto [it, inserted] = table.emplace(std::string_view(e.word), next_symbol_);
    if (inserted)
        ++next_symbol_;
    return it->second;
}

std::uint32_t PhraseMatcher::child(std::uint32_t node, std::uint32_t symbol) const
{
    if (node == 0 && !root_next_.empty())
        return symbol < root_next_.size() ? root_next_[symbol] : 0;
    const auto& next = nodes_[node].next;
    auto it = std::lower_bound(next.begin(), next.end(), std::make_pair(symbol, std::uint32_t{0}));
    return it != next.end() && it->first == symbol ? it->second : 0;
}

void PhraseMatcher::insert(const std::vector<std::uint32_t>& symbols, std::uint32_t pattern)
{
    std::uint32_t node = 0;
    for (std::uint32_t s : symbols) {
        std::uint32_t c = child(node, s);
        if (c == 0) {
            c = static_cast<std::uint32_t>(nodes_.size());
            Node n;
            n.depth = nodes_[node].depth + 1;
            nodes_.push_back(std::move(n));
            auto& next = nodes_[node].next;
            next.insert(std::lower_bound(next.begin(), next.end(), std::make_pair(s, std::uint32_t{0})),
                        std::make_pair(s, c));
        }
        node = c;
    }
    auto& out = nodes_[node].outputs;
    if (std::find(out.begin(), out.end(), pattern) == out.end())
        out.push_back(pattern);
}

void PhraseMatcher::compile()
{
    words_.clear();
    prefixes_.clear();
    next_symbol_ = 1;
    for (const auto& p : phrases_)
        for (const Element& e : p)
            intern(e);
    max_prefix_ = 0;
    for (const auto& [prefix, symbol] : prefixes_)
        max_prefix_ = std::max(max_prefix_, prefix.size());
    chars_.assign(1, CharNode{});
    std::fill(std::begin(char_root_), std::end(char_root_), 0u);
    for (const auto& [word, symbol] : words_)
        add_chars(word, symbol, false);
    for (const auto& [prefix, symbol] : prefixes_)
        add_chars(prefix, symbol, true);

    // What each prefix element may see as a token's symbol: the prefix
    // itself, every longer prefix and every lexicon word it starts.
    auto alternatives = [&](const Element& e) {
        std::vector<std::uint32_t> alts;
        if (!e.prefix) {
            alts.push_back(words_.at(e.word));
            return alts;
        }
        alts.push_back(prefixes_.at(e.word));
        for (const auto& [p, s] : prefixes_)
            if (p.size() > e.word.size() && p.compare(0, e.word.size(), e.word) == 0)
                alts.push_back(s);
        for (const auto& [w, s] : words_)
            if (w.size() >= e.word.size() && w.compare(0, e.word.size(), e.word) == 0)
                alts.push_back(s);
        std::sort(alts.begin(), alts.end());
        return alts;
    };

    nodes_.assign(1, Node{});
    root_next_.clear();  // child() must not use the previous automaton's root
    // Symbols are assigned in phrase order, so they do not depend on the
    // hash tables' iteration order: the automaton is the same every time.
    for (std::uint32_t p = 0; p < phrases_.size(); ++p) {
        std::vector<std::vector<std::uint32_t>> choices;
        for (const Element& e : phrases_[p])
            choices.push_back(alternatives(e));
        // every combination (phrases are short; prefixes rarely collide)
        std::vector<std::size_t> pick(choices.size(), 0);
        while (true) {
            std::vector<std::uint32_t> symbols;
            for (std::size_t k = 0; k < choices.size(); ++k)
                symbols.push_back(choices[k][pick[k]]);
            insert(symbols, p);
            std::size_t k = 0;
            while (k < pick.size() && ++pick[k] == choices[k].size())
                pick[k++] = 0;
            if (k == pick.size())
                break;
        }
    }

    // the root is visited at almost every word: index its children
    root_next_.assign(next_symbol_, 0);
    for (auto [sym, c] : nodes_[0].next)
        root_next_[sym] = c;

    // failure links, breadth first
    std::deque<std::uint32_t> queue;
    for (auto& [s, c] : nodes_[0].next) {
        nodes_[c].fail = 0;
        queue.push_back(c);
    }
    while (!queue.empty()) {
        std::uint32_t n = queue.front();
        queue.pop_front();
        for (auto [s, c] : nodes_[n].next) {
            std::uint32_t f = nodes_[n].fail;
            while (f != 0 && child(f, s) == 0)
                f = nodes_[f].fail;
            std::uint32_t target = child(f, s);
            nodes_[c].fail = target != c ? target : 0;
            std::uint32_t fl = nodes_[c].fail;
            nodes_[c].output_link = !nodes_[fl].outputs.empty() ? fl : nodes_[fl].output_link;
            queue.push_back(c);
        }
    }
    flatten();
    compiled_ = true;
}

void PhraseMatcher::flatten()
{
    flat_chars_.clear();
    char_labels_.clear();
    char_targets_.clear();
    for (const CharNode& c : chars_) {
        flat_chars_.push_back({static_cast<std::uint32_t>(char_labels_.size()),
                               static_cast<std::uint32_t>(c.next.size()), c.word, c.prefix});
        for (auto [label, target] : c.next) {
            char_labels_.push_back(label);
            char_targets_.push_back(target);
        }
    }
    flat_nodes_.clear();
    edge_symbols_.clear();
    edge_targets_.clear();
    outputs_.clear();
    for (const Node& n : nodes_) {
        flat_nodes_.push_back({static_cast<std::uint32_t>(edge_symbols_.size()),
                               static_cast<std::uint32_t>(n.next.size()), n.fail, n.output_link,
                               static_cast<std::uint32_t>(outputs_.size()),
                               static_cast<std::uint32_t>(n.outputs.size()), n.depth});
        for (auto [symbol, target] : n.next) {
            edge_symbols_.push_back(symbol);
            edge_targets_.push_back(target);
        }
        outputs_.insert(outputs_.end(), n.outputs.begin(), n.outputs.end());
    }
    // the build structures are not read again (compile() starts afresh):
    // a backend keeps one matcher per question it scored
    std::vector<CharNode>().swap(chars_);
    std::vector<Node>().swap(nodes_);
}

void PhraseMatcher::add_chars(std::string_view text, std::uint32_t symbol, bool prefix)
{
    std::uint32_t node = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::uint32_t next = 0;
        if (node == 0) {
            next = char_root_[c];
        } else {
            for (const auto& [ch, n] : chars_[node].next)
                if (ch == c)
                    next = n;
        }
        if (next == 0) {
            next = static_cast<std::uint32_t>(chars_.size());
            chars_.push_back(CharNode{});
            if (node == 0)
                char_root_[c] = next;
            else
                chars_[node].next.emplace_back(c, next);
        }
        node = next;
    }
    (prefix ? chars_[node].prefix : chars_[node].word) = symbol;
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

void PhraseMatcher::find(const std::vector<std::uint32_t>& symbols, std::vector<Match>& out) const
{
    // The child of `node` by symbol `s`, 0 when none; the root's children
    // are indexed, the others' few and scanned.
    auto step = [&](std::uint32_t node, std::uint32_t s) -> std::uint32_t {
        if (node == 0)
            return s < root_next_.size() ? root_next_[s] : 0;
        const FlatNode& at = flat_nodes_[node];
        for (std::uint32_t k = at.first; k < at.first + at.count; ++k)
            if (edge_symbols_[k] == s)
                return edge_targets_[k];
        return 0;
    };
    std::uint32_t node = 0;
    for (std::uint32_t i = 0; i < symbols.size(); ++i) {
        std::uint32_t s = symbols[i];
        if (s == 0) {  // a word of no pattern: no pattern goes on through it
            node = 0;
            continue;
        }
        std::uint32_t next;
        while ((next = step(node, s)) == 0 && node != 0)
            node = flat_nodes_[node].fail;
        node = next;
        for (std::uint32_t o = node; o != 0; o = flat_nodes_[o].output_link) {
            const FlatNode& at = flat_nodes_[o];
            for (std::uint32_t k = 0; k < at.outputs_count; ++k)
                out.push_back({i + 1 - at.depth, at.depth, outputs_[at.outputs_first + k]});
        }
    }
}

}  // namespace residency
