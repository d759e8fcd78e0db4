//! A small macro for the closed vocabularies of DESIGN.md: each variant has one stable
//! code used in the API, the database and the UI's translation keys.

#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($var:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( #[serde(rename = $code)] $var ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }

            pub fn from_code(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$var),)+ _ => None }
            }

            /// Parses a code, or explains which codes are allowed.
            pub fn parse(field: &str, s: &str) -> Result<$name, $crate::validation::Invalid> {
                Self::from_code(s.trim()).ok_or_else(|| $crate::validation::Invalid::one(
                    field,
                    "not_allowed",
                    format!("must be one of: {}", [$($code),+].join(", ")),
                ))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
