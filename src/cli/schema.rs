//! `archcost schema`: the JSON Schema of the model file, for editors (yaml-language-server)
//! and checks.

use archcost::model_file::schema::model_schema;

/// The schema, pretty-printed.
pub fn run() -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&model_schema())? + "\n")
}
