// A read-only view of a JSON value. Validators that walk a document (rule
// P1's content pack, the pack's rubric) are templates over a View, so that
// one set of rules runs on nlohmann::json (JSON text that was uploaded) and
// on Postgres' binary jsonb (rows), without first copying a large jsonb
// into a DOM. A View provides:
//
//   JsonType type() const;
//   std::string_view string() const;                        // JsonType::string
//   double number() const;                                  // JsonType::number (+-inf when out of range)
//   bool integral() const;                                  // JsonType::number without a fraction
//   bool boolean() const;                                   // JsonType::boolean
//   std::size_t size() const;                               // arrays and objects
//   View at(std::size_t i) const;                           // arrays
//   std::optional<View> find(std::string_view key) const;  // objects
//   template <class F> void for_each_key(F&& f) const;      // objects: f(std::string_view)
//   std::string excerpt(std::size_t max_chars) const;       // JSON text, shortened, for messages
//
// Views returned by at() and find() stay valid as long as the document does.
#pragma once
#include "pure.hpp"

#include "json_input.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace residency {

enum class JsonType { null, boolean, number, string, array, object };

const char* json_type_name(JsonType type);

// A value for messages: "the number 3", "the string \"x\"", "array", "null".
template <class View>
std::string describe_json(const View& v)
{
    switch (v.type()) {
    case JsonType::number:
        return "the number " + v.excerpt(30);
    case JsonType::string:
        return "the string " + v.excerpt(30);
    default:
        return json_type_name(v.type());
    }
}

class NlohmannView {
public:
    explicit NlohmannView(const Json& value) : v_(&value) {}

    JsonType type() const
    {
        switch (v_->type()) {
        case Json::value_t::boolean:
            return JsonType::boolean;
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return JsonType::number;
        case Json::value_t::string:
            return JsonType::string;
        case Json::value_t::array:
            return JsonType::array;
        case Json::value_t::object:
            return JsonType::object;
        default:
            return JsonType::null;
        }
    }
    std::string_view string() const { return v_->get_ref<const std::string&>(); }
    double number() const { return v_->get<double>(); }
    bool integral() const { return v_->is_number_integer(); }
    bool boolean() const { return v_->get<bool>(); }
    std::size_t size() const { return v_->size(); }
    NlohmannView at(std::size_t i) const { return NlohmannView((*v_)[i]); }
    std::optional<NlohmannView> find(std::string_view key) const
    {
        auto it = v_->find(key);
        if (it == v_->end())
            return std::nullopt;
        return NlohmannView(*it);
    }
    template <class F>
    void for_each_key(F&& f) const
    {
        for (auto it = v_->begin(); it != v_->end(); ++it)
            f(std::string_view(it.key()));
    }
    std::string excerpt(std::size_t max_chars) const { return json_excerpt(*v_, max_chars); }

private:
    const Json* v_;
};

}  // namespace residency
