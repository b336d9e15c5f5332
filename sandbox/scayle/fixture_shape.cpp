#include "sandbox/scayle/fixture_shape.hpp"

#include <map>
#include <memory>
#include <optional>

namespace sandbox::scayle {

namespace {

using Json = nlohmann::json;

struct Shape {
  std::set<char> types;
  std::map<std::string, Shape> fields;
  std::map<std::string, int> presence;
  int objects = 0;
  std::shared_ptr<Shape> items;
};

char TypeOf(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return 'o';
    case Json::value_t::array:
      return 'a';
    case Json::value_t::string:
      return 's';
    case Json::value_t::boolean:
      return 'b';
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return 'i';
    case Json::value_t::number_float:
      return 'f';
    default:
      return 'n';
  }
}

std::string TypeName(char t) {
  switch (t) {
    case 'o':
      return "object";
    case 'a':
      return "array";
    case 's':
      return "string";
    case 'b':
      return "boolean";
    case 'i':
      return "integer";
    case 'f':
      return "float";
    default:
      return "null";
  }
}

bool IsLocale(const std::string& key) {
  return key.size() == 5 && std::islower(key[0]) && std::islower(key[1]) && key[2] == '_' &&
         std::isupper(key[3]) && std::isupper(key[4]);
}

bool IsFreeForm(const std::string& key) {
  return key == "customData" || key == "legacyCustomData" || key == "data" || key == "structure";
}

void Merge(Shape& s, const Json& v, bool required) {
  s.types.insert(TypeOf(v));
  if (v.is_object()) {
    if (required) ++s.objects;
    for (const auto& [key, value] : v.items()) {
      if (required) ++s.presence[key];
      Merge(s.fields[key], value, required);
    }
  } else if (v.is_array()) {
    if (!s.items) s.items = std::make_shared<Shape>();
    for (const auto& e : v) Merge(*s.items, e, required);
  }
}

// An attribute's value depends on its type (ADMIN_API.md §3), so each fixture shows only some
// value shapes at each level; values are checked against the documented type instead.
std::optional<std::string> AttributeValueProblem(const std::string& type, const Json& value) {
  auto locale_map = [](const Json& v) {
    if (!v.is_object()) return false;
    for (const auto& [key, text] : v.items()) {
      if (!IsLocale(key) || !text.is_string()) return false;
    }
    return true;
  };
  auto all_of = [](const Json& v, auto predicate) {
    if (!v.is_array()) return false;
    for (const auto& e : v) {
      if (!predicate(e)) return false;
    }
    return true;
  };
  bool ok = false;
  if (type == "simple")
    ok = value.is_string();
  else if (type == "simpleList")
    ok = all_of(value, [](const Json& e) { return e.is_string(); });
  else if (type == "localizedString")
    ok = locale_map(value);
  else if (type == "localizedStringList")
    ok = all_of(value, locale_map);
  else if (type == "advanced")
    ok = value.is_object();
  else if (type == "advancedList")
    ok = all_of(value, [](const Json& e) { return e.is_object(); });
  else
    return "unknown attribute type '" + type + "'";
  if (ok) return std::nullopt;
  return "value does not fit attribute type " + type;
}

bool IsAttribute(const Json& v) {
  return v.is_object() && v.contains("name") && v.contains("value") && v.contains("type") &&
         v["type"].is_string();
}

class Comparer {
 public:
  Comparer(const ShapeRules& rules, std::vector<std::string>& problems)
      : rules_(rules), problems_(problems) {}

  void Check(const Shape& shape, const Json& actual, const std::string& path) {
    char t = TypeOf(actual);
    if (t == 'n' || (shape.types.size() == 1 && shape.types.count('n'))) return;
    bool type_ok = shape.types.count(t) || (t == 'i' && shape.types.count('f'));
    if (!type_ok) {
      std::string expected;
      for (char e : shape.types) expected += (expected.empty() ? "" : "|") + TypeName(e);
      problems_.push_back(Label(path) + ": " + TypeName(t) + " where the fixture has " + expected);
      return;
    }
    if (t == 'o') CheckObject(shape, actual, path);
    // An empty sample array says nothing about its elements.
    if (t == 'a' && shape.items && !shape.items->types.empty()) {
      for (const auto& e : actual) Check(*shape.items, e, path + "[]");
    }
  }

 private:
  static std::string Label(const std::string& path) { return path.empty() ? "(root)" : path; }

  void CheckObject(const Shape& shape, const Json& actual, const std::string& path) {
    const Shape* locale_shape = nullptr;
    for (const auto& [key, field] : shape.fields) {
      if (IsLocale(key)) locale_shape = &field;
    }
    bool attribute = IsAttribute(actual) && shape.fields.count("value");
    if (attribute) {
      if (auto problem =
              AttributeValueProblem(actual["type"].get<std::string>(), actual["value"])) {
        problems_.push_back(path + ".value: " + *problem);
      }
    }
    for (const auto& [key, value] : actual.items()) {
      std::string child = path.empty() ? key : path + "." + key;
      if (IsFreeForm(key) || (attribute && key == "value")) continue;
      auto it = shape.fields.find(key);
      if (it != shape.fields.end()) {
        Check(it->second, value, child);
      } else if (IsLocale(key) && locale_shape) {
        Check(*locale_shape, value, child);
      } else if (!rules_.documented_extras.count(child)) {
        problems_.push_back(child + ": not in the fixture");
      }
    }
    for (const auto& [key, count] : shape.presence) {
      std::string child = path.empty() ? key : path + "." + key;
      if (count < shape.objects || IsLocale(key) || actual.contains(key) ||
          rules_.omitted.count(child))
        continue;
      problems_.push_back(child + ": missing (the fixture always has it)");
    }
  }

  const ShapeRules& rules_;
  std::vector<std::string>& problems_;
};

}  // namespace

std::vector<std::string> CompareShape(const Json& fixture, const Json& actual,
                                      const ShapeRules& rules) {
  Shape shape;
  Merge(shape, fixture, true);
  for (const auto& sample : rules.also_allowed) Merge(shape, sample, false);
  std::vector<std::string> problems;
  Comparer(rules, problems).Check(shape, actual, "");
  return problems;
}

}  // namespace sandbox::scayle
