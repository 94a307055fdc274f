//! The receipt spool: every receipt is kept on disk before it is printed, so one that could
//! not print (paper out, cover open, printer unplugged) is never lost and can be reprinted.
//!
//! `pending/` holds receipts not yet printed, `printed/` the most recent printed ones (for
//! "reprint the last receipt"). Files are written to a temporary name, synced and renamed,
//! so a power cut leaves either the whole receipt or none.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use iki_core::receipt::Receipt;

/// How many printed receipts are kept for reprints.
const KEEP_PRINTED: usize = 50;

/// Why the spool could not keep or read a receipt.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("The receipt could not be saved to {path} ({source}). Please tell staff: the kiosk's disk may be full.")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("A saved receipt at {path} could not be read ({detail}).")]
    Read { path: PathBuf, detail: String },
}

/// A saved receipt and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spooled {
    pub path: PathBuf,
    pub receipt: Receipt,
}

/// The spool directory.
#[derive(Debug, Clone)]
pub struct Spool {
    root: PathBuf,
}

impl Spool {
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, SpoolError> {
        let root = root.into();
        for dir in ["pending", "printed"] {
            let path = root.join(dir);
            fs::create_dir_all(&path).map_err(|source| SpoolError::Write { path, source })?;
        }
        Ok(Self { root })
    }

    /// Saves a receipt as pending, durably, before it goes to the printer.
    pub fn keep(&self, receipt: &Receipt) -> Result<Spooled, SpoolError> {
        let dir = self.root.join("pending");
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = dir.join(format!("{:010}-{}-{stamp}.json", receipt.number, receipt.kind.as_str()));
        let json = serde_json::to_vec_pretty(receipt).expect("a receipt always serialises");
        write_durably(&path, &json).map_err(|source| SpoolError::Write { path: path.clone(), source })?;
        Ok(Spooled { path, receipt: receipt.clone() })
    }

    /// Moves a receipt that printed to `printed/`, keeping the most recent ones.
    pub fn printed(&self, spooled: &Spooled) -> Result<(), SpoolError> {
        let name = spooled.path.file_name().expect("spooled files have names");
        let to = self.root.join("printed").join(name);
        fs::rename(&spooled.path, &to).map_err(|source| SpoolError::Write { path: to.clone(), source })?;
        let mut printed = list(&self.root.join("printed"))?;
        while printed.len() > KEEP_PRINTED {
            let oldest = printed.remove(0);
            let _ = fs::remove_file(oldest);
        }
        Ok(())
    }

    /// Receipts waiting to be printed, oldest first.
    pub fn pending(&self) -> Result<Vec<Spooled>, SpoolError> {
        list(&self.root.join("pending"))?.into_iter().map(|p| read(&p)).collect()
    }

    /// The most recently printed receipt, for "reprint the last receipt".
    pub fn last_printed(&self) -> Result<Option<Spooled>, SpoolError> {
        list(&self.root.join("printed"))?.pop().map(|p| read(&p)).transpose()
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The `.json` files of a directory, oldest (by name: receipt number, then time) first.
fn list(dir: &Path) -> Result<Vec<PathBuf>, SpoolError> {
    let entries = fs::read_dir(dir).map_err(|e| SpoolError::Read { path: dir.to_owned(), detail: e.to_string() })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort_by_key(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy().to_string();
        let stamp = name.rsplit('-').next().unwrap_or("").trim_end_matches(".json").parse::<u128>().unwrap_or(0);
        (stamp, name)
    });
    Ok(files)
}

fn read(path: &Path) -> Result<Spooled, SpoolError> {
    let bytes = fs::read(path).map_err(|e| SpoolError::Read { path: path.to_owned(), detail: e.to_string() })?;
    let receipt = serde_json::from_slice(&bytes).map_err(|e| SpoolError::Read { path: path.to_owned(), detail: e.to_string() })?;
    Ok(Spooled { path: path.to_owned(), receipt })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iki_core::receipt::ReceiptKind;

    #[test]
    fn kept_until_printed_and_the_last_can_be_reprinted() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(dir.path()).unwrap();
        let a = spool.keep(&Receipt::new(ReceiptKind::Coupon, 7).text("a")).unwrap();
        let b = spool.keep(&Receipt::new(ReceiptKind::Ride, 8).text("b")).unwrap();
        assert_eq!(spool.pending().unwrap(), vec![a.clone(), b.clone()]);
        spool.printed(&a).unwrap();
        assert_eq!(spool.pending().unwrap(), vec![b.clone()]);
        assert_eq!(spool.last_printed().unwrap().unwrap().receipt, a.receipt);
        // Reopening (after a restart) finds the pending receipt still there.
        let again = Spool::open(dir.path()).unwrap();
        assert_eq!(again.pending().unwrap().len(), 1);
        for n in 0..60 {
            let s = again.keep(&Receipt::new(ReceiptKind::Test, 100 + n)).unwrap();
            again.printed(&s).unwrap();
        }
        assert_eq!(fs::read_dir(dir.path().join("printed")).unwrap().count(), KEEP_PRINTED);
        assert_eq!(again.last_printed().unwrap().unwrap().receipt.number, 159);
    }
}
