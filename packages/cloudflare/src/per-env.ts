// Bindings and secrets reach a Worker with each request (its `env`), not at start-up: what this package
// builds from them is built on first use and kept per `env` object (one per isolate in practice).

/** `make`, called once per `env` object and remembered (an `env` that is not an object: every call). */
export function perEnv<Env, T>(make: (env: Env) => T): (env: Env) => T {
  const built = new WeakMap<object, T>();
  return (env) => {
    if (typeof env !== "object" || env === null) return make(env);
    let value = built.get(env);
    if (value === undefined) {
      value = make(env);
      built.set(env, value);
    }
    return value;
  };
}
