//! Arrow record batches to events (or, for context tables, to JSON
//! objects), one per row, without calling Python: each column is turned
//! into JSON values once per batch, then each row's values go through the
//! canonical reader.
//!
//! Text, dictionary-encoded text, dates and decimals are read as text or
//! numbers as their JSON form would be. A timestamp with a zone is an
//! instant (written in UTC); one without a zone is a wall-clock time, read
//! in the rules' zone, as an offset-less `time` text is.

use crate::convert::float_json;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, TimeUnit};
use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use loggvakt::Event;
use loggvakt::read::{self, canonical::Invalid};
use serde_json::{Map, Value as Json};
use std::sync::Arc;

/// The rows of `batch` as JSON objects, a column of lists of text read as
/// JSON arrays of text (the sets of a context table).
pub fn rows_with_sets(batch: &RecordBatch) -> Result<Vec<Map<String, Json>>, String> {
    rows_with(batch, true)
}

/// The rows of `batch` as events, or each row's reason to be rejected:
/// what the canonical reader makes of each row as a JSON object, without
/// making the objects. `Err` names a column of a type that has no JSON
/// form.
pub fn events(batch: &RecordBatch, zone: Tz) -> Result<Vec<Result<Event, Invalid>>, String> {
    let mut columns = columns(batch, false)?;
    let events = (0..batch.num_rows())
        .map(|row| read::canonical::from_members(members(&mut columns, row), zone))
        .collect();
    Ok(events)
}

fn rows_with(batch: &RecordBatch, sets: bool) -> Result<Vec<Map<String, Json>>, String> {
    let mut columns = columns(batch, sets)?;
    let rows = (0..batch.num_rows())
        .map(|row| {
            members(&mut columns, row)
                .map(|(name, value)| (name.to_string(), value))
                .collect()
        })
        .collect();
    Ok(rows)
}

/// Row `row`'s members, column by column, each value taken out of its
/// column.
fn members(columns: &mut [(String, Vec<Json>)], row: usize) -> impl Iterator<Item = (&str, Json)> {
    columns.iter_mut().map(move |(name, values)| {
        let value = values.get_mut(row).map(std::mem::take);
        (name.as_str(), value.unwrap_or(Json::Null))
    })
}

/// Each column of `batch` as its name and JSON values.
fn columns(batch: &RecordBatch, sets: bool) -> Result<Vec<(String, Vec<Json>)>, String> {
    let schema = batch.schema();
    let mut columns = Vec::new();
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let values = match array.data_type() {
            DataType::List(_) | DataType::LargeList(_) if sets => set_column(array),
            _ => column(array),
        };
        let values = values.map_err(|found| {
            format!(
                "column `{}` has the Arrow type {found}, which has no event form",
                field.name()
            )
        })?;
        columns.push((field.name().clone(), values));
    }
    Ok(columns)
}

/// One column as JSON values; `Err` holds its type's name.
fn column(array: &ArrayRef) -> Result<Vec<Json>, String> {
    let unsupported = || array.data_type().to_string();
    match array.data_type() {
        DataType::Null => Ok(vec![Json::Null; array.len()]),
        DataType::Boolean => {
            let values = array.as_boolean_opt().ok_or_else(unsupported)?;
            Ok(values
                .iter()
                .map(|v| v.map_or(Json::Null, Json::Bool))
                .collect())
        }
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            let cast = cast(array, &DataType::Int64)?;
            let values = cast
                .as_primitive_opt::<Int64Type>()
                .ok_or_else(unsupported)?;
            Ok(values
                .iter()
                .map(|v| v.map_or(Json::Null, Json::from))
                .collect())
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            let cast = cast(array, &DataType::UInt64)?;
            let values = cast
                .as_primitive_opt::<UInt64Type>()
                .ok_or_else(unsupported)?;
            Ok(values
                .iter()
                .map(|v| v.map_or(Json::Null, Json::from))
                .collect())
        }
        DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => {
            let cast = cast(array, &DataType::Float64)?;
            let values = cast
                .as_primitive_opt::<Float64Type>()
                .ok_or_else(unsupported)?;
            Ok(values
                .iter()
                .map(|v| v.map_or(Json::Null, float_json))
                .collect())
        }
        DataType::Timestamp(unit, zone) => timestamps(array, *unit, zone.is_some()),
        _ => text(array),
    }
}

/// A column of lists as JSON arrays, each member read as a column would be.
fn set_column(array: &ArrayRef) -> Result<Vec<Json>, String> {
    let large = cast(
        array,
        &DataType::LargeList(Arc::new(Field::new_list_field(DataType::Utf8, true))),
    )?;
    let lists = large
        .as_list_opt::<i64>()
        .ok_or_else(|| array.data_type().to_string())?;
    let mut values = Vec::with_capacity(lists.len());
    for list in lists.iter() {
        let value = match list {
            Some(members) => Json::Array(text(&members)?),
            None => Json::Null,
        };
        values.push(value);
    }
    Ok(values)
}

fn cast(array: &ArrayRef, to: &DataType) -> Result<ArrayRef, String> {
    arrow_cast::cast(array, to).map_err(|_| array.data_type().to_string())
}

/// Any other column as text, when Arrow can write it as text.
fn text(array: &ArrayRef) -> Result<Vec<Json>, String> {
    let nested = matches!(
        array.data_type(),
        DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::Struct(_)
            | DataType::Map(..)
            | DataType::Union(..)
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
            | DataType::FixedSizeBinary(_)
    );
    if nested {
        return Err(array.data_type().to_string());
    }
    let cast = cast(array, &DataType::Utf8)?;
    let values = cast
        .as_string_opt::<i32>()
        .ok_or_else(|| array.data_type().to_string())?;
    let text = |v: Option<&str>| v.map_or(Json::Null, |s| Json::String(s.to_string()));
    Ok(values.iter().map(text).collect())
}

/// Timestamps as RFC 3339 text: with `Z` when the column has a zone (its
/// values are instants), without an offset when it has none.
fn timestamps(array: &ArrayRef, unit: TimeUnit, zoned: bool) -> Result<Vec<Json>, String> {
    let raw = cast(array, &DataType::Int64)?;
    let values = raw
        .as_primitive_opt::<Int64Type>()
        .ok_or_else(|| array.data_type().to_string())?;
    let write = |v: i64| {
        let Some(instant) = instant(v, unit) else {
            return Json::String(format!("{v} {unit:?} since 1970"));
        };
        if zoned {
            Json::String(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        } else {
            let naive = instant.naive_utc();
            Json::String(naive.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
        }
    };
    Ok(values.iter().map(|v| v.map_or(Json::Null, write)).collect())
}

fn instant(value: i64, unit: TimeUnit) -> Option<DateTime<chrono::Utc>> {
    let (per_second, nanos_per) = match unit {
        TimeUnit::Second => (1, 0),
        TimeUnit::Millisecond => (1_000, 1_000_000),
        TimeUnit::Microsecond => (1_000_000, 1_000),
        TimeUnit::Nanosecond => (1_000_000_000, 1),
    };
    let seconds = value.div_euclid(per_second);
    let nanos = value.rem_euclid(per_second).checked_mul(nanos_per)?;
    DateTime::from_timestamp(seconds, u32::try_from(nanos).ok()?)
}
