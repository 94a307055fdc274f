//! Hashing secrets — citizens' PINs, staff passwords — with argon2id at OWASP's parameters
//! (19 MiB, 2 passes, 1 lane).
//!
//! A secret itself is never stored, logged or sent; only the PHC string this makes. The
//! salt comes in as an argument (fresh from the OS at the kiosk and the hub, seeded in demo
//! data), so the core still draws no randomness of its own.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Length of the salt [`hash_secret`] expects.
pub const SALT_LEN: usize = 16;

/// The argon2id PHC string for `secret` with `salt`.
pub fn hash_secret(secret: &str, salt: &[u8; SALT_LEN]) -> String {
    Argon2::default()
        .hash_password_with_salt(secret.as_bytes(), salt)
        .expect("argon2id with default parameters and a 16-byte salt cannot fail")
        .to_string()
}

/// Whether `secret` matches the stored hash; an unreadable hash never matches.
pub fn verify_secret(secret: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash_secret("0420", &[1; SALT_LEN]);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, hash_secret("0420", &[2; SALT_LEN]), "salted");
        assert!(verify_secret("0420", &a));
        assert!(!verify_secret("0421", &a));
        assert!(!verify_secret("0420", "not a hash"));
    }
}
