//! The JSON Schema of a model file, built from the same serde types that read it: the top
//! level and workload from this module's raw types, each component from its service's
//! settings (one `oneOf` branch per registered kind, told apart by `kind`). Editors that speak
//! yaml-language-server complete and check models with it; `archcost schema` prints it.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use super::RawTopology;
use crate::services::ComponentKind;

/// Where the schema is kept in the repository, for the models' `$schema` comment.
pub const SCHEMA_PATH: &str = "schema/model.schema.json";

/// The model file's JSON Schema (draft 2020-12, every subschema inlined).
pub fn model_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut root = generator.root_schema_for::<RawTopology>().to_value();
    let kinds: Vec<Value> = ComponentKind::ALL
        .iter()
        .map(|kind| component_schema(*kind, kind.settings_schema(&mut generator).to_value()))
        .collect();
    let properties = root["properties"]
        .as_object_mut()
        .expect("the top level is an object");
    properties.insert(
        "components".into(),
        json!({
            "description": "the components, each a kind and its settings",
            "type": "array",
            "items": { "oneOf": kinds }
        }),
    );
    properties.insert(
        "variants".into(),
        json!({
            "description": "named changes to the base design: remove, patch, add, set, commitments",
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "description": { "type": "string" },
                    "remove": { "type": "array", "items": { "type": "string" } },
                    "patch": { "type": "object" },
                    "add": { "type": "array", "items": { "type": "object" } },
                    "set": { "type": "object" },
                    "commitments": { "$ref": "#/properties/commitments" }
                },
                "additionalProperties": false
            }
        }),
    );
    let top = root.as_object_mut().expect("an object schema");
    top.insert(
        "title".into(),
        json!("archcost model file (schema_version 1)"),
    );
    top.insert(
        "required".into(),
        json!([
            "schema_version",
            "name",
            "region",
            "availability_zones",
            "workload",
            "components"
        ]),
    );
    root
}

/// One kind's branch: its settings plus `id`, `kind`, `tags` and `match_tags`.
fn component_schema(kind: ComponentKind, settings: Value) -> Value {
    let mut s: Map<String, Value> = match settings {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    s.remove("$schema");
    s.insert("title".into(), json!(kind.keyword()));
    let strings = json!({ "type": "object", "additionalProperties": { "type": "string" } });
    let properties = s
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("settings are an object");
    properties.insert(
        "id".into(),
        json!({ "type": "string", "description": "unique within the model" }),
    );
    properties.insert("kind".into(), json!({ "const": kind.keyword() }));
    properties.insert("tags".into(), strings.clone());
    properties.insert("match_tags".into(), strings);
    let required = s
        .entry("required")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .expect("required is a list");
    required.insert(0, json!("kind"));
    required.insert(0, json!("id"));
    Value::Object(s)
}
