pub(super) fn run(
    _node: &crate::tree::Node,
    data: crate::otlp::Telemetry,
) -> Result<crate::otlp::Telemetry, crate::simulate::SimError> {
    Ok(data)
}
