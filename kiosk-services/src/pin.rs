//! PIN hashing with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane). The PIN itself
//! is never stored, logged or sent.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub(crate) fn hash(pin: &str) -> String {
    Argon2::default()
        .hash_password(pin.as_bytes())
        .expect("argon2id with default parameters and a fresh salt cannot fail")
        .to_string()
}

/// Whether `pin` matches the stored hash; an unreadable hash never matches.
pub(crate) fn verify(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("0420");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, hash("0420"), "salted");
        assert!(verify("0420", &a));
        assert!(!verify("0421", &a));
        assert!(!verify("0420", "not a hash"));
    }
}
