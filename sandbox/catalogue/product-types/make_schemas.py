#!/usr/bin/env python3
"""Builds the sandbox's SHIRT and SHOES product-type schemas for amazon.com and amazon.de.

No public SHIRT/SHOES schema exists (../../../../shared/reference/amazon/product-types/SOURCES.md),
so these are assembled from Amazon's real ones: every attribute they share with the real types is
copied verbatim from BRACELET (US) or HOME (DE), the if/then rules keep the real rules' shape, and
the fashion-only attributes (shirt_size, footwear_size) follow Amazon's documented member names.
Run from this directory: python3 make_schemas.py (writes <TYPE>.<MARKETPLACE>.json).
"""
import copy
import json
import os

REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared",
                   "reference", "amazon", "product-types")
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
bracelet = json.load(open(os.path.join(REF, "BRACELET.ATVPDKIKX0DER.json")))
home = json.load(open(os.path.join(REF, "HOME.A1PA6795UKMFR9.json")))

COMMON = ["brand", "item_name", "bullet_point", "product_description", "country_of_origin",
          "supplier_declared_dg_hz_regulation", "color", "material", "department",
          "target_gender", "parentage_level", "child_parent_sku_relationship",
          "externally_assigned_product_identifier", "merchant_suggested_asin",
          "supplier_declared_has_product_identifier_exemption", "main_product_image_locator",
          "other_product_image_locator_1", "other_product_image_locator_2",
          "purchasable_offer", "fulfillment_availability", "condition_type", "list_price",
          "item_type_keyword", "recommended_browse_nodes", "style"]

ENGLISH_LABELS = ("title", "description", "examples")


def english(node, us_node):
    """HOME-de carries zh_CN labels; the sandbox serves English ones (locale only changes labels)."""
    if isinstance(node, dict):
        for key in ENGLISH_LABELS:
            if key in node:
                if isinstance(us_node, dict) and key in us_node:
                    node[key] = us_node[key]
                else:
                    del node[key]
        if "enumNames" in node:
            if isinstance(us_node, dict) and us_node.get("enum") == node.get("enum"):
                node["enumNames"] = us_node["enumNames"]
            else:
                node["enumNames"] = [str(v).replace("_", " ").title() for v in node["enum"]]
        for key, child in node.items():
            english(child, us_node.get(key) if isinstance(us_node, dict) else None)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            english(child, us_node[i] if isinstance(us_node, list) and i < len(us_node) else None)


def attribute(name, marketplace):
    us = bracelet["properties"].get(name)
    if marketplace == DE and name in home["properties"]:
        a = copy.deepcopy(home["properties"][name])
        english(a, us)
        return a
    if us is None:
        return None
    a = copy.deepcopy(us)
    if marketplace == DE:
        text = json.dumps(a).replace('"USD"', '"EUR"').replace("AMAZON_NA", "AMAZON_EU")
        a = json.loads(text)
    return a


def seller_neutral(a):
    """BRACELET is seller-specific: drop the seller's supply-source UUIDs from the channel enum."""
    code = a["items"]["properties"]["fulfillment_channel_code"]
    keep = [v for v in code.get("enum", []) if v in ("AMAZON_NA", "AMAZON_EU", "DEFAULT")]
    for target in [code] + code.get("anyOf", []):
        if "enum" in target:
            names = dict(zip(target["enum"], target.get("enumNames", target["enum"])))
            target["enum"] = keep
            target["enumNames"] = [names.get(v, v) for v in keep]


def enum_value(title, values, labels=None):
    return {"title": title, "editable": True, "hidden": False, "type": "string", "enum": values,
            "enumNames": labels or [v.replace("_", " ").title() for v in values]}


def size_attribute(name, title, members, required):
    return {
        "title": title, "description": "Provide the size of the item", "type": "array",
        "minItems": 1, "minUniqueItems": 1, "maxUniqueItems": 1, "selectors": ["marketplace_id"],
        "items": {"type": "object", "required": required,
                  "properties": dict(members, marketplace_id={"$ref": "#/$defs/marketplace_id"}),
                  "additionalProperties": False}}


ALPHA = ["xx_s", "x_s", "s", "m", "l", "x_l", "xx_l", "3x_l"]
SHIRT_SIZE = size_attribute("shirt_size", "Shirt Size", {
    "size_system": enum_value("Size System", ["as1", "as2", "as3", "as4", "as5", "as6", "as7"],
                              ["US", "UK", "FR", "DE", "IT", "JP", "CN"]),
    "size_class": enum_value("Size Class", ["alpha", "numeric", "age"]),
    "size": enum_value("Size", ALPHA + ["numeric_" + str(n) for n in range(32, 60, 2)]),
    "size_to": enum_value("Size To", ALPHA),
    "body_type": enum_value("Body Type", ["regular", "big", "tall", "plus", "petite"]),
    "height_type": enum_value("Height Type", ["regular", "short", "long", "tall"]),
}, ["size_system", "size_class", "size", "body_type", "height_type"])

EU_SHOE = ["numeric_" + str(n) for n in range(35, 49)] + ["numeric_" + str(n) + "_point_5"
                                                          for n in range(35, 48)]
US_SHOE = ["numeric_" + str(n) for n in range(5, 16)] + ["numeric_" + str(n) + "_point_5"
                                                         for n in range(5, 15)]
FOOTWEAR_SIZE = size_attribute("footwear_size", "Footwear Size", {
    "size_system": enum_value("Size System", ["us_footwear_size_system",
                                              "eu_footwear_size_system",
                                              "uk_footwear_size_system"],
                              ["US", "EU", "UK"]),
    "age_range_description": enum_value("Age Range", ["adult", "big_kid", "little_kid",
                                                      "toddler", "infant"]),
    "gender": enum_value("Gender", ["men", "women", "unisex"]),
    "size_class": enum_value("Size Class", ["numeric", "alpha", "numeric_range"]),
    "size": enum_value("Size", sorted(set(EU_SHOE + US_SHOE))),
    "width": enum_value("Width", ["narrow", "medium", "wide", "extra_wide"]),
}, ["size_system", "age_range_description", "gender", "size_class", "size", "width"])

# Live and deprecated themes per marketplace: US retires the slash names, DE the legacy *_NAME
# ones (as BRACELET and HOME-de do), so one mapping preference resolves differently per market.
THEMES = ["COLOR", "SIZE", "COLOR/SIZE", "SIZE/COLOR", "STYLE/SIZE", "COLOR_NAME/SIZE_NAME",
          "SIZE_NAME/COLOR_NAME", "SIZE_NAME"]
DEPRECATED = {US: ["COLOR/SIZE", "SIZE/COLOR", "SIZE"], DE: ["COLOR_NAME/SIZE_NAME",
                                                            "SIZE_NAME/COLOR_NAME", "SIZE_NAME"]}


def variation_theme(marketplace):
    a = copy.deepcopy(bracelet["properties"]["variation_theme"])
    name = a["items"]["properties"]["name"]
    name["enum"] = THEMES
    name["enumNames"] = [t.replace("_", " ").title() for t in THEMES]
    name["$lifecycle"] = {"enumDeprecated": DEPRECATED[marketplace]}
    return a


def parentage_value(values):
    return {"required": ["parentage_level"], "properties": {"parentage_level": {"contains": {
        "required": ["value"], "properties": {"value": {"enum": values}}}}}}


def not_parent():
    return {"not": parentage_value(["parent"])}


def theme_rule(themes, required):
    """The shape of BRACELET allOf[5..]: a child of a theme must carry the theme's attributes."""
    return {"if": {"allOf": [
        {"required": ["child_parent_sku_relationship"], "properties": {
            "child_parent_sku_relationship": {"items": {"required": ["parent_sku"]}}}},
        not_parent(),
        {"required": ["variation_theme"], "properties": {"variation_theme": {"contains": {
            "required": ["name"], "properties": {"name": {"enum": themes}}}}}}]},
        "then": {"required": required}}


def build(product_type, marketplace):
    source = bracelet if marketplace == US else home
    schema = {
        "$schema": bracelet["$schema"],
        "$id": "https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/"
               + product_type,
        "$comment": "Amazon product type definition for " + product_type
                    + " (Marketbridge sandbox; built by make_schemas.py from BRACELET/HOME-de)",
        "$defs": copy.deepcopy(source["$defs"]),
        "type": "object",
    }
    english(schema["$defs"], bracelet["$defs"])
    props = {}
    for name in COMMON:
        if name == "item_type_keyword" and marketplace == DE:
            continue  # HOME-de has none: EU types use recommended_browse_nodes
        if name == "recommended_browse_nodes" and marketplace == US:
            continue
        a = attribute(name, marketplace)
        if a is None:
            raise SystemExit("no source for " + name)
        props[name] = a
    seller_neutral(props["fulfillment_availability"])
    props["variation_theme"] = variation_theme(marketplace)
    if product_type == "SHIRT":
        props["shirt_size"] = SHIRT_SIZE
        size_attr = "shirt_size"
    else:
        props["footwear_size"] = FOOTWEAR_SIZE
        size_attr = "footwear_size"
    if marketplace == DE:
        # amazon.de titles are limited to 200 characters / bytes in fashion (HOME-de: 200).
        value = props["item_name"]["items"]["properties"]["value"]
        value["maxLength"] = 200
        value["maxUtf8ByteLength"] = 200
    else:
        value = props["item_name"]["items"]["properties"]["value"]
        value["maxLength"] = 150
        value["maxUtf8ByteLength"] = 200
    schema["required"] = list(source["required"]) + ["department", "target_gender"]
    if product_type == "SHOES":
        schema["required"].append("material")
    schema["properties"] = dict(sorted(props.items()))
    schema["additionalProperties"] = False
    rules = copy.deepcopy(bracelet["allOf"][0:5])
    rules.append({"if": {"anyOf": [
        {"not": {"required": ["parentage_level"], "properties": {"parentage_level": {
            "items": {"required": ["value"]}}}}}, not_parent()]},
        "then": {"required": ["color", size_attr]}})
    rules.append(theme_rule([t for t in THEMES if "COLOR" in t], ["color"]))
    rules.append(theme_rule([t for t in THEMES if "SIZE" in t], [size_attr]))
    rules.append(theme_rule([t for t in THEMES if "STYLE" in t], ["style"]))
    schema["allOf"] = rules
    return schema


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for product_type in ("SHIRT", "SHOES"):
        for marketplace in (US, DE):
            path = os.path.join(here, product_type + "." + marketplace + ".json")
            with open(path, "w") as f:
                json.dump(build(product_type, marketplace), f, indent=2, ensure_ascii=False)
                f.write("\n")
