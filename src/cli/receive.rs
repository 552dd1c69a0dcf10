//! `otel-dpia receive`: a real OTLP endpoint (HTTP and gRPC) that stores every export
//! request as OTLP/JSON, to capture what an agent really sends. The one command that prints
//! while it runs: the addresses bound, first thing on standard output (so that a script or
//! test can point a client at port 0's choice), and a summary line on standard error at the
//! end. What it stores never includes a request header.

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs as _};
use std::path::PathBuf;
use std::time::Duration;

use super::Report;
use crate::diag::{Code, Diagnostic};
use crate::receive::{Config, Outcome, Receiver};

/// Arguments of `otel-dpia receive`.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("listen").required(true).multiple(true).args(["http", "grpc"])))]
pub struct Args {
    /// Listen for OTLP/HTTP (`/v1/logs`, `/v1/metrics`, `/v1/traces`) on this address,
    /// e.g. `127.0.0.1:4318`; port 0 picks a free port.
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,

    /// Listen for OTLP/gRPC on this address, e.g. `127.0.0.1:4317`; port 0 picks a free
    /// port.
    #[arg(long, value_name = "ADDR")]
    pub grpc: Option<String>,

    /// Store each request here as `000001-logs.json`, … (OTLP/JSON), numbered on from the
    /// files already there.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Stop once this many requests are stored.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_requests: Option<u64>,

    /// Stop after this many seconds in all.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
}

/// Runs the command: binds, prints the addresses, serves until a stop, prints the summary.
pub fn run(args: &Args) -> Report {
    let mut report = Report::default();
    let address = |value: &Option<String>, flag: &str| -> Result<Option<SocketAddr>, Diagnostic> {
        value.as_deref().map(|v| resolve(v, flag)).transpose()
    };
    let config = match (address(&args.http, "--http"), address(&args.grpc, "--grpc")) {
        (Ok(http), Ok(grpc)) => Config {
            http,
            grpc,
            out: args.out.clone(),
            max_requests: args.max_requests,
            timeout: args.timeout.map(Duration::from_secs),
        },
        (a, b) => {
            report.diagnostics.extend(a.err());
            report.diagnostics.extend(b.err());
            return report;
        }
    };
    let receiver = match Receiver::bind(&config) {
        Ok(r) => r,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let mut stdout = std::io::stdout().lock();
    for (protocol, addr) in receiver.addresses() {
        let _ = writeln!(stdout, "{} {addr}", protocol.as_str());
    }
    let _ = stdout.flush();
    drop(stdout);
    let outcome = receiver.run();
    let _ = writeln!(std::io::stderr(), "{}", summary(&outcome, &args.out));
    report.diagnostics.extend(outcome.diagnostics);
    report
}

/// `HOST:PORT` as a socket address (a name such as `localhost` is looked up).
fn resolve(value: &str, flag: &str) -> Result<SocketAddr, Diagnostic> {
    let bad = |why: String| {
        Diagnostic::new(
            Code::ListenFailed,
            format!("`{flag} {value}` is not an address to listen on: {why}"),
        )
        .hint("write HOST:PORT, e.g. 127.0.0.1:4318, or port 0 for any free port")
    };
    value
        .to_socket_addrs()
        .map_err(|e| bad(e.to_string()))?
        .next()
        .ok_or_else(|| bad("the name has no address".to_string()))
}

fn summary(outcome: &Outcome, out: &std::path::Path) -> String {
    let s = outcome.stored;
    format!(
        "receive: stored {} request{} in {} (logs {}, metrics {}, traces {}), refused {}; stopped: {}",
        s.total(),
        if s.total() == 1 { "" } else { "s" },
        out.display(),
        s.logs,
        s.metrics,
        s.traces,
        outcome.refused,
        outcome.reason.describe()
    )
}
