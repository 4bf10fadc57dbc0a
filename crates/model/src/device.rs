//! The two device paths of a circuit: two MSEEs, two links, two BGP sessions.
//! The one enum every crate uses for them (snapshots, the lab, CLI flags).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// One of the two device paths of a circuit (two MSEEs, two links).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum DevicePath {
    Primary,
    Secondary,
}

impl DevicePath {
    pub const BOTH: [DevicePath; 2] = [DevicePath::Primary, DevicePath::Secondary];
    pub fn as_str(self) -> &'static str {
        match self {
            DevicePath::Primary => "primary",
            DevicePath::Secondary => "secondary",
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn other(self) -> DevicePath {
        match self {
            DevicePath::Primary => DevicePath::Secondary,
            DevicePath::Secondary => DevicePath::Primary,
        }
    }
    /// `primary` or `secondary` in any case, or the short `pri` / `sec`.
    pub fn parse(s: &str) -> Option<DevicePath> {
        match s.trim().to_ascii_lowercase().as_str() {
            "primary" | "pri" => Some(DevicePath::Primary),
            "secondary" | "sec" => Some(DevicePath::Secondary),
            _ => None,
        }
    }
}

impl fmt::Display for DevicePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value per device path, either of which may be absent: the shape of
/// `inputs.aclTest` and `inputs.ce`. It reads only from an object whose keys
/// are device paths; another key is an error at its own JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerPath<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary: Option<T>,
}

impl<T> Default for PerPath<T> {
    fn default() -> PerPath<T> {
        PerPath { primary: None, secondary: None }
    }
}

impl<T> PerPath<T> {
    pub fn get(&self, p: DevicePath) -> Option<&T> {
        match p {
            DevicePath::Primary => self.primary.as_ref(),
            DevicePath::Secondary => self.secondary.as_ref(),
        }
    }
    pub fn slot(&mut self, p: DevicePath) -> &mut Option<T> {
        match p {
            DevicePath::Primary => &mut self.primary,
            DevicePath::Secondary => &mut self.secondary,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerPath<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PerPath<T>, D::Error> {
        struct Object<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
            type Value = PerPath<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object {\"primary\": …, \"secondary\": …}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerPath<T>, A::Error> {
                let mut out = PerPath::default();
                while let Some(key) = map.next_key::<String>()? {
                    match DevicePath::BOTH.into_iter().find(|d| d.as_str() == key) {
                        Some(d) => *out.slot(d) = map.next_value()?,
                        // Read as the key's value, so that the error's path ends with the key.
                        None => match map.next_value::<NotADevicePath>()? {},
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Object(PhantomData))
    }
}

/// The value of a key that is not a device path: always an error.
enum NotADevicePath {}

impl<'de> Deserialize<'de> for NotADevicePath {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<NotADevicePath, D::Error> {
        Err(de::Error::custom("expected a device path: primary or secondary"))
    }
}
