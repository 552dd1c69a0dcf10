//! The environment a collector process starts with, as far as the inputs tell: the values
//! the user gives (`--collector-env`, `env:` of the collector in dpia.yaml) and what the
//! deployment sets around the configuration (the Helm chart's pod fields and `extraEnvs`,
//! a Kubernetes workload's `env` and `envFrom`, an OpenTelemetryCollector's `spec.env`).
//!
//! The user's values win: they describe the environment the employer knows it runs. A
//! variable the deployment sets from the running pod, a Secret or a ConfigMap has a value
//! that cannot be known here; it is still *set*, so a `${env:X:-default}` must not fall back
//! to its default.

/// What the deployment gives one variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// A value written in the deployment.
    Value(String),
    /// Set when the pod runs; the text says from what (e.g. "the pod's `status.hostIP`").
    Runtime(String),
}

/// The variables of one collector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// The user's values, in order (a later pair for a key wins).
    user: Vec<(String, String)>,
    /// The deployment's values, in order (a later pair for a key wins).
    deployed: Vec<(String, Given)>,
    /// Set when the deployment may set variables whose names it does not list
    /// (`envFrom` a Secret): then every variable the user does not give is set at run time.
    any: Option<String>,
}

/// What a variable is, looked up in an [`Environment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// A value.
    Value(&'a str),
    /// Set when the collector runs, from what the text says: its value is unknown.
    Runtime(&'a str),
    /// Not set.
    Unset,
}

impl Environment {
    /// The user's values only.
    pub fn user(pairs: &[(String, String)]) -> Environment {
        Environment {
            user: pairs.to_vec(),
            ..Environment::default()
        }
    }

    /// Adds what the deployment sets for a variable.
    pub fn deploy(&mut self, name: impl Into<String>, given: Given) {
        self.deployed.push((name.into(), given));
    }

    /// Records that the deployment may set variables it does not name (`envFrom`).
    pub fn deploy_any(&mut self, from: impl Into<String>) {
        self.any.get_or_insert_with(|| from.into());
    }

    /// Adds everything another environment's deployment part says (for a collector read
    /// from several files).
    pub fn extend_deployed(&mut self, other: &Environment) {
        self.deployed.extend(other.deployed.iter().cloned());
        if let Some(any) = &other.any {
            self.deploy_any(any.clone());
        }
    }

    /// True when the deployment says nothing.
    pub fn nothing_deployed(&self) -> bool {
        self.deployed.is_empty() && self.any.is_none()
    }

    /// The variable `name`: the user's value, else the deployment's, else unset.
    pub fn lookup(&self, name: &str) -> Lookup<'_> {
        if let Some((_, v)) = self.user.iter().rev().find(|(k, _)| k == name) {
            return Lookup::Value(v);
        }
        match self.deployed.iter().rev().find(|(k, _)| k == name) {
            Some((_, Given::Value(v))) => Lookup::Value(v),
            Some((_, Given::Runtime(from))) => Lookup::Runtime(from),
            None => match &self.any {
                Some(from) => Lookup::Runtime(from),
                None => Lookup::Unset,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_wins_over_the_deployment_and_envfrom_sets_everything_else() {
        let mut env = Environment::user(&[("A".into(), "user".into())]);
        env.deploy("A", Given::Value("chart".into()));
        env.deploy("B", Given::Value("chart".into()));
        env.deploy("C", Given::Runtime("the pod's IP".into()));
        assert_eq!(env.lookup("A"), Lookup::Value("user"));
        assert_eq!(env.lookup("B"), Lookup::Value("chart"));
        assert_eq!(env.lookup("C"), Lookup::Runtime("the pod's IP"));
        assert_eq!(env.lookup("D"), Lookup::Unset);
        env.deploy_any("`envFrom` of workload `x`");
        assert_eq!(
            env.lookup("D"),
            Lookup::Runtime("`envFrom` of workload `x`")
        );
    }
}
