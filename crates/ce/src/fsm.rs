//! The record semantics of TextFSM, which ntc-templates' expected results
//! depend on, without its regular expressions.
//!
//! A parser declares its fields once (a [`Schema`]: the template's `Value`
//! names, lower-cased, with their options) and then, line by line, assigns
//! captures and asks for records exactly where the template's rules would.
//! [`Fsm`] reproduces what TextFSM does with them:
//!
//! - `Filldown`: the value survives a record, until assigned again (an
//!   assignment of "no match" — a group that did not take part — counts);
//! - `Required`: a record whose value is empty is dropped (and cleared);
//! - `List`: every assignment appends; the record holds the list;
//! - a record whose every value is empty is not emitted;
//! - `Clear` keeps filldown values, `Clearall` forgets them too.
//!
//! Fields marked [`HIDDEN`] are erdiag's own (what the typed model needs and
//! the template does not capture, like an MD5 password or a BFD line): they
//! follow the same rules but never appear in the ntc view and never make an
//! otherwise empty record count.

use crate::{Sink, Warning};

pub(crate) const FILLDOWN: u8 = 1;
pub(crate) const REQUIRED: u8 = 2;
pub(crate) const LIST: u8 = 4;
pub(crate) const HIDDEN: u8 = 8;

/// The fields of one template, in the template's order.
pub(crate) type Schema = &'static [(&'static str, u8)];

/// One field's value in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    Str(&'a str),
    List(&'a [String]),
}

/// A record as a parser emits it: borrowed, valid for the duration of the
/// [`Sink::record`] call.
#[derive(Clone, Copy)]
pub struct Rec<'a> {
    schema: Schema,
    vals: &'a [String],
    present: &'a [bool],
    lists: &'a [Vec<String>],
    keys: &'a [Box<[u8]>],
    visible: &'a [usize],
    ntc: bool,
    scope: Option<&'a Scope>,
}

/// What the command as typed says of every record it prints (`show ip
/// route vrf X`, `show bgp ipv6 unicast summary`): the VRF and address
/// family [`Rec::get`] gives where the output itself names none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    pub vrf: Option<String>,
    pub address_family: Option<String>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.vrf.is_none() && self.address_family.is_none()
    }

    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "vrf" => self.vrf.as_deref(),
            "address_family" => self.address_family.as_deref(),
            _ => None,
        }
    }
}

impl<'a> Rec<'a> {
    /// Whether ntc-templates emits this record. Some records exist only for
    /// the typed model: a Junos BGP peer that is not established has no
    /// table line, on which the template records.
    pub fn in_ntc(&self) -> bool {
        self.ntc
    }

    /// The ntc view's fields as (`"name":` in JSON, value), in order.
    pub(crate) fn json_fields(&self) -> impl Iterator<Item = (&'a [u8], Field<'a>)> + '_ {
        self.visible.iter().map(move |&i| (&*self.keys[i], self.at(i, self.schema[i].1)))
    }

    /// The fields of the ntc-templates view, in the template's order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, Field<'a>)> + '_ {
        self.schema.iter().enumerate().filter(|(_, (_, o))| o & HIDDEN == 0).map(move |(i, (n, o))| (*n, self.at(i, *o)))
    }

    fn at(&self, i: usize, o: u8) -> Field<'a> {
        if o & LIST != 0 {
            Field::List(&self.lists[i])
        } else {
            Field::Str(self.val(i))
        }
    }

    #[inline]
    fn val(&self, i: usize) -> &'a str {
        if self.present[i] {
            &self.vals[i]
        } else {
            ""
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.schema.iter().position(|(n, _)| *n == name)
    }

    /// The template's fields (the same for every record of a parser).
    pub(crate) fn schema(&self) -> Schema {
        self.schema
    }

    /// The scalar field at `i` of [`Rec::schema`], as [`Rec::get`] gives it
    /// (`i` from [`scalar_index`]).
    #[inline]
    pub(crate) fn str_at(&self, i: usize) -> &'a str {
        self.val(i)
    }

    /// A scalar field (ntc or hidden), `""` when absent or empty. The
    /// `vrf` and `address_family` of a record that names none are the
    /// command's ([`Scope`]), when it named them.
    pub fn get(&self, name: &str) -> &'a str {
        let v = match self.index(name) {
            Some(i) if self.schema[i].1 & LIST == 0 => self.val(i),
            _ => "",
        };
        match self.scope {
            Some(s) if v.is_empty() => s.get(name).unwrap_or(""),
            _ => v,
        }
    }

    /// The same record in the scope of the command that printed it.
    pub(crate) fn scoped<'s>(&self, scope: &'s Scope) -> Rec<'s>
    where
        'a: 's,
    {
        Rec { scope: Some(scope), ..*self }
    }

    /// A list field, empty when absent.
    pub fn list(&self, name: &str) -> &'a [String] {
        match self.index(name) {
            Some(i) if self.schema[i].1 & LIST != 0 => &self.lists[i],
            _ => &[],
        }
    }

    /// The ntc view as a JSON object.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::Value;
        self.fields()
            .map(|(n, f)| {
                let v = match f {
                    Field::Str(s) => Value::String(s.to_string()),
                    Field::List(l) => Value::Array(l.iter().map(|s| Value::String(s.clone())).collect()),
                };
                (n.to_string(), v)
            })
            .collect()
    }
}

/// Where [`Rec::get`] finds `name` in records of `schema`: `None` when it
/// gives `""` whatever the record (no such field, or a list).
pub(crate) fn scalar_index(schema: Schema, name: &str) -> Option<usize> {
    schema.iter().position(|(n, _)| *n == name).filter(|&i| schema[i].1 & LIST == 0)
}

/// The record being built, with TextFSM's value semantics. Each value is a
/// buffer and a flag (`None` in TextFSM when the flag is off), so that a
/// record costs no allocation once the buffers have grown.
pub(crate) struct Fsm {
    schema: Schema,
    vals: Vec<String>,
    present: Vec<bool>,
    /// Filldown fields: whether the value survives a `Clear`. The value is
    /// `vals[i]` itself: only [`Fsm::set`] turns this on, and nothing but
    /// another `set` writes `vals[i]` afterwards.
    saved_present: Vec<bool>,
    lists: Vec<Vec<String>>,
    required: Vec<usize>,
    visible: Vec<usize>,
    keys: Vec<Box<[u8]>>,
}

impl Fsm {
    pub fn new(schema: Schema) -> Fsm {
        let n = schema.len();
        Fsm {
            schema,
            vals: vec![String::new(); n],
            present: vec![false; n],
            saved_present: vec![false; n],
            lists: vec![Vec::new(); n],
            required: (0..n).filter(|&i| schema[i].1 & REQUIRED != 0).collect(),
            visible: (0..n).filter(|&i| schema[i].1 & HIDDEN == 0).collect(),
            keys: schema.iter().map(|(name, _)| format!("\"{name}\":").into_bytes().into_boxed_slice()).collect(),
        }
    }

    /// `AssignVar` with a captured value.
    #[inline]
    pub fn set(&mut self, i: impl Into<usize>, v: &str) {
        let i = i.into();
        let o = self.schema[i].1;
        let s = &mut self.vals[i];
        s.clear();
        s.push_str(v);
        self.present[i] = true;
        if o & FILLDOWN != 0 {
            self.saved_present[i] = true;
        }
        if o & LIST != 0 {
            self.lists[i].push(v.to_string());
        }
    }

    /// `AssignVar` with a group that did not take part in the match.
    #[inline]
    pub fn unset(&mut self, i: impl Into<usize>) {
        let i = i.into();
        let o = self.schema[i].1;
        self.present[i] = false;
        if o & FILLDOWN != 0 {
            self.saved_present[i] = false;
        }
        if o & LIST != 0 {
            // TextFSM appends the None; it prints as an empty string.
            self.lists[i].push(String::new());
        }
    }

    /// Assign `Some(v)` or "did not take part".
    #[inline]
    pub fn opt(&mut self, i: impl Into<usize>, v: Option<&str>) {
        match v {
            Some(v) => self.set(i, v),
            None => self.unset(i),
        }
    }

    pub fn value(&self, i: impl Into<usize>) -> &str {
        let i = i.into();
        if self.present[i] {
            &self.vals[i]
        } else {
            ""
        }
    }

    /// The `Record` operation.
    pub fn record(&mut self, sink: &mut dyn Sink) {
        // Required: on the scalar (for a List the last assignment, as
        // TextFSM's option order makes it).
        for &i in &self.required {
            if !self.present[i] || self.vals[i].is_empty() {
                self.clear();
                return;
            }
        }
        let any = self.visible.iter().any(|&i| if self.schema[i].1 & LIST != 0 { !self.lists[i].is_empty() } else { self.present[i] });
        if any {
            sink.record(&Rec { schema: self.schema, vals: &self.vals, present: &self.present, lists: &self.lists, keys: &self.keys, visible: &self.visible, ntc: true, scope: None });
            self.clear();
        }
    }

    /// Emits the current values as a record for the typed model only,
    /// leaving them as they are.
    pub fn record_typed_only(&mut self, sink: &mut dyn Sink) {
        sink.record(&Rec { schema: self.schema, vals: &self.vals, present: &self.present, lists: &self.lists, keys: &self.keys, visible: &self.visible, ntc: false, scope: None });
    }

    /// The `Clear` operation: non-filldown values are forgotten.
    pub fn clear(&mut self) {
        for (i, (_, o)) in self.schema.iter().enumerate() {
            if o & FILLDOWN != 0 {
                self.present[i] = self.saved_present[i];
            } else {
                self.present[i] = false;
                if o & LIST != 0 {
                    self.lists[i].clear();
                }
            }
        }
    }

    /// The `Clearall` operation.
    pub fn clear_all(&mut self) {
        for i in 0..self.schema.len() {
            self.present[i] = false;
            self.saved_present[i] = false;
            self.lists[i].clear();
        }
    }
}

/// What a parser writes to: the sink and the warnings, with line numbers.
pub(crate) struct Out<'s> {
    pub sink: &'s mut dyn Sink,
}

impl Out<'_> {
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.sink.warning(Warning { line, message: message.into() });
    }
}

/// A parser's field enum, which knows its template's fields.
pub(crate) trait Template {
    const SCHEMA: Schema;
}

/// An [`Fsm`] of the template `T`, made by `Default`: a parser's state is
/// then `#[derive(Default)]`.
pub(crate) struct Machine<T>(Fsm, std::marker::PhantomData<T>);

impl<T: Template> Default for Machine<T> {
    fn default() -> Self {
        Machine(Fsm::new(T::SCHEMA), std::marker::PhantomData)
    }
}

impl<T> std::ops::Deref for Machine<T> {
    type Target = Fsm;
    #[inline(always)]
    fn deref(&self) -> &Fsm {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Machine<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Fsm {
        &mut self.0
    }
}

/// Declares a parser's fields: an enum `F` of indices, `SCHEMA`, and `Fsm`,
/// the [`Machine`] of that template. A field is named as the template
/// names it (`F::router_id` is `router_id`); `Type = "type"` names one
/// whose name is a Rust keyword.
///
/// ```ignore
/// schema! { router_id: FILLDOWN | REQUIRED, bgp_neighbor, Type = "type" }
/// ```
macro_rules! schema {
    (@name $id:ident $name:literal) => { $name };
    (@name $id:ident) => { stringify!($id) };
    ($( $id:ident $(= $name:literal)? $(: $opt:expr)? ),* $(,)?) => {
        #[allow(dead_code, non_camel_case_types, clippy::enum_variant_names)]
        #[derive(Clone, Copy, Debug)]
        #[repr(usize)]
        pub(crate) enum F { $($id),* }
        impl From<F> for usize {
            fn from(f: F) -> usize { f as usize }
        }
        #[allow(unused_imports)]
        use $crate::fsm::{FILLDOWN, REQUIRED, LIST, HIDDEN};
        const SCHEMA: $crate::fsm::Schema = &[ $( ($crate::fsm::schema!(@name $id $($name)?), 0 $(| $opt)?) ),* ];
        impl $crate::fsm::Template for F {
            const SCHEMA: $crate::fsm::Schema = SCHEMA;
        }
        #[allow(dead_code)]
        type Fsm = $crate::fsm::Machine<F>;
    };
}
pub(crate) use schema;
