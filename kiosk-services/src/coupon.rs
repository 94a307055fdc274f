//! Coupon codes printed on redemption receipts: short, unambiguous, unguessable.

use crate::clock::fill_random;

/// Crockford's base32 alphabet: no I, L, O or U, so nothing reads as 1, 0 or V.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh code like `IKI-7KQ2-M9XD` (40 random bits).
pub(crate) fn new_code() -> String {
    let mut bytes = [0u8; 5];
    fill_random(&mut bytes);
    let mut bits = bytes.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    let mut chars = [0u8; 8];
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let text = std::str::from_utf8(&chars).expect("alphabet is ASCII");
    format!("IKI-{}-{}", &text[..4], &text[4..])
}

/// What the coupon's QR code encodes: a versioned, typed payload a merchant app can check.
pub(crate) fn qr_payload(code: &str) -> String {
    format!("IKI1:COUPON:{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_well_formed_and_differ() {
        let a = new_code();
        assert_eq!(a.len(), 13);
        assert!(a.starts_with("IKI-"));
        assert!(a[4..].chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert_ne!(a, new_code());
        assert_eq!(qr_payload("IKI-0000-0000"), "IKI1:COUPON:IKI-0000-0000");
    }
}
