// Phrase lexicons matched on whole words by one Aho-Corasick automaton over
// word symbols, not characters: "um" never matches inside "umbrella", and a
// 300-word answer is matched in one pass whatever the number of phrases.
//
// A phrase is a sequence of words; a word ending in '*' matches any word
// with that prefix ("escalat*" matches "escalated", "escalation"). Each
// token of the answer becomes one symbol: its own id when it is a lexicon
// word, else the id of the longest lexicon prefix it starts with, else
// "other". Compile() makes every phrase that uses a prefix also match the
// lexicon words and longer prefixes that start with it (the prefix's
// alternatives), so one symbol per token loses no match: a phrase becomes
// one pattern per combination of its words' alternatives. expansions()
// counts those patterns without building them, and compile() refuses to
// build more than it is allowed (PT413).
//
// Cost. Let B be the bytes of the distinct words and prefixes (the
// vocabulary), W the words of all phrases, E the expansions and L the
// longest phrase in words. The vocabulary is one character trie whose
// words and prefixes are numbered in depth-first order, so the alternatives
// of a prefix are one contiguous range: counting is O(B + W) (one hash
// lookup per word; a trie node's children are a list, at most 256 long),
// and compile() is O(B + W + L * E) time and memory: each phrase's
// combinations are walked as a tree (shared first words are walked once),
// edges are found through a hash table keyed by (node, symbol) while
// building (the root's through an array indexed by symbol), so a wide node
// costs no more than a narrow one; children are then sorted by counting
// and failure links set breadth first, both linear. The automaton has at
// most 1 + L * E nodes: the expansion limit bounds it (rule P1 bounds L at
// max_phrase_words, limits.hpp). find() is linear in the symbols and the
// matches it reports (a node with many children is bisected, not scanned),
// and stops at a bound on the matches.
#pragma once
#include "pure.hpp"

#include <cstdint>
#include <limits>
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

    static constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

    // Adds a phrase (words separated by spaces, already normalised: ASCII
    // lower case, ' for apostrophes). Returns its pattern id, or -1 for a
    // phrase with no word. Call before compile().
    int add(std::string_view phrase);

    // f(word, prefix) for each word of a phrase as add() reads it: words
    // are separated by spaces; "word*" (two bytes or more) is the prefix
    // "word".
    template <class F>
    static void for_each_word(std::string_view phrase, F&& f)
    {
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
                f(w, prefix);
            }
            i = j;
        }
    }

    // The number of patterns compile() builds for the phrases added so far:
    // for each phrase, the product of its words' alternatives (1 for a
    // plain word; for a prefix, itself, the longer prefixes and the words
    // that start with it), summed; saturates at `unlimited`. The second
    // form counts one phrase (an id add() returned). Neither enumerates.
    std::uint64_t expansions();
    std::uint64_t expansions(std::uint32_t pattern);

    // Builds the automaton. Throws Error PT413 ("question too costly to
    // score") when expansions() exceeds `max_expansions`, before building
    // anything. Polls for interrupts (interrupt.hpp) while it works.
    void compile(std::uint64_t max_expansions = unlimited);
    bool compiled() const { return compiled_; }

    // The symbol of one normalised token.
    std::uint32_t symbol(std::string_view token) const;

    // Appends every occurrence of every pattern in `symbols`, ordered by end
    // position (longest first among those ending together). Stops, and
    // returns false, once `out` would hold more than `max_out` matches.
    bool find(const std::vector<std::uint32_t>& symbols, std::vector<Match>& out,
              std::size_t max_out = std::numeric_limits<std::size_t>::max()) const;

    std::size_t patterns() const { return phrase_end_.size(); }

    // The compiled automaton: patterns built (expansions(), once compiled)
    // and nodes (at most 1 + L * E, see above).
    std::size_t built_patterns() const { return outputs_.size(); }
    std::size_t nodes() const { return flat_nodes_.size(); }

    // Bytes held by the compiled automaton and the phrases (approximate:
    // vector capacities, not allocator overhead).
    std::size_t memory_bytes() const;

private:
    struct Element {
        std::string word;  // without the '*'
        bool prefix;
        std::uint32_t symbol = 0;  // set by prepare()
    };

    // The vocabulary: symbols, the character trie, alternatives' ranges and
    // the expansion counts. Built by prepare() (for expansions() and
    // compile()), released by compile().
    void prepare();
    std::uint32_t intern(Element& e);
    void add_chars(std::string_view text, std::uint32_t symbol, bool prefix);
    void number_vocabulary();
    // The symbols a token may have where the element stands: its own for a
    // word; for a prefix, alternatives_[first, first + count).
    std::uint32_t alternatives_first(const Element& e) const;
    std::uint32_t alternatives_count(const Element& e) const;

    void build();
    void flatten_chars();
    void release_build_state();

    // The phrases' words side by side: phrase p is
    // elements_[p ? phrase_end_[p - 1] : 0, phrase_end_[p]).
    std::vector<Element> elements_;
    std::vector<std::uint32_t> phrase_end_;
    std::vector<std::uint64_t> phrase_expansions_;  // per phrase, valid once prepared_ (or compiled_)
    std::uint64_t expansions_ = 0;
    bool prepared_ = false;
    bool compiled_ = false;

    // Build state. Views into elements_, which do not change until add().
    std::unordered_map<std::string_view, std::uint32_t> words_;     // exact words -> symbol
    std::unordered_map<std::string_view, std::uint32_t> prefixes_;  // prefixes -> symbol
    std::uint32_t next_symbol_ = 1;                                 // 0 is "any other word"

    // The vocabulary as a character trie: one walk over a token finds its
    // exact symbol and its longest prefix symbol, without hashing. Built by
    // prepare(), flattened by compile() (below).
    struct CharNode {
        std::uint32_t child = 0;    // its last child added (0: none); the others follow by `sibling`
        std::uint32_t sibling = 0;  // the child of the same parent added before it
        std::uint32_t word = 0;     // symbol of the word ending here
        std::uint32_t prefix = 0;   // symbol of the prefix ending here
        // The symbols of this node's subtree (itself included), in
        // depth-first order: alternatives_[first, last).
        std::uint32_t first = 0;
        std::uint32_t last = 0;
        unsigned char label = 0;
    };
    std::vector<CharNode> chars_;
    std::uint32_t char_root_[256] = {};   // children of the root, by byte
    std::vector<std::uint32_t> char_of_;  // by symbol: the trie node where it ends
    std::vector<std::uint32_t> alternatives_;

    // The root's children, by symbol (the root is visited at almost every
    // word); kept by the compiled automaton.
    std::vector<std::uint32_t> root_next_;

    // What symbol() and find() read, built by compile() from the above: each
    // node's children side by side in flat arrays, so a lookup scans a few
    // adjacent bytes instead of chasing a vector per node (the two walks run
    // once per word of every answer). Children are sorted by symbol: a
    // wide node is searched by bisection.
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
        std::uint32_t output_link;    // nearest node on the fail chain with outputs (0: none)
        std::uint32_t outputs_first;  // patterns ending here: outputs_[outputs_first, + outputs_count)
        std::uint32_t outputs_count;
        std::uint32_t depth;
    };
    std::vector<FlatNode> flat_nodes_;
    std::vector<std::uint32_t> edge_symbols_, edge_targets_, outputs_;
    std::size_t max_outputs_ = 0;  // the most patterns ending at one position (along output links)
    std::uint32_t child_of(std::uint32_t node, std::uint32_t symbol) const;
    void scan(const std::uint32_t* symbols, std::uint32_t i, std::uint32_t end, std::uint32_t& node,
              std::vector<Match>& out) const;
    bool scan_checked(const std::uint32_t* symbols, std::uint32_t i, std::uint32_t end, std::uint32_t& node,
                      std::vector<Match>& out, std::size_t max_out) const;
};

}  // namespace residency
