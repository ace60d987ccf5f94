//! The AuditEvent of FHIR R5: the same record as R4 in new element names.
//!
//! R5 renamed `type` to `category` (a list) and `subtype` to `code`, made
//! `outcome` an element with a Coding, moved the patient to a top-level
//! `patient`, put the network address in `agent.network[x]`, the purpose in
//! `authorization` and the time of the activity in `occurred[x]`, and made
//! `source.site` a Reference. A resource is read as R5 when it has any of
//! these shapes; R6 drafts, which went back to `type` and `subtype` but kept
//! the R5 `outcome`, read the same way.

use super::{
    ACTION_CODES, Invalid, OBJECT_ROLES, SUBTYPE_ACTIONS, TYPE_ACTIONS, attribute, coding_in,
    entity_kind, fill_from_source, first_code, is_source_role, lookup, no_action, no_user, object,
    objects, parse_ip, patient_of, pick, reference_id, strict_text, text, text_at, unit,
    user_agent,
};
use crate::codes;
use crate::event::{Event, Outcome};
use crate::time::parse_timestamp;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value as Json};

/// Top-level elements that only R5 has.
const R5_ELEMENTS: [&str; 9] = [
    "category",
    "code",
    "patient",
    "occurredDateTime",
    "occurredPeriod",
    "authorization",
    "basedOn",
    "encounter",
    "severity",
];

/// The `network[x]` choices of an R5 agent, in the order they are tried.
const NETWORK: [&str; 3] = ["networkString", "networkUri", "networkReference"];

/// Outcome codes: `audit-event-outcome` (numbers, and `success` in R5) and
/// the `issue-severity` codes R5 drafts bound. Warnings and information
/// did not stop the action.
const OUTCOMES: [(&str, Option<Outcome>); 12] = [
    ("0", Some(Outcome::Success)),
    ("success", Some(Outcome::Success)),
    ("information", Some(Outcome::Success)),
    ("warning", Some(Outcome::Success)),
    ("4", None),
    ("8", None),
    ("12", None),
    ("error", None),
    ("fatal", None),
    ("minor", None),
    ("serious", None),
    ("major", None),
];

/// True when the resource has an R5 shape: an R5-only element, an
/// `outcome` that is an element rather than a code, or an agent with a
/// `network[x]` choice.
pub(super) fn is_r5(resource: &Map<String, Json>) -> bool {
    let element = R5_ELEMENTS.iter().any(|name| resource.contains_key(*name));
    let outcome = resource.get("outcome").is_some_and(Json::is_object);
    let network = objects(resource, "agent")
        .any(|agent| NETWORK.iter().any(|name| agent.contains_key(*name)));
    element || outcome || network
}

/// The R5 mapping; `docs/formats.md` lists it beside the R4 one.
pub(super) fn audit_event(resource: &Map<String, Json>, zone: Tz) -> Result<Event, Invalid> {
    let time = occurred(resource, zone)?;
    let agents: Vec<&Map<String, Json>> = objects(resource, "agent").collect();
    let (agent, user) = user_agent(&agents).ok_or_else(no_user)?;
    let action = action(resource)?;
    let mut event = Event::new(time, user, action);

    event.id = strict_text(resource, "id")?.map(str::to_string);
    event.outcome = outcome(resource)?;
    fill_from_agent(&mut event, agent, &agents);
    event.patient = patient(resource).map(str::to_string);
    fill_resource(&mut event, resource);
    fill_from_source(&mut event, resource);
    if event.unit.is_none() {
        let site = object(resource, "source").and_then(|s| object(s, "site"));
        event.unit = site.and_then(unit).map(str::to_string);
    }
    fill_codes(&mut event, resource)?;
    Ok(event)
}

/// When the activity happened: `occurredDateTime`, else the start of
/// `occurredPeriod`, else when it was `recorded`.
fn occurred(resource: &Map<String, Json>, zone: Tz) -> Result<DateTime<Utc>, Invalid> {
    let period = object(resource, "occurredPeriod").and_then(|p| text(p, "start"));
    let (name, written) = match strict_text(resource, "occurredDateTime")? {
        Some(time) => ("occurredDateTime", time),
        None => match period {
            Some(start) => ("occurredPeriod.start", start),
            None => match strict_text(resource, "recorded")? {
                Some(time) => ("recorded", time),
                None => {
                    let message = "required element `recorded` is missing";
                    return Err(Invalid::new(codes::MISSING_FIELD, message));
                }
            },
        },
    };
    parse_timestamp(written, zone).ok_or_else(|| {
        let message = format!("`{name}` is not a timestamp: `{written}`");
        Invalid::new(codes::BAD_TIME, message)
    })
}

/// A known `code` (or `subtype`) coding, else a known `category` (or
/// `type`) coding, else the `action` code.
fn action(resource: &Map<String, Json>) -> Result<&'static str, Invalid> {
    let code = strict_text(resource, "action")?;
    let specific = concepts(resource, "code").chain(concepts(resource, "subtype"));
    let by_code = specific
        .flat_map(codings)
        .find_map(|coding| lookup(coding, &SUBTYPE_ACTIONS));
    let general = || concepts(resource, "category").chain(concepts(resource, "type"));
    let by_category = || {
        general()
            .flat_map(codings)
            .find_map(|coding| lookup(coding, &TYPE_ACTIONS))
    };
    let by_action = || code.and_then(|code| pick(&ACTION_CODES, code));
    by_code
        .or_else(by_category)
        .or_else(by_action)
        .ok_or_else(|| no_action(code))
}

/// The CodeableConcepts of `name`, whether it holds one or a list.
fn concepts<'a>(
    resource: &'a Map<String, Json>,
    name: &str,
) -> impl Iterator<Item = &'a Map<String, Json>> {
    let one = object(resource, name);
    one.into_iter().chain(objects(resource, name))
}

/// The codings of a CodeableConcept; an R4 Coding in its place is its
/// own coding.
fn codings(concept: &Map<String, Json>) -> impl Iterator<Item = &Map<String, Json>> {
    objects(concept, "coding").chain(std::iter::once(concept))
}

/// `outcome.code.code`; a failure is `denied` when the outcome's details
/// or a contained OperationOutcome say so.
fn outcome(resource: &Map<String, Json>) -> Result<Option<Outcome>, Invalid> {
    let element = match resource.get("outcome") {
        None | Some(Json::Null) => return Ok(None),
        Some(Json::Object(element)) => element,
        Some(Json::String(_)) => return super::outcome(resource),
        Some(other) => {
            let message = format!(
                "`outcome` must be an element, found {}",
                crate::read::json_kind(other)
            );
            return Err(Invalid::new(codes::WRONG_TYPE, message));
        }
    };
    let Some(code) = text_at(element, &["code", "code"]) else {
        return Ok(None);
    };
    match OUTCOMES.iter().find(|(name, _)| *name == code) {
        Some((_, Some(outcome))) => Ok(Some(*outcome)),
        Some((_, None)) if says_denied(resource, element) => Ok(Some(Outcome::Denied)),
        Some((_, None)) => Ok(Some(Outcome::Failure)),
        None => {
            let message = format!(
                "`outcome.code` must be 0, 4, 8, 12, success, information, warning, error, \
                 fatal, minor, serious or major, found `{code}`"
            );
            Err(Invalid::new(codes::BAD_OUTCOME, message))
        }
    }
}

/// True when an outcome detail's text, display or code says denied or
/// forbidden, or a contained OperationOutcome has a `forbidden` issue.
fn says_denied(resource: &Map<String, Json>, element: &Map<String, Json>) -> bool {
    let words = details(element).map(str::to_ascii_lowercase);
    let in_words = words
        .into_iter()
        .any(|w| w.contains("denied") || w.contains("forbidden"));
    in_words
        || objects(resource, "contained")
            .filter(|c| text(c, "resourceType") == Some("OperationOutcome"))
            .flat_map(|c| objects(c, "issue"))
            .any(|issue| text(issue, "code") == Some("forbidden"))
}

/// The texts of `outcome.detail`: each concept's text, then its codings'
/// displays and codes.
fn details(element: &Map<String, Json>) -> impl Iterator<Item = &str> {
    objects(element, "detail").flat_map(|concept| {
        let codings = objects(concept, "coding")
            .flat_map(|coding| [text(coding, "display"), text(coding, "code")]);
        std::iter::once(text(concept, "text"))
            .chain(codings)
            .flatten()
    })
}

/// The address, unit and purpose from the user agent (the address also
/// from a Source Role ID agent).
fn fill_from_agent(event: &mut Event, agent: &Map<String, Json>, agents: &[&Map<String, Json>]) {
    let address = network(agent).or_else(|| {
        let mut sources = agents.iter().filter(|a| is_source_role(a));
        sources.find_map(|a| network(a))
    });
    if let Some(address) = address {
        match parse_ip(address) {
            Some(ip) => event.ip = Some(ip),
            None => attribute(event, "host", address),
        }
    }

    event.unit = object(agent, "location").and_then(unit).map(str::to_string);
    let purpose = first_code(objects(agent, "authorization"))
        .or_else(|| first_code(objects(agent, "purposeOfUse")));
    event.purpose = purpose.map(str::to_string);
}

/// An agent's network address: `networkString`, `networkUri`, the
/// identifier, display or reference of `networkReference`, or an R4
/// `network.address`.
fn network(agent: &Map<String, Json>) -> Option<&str> {
    let by_reference = || {
        let reference = object(agent, "networkReference")?;
        text_at(reference, &["identifier", "value"])
            .or_else(|| text(reference, "display"))
            .or_else(|| text(reference, "reference"))
    };
    text(agent, "networkString")
        .or_else(|| text(agent, "networkUri"))
        .or_else(by_reference)
        .or_else(|| text_at(agent, &["network", "address"]))
}

/// The patient: the top-level `patient`, else an entity in the Patient
/// role, else an entity that refers to a Patient.
fn patient(resource: &Map<String, Json>) -> Option<&str> {
    let top = object(resource, "patient").and_then(|patient| {
        let reference = text(patient, "reference");
        reference
            .and_then(|r| reference_id(r, "Patient"))
            .or_else(|| text_at(patient, &["identifier", "value"]))
            .or(reference)
            .or_else(|| text(patient, "display"))
    });
    let entities = || objects(resource, "entity");
    let by_role = || {
        entities()
            .filter(|e| is_patient_role(e))
            .find_map(patient_of)
    };
    let by_reference = || {
        entities()
            .filter_map(|e| text_at(e, &["what", "reference"]))
            .find_map(|r| reference_id(r, "Patient"))
    };
    top.or_else(by_role).or_else(by_reference)
}

/// R5 gives an entity's role as a CodeableConcept of `object-role`.
fn is_patient_role(entity: &Map<String, Json>) -> bool {
    concepts(entity, "role")
        .flat_map(|concept| objects(concept, "coding"))
        .any(|coding| coding_in(coding, &OBJECT_ROLES, "1"))
}

/// The resource type of the first entity that is not the patient.
fn fill_resource(event: &mut Event, resource: &Map<String, Json>) {
    let mut others = objects(resource, "entity").filter(|e| !is_patient_role(e));
    let found = others.find_map(|e| entity_kind(e, resource));
    if let Some((kind, reference)) = found {
        event.resource = Some(kind.to_string());
        if let Some(reference) = reference.filter(|r| !r.starts_with('#')) {
            attribute(event, "fhir_entity", reference);
        }
    }
}

/// The purpose when no agent gave one, and the code attributes: R5's
/// `category` and `code` fill `fhir_type` and `fhir_subtype` as R4's
/// `type` and `subtype` do, so that rules read both versions alike.
fn fill_codes(event: &mut Event, resource: &Map<String, Json>) -> Result<(), Invalid> {
    if event.purpose.is_none() {
        event.purpose = first_code(objects(resource, "authorization")).map(str::to_string);
    }
    let category = concepts(resource, "category").chain(concepts(resource, "type"));
    if let Some(code) = first_code(category) {
        attribute(event, "fhir_type", code);
    }
    let specific = concepts(resource, "code").chain(concepts(resource, "subtype"));
    if let Some(code) = first_code(specific) {
        attribute(event, "fhir_subtype", code);
    }
    let outcome = object(resource, "outcome");
    if let Some(detail) = outcome.and_then(|o| details(o).next()) {
        attribute(event, "outcome_desc", detail);
    }
    if let Some(severity) = strict_text(resource, "severity")? {
        attribute(event, "severity", severity);
    }
    Ok(())
}

#[cfg(test)]
#[path = "r5_tests.rs"]
mod tests;
