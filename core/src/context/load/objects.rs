//! Loading a context from texts held in memory rather than in a folder.
//!
//! The language bindings turn the tables a host program gives (arrays of
//! objects, lists of strings) into the text of the files a context folder
//! would hold, and load them here, so every row is checked exactly as a
//! file's row is.

use super::{File, Folder, LISTS, load};
use crate::context::{Context, ContextError};
use crate::report::sha256_hex;
use chrono_tz::Tz;

impl Context {
    /// Loads a context from `(name, text)` pairs named as in a context
    /// folder (`users.json`, `relations.csv`, `lists/vpn.cidr`, …), reading
    /// local times in `zone`.
    ///
    /// Problems are reported as for a folder, at `name:line`; the report
    /// names each text with its rows and the SHA-256 of its UTF-8 bytes.
    ///
    /// ```
    /// use loggvakt::context::Context;
    ///
    /// let users = r#"[{"id": "anna", "units": ["ward-4"]}]"#;
    /// let files = [("users.json".to_string(), users.to_string())];
    /// let context = Context::load_texts(&files, chrono_tz::UTC)?;
    /// assert_eq!(context.user_units("anna"), ["ward-4"]);
    /// # Ok::<(), loggvakt::ContextError>(())
    /// ```
    pub fn load_texts(files: &[(String, String)], zone: Tz) -> Result<Context, ContextError> {
        let folder = Folder::named(files.iter().map(|(name, _)| name.as_str()))?;
        load(&folder, zone, |name, _| {
            let (_, text) = files.iter().find(|(held, _)| held == name)?;
            Some(File {
                name: name.to_string(),
                text: text.clone(),
                sha256: sha256_hex(text.as_bytes()),
            })
        })
    }
}

impl Folder {
    /// The folder that would hold files of these names.
    fn named<'a>(names: impl Iterator<Item = &'a str>) -> Result<Folder, ContextError> {
        let mut problems = Vec::new();
        let mut folder = Folder::default();
        for name in names {
            match name.strip_prefix(LISTS).and_then(|n| n.strip_prefix('/')) {
                Some(file) => folder.add_list(file, false, &mut problems),
                None => folder.add_table(name, &mut problems),
            }
        }
        ContextError::check(problems)?;
        folder.tables.sort();
        Ok(folder)
    }
}
