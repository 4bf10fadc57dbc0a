//! The service's own process: what `/metrics` tells of it (`process_*`, the
//! names every Prometheus client library uses, so existing dashboards and
//! alerts on memory and descriptors apply), and the heap given back to the
//! system after each poll.
//!
//! A poll allocates a fleet's snapshots, reports and store records at once
//! and frees them at its end. glibc's allocator keeps what is freed in its
//! arenas (one per thread that allocated, up to eight per core), and a poll's
//! next peak does not land in the same holes: measured over a soak, the heap
//! in use was under half of what the arenas held, and the difference grew
//! (BENCHMARKS.md, "Watch soak"). [`release`] returns those free pages after
//! each poll; it frees nothing in use.

/// What is known of this process now. A figure that cannot be read (not
/// Linux, `/proc` not mounted) is `None`, and its series is not emitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Process {
    /// Resident set size (`VmRSS`), bytes.
    pub resident_bytes: Option<u64>,
    /// Virtual memory size (`VmSize`), bytes.
    pub virtual_bytes: Option<u64>,
    /// Open file descriptors (entries of `/proc/self/fd`, the listing's own included).
    pub open_fds: Option<u64>,
    /// The soft limit on open files (`Max open files`).
    pub max_fds: Option<u64>,
}

/// Reads this process's figures from `/proc/self`.
pub fn read() -> Process {
    let status = std::fs::read_to_string("/proc/self/status").ok();
    let field = |name: &str| status.as_deref().and_then(|s| status_kib(s, name)).map(|kib| kib * 1024);
    Process {
        resident_bytes: field("VmRSS:"),
        virtual_bytes: field("VmSize:"),
        open_fds: std::fs::read_dir("/proc/self/fd").ok().map(|d| d.count() as u64),
        max_fds: std::fs::read_to_string("/proc/self/limits").ok().as_deref().and_then(max_open_files),
    }
}

/// `VmRSS:     12345 kB` → 12345.
fn status_kib(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    let mut words = line[name.len()..].split_whitespace();
    let value = words.next()?.parse().ok()?;
    (words.next() == Some("kB")).then_some(value)
}

/// The soft limit of `Max open files` in `/proc/self/limits`; `None` when unlimited.
fn max_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

/// Gives the allocator's free pages back to the system; returns the
/// resident bytes released (`None`: not measured). A no-op but on glibc.
pub fn release() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let before = read().resident_bytes;
        // SAFETY: malloc_trim only walks the allocator's own arenas under their
        // locks; it takes no pointer and frees no block in use.
        unsafe {
            libc::malloc_trim(0);
        }
        let after = read().resident_bytes;
        before.zip(after).map(|(b, a)| b.saturating_sub(a))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

/// The allocator's own account: (bytes in use, bytes it holds from the
/// system), from glibc's `mallinfo2`; `None` elsewhere. What `release` cannot
/// give back is the difference between what it holds and what is in use.
pub fn heap() -> Option<(u64, u64)> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads the allocator's counters; it takes no pointer.
        let m = unsafe { libc::mallinfo2() };
        Some(((m.uordblks + m.hblkhd) as u64, (m.arena + m.hblkhd) as u64))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_kib_and_others_refused() {
        let s = "Name:\terdiag\nVmSize:\t  812340 kB\nVmRSS:\t   43128 kB\nThreads:\t7\n";
        assert_eq!(status_kib(s, "VmRSS:"), Some(43128));
        assert_eq!(status_kib(s, "VmSize:"), Some(812340));
        assert_eq!(status_kib(s, "Threads:"), None, "a field without its unit is not a size");
        assert_eq!(status_kib(s, "VmSwap:"), None);
    }

    #[test]
    fn the_soft_limit_of_open_files_is_read_and_unlimited_is_none() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(max_open_files(limits), Some(1024));
        assert_eq!(max_open_files("Max open files            unlimited            unlimited            files\n"), None);
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn the_heap_in_use_is_within_what_the_allocator_holds_and_release_keeps_it() {
        let kept: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; 4096]).collect();
        let (in_use, held) = heap().unwrap();
        assert!(in_use >= 64 * 4096 && in_use <= held, "{in_use} in use, {held} held");
        release();
        assert!(kept.iter().enumerate().all(|(i, v)| v.iter().all(|b| *b == i as u8)), "release frees nothing in use");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_is_read_from_proc() {
        let p = read();
        assert!(p.resident_bytes.is_some_and(|b| b > 0));
        assert!(p.virtual_bytes >= p.resident_bytes);
        assert!(p.open_fds.is_some_and(|n| n >= 3), "stdin, stdout, stderr at least: {p:?}");
    }
}
