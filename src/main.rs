//! The `otel-dpia` binary: everything happens in [`otel_dpia::cli::run`].

fn main() -> std::process::ExitCode {
    otel_dpia::cli::run()
}
