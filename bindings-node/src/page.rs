//! The options of `report.toHtml()`, read from a plain object.

use crate::errors::Failure;
use crate::options::{is_absent, napi_failure, plain_object, text};
use loggvakt::{HtmlOptions, Lang};
use napi::bindgen_prelude::{Object, Unknown};

/// `{ lang, organisation }`, both optional; an unknown member or language
/// is a coded error.
pub fn html_options(options: Option<Unknown<'_>>) -> Result<HtmlOptions, Failure> {
    let mut read = HtmlOptions::default();
    let Some(options) = options.filter(|o| !is_absent(o)) else {
        return Ok(read);
    };
    let object = plain_object(options, "options")?;
    for key in Object::keys(&object).map_err(napi_failure)? {
        let value: Option<Unknown<'_>> = object.get(&key).map_err(napi_failure)?;
        let Some(value) = value.filter(|v| !is_absent(v)) else {
            continue;
        };
        match key.as_str() {
            "lang" => read.lang = lang(&text(&value, "lang")?)?,
            "organisation" => read.organisation = Some(text(&value, "organisation")?),
            _ => {
                let message =
                    format!("unknown option `{key}` of toHtml; the options are lang, organisation");
                return Err(Failure::coded("LV0405", message));
            }
        }
    }
    Ok(read)
}

fn lang(code: &str) -> Result<Lang, Failure> {
    code.parse::<Lang>().map_err(|error| {
        let message = format!("{error}; the languages are en and sv");
        Failure::coded("LV0407", message)
    })
}
