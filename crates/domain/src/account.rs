//! Staff accounts: the roles a person holds in a body, the scopes of machine tokens, and
//! what makes a password acceptable. Hashing, sessions and lockout are `app`'s business;
//! here are only the rules that need neither a clock nor a random number.

use crate::validation::Invalid;

pub use crate::text::Email;

string_enum! {
    /// What a staff member may do in a body (or in every body, when granted without one).
    pub enum Role {
        Administrator = "administrator",
        ServiceOwner = "service_owner",
        UnitHead = "unit_head",
        Executor = "executor",
        Analyst = "analyst",
        CommunicationsEditor = "communications_editor",
    }
}

string_enum! {
    /// What a machine client's bearer token may do: only read, or also change.
    pub enum TokenScope {
        Read = "read",
        Write = "write",
    }
}

/// Shorter passwords fall to offline guessing even with argon2id (NIST SP 800-63B asks
/// for at least 8; we ask more because staff accounts change public records).
pub const PASSWORD_MIN: usize = 12;
/// Bounds the work one login can ask of argon2 and the size of a form field.
pub const PASSWORD_MAX: usize = 256;

/// The rules every password meets, whoever it belongs to. Counts characters, not bytes,
/// so a Cyrillic password is measured as a person sees it. Never trims: spaces count.
pub fn check_password(field: &str, raw: &str) -> Result<(), Invalid> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        return Err(Invalid::one(field, "too_short", format!("must be at least {PASSWORD_MIN} characters")));
    }
    if n > PASSWORD_MAX {
        return Err(Invalid::one(field, "too_long", format!("must be at most {PASSWORD_MAX} characters")));
    }
    let mut chars = raw.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(Invalid::one(field, "too_simple", "must not repeat one character"));
    }
    Ok(())
}

/// `check_password`, and the password must not be the account's own e-mail or its part
/// before the `@`: the first things a guesser tries.
pub fn check_password_for(field: &str, raw: &str, email: &Email) -> Result<(), Invalid> {
    check_password(field, raw)?;
    let folded = raw.trim().to_lowercase();
    let local = email.as_str().split('@').next().unwrap_or_default();
    if folded == local || folded == email.as_str() {
        return Err(Invalid::one(field, "like_email", "must not be your e-mail address or its part before @"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), Invalid>) -> &'static str {
        r.unwrap_err().0[0].code
    }

    #[test]
    fn roles_and_scopes_have_stable_codes() {
        assert_eq!(Role::ALL.len(), 6);
        for (role, c) in [
            (Role::Administrator, "administrator"),
            (Role::ServiceOwner, "service_owner"),
            (Role::UnitHead, "unit_head"),
            (Role::Executor, "executor"),
            (Role::Analyst, "analyst"),
            (Role::CommunicationsEditor, "communications_editor"),
        ] {
            assert_eq!(role.code(), c);
            assert_eq!(Role::from_code(c), Some(role));
            assert_eq!(role.to_string(), c);
        }
        assert_eq!(Role::parse("role", " analyst ").unwrap(), Role::Analyst);
        let err = Role::parse("role", "root").unwrap_err();
        assert_eq!((err.0[0].field.as_str(), err.0[0].code), ("role", "not_allowed"));
        assert!(err.0[0].message.contains("communications_editor"));
        assert_eq!(TokenScope::parse("scope", "read").unwrap(), TokenScope::Read);
        assert_eq!(TokenScope::Write.code(), "write");
        assert!(TokenScope::parse("scope", "admin").is_err());
    }

    #[test]
    fn passwords_are_long_enough_and_bounded() {
        assert!(check_password("password", "correct horse").is_ok());
        assert_eq!(code(check_password("password", "")), "too_short");
        assert_eq!(code(check_password("password", "short pass1")), "too_short", "11 characters");
        assert!(check_password("password", "пароль-длина").is_ok(), "12 Cyrillic characters are 12, not 23 bytes");
        assert!(check_password("password", &"ab".repeat(128)).is_ok(), "256 characters");
        assert_eq!(code(check_password("password", &"ab".repeat(129))), "too_long");
        let err = check_password("new_password", "x").unwrap_err();
        assert_eq!(err.0[0].field, "new_password");
    }

    #[test]
    fn passwords_are_not_one_character_repeated() {
        assert_eq!(code(check_password("password", "aaaaaaaaaaaa")), "too_simple");
        assert_eq!(code(check_password("password", "            ")), "too_simple");
        assert_eq!(code(check_password("password", "яяяяяяяяяяяяяяя")), "too_simple");
        assert!(check_password("password", "aaaaaaaaaaab").is_ok());
    }

    #[test]
    fn passwords_are_not_the_email() {
        let email = Email::parse("email", "Petrova.Anna@example.ru").unwrap();
        assert_eq!(code(check_password_for("password", "Petrova.Anna", &email)), "like_email", "12 characters, but the e-mail's");
        assert_eq!(code(check_password_for("password", "petrova", &email)), "too_short", "the length rule comes first");
        let long = Email::parse("email", "administrator@mfc.example.ru").unwrap();
        assert_eq!(code(check_password_for("password", "Administrator", &long)), "like_email");
        assert_eq!(code(check_password_for("password", "administrator@mfc.example.ru", &long)), "like_email");
        assert!(check_password_for("password", "administrator1", &long).is_ok());
        assert!(check_password_for("password", "long enough secret", &long).is_ok());
    }
}
