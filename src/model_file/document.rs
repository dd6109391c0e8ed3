//! A model file as a document: its base design, its named variants, numeric fields set by path
//! (sweeps) and usage ranges (uncertainty). Everything is done on the positioned YAML tree
//! before decoding, so a patched or swept model is validated exactly like a written one, and
//! errors in patched fields point at the patch.
//!
//! # Variants
//!
//! ```yaml
//! variants:
//!   nat-only:
//!     description: every flow through the NAT gateways
//!     remove: [s3-gateway-endpoint]          # component ids to drop
//!     patch:                                 # merged into components by id
//!       nat: { count: 1 }
//!     add: [ { id: …, kind: …, … } ]          # components to append
//!     set: { workload.peak_tps: 2000 }       # numeric fields by path
//!     commitments: [ { id: sp, type: compute_savings_plan, … } ]   # replace the Savings Plans
//! ```
//!
//! Merge semantics (as JSON Merge Patch, RFC 7386): a mapping merges into a mapping key by key,
//! recursively; any other value (number, string, list) replaces the old one; `null` removes the
//! key. A component's `id` cannot be patched. The steps apply in the order remove, patch, add,
//! set.
//!
//! # Paths
//!
//! `workload.peak_tps`, `components.api.scaling.max_tasks` (a component by id) or
//! `components[3].vcpu` and `flows[0].gb_per_month` (by position).
//!
//! # Ranges
//!
//! A usage field may be written `{p10: 500, p90: 2000}`: log-normal, with those 10th and 90th
//! percentiles. A plain estimate uses its median, √(p10 × p90).

use std::path::Path;

use marked_yaml::types::MarkedScalarNode;
use marked_yaml::{Marker, Node};

use super::{Loader, TopologyError, child_path};
use crate::model::source::{Draws, ModelError, ModelSource, Range};
use crate::model::topology::{SourceMap, Topology};

/// The part of a model a range belongs to: what a draw must decode again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Workload,
    Flows,
    Component(usize),
}

/// A part of the model a draw decodes again: the part, its node, and for each of its ranges
/// (range index, path inside the part).
type SampledPart = (Part, Node, Vec<(usize, String)>);

/// Draws topologies from a model's ranges, decoding again only the parts the ranges touch.
#[derive(Debug)]
pub struct Sampler<'a> {
    document: &'a ModelDocument,
    variant: Option<String>,
    base: Topology,
    /// Ranges the variant replaced (their paths): not drawn.
    unsampled: Vec<String>,
    /// Each touched part: its node, and (range index, path inside the part) for its ranges.
    units: Vec<SampledPart>,
}

impl Sampler<'_> {
    /// The topology with the document's ranges set to `values` (one per range, in order;
    /// the values of unsampled ranges are ignored).
    pub fn topology(&self, values: &[f64]) -> Result<Topology, ModelError> {
        self.fast(values).map_err(|e| {
            // The fast path decodes without a source map; decode in full for a located error.
            let overrides: Vec<(String, f64)> = self
                .document
                .ranges()
                .iter()
                .zip(values)
                .filter(|(r, _)| !self.unsampled.contains(&r.path))
                .map(|(r, v)| (r.path.clone(), *v))
                .collect();
            self.document
                .topology(self.variant.as_deref(), &overrides)
                .err()
                .unwrap_or(e)
        })
    }

    /// Paths of the ranges a variant replaced, which draws leave alone.
    pub fn unsampled(&self) -> &[String] {
        &self.unsampled
    }

    fn fast(&self, values: &[f64]) -> Result<Topology, ModelError> {
        let loader = Loader::new(&self.document.file);
        let mut t = self.base.clone().into_parts();
        for (unit, node, ranges) in &self.units {
            let mut node = node.clone();
            for (i, inner) in ranges {
                let (field, _) =
                    resolve_mut(&mut node, inner).map_err(|m| self.document.plain(inner, m))?;
                *field = number_node(field, values[*i]);
            }
            match unit {
                Part::Workload => t.workload = loader.decode_workload(&node)?,
                Part::Flows => t.flows = loader.decode_flows(&node)?,
                Part::Component(i) => t.components[*i] = loader.component(*i, &node)?,
            }
        }
        Topology::new(t).map_err(|e| self.document.plain(&e.path, e.message))
    }

    /// Number of values a draw takes.
    pub fn dimensions(&self) -> usize {
        self.document.ranges().len()
    }
}

impl Draws for Sampler<'_> {
    fn topology(&self, values: &[f64]) -> Result<Topology, ModelError> {
        Sampler::topology(self, values)
    }

    fn unsampled(&self) -> &[String] {
        Sampler::unsampled(self)
    }
}

impl ModelSource for ModelDocument {
    fn origin(&self) -> &str {
        &self.file
    }

    fn variant_names(&self) -> Vec<&str> {
        ModelDocument::variant_names(self)
    }

    fn design(
        &self,
        variant: Option<&str>,
        overrides: &[(String, f64)],
    ) -> Result<Topology, ModelError> {
        self.topology(variant, overrides)
    }

    fn numeric_path(&self, variant: Option<&str>, path: &str) -> Result<String, ModelError> {
        ModelDocument::numeric_path(self, variant, path)
    }

    fn ranges(&self) -> &[Range] {
        ModelDocument::ranges(self)
    }

    fn sampler<'a>(&'a self, variant: Option<&str>) -> Result<Box<dyn Draws + 'a>, ModelError> {
        Ok(Box::new(ModelDocument::sampler(self, variant)?))
    }
}

/// A parsed model file.
#[derive(Debug, Clone)]
pub struct ModelDocument {
    file: String,
    text: String,
    root: Node,
    variants: Vec<(String, Node)>,
    ranges: Vec<Range>,
}

impl ModelDocument {
    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Self, TopologyError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TopologyError::Read {
            file: file.clone(),
            source,
        })?;
        Ok(ModelDocument::parse(&text, &file)?)
    }

    /// Parses model YAML; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ModelError> {
        let mut loader = Loader::new(file);
        let mut root = loader.parse_root(text)?;
        let top = root.as_mapping_mut().expect("checked by parse_root");
        let variants = match top.remove("variants") {
            None => Vec::new(),
            Some(Node::Mapping(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Node::Mapping(_) => Ok((k.as_str().to_string(), v.clone())),
                    _ => Err(error_at(
                        file,
                        v.span().start(),
                        &format!("variants.{}", k.as_str()),
                        "expected a mapping with remove, patch, add or set",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(error_at(
                    file,
                    other.span().start(),
                    "variants",
                    "expected a mapping of variant names to their changes",
                ));
            }
        };
        let mut ranges = Vec::new();
        find_ranges(file, &root, String::new(), &mut ranges)?;
        Ok(ModelDocument {
            file: file.to_string(),
            text: text.to_string(),
            root,
            variants,
            ranges,
        })
    }

    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The model's text as written (calibration rewrites numbers in place).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Names of the variants, in file order.
    pub fn variant_names(&self) -> Vec<&str> {
        self.variants.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Usage fields given as ranges.
    pub fn ranges(&self) -> &[Range] {
        &self.ranges
    }

    /// The topology of the base design or of a variant, with numeric fields set by path.
    /// Ranges not set take their median.
    pub fn topology(
        &self,
        variant: Option<&str>,
        overrides: &[(String, f64)],
    ) -> Result<Topology, ModelError> {
        let mut root = self.prepared(variant)?;
        for (path, value) in overrides {
            self.set_number(&mut root, path, *value)?;
        }
        self.decode(&root, variant)
    }

    /// The tree with ranges at their medians and the variant applied.
    fn prepared(&self, variant: Option<&str>) -> Result<Node, ModelError> {
        let mut root = self.root.clone();
        for r in &self.ranges {
            // A range under a field the model does not have (found by the scan, refused by
            // the path) stays as written: decoding then names the field, where it is.
            if let Ok((node, _)) = resolve_mut(&mut root, &r.path) {
                *node = number_node(node, r.median());
            }
        }
        if let Some(name) = variant {
            self.apply_variant(&mut root, name)?;
        }
        Ok(root)
    }

    /// Decodes a prepared tree, naming a variant's topology after it.
    fn decode(&self, root: &Node, variant: Option<&str>) -> Result<Topology, ModelError> {
        let mut topology = Loader::new(&self.file).decode_root(root)?;
        if let Some(name) = variant {
            topology.name = format!("{} [{name}]", topology.name);
        }
        Ok(topology)
    }

    /// A sampler that re-decodes only what the ranges touch, for Monte Carlo draws.
    pub fn sampler(&self, variant: Option<&str>) -> Result<Sampler<'_>, ModelError> {
        let mut root = self.prepared(variant)?;
        let mut base = self.decode(&root, variant)?;
        // Cloned for every draw: leave the source map behind.
        base.source = SourceMap::new(&self.file);
        // A range the variant removed or replaced is not drawn: the variant's value stands.
        // Untouched, the field still holds the median at the range's position; a patch brings
        // its own position, a `set` its own value.
        let mut unsampled = Vec::new();
        let mut plain = self.root.clone();
        // Which part each range lives in: the workload, the flows or one component.
        let mut units: Vec<SampledPart> = Vec::new();
        for (i, r) in self.ranges.iter().enumerate() {
            let written = resolve_mut(&mut plain, &r.path)
                .map(|(n, _)| n.span().start().copied())
                .ok()
                .flatten();
            let canonical = match resolve_mut(&mut root, &r.path) {
                Ok((node, canonical))
                    if node
                        .as_scalar()
                        .is_some_and(|v| v.as_str() == r.median().to_string())
                        && node.span().start().copied() == written =>
                {
                    canonical
                }
                _ => {
                    unsampled.push(r.path.clone());
                    continue;
                }
            };
            let (unit, unit_path, inner) = if let Some(rest) = canonical.strip_prefix("components[")
            {
                let (index, inner) = rest.split_once("].").expect("a field inside a component");
                let index: usize = index.parse().expect("canonical index");
                (
                    Part::Component(index),
                    format!("components[{index}]"),
                    inner.to_string(),
                )
            } else if let Some(inner) = canonical.strip_prefix("flows") {
                (Part::Flows, "flows".to_string(), inner.to_string())
            } else if let Some(inner) = canonical.strip_prefix("workload.") {
                (Part::Workload, "workload".to_string(), inner.to_string())
            } else {
                return Err(self.plain(
                    &r.path,
                    "ranges are supported in workload, components and flows",
                ));
            };
            match units.iter_mut().find(|(u, _, _)| *u == unit) {
                Some((_, _, list)) => list.push((i, inner)),
                None => {
                    let node = resolve_mut(&mut root, &unit_path)
                        .expect("resolved above")
                        .0
                        .clone();
                    units.push((unit, node, vec![(i, inner)]));
                }
            }
        }
        Ok(Sampler {
            document: self,
            variant: variant.map(str::to_string),
            base,
            units,
            unsampled,
        })
    }

    /// The canonical path of a numeric field (`components[2].vcpu`), or an error saying why it
    /// cannot be set.
    pub fn numeric_path(&self, variant: Option<&str>, path: &str) -> Result<String, ModelError> {
        let mut root = self.root.clone();
        if let Some(name) = variant {
            self.apply_variant(&mut root, name)?;
        }
        let (node, canonical) = resolve_mut(&mut root, path).map_err(|m| self.plain(path, m))?;
        if is_number(node) || range_of(node).is_some() {
            Ok(canonical)
        } else {
            Err(self.plain(path, "is not numeric; expected a field holding a number"))
        }
    }

    fn set_number(&self, root: &mut Node, path: &str, value: f64) -> Result<(), ModelError> {
        let (node, _) = resolve_mut(root, path).map_err(|m| self.plain(path, m))?;
        if !(is_number(node) || range_of(node).is_some()) {
            return Err(error_at(
                &self.file,
                node.span().start(),
                path,
                "is not numeric; expected a field holding a number",
            ));
        }
        *node = number_node(node, value);
        Ok(())
    }

    fn plain(&self, path: &str, message: impl Into<String>) -> ModelError {
        ModelError {
            file: self.file.clone(),
            line: None,
            column: None,
            field: Some(path.to_string()),
            message: message.into(),
        }
    }

    fn apply_variant(&self, root: &mut Node, name: &str) -> Result<(), ModelError> {
        let Some((_, variant)) = self.variants.iter().find(|(n, _)| n == name) else {
            let known = self.variant_names();
            return Err(self.plain(
                "variants",
                format!(
                    "unknown variant `{name}`; expected one of: {}",
                    if known.is_empty() {
                        "(this model has no variants)".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        let base = format!("variants.{name}");
        let at = |node: &Node, field: &str, message: String| {
            error_at(
                &self.file,
                node.span().start(),
                &format!("{base}.{field}"),
                &message,
            )
        };
        let v = variant.as_mapping().expect("checked at parse");
        for (key, node) in v.iter() {
            if ![
                "description",
                "remove",
                "patch",
                "add",
                "set",
                "commitments",
            ]
            .contains(&key.as_str())
            {
                return Err(at(
                    node,
                    key.as_str(),
                    format!(
                        "unknown field `{}`; expected one of description, remove, patch, add, set, commitments",
                        key.as_str()
                    ),
                ));
            }
        }
        if components_mut(root).is_none() {
            return Err(self.plain(
                "components",
                "missing; expected a list of components for the variant to change",
            ));
        }
        if let Some(remove) = v.get_node("remove") {
            let ids = remove
                .as_sequence()
                .ok_or_else(|| at(remove, "remove", "expected a list of component ids".into()))?;
            for id_node in ids.iter() {
                let id = id_node
                    .as_scalar()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default();
                let list = components_mut(root).expect("checked above");
                let before = list.len();
                list.retain(|c| component_id(c) != Some(id.as_str()));
                if list.len() == before {
                    return Err(at(
                        id_node,
                        "remove",
                        format!(
                            "no component `{id}` to remove; expected one of: {}",
                            ids_of(list)
                        ),
                    ));
                }
            }
        }
        if let Some(patch) = v.get_node("patch") {
            let patches = patch.as_mapping().ok_or_else(|| {
                at(
                    patch,
                    "patch",
                    "expected a mapping of component ids to their changes".into(),
                )
            })?;
            for (id, change) in patches.iter() {
                let list = components_mut(root).expect("checked above");
                let known = ids_of(list);
                let Some(target) = list
                    .iter_mut()
                    .find(|c| component_id(c) == Some(id.as_str()))
                else {
                    return Err(at(
                        change,
                        &format!("patch.{}", id.as_str()),
                        format!(
                            "no component `{}` to patch; expected one of: {known}",
                            id.as_str()
                        ),
                    ));
                };
                if change
                    .as_mapping()
                    .is_some_and(|m| m.get_node("id").is_some())
                {
                    return Err(at(
                        change,
                        &format!("patch.{}.id", id.as_str()),
                        "a component's id cannot be patched".into(),
                    ));
                }
                merge(target, change);
            }
        }
        if let Some(add) = v.get_node("add") {
            let extra = add
                .as_sequence()
                .ok_or_else(|| at(add, "add", "expected a list of components".into()))?;
            components_mut(root)
                .expect("checked above")
                .extend(extra.iter().cloned());
        }
        // The variant's Savings Plans replace the design's (`[]`: none).
        if let Some(commitments) = v.get_node("commitments") {
            if commitments.as_sequence().is_none() {
                return Err(at(
                    commitments,
                    "commitments",
                    "expected a list of commitments (`[]` for none)".into(),
                ));
            }
            let map = root.as_mapping_mut().expect("a model is a mapping");
            match map.get_mut("commitments") {
                Some(existing) => *existing = commitments.clone(),
                None => {
                    map.insert(
                        MarkedScalarNode::new(*commitments.span(), "commitments"),
                        commitments.clone(),
                    );
                }
            }
        }
        if let Some(set) = v.get_node("set") {
            let values = set.as_mapping().ok_or_else(|| {
                at(
                    set,
                    "set",
                    "expected a mapping of field paths to numbers".into(),
                )
            })?;
            for (path, value) in values.iter() {
                let number = value
                    .as_scalar()
                    .and_then(|s| s.as_str().parse::<f64>().ok())
                    .ok_or_else(|| {
                        at(
                            value,
                            &format!("set.{}", path.as_str()),
                            "expected a number".into(),
                        )
                    })?;
                self.set_number(root, path.as_str(), number)
                    .map_err(|e| at(value, &format!("set.{}", path.as_str()), e.message))?;
            }
        }
        Ok(())
    }
}

fn error_at(file: &str, mark: Option<&Marker>, field: &str, message: &str) -> ModelError {
    ModelError {
        file: file.to_string(),
        line: mark.map(|m| m.line()),
        column: mark.map(|m| m.column()),
        field: Some(field.to_string()),
        message: message.to_string(),
    }
}

fn components_mut(root: &mut Node) -> Option<&mut Vec<Node>> {
    match root.as_mapping_mut()?.get_mut("components")? {
        Node::Sequence(seq) => Some(seq),
        _ => None,
    }
}

fn component_id(node: &Node) -> Option<&str> {
    node.as_mapping()?.get_scalar("id").map(|s| s.as_str())
}

fn ids_of(components: &[Node]) -> String {
    components
        .iter()
        .filter_map(component_id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_null(node: &Node) -> bool {
    node.as_scalar()
        .is_some_and(|s| matches!(s.as_str(), "~" | "null" | "") && s.may_coerce())
}

fn is_number(node: &Node) -> bool {
    node.as_scalar()
        .is_some_and(|s| s.may_coerce() && s.as_str().parse::<f64>().is_ok())
}

/// A scalar node holding `value`, positioned where `old` was.
fn number_node(old: &Node, value: f64) -> Node {
    Node::Scalar(MarkedScalarNode::new(*old.span(), value.to_string()))
}

/// JSON Merge Patch of `patch` into `target`.
fn merge(target: &mut Node, patch: &Node) {
    match (target.as_mapping_mut(), patch.as_mapping()) {
        (Some(t), Some(p)) => {
            for (k, v) in p.iter() {
                if is_null(v) {
                    t.remove(k.as_str());
                } else if let Some(existing) = t.get_mut(k.as_str()) {
                    merge(existing, v);
                } else {
                    t.insert(k.clone(), v.clone());
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// `{p10: a, p90: b}` as numbers, if the node is exactly that.
fn range_of(node: &Node) -> Option<(f64, f64)> {
    let m = node.as_mapping()?;
    if m.len() != 2 {
        return None;
    }
    let num = |k: &str| m.get_scalar(k).and_then(|s| s.as_str().parse::<f64>().ok());
    Some((num("p10")?, num("p90")?))
}

fn find_ranges(
    file: &str,
    node: &Node,
    path: String,
    out: &mut Vec<Range>,
) -> Result<(), ModelError> {
    if let Some((p10, p90)) = range_of(node) {
        let bad = |m: String| Err(error_at(file, node.span().start(), &path, &m));
        if !(p10 > 0.0 && p90 > 0.0 && p10.is_finite() && p90.is_finite()) {
            return bad(format!(
                "range p10 {p10}, p90 {p90}: a log-normal range needs both above 0"
            ));
        }
        if p10 > p90 {
            return bad(format!(
                "range p10 ({p10}) is above p90 ({p90}); expected p10 ≤ p90"
            ));
        }
        out.push(Range { path, p10, p90 });
        return Ok(());
    }
    match node {
        Node::Mapping(m) => {
            for (k, v) in m.iter() {
                find_ranges(file, v, child_path(&path, k.as_str()), out)?;
            }
        }
        Node::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                // Components by id, so the path still holds when a variant reorders them.
                let child = match component_id(v) {
                    Some(id) if path == "components" => format!("{path}.{id}"),
                    _ => format!("{path}[{i}]"),
                };
                find_ranges(file, v, child, out)?;
            }
        }
        Node::Scalar(_) => {}
    }
    Ok(())
}

/// The node at `path` and its canonical (index) path. Under `components`, a segment may name a
/// component by id.
fn resolve_mut<'a>(root: &'a mut Node, path: &str) -> Result<(&'a mut Node, String), String> {
    let mut node = root;
    let mut canonical = String::new();
    for seg in path.split('.') {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => {
                let i = rest
                    .strip_suffix(']')
                    .and_then(|i| i.parse::<usize>().ok())
                    .ok_or_else(|| format!("`{seg}` is not a field or field[index]"))?;
                (n, Some(i))
            }
            None => (seg, None),
        };
        if name.is_empty() && index.is_none() {
            return Err(format!("`{path}` has an empty field name"));
        }
        if !name.is_empty() {
            let in_components = canonical == "components";
            match node {
                Node::Sequence(seq) if in_components && index.is_none() => {
                    let i = seq
                        .iter()
                        .position(|c| component_id(c) == Some(name))
                        .ok_or_else(|| {
                            format!("no component `{name}`; expected one of: {}", ids_of(seq))
                        })?;
                    node = &mut seq[i];
                    canonical = format!("{canonical}[{i}]");
                    continue;
                }
                Node::Mapping(m) => {
                    let known: Vec<String> = m.keys().map(|k| k.as_str().to_string()).collect();
                    node = m.get_mut(name).ok_or_else(|| {
                        let at = if canonical.is_empty() {
                            "the top level"
                        } else {
                            canonical.as_str()
                        };
                        format!(
                            "no field `{name}` in {at}; expected one of: {}",
                            known.join(", ")
                        )
                    })?;
                    canonical = if canonical.is_empty() {
                        name.to_string()
                    } else {
                        format!("{canonical}.{name}")
                    };
                }
                _ => return Err(format!("`{canonical}` has no field `{name}`")),
            }
        }
        if let Some(i) = index {
            match node {
                Node::Sequence(seq) if i < seq.len() => {
                    node = &mut seq[i];
                    canonical = format!("{canonical}[{i}]");
                }
                _ => return Err(format!("`{canonical}` has no element {i}")),
            }
        }
    }
    Ok((node, canonical))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::Z_90;

    const MODEL: &str = "schema_version: 1
name: v
region: us-east-1
availability_zones: 2
workload:
  peak_tps: {p10: 50, p90: 200}
  profile: {generator: {trough_ratio: 1, busy_start_hour: 0, busy_end_hour: 24, weekend_factor: 1}}
components:
  - id: api
    kind: fargate_service
    vcpu: 1
    memory_gb: 2
    desired_count: 2
  - id: nat
    kind: nat_gateway
  - id: s3gw
    kind: vpc_endpoint
    endpoint_type: gateway
    service: s3
flows:
  - {from: api, to: s3, gb_per_month: 1000}
variants:
  nat-only:
    remove: [s3gw]
    patch:
      nat: {count: 1}
      api: {desired_count: 4, architecture: arm64}
    set: {workload.peak_tps: 300}
  bad-patch:
    patch:
      nope: {count: 1}
  bad-field:
    patch:
      nat: {count: 2.5}
";

    #[test]
    fn variants_remove_patch_and_set() {
        let doc = ModelDocument::parse(MODEL, "v.yaml").unwrap();
        assert_eq!(doc.variant_names(), ["nat-only", "bad-patch", "bad-field"]);
        let base = doc.topology(None, &[]).unwrap();
        assert_eq!(base.components().len(), 3);
        // The base uses the range's median: √(50 × 200) = 100.
        assert_eq!(base.workload.peak_tps, 100.0);
        let v = doc.topology(Some("nat-only"), &[]).unwrap();
        assert_eq!(v.name, "v [nat-only]");
        assert_eq!(v.components().len(), 2);
        assert_eq!(v.workload.peak_tps, 300.0);
        match &v.components()[1].spec {
            crate::model::topology::ComponentSpec::NatGateway(n) => assert_eq!(n.count, Some(1)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn variant_errors_name_the_variant_and_the_place() {
        let doc = ModelDocument::parse(MODEL, "v.yaml").unwrap();
        let e = doc.topology(Some("nope"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("unknown variant `nope`; expected one of: nat-only, bad-patch, bad-field"),
            "{e}"
        );
        let e = doc
            .topology(Some("bad-patch"), &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "v.yaml:31:13: field `variants.bad-patch.patch.nope`: no component `nope` to patch"
            ),
            "{e}"
        );
        // A patched value is validated like a written one, and the error points at the patch.
        let e = doc
            .topology(Some("bad-field"), &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("v.yaml:34:20: field `components[1].count`: `2.5` is not a whole number"),
            "{e}"
        );
    }

    #[test]
    fn numeric_paths_resolve_by_id_or_position() {
        let doc = ModelDocument::parse(MODEL, "v.yaml").unwrap();
        assert_eq!(
            doc.numeric_path(None, "components.api.vcpu").unwrap(),
            "components[0].vcpu"
        );
        assert_eq!(
            doc.numeric_path(None, "flows[0].gb_per_month").unwrap(),
            "flows[0].gb_per_month"
        );
        assert_eq!(
            doc.numeric_path(None, "workload.peak_tps").unwrap(),
            "workload.peak_tps"
        );
        let e = doc
            .numeric_path(None, "components.api.kind")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not numeric"), "{e}");
        let e = doc
            .numeric_path(None, "components.web.vcpu")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no component `web`; expected one of: api, nat, s3gw"),
            "{e}"
        );
        let e = doc
            .numeric_path(None, "workload.peak")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no field `peak` in workload"), "{e}");
        let t = doc
            .topology(None, &[("components.api.desired_count".into(), 7.0)])
            .unwrap();
        match &t.components()[0].spec {
            crate::model::topology::ComponentSpec::FargateService(f) => {
                assert_eq!(f.count(), crate::services::fargate::TaskCount::Fixed(7))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ranges_are_log_normal_between_their_percentiles() {
        let r = Range {
            path: "x".into(),
            p10: 500.0,
            p90: 2000.0,
        };
        assert!((r.median() - 1000.0).abs() < 1e-9);
        assert!((r.at(-Z_90) - 500.0).abs() < 1e-9);
        assert!((r.at(Z_90) - 2000.0).abs() < 1e-9);
        let bad = MODEL.replace("{p10: 50, p90: 200}", "{p10: 200, p90: 50}");
        let e = ModelDocument::parse(&bad, "v.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "v.yaml:6:13: field `workload.peak_tps`: range p10 (200) is above p90 (50)"
            ),
            "{e}"
        );
    }
}
