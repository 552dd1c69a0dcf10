//! The `otel-dpia` binary: everything happens in [`otel_dpia::cli::run`].

/// See the `mimalloc` entry in Cargo.toml for why the binary does not use the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    otel_dpia::cli::run()
}
