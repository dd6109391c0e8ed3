//! How a model file's fields are checked: a number that must be finite and non-negative, and
//! the one error type that names a field and says what was expected.

use serde::{Deserialize, Deserializer};

/// A problem with one field, before it is placed in a file: the field's path (relative to
/// whatever is being checked: a component, a block, the whole model) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field, e.g. `flows[2].to` or `scaling.max_tasks`.
    pub path: String,
    /// What is wrong and what is expected.
    pub message: String,
}

impl FieldError {
    /// An error about the field at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same error with its path placed under `parent` (`readers` + `max` → `readers.max`).
    pub fn within(self, parent: &str) -> Self {
        let path = match (parent.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => parent.to_string(),
            (false, false) => format!("{parent}.{}", self.path),
        };
        FieldError { path, ..self }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.message)
    }
}

/// A number that must be finite and at least 0 (quantities, sizes, rates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonNegative(pub f64);

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if v.is_finite() && v >= 0.0 {
            Ok(NonNegative(v))
        } else {
            Err(serde::de::Error::custom(format!(
                "{v} is not allowed; expected a finite number of at least 0"
            )))
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for NonNegative {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NonNegative".into()
    }

    fn inline_schema() -> bool {
        true
    }

    /// A number of at least 0, or (for usage fields) a range `{p10, p90}`.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a number of at least 0, or a usage range {p10: LOW, p90: HIGH}",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                {
                    "type": "object",
                    "properties": {
                        "p10": { "type": "number", "minimum": 0 },
                        "p90": { "type": "number", "minimum": 0 }
                    },
                    "required": ["p10", "p90"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// Checks that a percentage lies in 0–100.
pub fn percent(field: &str, v: f64) -> Result<f64, FieldError> {
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            format!("{v} is not a percentage; expected 0 to 100"),
        ))
    }
}
