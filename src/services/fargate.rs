//! ECS services on AWS Fargate and Fargate Spot.
//!
//! A task is billed per second for its task-level vCPU and memory (here: per hour), plus
//! ephemeral storage beyond the 20 GB included. Sidecars (the X-Ray daemon) add their CPU and
//! memory to every task, and the task is rounded up to the smallest valid Fargate size that
//! holds the application and its sidecars. With target tracking, the task count follows load
//! hour by hour. A capacity provider strategy splits tasks between `FARGATE` and `FARGATE_SPOT`
//! the way ECS does: the `base` first, the rest in proportion to the weights.

use serde::Deserialize;

use super::{
    Alternative, Calibrates, Change, Context, Lever, Meter, ScaleIn, Service, Severity,
    TargetTracking, Twin, Usage, key,
};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// CPU units (1,024 per vCPU) Fargate accepts for a Linux task.
const CPU_UNITS: [u32; 7] = [256, 512, 1024, 2048, 4096, 8192, 16384];

/// Ephemeral storage every task gets without charge.
pub const INCLUDED_EPHEMERAL_STORAGE_GB: f64 = 20.0;

/// The valid memory sizes in MiB for a CPU size.
fn memory_options_mib(cpu_units: u32) -> Vec<u32> {
    let range = |lo: u32, hi: u32, step: u32| (lo..=hi).step_by(step as usize).collect();
    match cpu_units {
        256 => vec![512, 1024, 2048],
        512 => range(1024, 4096, 1024),
        1024 => range(2048, 8192, 1024),
        2048 => range(4096, 16384, 1024),
        4096 => range(8192, 30720, 1024),
        8192 => range(16384, 61440, 4096),
        16384 => range(32768, 122880, 8192),
        _ => Vec::new(),
    }
}

fn gb_list(mib: &[u32]) -> String {
    mib.iter()
        .map(|m| qty(*m as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A valid Fargate task size (Linux).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSize {
    cpu_units: u32,
    memory_mib: u32,
}

impl TaskSize {
    /// Validates a size given in vCPU and GB; the error names the field and lists valid values.
    pub fn new(vcpu: f64, memory_gb: f64) -> Result<Self, FieldError> {
        let cpu_units = (vcpu * 1024.0).round();
        let valid_cpus = || {
            CPU_UNITS
                .iter()
                .map(|c| qty(*c as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !vcpu.is_finite()
            || !CPU_UNITS.contains(&(cpu_units as u32))
            || (vcpu * 1024.0 - cpu_units).abs() > 1e-9
        {
            return Err(FieldError::new(
                "vcpu",
                format!(
                    "{vcpu} vCPU is not a Fargate task size; expected one of {} vCPU",
                    valid_cpus()
                ),
            ));
        }
        let cpu_units = cpu_units as u32;
        let options = memory_options_mib(cpu_units);
        let memory_mib = (memory_gb * 1024.0).round();
        if !memory_gb.is_finite()
            || (memory_gb * 1024.0 - memory_mib).abs() > 1e-9
            || !options.contains(&(memory_mib as u32))
        {
            return Err(FieldError::new(
                "memory_gb",
                format!(
                    "{memory_gb} GB is not a valid memory size for a {} vCPU Fargate task; expected one of {} GB",
                    qty(vcpu),
                    gb_list(&options)
                ),
            ));
        }
        Ok(TaskSize {
            cpu_units,
            memory_mib: memory_mib as u32,
        })
    }

    /// The smallest valid size with at least this CPU and memory, if there is one.
    pub fn smallest_holding(cpu_units: u32, memory_mib: u32) -> Option<Self> {
        CPU_UNITS.iter().filter(|c| **c >= cpu_units).find_map(|c| {
            memory_options_mib(*c)
                .into_iter()
                .find(|m| *m >= memory_mib)
                .map(|m| TaskSize {
                    cpu_units: *c,
                    memory_mib: m,
                })
        })
    }

    /// vCPU of the task.
    pub fn vcpu(&self) -> f64 {
        self.cpu_units as f64 / 1024.0
    }

    /// Memory of the task in GB.
    pub fn memory_gb(&self) -> f64 {
        self.memory_mib as f64 / 1024.0
    }
}

impl From<TaskSize> for ContainerSize {
    fn from(t: TaskSize) -> Self {
        ContainerSize {
            cpu_units: t.cpu_units,
            memory_mib: t.memory_mib,
        }
    }
}

/// What a container reserves: whole CPU units (1,024 a vCPU) and whole MiB. Beside sidecars,
/// the application container may reserve any such amount; the task is the smallest valid
/// Fargate size holding them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerSize {
    cpu_units: u32,
    memory_mib: u32,
}

impl ContainerSize {
    /// Validates a reservation in vCPU and GB: whole CPU units and whole MiB, above zero.
    pub fn new(vcpu: f64, memory_gb: f64) -> Result<Self, FieldError> {
        let whole = |x: f64| x.is_finite() && x > 0.0 && (x - x.round()).abs() < 1e-9;
        if !whole(vcpu * 1024.0) {
            return Err(FieldError::new(
                "vcpu",
                format!(
                    "{vcpu} vCPU is not a container reservation; expected whole CPU units above 0 (1 unit = 1/1024 vCPU, e.g. 0.96875 = 992 units)"
                ),
            ));
        }
        if !whole(memory_gb * 1024.0) {
            return Err(FieldError::new(
                "memory_gb",
                format!(
                    "{memory_gb} GB is not a container reservation; expected whole MiB above 0 (e.g. 1.75 = 1,792 MiB)"
                ),
            ));
        }
        Ok(ContainerSize {
            cpu_units: (vcpu * 1024.0).round() as u32,
            memory_mib: (memory_gb * 1024.0).round() as u32,
        })
    }

    /// vCPU reserved.
    pub fn vcpu(&self) -> f64 {
        self.cpu_units as f64 / 1024.0
    }

    /// Memory reserved, GB.
    pub fn memory_gb(&self) -> f64 {
        self.memory_mib as f64 / 1024.0
    }
}

/// CPU architecture of the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    /// `x86_64`
    X86_64,
    /// `arm64` (Graviton)
    Arm64,
}

/// An ECS capacity provider for Fargate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityProvider {
    /// `FARGATE`: on-demand.
    Fargate,
    /// `FARGATE_SPOT`: interruptible, at the Spot rate.
    FargateSpot,
}

/// One entry of a capacity provider strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderShare {
    /// The provider.
    pub provider: CapacityProvider,
    /// Tasks placed on this provider first.
    pub base: u32,
    /// Relative share of the tasks beyond the base.
    pub weight: u32,
}

/// A container that runs beside the application in every task.
#[derive(Debug, Clone, PartialEq)]
pub struct Sidecar {
    /// Container name (e.g. `xray-daemon`).
    pub name: String,
    /// vCPU it reserves.
    pub vcpu: f64,
    /// Memory it reserves, GB.
    pub memory_gb: f64,
}

/// How many tasks run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TaskCount {
    /// The same number every hour.
    Fixed(u32),
    /// ECS service auto scaling with target tracking on CPU.
    TargetTracking(TargetTracking),
}

/// CPU units and MiB the sidecars reserve together.
fn sidecar_units(sidecars: &[Sidecar]) -> (f64, f64) {
    sidecars.iter().fold((0.0, 0.0), |(c, m), s| {
        (c + s.vcpu * 1024.0, m + s.memory_gb * 1024.0)
    })
}

/// A validated Fargate service.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateService {
    architecture: Architecture,
    /// Whether its tasks may be interrupted (Fargate Spot would do).
    interruptible: bool,
    app_size: ContainerSize,
    sidecars: Vec<Sidecar>,
    task_size: TaskSize,
    ephemeral_storage_gb: f64,
    count: TaskCount,
    strategy: Vec<ProviderShare>,
}

impl FargateService {
    /// Validates a service. Errors name the offending field (relative to the component).
    pub fn new(
        architecture: Architecture,
        app_size: ContainerSize,
        sidecars: Vec<Sidecar>,
        ephemeral_storage_gb: f64,
        count: TaskCount,
        strategy: Vec<ProviderShare>,
    ) -> Result<Self, FieldError> {
        if !(20.0..=200.0).contains(&ephemeral_storage_gb) {
            return Err(FieldError::new(
                "ephemeral_storage_gb",
                format!(
                    "{ephemeral_storage_gb} GB is outside Fargate's range; expected 20 to 200 GB"
                ),
            ));
        }
        for (i, s) in sidecars.iter().enumerate() {
            for (field, v) in [("vcpu", s.vcpu), ("memory_gb", s.memory_gb)] {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(FieldError::new(
                        format!("sidecars[{i}].{field}"),
                        format!("{v} is not a size; expected a number of at least 0"),
                    ));
                }
            }
        }
        let (side_cpu, side_mem) = sidecar_units(&sidecars);
        let cpu = app_size.cpu_units as f64 + side_cpu;
        let mem = app_size.memory_mib as f64 + side_mem;
        let task_size = TaskSize::smallest_holding(cpu.ceil() as u32, mem.ceil() as u32)
            .ok_or_else(|| {
                FieldError::new(
                    "sidecars",
                    format!(
                        "the application and its sidecars need {} vCPU and {} GB, more than the largest Fargate task (16 vCPU, 120 GB)",
                        qty(cpu / 1024.0),
                        qty(mem / 1024.0)
                    ),
                )
            })?;
        if let TaskCount::TargetTracking(t) = count {
            t.validate(
                "scaling",
                ["min_tasks", "max_tasks", "tps_per_task_at_full_cpu"],
            )?;
        }
        let based = strategy.iter().filter(|s| s.base > 0).count();
        if based > 1 {
            return Err(FieldError::new(
                "capacity_provider_strategy",
                "more than one capacity provider has a base; ECS allows a base on one provider only",
            ));
        }
        if !strategy.is_empty() && strategy.iter().all(|s| s.weight == 0) {
            return Err(FieldError::new(
                "capacity_provider_strategy",
                "every weight is 0; expected at least one provider with a weight above 0",
            ));
        }
        for (i, s) in strategy.iter().enumerate() {
            if strategy[..i].iter().any(|o| o.provider == s.provider) {
                return Err(FieldError::new(
                    format!("capacity_provider_strategy[{i}].provider"),
                    "this provider appears twice; expected each provider at most once",
                ));
            }
        }
        Ok(FargateService {
            architecture,
            interruptible: false,
            app_size,
            sidecars,
            task_size,
            ephemeral_storage_gb,
            count,
            strategy,
        })
    }

    /// How many tasks run.
    pub fn count(&self) -> TaskCount {
        self.count
    }

    /// Whether a sidecar of this name runs in every task.
    pub fn has_sidecar(&self, name: &str) -> bool {
        self.sidecars.iter().any(|s| s.name == name)
    }

    /// Whether the capacity provider strategy places tasks on Fargate Spot.
    pub fn uses_spot(&self) -> bool {
        self.strategy
            .iter()
            .any(|s| s.provider == CapacityProvider::FargateSpot && (s.weight > 0 || s.base > 0))
    }

    /// The same service with its task count pinned at the peak hour's, if it auto-scales.
    pub fn pinned_at_peak(&self, tps_by_hour: &[f64]) -> Self {
        let mut pinned = self.clone();
        if let TaskCount::TargetTracking(_) = self.count {
            let peak = tps_by_hour
                .iter()
                .map(|t| self.tasks_at(*t).0)
                .max()
                .unwrap_or(0);
            pinned.count = TaskCount::Fixed(peak);
        }
        pinned
    }

    /// The same service with every task on on-demand `FARGATE`.
    pub fn on_demand_only(&self) -> Self {
        FargateService {
            strategy: Vec::new(),
            ..self.clone()
        }
    }

    /// The same service in tasks of `task` size: the application container gets what the
    /// sidecars leave of it. With the merge patch of its fields that says so; `None` when the
    /// sidecars leave nothing, or when that is its size already.
    pub fn resized(&self, task: TaskSize) -> Option<(Self, Vec<(&'static str, String)>)> {
        let (side_cpu, side_mem) = sidecar_units(&self.sidecars);
        let (cpu, mem) = (
            f64::from(task.cpu_units) - side_cpu,
            f64::from(task.memory_mib) - side_mem,
        );
        if cpu < 1.0 || mem < 1.0 || task == self.task_size {
            return None;
        }
        let app = ContainerSize {
            cpu_units: cpu.floor() as u32,
            memory_mib: mem.floor() as u32,
        };
        let holds = TaskSize::smallest_holding(
            (f64::from(app.cpu_units) + side_cpu).ceil() as u32,
            (f64::from(app.memory_mib) + side_mem).ceil() as u32,
        );
        (holds == Some(task)).then(|| {
            (
                FargateService {
                    app_size: app,
                    task_size: task,
                    ..self.clone()
                },
                // Exact (whole CPU units and MiB are exact binary fractions): a rounded
                // figure would not be a whole reservation.
                vec![
                    ("vcpu", app.vcpu().to_string()),
                    ("memory_gb", app.memory_gb().to_string()),
                ],
            )
        })
    }

    /// The billed task size: application plus sidecars, rounded up to a valid Fargate size.
    pub fn task_size(&self) -> TaskSize {
        self.task_size
    }

    /// Tasks running at a platform load, and whether demand exceeded `max_tasks`.
    pub fn tasks_at(&self, tps: f64) -> (u32, bool) {
        match self.count {
            TaskCount::Fixed(n) => (n, false),
            TaskCount::TargetTracking(t) => t.running_at(tps),
        }
    }

    /// Splits `tasks` into (on-demand, Spot) by the capacity provider strategy.
    ///
    /// The provider with a base gets up to `base` tasks first; the rest are shared by weight,
    /// whole tasks by largest remainder, ties going to the provider listed first.
    pub fn split(&self, tasks: u32) -> (u32, u32) {
        // Each provider appears at most once (validated), so two slots hold the strategy and
        // the hourly loop allocates nothing.
        let n = self.strategy.len();
        if n == 0 {
            return (tasks, 0);
        }
        let mut placed = [0u32; 2];
        let mut exact = [0.0f64; 2];
        for (i, s) in self.strategy.iter().enumerate() {
            placed[i] = s.base.min(tasks);
        }
        let rest = tasks - placed[..n].iter().sum::<u32>().min(tasks);
        let total_weight: u32 = self.strategy.iter().map(|s| s.weight).sum();
        let mut given = 0;
        for (i, s) in self.strategy.iter().enumerate() {
            exact[i] = rest as f64 * s.weight as f64 / total_weight as f64;
            placed[i] += exact[i].floor() as u32;
            given += exact[i].floor() as u32;
        }
        let mut order = [0usize, 1];
        order[..n].sort_by(|a, b| {
            let ra = exact[*a] - exact[*a].floor();
            let rb = exact[*b] - exact[*b].floor();
            rb.total_cmp(&ra).then(a.cmp(b))
        });
        for i in order[..n].iter().take((rest - given) as usize) {
            placed[*i] += 1;
        }
        self.strategy
            .iter()
            .zip(placed)
            .fold((0, 0), |(od, spot), (s, n)| match s.provider {
                CapacityProvider::Fargate => (od + n, spot),
                CapacityProvider::FargateSpot => (od, spot + n),
            })
    }

    fn sidecar_note(&self) -> String {
        if self.sidecars.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = self.sidecars.iter().map(|s| s.name.as_str()).collect();
        format!(
            ": app {} vCPU / {} GB + {}, rounded up to a valid Fargate size",
            qty(self.app_size.vcpu()),
            qty(self.app_size.memory_gb()),
            names.join(" + ")
        )
    }
}

/// `fargate_service` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    architecture: Option<SettingsArchitecture>,
    vcpu: NonNegative,
    memory_gb: NonNegative,
    ephemeral_storage_gb: Option<NonNegative>,
    #[serde(default)]
    sidecars: Vec<SettingsSidecar>,
    desired_count: Option<u32>,
    scaling: Option<SettingsScaling>,
    #[serde(default)]
    capacity_provider_strategy: Vec<SettingsProviderShare>,
    /// Whether the tasks may be interrupted with two minutes' notice (queue workers, batch):
    /// `archcost rightsize` then weighs Fargate Spot for them.
    #[serde(default)]
    interruptible: bool,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsArchitecture {
    X86_64,
    Arm64,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsSidecar {
    name: String,
    vcpu: NonNegative,
    memory_gb: NonNegative,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsScaling {
    min_tasks: u32,
    max_tasks: u32,
    target_cpu_percent: NonNegative,
    tps_per_task_at_full_cpu: NonNegative,
    load_share: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
enum SettingsProvider {
    #[serde(rename = "FARGATE")]
    Fargate,
    #[serde(rename = "FARGATE_SPOT")]
    FargateSpot,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsProviderShare {
    provider: SettingsProvider,
    #[serde(default)]
    base: u32,
    weight: u32,
}

impl Service for FargateService {
    const KIND: &'static str = "fargate_service";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "Fargate-vCPU-Hours:perCPU",
        "Fargate-GB-Hours",
        "Fargate-ARM-vCPU-Hours:perCPU",
        "Fargate-ARM-GB-Hours",
        "SpotUsage-Fargate-vCPU-Hours:perCPU",
        "SpotUsage-Fargate-GB-Hours",
        "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU",
        "SpotUsage-Fargate-ARM-GB-Hours",
        "Fargate-EphemeralStorage-GB-Hours",
    ];

    fn from_settings(r: Settings) -> Result<Self, FieldError> {
        // Alone, the application's reservation is the task's size and must be a valid one;
        // beside sidecars it is a container's, and the task is rounded up to hold them all.
        let size = if r.sidecars.is_empty() {
            ContainerSize::from(TaskSize::new(r.vcpu.0, r.memory_gb.0)?)
        } else {
            ContainerSize::new(r.vcpu.0, r.memory_gb.0)?
        };
        let count = match (r.desired_count, r.scaling) {
            (Some(n), None) => TaskCount::Fixed(n),
            (None, Some(s)) => TaskCount::TargetTracking(TargetTracking {
                min: s.min_tasks,
                max: s.max_tasks,
                target_cpu_percent: s.target_cpu_percent.0,
                tps_at_full_cpu: s.tps_per_task_at_full_cpu.0,
                load_share: s.load_share.map_or(1.0, |x| x.0),
            }),
            _ => {
                return Err(FieldError::new(
                    "desired_count",
                    "expected exactly one of `desired_count` (a fixed task count) or `scaling` (target tracking)",
                ));
            }
        };
        let strategy = r
            .capacity_provider_strategy
            .into_iter()
            .map(|s| ProviderShare {
                provider: match s.provider {
                    SettingsProvider::Fargate => CapacityProvider::Fargate,
                    SettingsProvider::FargateSpot => CapacityProvider::FargateSpot,
                },
                base: s.base,
                weight: s.weight,
            })
            .collect();
        let sidecars = r
            .sidecars
            .into_iter()
            .map(|s| Sidecar {
                name: s.name,
                vcpu: s.vcpu.0,
                memory_gb: s.memory_gb.0,
            })
            .collect();
        let architecture = match r.architecture {
            None | Some(SettingsArchitecture::X86_64) => Architecture::X86_64,
            Some(SettingsArchitecture::Arm64) => Architecture::Arm64,
        };
        FargateService::new(
            architecture,
            size,
            sidecars,
            r.ephemeral_storage_gb
                .map_or(INCLUDED_EPHEMERAL_STORAGE_GB, |x| x.0),
            count,
            strategy,
        )
        .map(|s| FargateService {
            interruptible: r.interruptible,
            ..s
        })
    }

    fn alternatives(&self, _tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        let mut out = Vec::new();
        let on_spot = self
            .strategy
            .iter()
            .any(|s| s.provider == CapacityProvider::FargateSpot);
        if self.interruptible && !on_spot {
            // One on-demand task keeps the work moving through Spot interruptions.
            out.push(Alternative {
                change: Change::FargateSpot,
                replacement: FargateService {
                    strategy: vec![
                        ProviderShare {
                            provider: CapacityProvider::Fargate,
                            base: 1,
                            weight: 0,
                        },
                        ProviderShare {
                            provider: CapacityProvider::FargateSpot,
                            base: 0,
                            weight: 1,
                        },
                    ],
                    ..self.clone()
                },
                patch: vec![(
                    "capacity_provider_strategy",
                    "[{provider: FARGATE, base: 1, weight: 0}, {provider: FARGATE_SPOT, weight: 1}]"
                        .into(),
                )],
                risk: "Spot tasks may be stopped with two minutes' notice when AWS needs the capacity back",
                evidence: None,
            });
        }
        // Sidecars that round the task up past the application's own valid size: the
        // application fitted into that size instead.
        if let Ok(own) = TaskSize::new(self.app_size.vcpu(), self.app_size.memory_gb())
            && !self.sidecars.is_empty()
            && own != self.task_size
            && let Some((fitted, patch)) = self.resized(own)
        {
            out.push(Alternative {
                change: Change::FitSidecars,
                replacement: fitted,
                patch,
                risk: "the application container reserves what the sidecars leave of the smaller task; check it keeps its headroom",
                evidence: None,
            });
        }
        if self.architecture == Architecture::Arm64 {
            return out;
        }
        out.push(Alternative {
            change: Change::Graviton,
            replacement: FargateService {
                architecture: Architecture::Arm64,
                ..self.clone()
            },
            patch: vec![("architecture", "arm64".into())],
            risk: "the images must be built for arm64 (a multi-architecture build), and the code tested there",
            evidence: None,
        });
        out
    }

    fn provisioned(&self, lever: Lever, tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        match (lever, self.count) {
            (Lever::AutoScaling, TaskCount::TargetTracking(_)) => {
                Some(Twin::Replace(self.pinned_at_peak(tps_by_hour)))
            }
            (Lever::FargateSpot, _) if self.uses_spot() => {
                Some(Twin::Replace(self.on_demand_only()))
            }
            _ => None,
        }
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        if !d.contains("fargate") {
            return None;
        }
        let arm = if d.contains("arm") { "ARM-" } else { "" };
        let base = if d.contains("vcpu") {
            format!("Fargate-{arm}vCPU-Hours:perCPU")
        } else if d.contains("gb") || d.contains("memory") {
            format!("Fargate-{arm}GB-Hours")
        } else {
            return None;
        };
        Some(region.usage_type(&base, PrefixRule::Always))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let (mut od, mut spot) = (Vec::with_capacity(ctx.tps.len()), Vec::new());
        let (mut short_hours, mut peak_needed) = (0, 0.0_f64);
        for tps in ctx.tps {
            let (n, short) = self.tasks_at(*tps);
            if short {
                short_hours += 1;
                if let TaskCount::TargetTracking(t) = self.count {
                    peak_needed = peak_needed.max(t.needed_at(*tps));
                }
            }
            let (o, s) = self.split(n);
            od.push(o as f64);
            spot.push(s as f64);
        }
        // Tasks scaled in keep running until service auto scaling catches up.
        let lag = match self.count {
            TaskCount::TargetTracking(_) => ScaleIn::APPLICATION_AUTO_SCALING,
            TaskCount::Fixed(_) => ScaleIn { lag_minutes: 0.0 },
        };
        let od_billed = lag.billed(&od);
        let od_hours: f64 = od_billed.iter().sum();
        let spot_hours: f64 = lag.billed(&spot).iter().sum();
        if short_hours > 0 {
            out.diagnose(
                id,
                Severity::Warning,
                format!(
                    "load needs up to {peak_needed} tasks but max_tasks caps the service; {short_hours} hours run short of capacity"
                ),
            );
        }
        let size = self.task_size;
        let arch = match self.architecture {
            Architecture::X86_64 => "",
            Architecture::Arm64 => "ARM-",
        };
        let shape = format!(
            "{} vCPU / {} GB task{}",
            qty(size.vcpu()),
            qty(size.memory_gb()),
            self.sidecar_note()
        );
        let ecs = |base: String| {
            key(
                ServiceCode::AmazonEcs,
                ctx.region.usage_type(&base, PrefixRule::Always),
                None,
            )
        };
        // The on-demand vCPU-hours say how many tasks really ran: calibration scales the
        // fixed count, or the throughput per task that target tracking divides by.
        let task_count_field = match self.count {
            TaskCount::Fixed(_) => Calibrates::Count("desired_count"),
            TaskCount::TargetTracking(_) => {
                Calibrates::Throughput("scaling.tps_per_task_at_full_cpu")
            }
        };
        // On-demand tasks hour by hour, for the Savings Plans that may cover them (Spot is
        // never covered).
        let per_hour =
            |per_task: f64| -> Vec<f64> { od_billed.iter().map(|n| n * per_task).collect() };
        for (task_hours, spot_prefix, label, calibrates, on_demand) in [
            (od_hours, "", "on-demand", task_count_field, true),
            (spot_hours, "SpotUsage-", "Spot", Calibrates::None, false),
        ] {
            let vcpu = Usage::new(
                id,
                ecs(format!("{spot_prefix}Fargate-{arch}vCPU-Hours:perCPU")),
                Unit::VcpuHours,
                task_hours * size.vcpu(),
                format!(
                    "{} task-hours {label} × {} vCPU ({shape})",
                    qty(task_hours),
                    qty(size.vcpu())
                ),
            )
            .calibrates(calibrates);
            let memory = Usage::new(
                id,
                ecs(format!("{spot_prefix}Fargate-{arch}GB-Hours")),
                Unit::GbHours,
                task_hours * size.memory_gb(),
                format!(
                    "{} task-hours {label} × {} GB memory",
                    qty(task_hours),
                    qty(size.memory_gb())
                ),
            );
            if on_demand {
                out.add(vcpu.hourly(per_hour(size.vcpu())));
                out.add(memory.hourly(per_hour(size.memory_gb())));
            } else {
                out.add(vcpu);
                out.add(memory);
            }
        }
        let extra_gb = self.ephemeral_storage_gb - INCLUDED_EPHEMERAL_STORAGE_GB;
        out.add(Usage::new(
            id,
            ecs("Fargate-EphemeralStorage-GB-Hours".into()),
            Unit::GbHours,
            (od_hours + spot_hours) * extra_gb,
            format!(
                "{} task-hours × {} GB ephemeral storage beyond the 20 GB included (Spot tasks at the on-demand storage rate)",
                qty(od_hours + spot_hours),
                qty(extra_gb)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(count: TaskCount, strategy: Vec<ProviderShare>) -> FargateService {
        FargateService::new(
            Architecture::X86_64,
            TaskSize::new(1.0, 2.0).unwrap().into(),
            vec![],
            20.0,
            count,
            strategy,
        )
        .unwrap()
    }

    #[test]
    fn task_sizes_are_validated_with_the_valid_list() {
        assert!(TaskSize::new(0.25, 0.5).is_ok());
        assert!(TaskSize::new(16.0, 120.0).is_ok());
        let FieldError {
            path: field,
            message: msg,
        } = TaskSize::new(0.3, 1.0).unwrap_err();
        assert_eq!(field, "vcpu");
        assert!(msg.contains("0.25, 0.5, 1, 2, 4, 8, 16"), "{msg}");
        let FieldError {
            path: field,
            message: msg,
        } = TaskSize::new(0.5, 5.0).unwrap_err();
        assert_eq!(field, "memory_gb");
        assert!(msg.contains("expected one of 1, 2, 3, 4 GB"), "{msg}");
        // 8 vCPU takes memory in 4 GB steps from 16 to 60 GB.
        assert!(TaskSize::new(8.0, 17.0).is_err());
        assert!(TaskSize::new(8.0, 20.0).is_ok());
    }

    #[test]
    fn sidecars_round_the_task_up() {
        // 0.25 vCPU / 0.5 GB + X-Ray daemon (32 CPU units = 0.03125 vCPU, 256 MiB) needs
        // 288 CPU units / 768 MiB → the smallest valid size holding it is 0.5 vCPU / 1 GB.
        let s = FargateService::new(
            Architecture::X86_64,
            TaskSize::new(0.25, 0.5).unwrap().into(),
            vec![Sidecar {
                name: "xray-daemon".into(),
                vcpu: 0.03125,
                memory_gb: 0.25,
            }],
            20.0,
            TaskCount::Fixed(1),
            vec![],
        )
        .unwrap();
        assert_eq!(s.task_size(), TaskSize::new(0.5, 1.0).unwrap());
    }

    #[test]
    fn strategy_places_base_then_weights() {
        let strategy = vec![
            ProviderShare {
                provider: CapacityProvider::Fargate,
                base: 2,
                weight: 1,
            },
            ProviderShare {
                provider: CapacityProvider::FargateSpot,
                base: 0,
                weight: 3,
            },
        ];
        let s = service(TaskCount::Fixed(10), strategy);
        // 10 tasks: base 2 on FARGATE, the other 8 split 1:3 → 2 FARGATE + 6 SPOT.
        assert_eq!(s.split(10), (4, 6));
        assert_eq!(s.split(2), (2, 0));
        assert_eq!(s.split(1), (1, 0));
        // 3 tasks: base 2, then 1 left: exact shares 0.25 / 0.75 → the Spot remainder is larger.
        assert_eq!(s.split(3), (2, 1));
        // 4 tasks: base 2, then 2 left: 0.5 / 1.5 → Spot 1 + remainders 0.5 each, tie → FARGATE.
        assert_eq!(s.split(4), (3, 1));
    }

    #[test]
    fn target_tracking_follows_load_within_bounds() {
        let s = service(
            TaskCount::TargetTracking(TargetTracking {
                min: 2,
                max: 10,
                target_cpu_percent: 70.0,
                tps_at_full_cpu: 100.0,
                load_share: 1.0,
            }),
            vec![],
        );
        // 1,000 TPS / (100 × 0.70) = 14.3 → capped at 10.
        assert_eq!(s.tasks_at(1000.0), (10, true));
        // 350 TPS / 70 = 5 tasks exactly.
        assert_eq!(s.tasks_at(350.0), (5, false));
        // 10 TPS → 0.14 → 1, raised to the minimum of 2.
        assert_eq!(s.tasks_at(10.0), (2, false));
    }

    #[test]
    fn invalid_strategies_are_rejected() {
        let two_bases = vec![
            ProviderShare {
                provider: CapacityProvider::Fargate,
                base: 1,
                weight: 1,
            },
            ProviderShare {
                provider: CapacityProvider::FargateSpot,
                base: 1,
                weight: 1,
            },
        ];
        let err = FargateService::new(
            Architecture::X86_64,
            TaskSize::new(1.0, 2.0).unwrap().into(),
            vec![],
            20.0,
            TaskCount::Fixed(1),
            two_bases,
        )
        .unwrap_err();
        assert_eq!(err.path, "capacity_provider_strategy");
    }
}
