//! `archcost kinds [KIND]`: the component kinds, or one kind's fields with what each takes,
//! read from the model file's schema (so it is what the parser accepts).

use archcost::Error;
use archcost::model_file::schema::model_schema;
use archcost::topology::ComponentKind;
use serde_json::Value;

/// What a field takes, in a few words.
fn takes(s: &Value) -> String {
    if let Some(c) = s.get("const") {
        return format!("`{}`", c.as_str().unwrap_or_default());
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let words: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return format!("one of {}", words.join(", "));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = s.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = options
                .iter()
                .filter(|o| o.get("type") != Some(&Value::from("null")))
                .map(takes)
                .collect();
            return parts.join(" or ");
        }
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    match types.first().copied() {
        Some("number") if s.get("minimum").is_some() => "a number ≥ 0".into(),
        Some("number") => "a number".into(),
        Some("integer") => "a whole number ≥ 0".into(),
        Some("boolean") => "true or false".into(),
        Some("string") => "text".into(),
        Some("array") => format!(
            "a list of {}",
            s.get("items").map(takes).unwrap_or_default()
        ),
        Some("object") => match s.get("properties").and_then(Value::as_object) {
            Some(p) if p.keys().eq(["p10", "p90"].iter()) => "a range {p10, p90}".into(),
            Some(p) => format!("{{ {} }}", p.keys().cloned().collect::<Vec<_>>().join(", ")),
            None => "a mapping".into(),
        },
        _ => "anything".into(),
    }
}

/// The kinds, or one kind's fields.
pub fn run(kind: Option<&str>) -> anyhow::Result<String> {
    let schema = model_schema();
    let branches = schema["properties"]["components"]["items"]["oneOf"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let Some(kind) = kind else {
        let mut out =
            String::from("Component kinds (`archcost kinds KIND` lists a kind's fields):\n\n");
        for b in &branches {
            let title = b["title"].as_str().unwrap_or_default();
            let required: Vec<&str> = b["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields: Vec<&str> = required
                .into_iter()
                .filter(|f| *f != "id" && *f != "kind")
                .collect();
            out.push_str(&format!(
                "  {title:<27} requires {}\n",
                if fields.is_empty() {
                    "nothing else".to_string()
                } else {
                    fields.join(", ")
                }
            ));
        }
        return Ok(out);
    };
    let branch = branches
        .iter()
        .find(|b| b["title"] == kind)
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown component kind `{kind}`; expected one of {}",
                ComponentKind::ALL
                    .iter()
                    .map(|k| k.keyword())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let required: Vec<&str> = branch["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = format!("{kind}: its fields in a model file (* required)\n\n");
    let bills = ComponentKind::from_keyword(kind)
        .map(|k| k.usage_types().join(", "))
        .unwrap_or_default();
    if let Some(properties) = branch["properties"].as_object() {
        let width = properties.keys().map(String::len).max().unwrap_or(0) + 2;
        for (name, s) in properties {
            let mark = if required.contains(&name.as_str()) {
                "*"
            } else {
                " "
            };
            out.push_str(&format!("  {mark} {name:<width$}{}\n", takes(s)));
        }
    }
    out.push_str(&format!(
        "\nUsage types it bills (after the region's prefix; * a family): {bills}\n"
    ));
    Ok(out)
}
