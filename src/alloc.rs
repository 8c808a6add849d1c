//! The memory allocator, and handing freed memory back to the system between build stages.
//!
//! zhiku allocates in bursts: tera contexts and strings per page, tantivy's arenas, the
//! search text dropped after it is written. With glibc's malloc a 100k-page build's heap grew
//! so fragmented that malloc itself took ~20% of the rendering stage; jemalloc keeps it flat
//! (and a 10k-page build needs ~7% less CPU). jemalloc keeps freed pages for a few seconds
//! before returning them, which would add the last stage's garbage to the next stage's peak:
//! [`return_free_memory`] returns them at once where a stage has just dropped a lot.

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Returns the memory freed so far to the system: the unused pages of every jemalloc arena
/// (nothing where jemalloc is not the allocator).
pub fn return_free_memory() {
    #[cfg(not(target_env = "msvc"))]
    {
        // 4096 is MALLCTL_ARENAS_ALL: every arena.
        const PURGE: &[u8] = b"arena.4096.purge\0";
        // SAFETY: the name is NUL-terminated; purge reads and writes nothing, so every pointer
        // is null and the length 0, as jemalloc requires for it.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                PURGE.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
}

#[cfg(all(test, target_os = "linux", not(target_env = "msvc")))]
mod tests {
    use super::*;

    /// Resident memory in KiB (VmRSS).
    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("a VmRSS line");
        line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("VmRSS in kB")
    }

    #[test]
    fn freed_memory_goes_back_to_the_system() {
        // 256 MiB in many mid-sized blocks (not one large mapping, which any allocator unmaps
        // at once), touched so they are resident, then freed.
        let blocks: Vec<Vec<u8>> = (0..4096).map(|i| vec![i as u8; 64 * 1024]).collect();
        let with = resident_kib();
        drop(blocks);
        return_free_memory();
        let after = resident_kib();
        // jemalloc alone returns part of it soon (about 180 of the 256 MiB here); the purge
        // returns nearly all of it.
        let freed = with.saturating_sub(after);
        assert!(freed > 224 * 1024, "resident {with} KiB before, {after} KiB after the purge");
    }
}
