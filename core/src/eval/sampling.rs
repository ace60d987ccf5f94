//! The samples of one evaluation: findings to review per category, and a
//! spot check of ordinary activity drawn while events stream past.

use crate::event::Event;
use crate::plan::{Env, Node};
use crate::report::{
    CategorySample, Finding, SampledFinding, Samples, SamplingInfo, SpotCheckInfo, SpotEvent,
    SpotSample, SpotUserSample,
};
use crate::ruleset::RuleSet;
use crate::sample::{self, Sampler, SpotCheck, hex};

/// What an evaluation samples, and what it has kept so far.
pub(super) struct Sampling {
    /// The seed in force; `None` when nothing is sampled and none was given.
    pub seed: Option<String>,
    sampler: Option<Sampler>,
    findings_per_category: Option<usize>,
    spot: Option<Spot>,
}

struct Spot {
    filter: Node,
    users: usize,
    population_events: u64,
    check: SpotCheck,
}

impl Sampling {
    /// The sampling the rules ask for, with `seed` or a fresh one.
    pub fn new(rules: &RuleSet, seed: Option<String>) -> Sampling {
        let spec = rules.sampling();
        let wanted = spec.findings_per_category.is_some() || spec.spot_check.is_some();
        let seed = match (seed, wanted) {
            (Some(seed), _) => Some(seed),
            (None, true) => Some(sample::fresh_seed()),
            (None, false) => None,
        };
        let spot = spec.spot_check.as_ref().zip(rules.spot_filter());
        Sampling {
            sampler: seed.as_deref().map(Sampler::new),
            seed,
            findings_per_category: spec.findings_per_category,
            spot: spot.map(|(spec, filter)| Spot {
                filter,
                users: spec.users,
                population_events: 0,
                check: SpotCheck::new(spec.events),
            }),
        }
    }

    /// Offers an evaluated event to the spot check.
    pub fn offer(&mut self, event: &Event, env: &Env) {
        let (Some(spot), Some(sampler)) = (&mut self.spot, &self.sampler) else {
            return;
        };
        if spot.filter.matches(event, env) {
            spot.population_events += 1;
            spot.check.offer(sampler, event);
        }
    }

    /// Draws the samples and marks the findings chosen for review.
    pub fn draw(&self, findings: &mut [Finding]) -> Samples {
        let Some(sampler) = &self.sampler else {
            return Samples::default();
        };
        Samples {
            findings: self.findings(sampler, findings),
            spot_check: self.spot.as_ref().map(|spot| spot_sample(sampler, spot)),
        }
    }

    fn findings(&self, sampler: &Sampler, findings: &mut [Finding]) -> Vec<CategorySample> {
        let Some(k) = self.findings_per_category else {
            return Vec::new();
        };
        let chosen = sample::findings_sample(sampler, findings, k);
        chosen
            .into_iter()
            .map(|(category, (count, selected))| {
                let selected = selected
                    .into_iter()
                    .map(|drawn| {
                        let finding = &mut findings[drawn.item];
                        finding.sampled = true;
                        SampledFinding {
                            rule: finding.rule.clone(),
                            key: finding.key.clone(),
                            window_start: finding.window.start.to_rfc3339(),
                            draw: hex(drawn.draw),
                        }
                    })
                    .collect();
                CategorySample {
                    category,
                    findings: count,
                    selected,
                }
            })
            .collect()
    }

    /// The directives in force, for the report.
    pub fn info(&self, rules: &RuleSet) -> SamplingInfo {
        let spec = rules.sampling();
        SamplingInfo {
            method: sample::METHOD.to_string(),
            version: sample::VERSION,
            findings_per_category: spec.findings_per_category,
            spot_check: spec.spot_check.as_ref().map(|spot| SpotCheckInfo {
                users: spot.users,
                events_per_user: spot.events,
                population: spot.written.clone(),
            }),
        }
    }
}

fn spot_sample(sampler: &Sampler, spot: &Spot) -> SpotSample {
    let (population_users, users) = spot.check.select(sampler, spot.users);
    SpotSample {
        population_users,
        population_events: spot.population_events,
        users: users
            .into_iter()
            .map(|user| SpotUserSample {
                user: user.user,
                draw: hex(user.draw),
                events: user.events,
                sampled: user
                    .sampled
                    .into_iter()
                    .map(|drawn| SpotEvent {
                        id: drawn.item.id,
                        time: drawn.item.time,
                        action: drawn.item.action,
                        patient: drawn.item.patient,
                        draw: hex(drawn.draw),
                    })
                    .collect(),
            })
            .collect(),
    }
}
