/**
 * Why a connection could not produce credentials. `needs_reauthorization`: the provider refused the grant
 * (invalid_grant), a person has to run consent again; `transient`: network, timeout, 5xx, retry later;
 * `provider`: the provider refused otherwise (invalid_client, …); `config`: the settings are wrong.
 */
export class ConnectionTokenError extends Error {
  constructor(
    message: string,
    readonly reason: "needs_reauthorization" | "transient" | "provider" | "config",
  ) {
    super(message);
    this.name = "ConnectionTokenError";
  }
}
