// Phrase lexicons matched on whole words by one Aho-Corasick automaton over
// word symbols, not characters: "um" never matches inside "umbrella", and a
// 300-word answer is matched in one pass whatever the number of phrases.
//
// A phrase is a sequence of words; a word ending in '*' matches any word
// with that prefix ("escalat*" matches "escalated", "escalation"). Each
// token of the answer becomes one symbol: its own id when it is a lexicon
// word, else the id of the longest lexicon prefix it starts with, else
// "other". Compile() makes every phrase that uses a prefix also match the
// lexicon words and longer prefixes that start with it, so one symbol per
// token loses no match.
#pragma once
#include "pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace residency {

class PhraseMatcher {
public:
    struct Match {
        std::uint32_t first;    // index of the first token
        std::uint32_t length;   // in tokens
        std::uint32_t pattern;  // what add() returned
    };

    // Adds a phrase (words separated by spaces, already normalised: ASCII
    // lower case, ' for apostrophes). Returns its pattern id, or -1 for a
    // phrase with no word. Call before compile().
    int add(std::string_view phrase);

    void compile();
    bool compiled() const { return compiled_; }

    // The symbol of one normalised token.
    std::uint32_t symbol(std::string_view token) const;

    // Appends every occurrence of every pattern in `symbols`, ordered by end
    // position (longest first among those ending together).
    void find(const std::vector<std::uint32_t>& symbols, std::vector<Match>& out) const;

    std::size_t patterns() const { return phrases_.size(); }

private:
    struct Element {
        std::string word;  // without the '*'
        bool prefix;
    };
    struct Node {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> next;  // (symbol, node), sorted
        std::uint32_t fail = 0;
        std::uint32_t output_link = 0;       // nearest node on the fail chain with outputs (0: none)
        std::vector<std::uint32_t> outputs;  // patterns ending here
        std::uint32_t depth = 0;
    };

    std::uint32_t intern(const Element& e);
    std::uint32_t child(std::uint32_t node, std::uint32_t symbol) const;
    void insert(const std::vector<std::uint32_t>& symbols, std::uint32_t pattern);
    void flatten();

    std::vector<std::vector<Element>> phrases_;
    // views into phrases_ (stable once compiled)
    std::unordered_map<std::string_view, std::uint32_t> words_;     // exact words -> symbol
    std::unordered_map<std::string_view, std::uint32_t> prefixes_;  // prefixes -> symbol

    // The same vocabulary as a character trie: one walk over a token finds
    // its exact symbol and its longest prefix symbol, without hashing. This
    // and nodes_ are built by compile() and then flattened (below).
    struct CharNode {
        std::vector<std::pair<unsigned char, std::uint32_t>> next;
        std::uint32_t word = 0;    // symbol of the word ending here
        std::uint32_t prefix = 0;  // symbol of the prefix ending here
    };
    std::vector<CharNode> chars_;
    std::uint32_t char_root_[256] = {};  // children of the root, by byte
    void add_chars(std::string_view text, std::uint32_t symbol, bool prefix);
    std::vector<Node> nodes_;
    std::vector<std::uint32_t> root_next_;  // the root's children, by symbol
    std::uint32_t next_symbol_ = 1;         // 0 is "any other word"
    std::size_t max_prefix_ = 0;
    bool compiled_ = false;

    // What symbol() and find() read, built by compile() from the above: each
    // node's children side by side in flat arrays, so a lookup scans a few
    // adjacent bytes instead of chasing a vector per node (the two walks run
    // once per word of every answer).
    struct FlatChar {
        std::uint32_t first;  // children: char_labels_/char_targets_[first, first + count)
        std::uint32_t count;
        std::uint32_t word;
        std::uint32_t prefix;
    };
    std::vector<FlatChar> flat_chars_;
    std::vector<unsigned char> char_labels_;
    std::vector<std::uint32_t> char_targets_;
    struct FlatNode {
        std::uint32_t first;  // children: edge_symbols_/edge_targets_[first, first + count)
        std::uint32_t count;
        std::uint32_t fail;
        std::uint32_t output_link;
        std::uint32_t outputs_first;  // patterns ending here: outputs_[outputs_first, + outputs_count)
        std::uint32_t outputs_count;
        std::uint32_t depth;
    };
    std::vector<FlatNode> flat_nodes_;
    std::vector<std::uint32_t> edge_symbols_, edge_targets_, outputs_;
};

}  // namespace residency
